"""The one `Store` interface every caller uses; SQLite now, PostgreSQL behind the same methods."""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from ingest.triage.dedupe import Found, Signature
from schemas import Action

Question = dict[str, Any]
ShowDict = dict[str, Any]


@dataclass(slots=True)
class LiveEvent:
    """A committed event as the hub fans it out: the log row plus the question's state after it."""

    seq: int
    show_id: int | None
    question_id: int | None
    kind: str
    actor: str
    at: str
    question: Question | None = None
    show: ShowDict | None = None
    payload: dict[str, Any] | None = None  # for the server's own use (a cue's text), never sent to desks
    _encoded: str | None = field(default=None, repr=False)

    def as_json(self) -> dict[str, Any]:
        item: dict[str, Any] = {"seq": self.seq, "kind": self.kind, "actor": self.actor, "at": self.at,
                                "question": self.question}
        if self.show is not None:
            item["show"] = self.show
        return item

    @property
    def encoded(self) -> str:
        """The event's JSON, encoded once and shared by every client's frame."""
        if self._encoded is None:
            self._encoded = orjson.dumps(self.as_json()).decode()
        return self._encoded


@dataclass(slots=True)
class NewQuestion:
    """A triaged message ready to be committed."""

    show_id: int | None
    channel: str
    external_id: str
    author_name: str | None
    author_handle: str | None
    author_contact: str | None
    text_original: str
    text: str
    lang: str
    flags: tuple[str, ...]
    topic: str | None
    district: str | None
    priority: float
    sent_at: str | None = None
    media: dict[str, Any] | None = None
    raw: str | None = None
    addressee: str | None = None
    signature: Signature | None = None  # the near-duplicate index's reading of `text`, when triage took it


@dataclass(slots=True)
class IngestOutcome:
    accepted: int
    duplicates: int
    ids: list[int]


@dataclass(slots=True)
class Snapshot:
    """A show's state at `seq`: every question up to `SNAPSHOT_LIMIT`; past that, the rundown and the newest
    ones (`total` says how many the show has; the rest pages in through `GET /api/shows/{id}/questions`)."""

    seq: int
    show: ShowDict
    questions: list[Question]
    rundown: list[int]
    total: int = 0


SNAPSHOT_LIMIT = 20_000


@dataclass(slots=True)
class AirState:
    """What the prompter shows: the on-air question and the rundown after it."""

    seq: int
    on_air: Question | None
    next: list[Question]


@dataclass(slots=True)
class QuestionFilter:
    status: str | None = None
    channel: str | None = None
    topic: str | None = None
    district: str | None = None
    lang: str | None = None
    q: str | None = None
    after: int | None = None
    limit: int = 100


@dataclass(slots=True)
class LogFilter:
    kinds: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    actor: str | None = None
    question_id: int | None = None
    after: int = 0
    limit: int = 1000


@dataclass(slots=True)
class FollowUpFilter:
    show_id: int | None = None
    assignee: str | None = None
    resolution: str | None = None  # resolved | explained | needs_time | open
    topic: str | None = None
    district: str | None = None
    overdue_on: str | None = None  # a date (YYYY-MM-DD): only open cases due before it
    after: int = 0
    limit: int = 500


@dataclass(slots=True)
class UserRecord:
    username: str
    role: str
    password_hash: str
    disabled: bool
    lang: str | None
    created_at: str


@dataclass(slots=True)
class SessionRecord:
    username: str
    role: str
    csrf: str
    created_at: float
    seen_at: float


@dataclass(slots=True)
class TokenRecord:
    id: int
    kind: str
    show_id: int | None
    label: str | None
    created_at: str
    revoked_at: str | None


@dataclass(frozen=True, slots=True)
class DeadLetterIn:
    """Something a channel could not read or validate: the raw bytes and why (never quoting them)."""

    channel: str
    source: str
    reason: str
    raw: bytes


@dataclass(slots=True)
class PurgeReport:
    """What a retention purge cleared (or, dry, would clear): personal data, never the questions."""

    questions: int
    shows: list[int]
    cutoff: str
    dead_letters: int = 0


class Clusterer(Protocol):
    """Near-duplicate index the store consults inside its write transaction: `find` gives the cluster a
    question joins (with the reason) and the clusters that come close (suggested to the desk)."""

    def find(self, show_id: int | None, text: str, read: Signature | None = None) -> Found: ...
    def match(self, show_id: int | None, text: str, read: Signature | None = None) -> int | None: ...
    def add(self, show_id: int | None, question_id: int, text: str, cluster_id: int,
            read: Signature | None = None) -> None: ...
    def forget(self, question_id: int) -> None: ...


OnCommit = Callable[[list[LiveEvent]], None]


async def pages(fetch: Callable[[int], Awaitable[list[dict[str, Any]]]], key: str,
                size: int) -> AsyncIterator[dict[str, Any]]:
    """Everything `fetch(after)` returns, page by page (`after` = the last row's `key`): constant memory."""
    after = 0
    while True:
        page = await fetch(after)
        for row in page:
            yield row
        if len(page) < size:
            return
        after = int(page[-1][key])


class Store(abc.ABC):
    """Every write is one transaction that appends its events; `on_commit` sees them in seq order."""

    @abc.abstractmethod
    async def open(self) -> None: ...
    @abc.abstractmethod
    async def close(self) -> None: ...

    # shows
    @abc.abstractmethod
    async def create_show(self, fields: dict[str, Any], actor: str) -> ShowDict: ...
    @abc.abstractmethod
    async def update_show(self, show_id: int, fields: dict[str, Any], actor: str) -> ShowDict: ...
    @abc.abstractmethod
    async def get_show(self, show_id: int) -> ShowDict | None: ...
    @abc.abstractmethod
    async def list_shows(self) -> list[ShowDict]: ...
    @abc.abstractmethod
    async def route_show(self) -> int | None: ...

    # questions
    @abc.abstractmethod
    async def ingest(self, items: Sequence[NewQuestion], actor: str, *, route: bool = False) -> IngestOutcome:
        """Store a batch (duplicates by channel and external id are counted, not stored twice). `route`: the
        items go to the show on air now (else the next scheduled one), chosen inside the write."""
    @abc.abstractmethod
    async def get_question(self, question_id: int) -> Question | None: ...
    @abc.abstractmethod
    async def list_questions(self, show_id: int | None, flt: QuestionFilter) -> list[Question]: ...
    @abc.abstractmethod
    async def act(self, question_id: int, action: Action, actor: str, conn_id: str | None = None) -> Question: ...
    @abc.abstractmethod
    async def withdraw(self, channel: str, external_id: str, reason: str, actor: str,
                       show_id: int | None = None) -> Question | None: ...
    @abc.abstractmethod
    async def set_rundown(self, show_id: int, order: list[int], actor: str) -> list[int]: ...
    @abc.abstractmethod
    async def release_connection(self, conn_id: str) -> list[int]: ...
    @abc.abstractmethod
    async def claims(self, show_id: int) -> dict[str, list[int]]: ...
    @abc.abstractmethod
    async def join_desk(self, conn_id: str, show_id: int, username: str, role: str) -> None: ...
    @abc.abstractmethod
    async def desk_presence(self, show_id: int) -> list[tuple[str, str, int]]: ...
    async def presence_changed(self, show_id: int) -> None:  # noqa: B027 — one server has nothing to tell
        """Other servers on the same database refresh this show's presence."""
    @abc.abstractmethod
    async def log_after(self, seq: int, limit: int) -> tuple[int, list[LiveEvent]]: ...

    # live
    @abc.abstractmethod
    async def snapshot(self, show_id: int) -> Snapshot: ...
    @abc.abstractmethod
    async def events_after(self, show_id: int, seq: int, limit: int) -> list[LiveEvent]: ...
    @abc.abstractmethod
    async def max_seq(self) -> int: ...
    @abc.abstractmethod
    async def air_state(self, show_id: int) -> AirState: ...
    @abc.abstractmethod
    async def log(self, show_id: int, after: int = 0, limit: int = 1000) -> list[dict[str, Any]]: ...
    @abc.abstractmethod
    def export_questions(self, show_id: int) -> AsyncIterator[Question]: ...
    @abc.abstractmethod
    async def record(self, kind: str, actor: str, payload: dict[str, Any], show_id: int | None = None) -> int: ...

    # producer: segments, post-show log, report, follow-up board, live counters
    @abc.abstractmethod
    async def set_segments(self, show_id: int, plan: list[dict[str, Any]], actor: str) -> list[dict[str, Any]]: ...
    @abc.abstractmethod
    async def segments(self, show_id: int) -> list[dict[str, Any]]: ...
    @abc.abstractmethod
    async def start_segment(self, show_id: int, segment_id: int, actor: str) -> dict[str, Any]: ...
    @abc.abstractmethod
    async def show_log(self, show_id: int, flt: LogFilter) -> list[dict[str, Any]]: ...
    @abc.abstractmethod
    async def aired(self, show_id: int) -> list[dict[str, Any]]: ...
    @abc.abstractmethod
    async def report(self, show_id: int) -> dict[str, Any]: ...
    @abc.abstractmethod
    async def counters(self, show_id: int, since: str) -> dict[str, Any]: ...
    @abc.abstractmethod
    async def followups(self, flt: FollowUpFilter) -> list[Question]: ...
    @abc.abstractmethod
    async def count_followups(self, flt: FollowUpFilter) -> int: ...
    @abc.abstractmethod
    async def count_unreached(self, show_id: int, include_new: bool) -> int: ...
    @abc.abstractmethod
    async def open_followups(self, show_id: int, include_new: bool, due: str | None, actor: str) -> list[int]: ...

    # reply-back outbox (server/outbox.py sends; the store keeps the state machine)
    @abc.abstractmethod
    async def enqueue_replies(self, now: str, channels: tuple[str, ...]) -> int: ...
    @abc.abstractmethod
    async def due_replies(self, now: str, limit: int) -> list[dict[str, Any]]: ...
    @abc.abstractmethod
    async def claim_reply(self, reply_id: int, now: str) -> dict[str, Any] | None: ...
    @abc.abstractmethod
    async def finish_reply(self, reply_id: int, state: str, *, error: str | None = None, next_at: str | None = None,
                           provider_id: str | None = None) -> None: ...
    @abc.abstractmethod
    async def recover_replies(self) -> int: ...
    @abc.abstractmethod
    async def replies(self, show_id: int) -> list[dict[str, Any]]: ...
    @abc.abstractmethod
    async def replies_enabled(self, show_id: int) -> bool: ...
    @abc.abstractmethod
    async def set_replies_enabled(self, show_id: int, enabled: bool, actor: str) -> bool: ...
    @abc.abstractmethod
    async def opt_out(self, channel: str, address: str, actor: str) -> int: ...
    @abc.abstractmethod
    async def reply_templates(self) -> dict[str, dict[str, str]]: ...
    @abc.abstractmethod
    async def set_reply_template(self, kind: str, lang: str, text: str, actor: str) -> dict[str, dict[str, str]]: ...

    # accounts
    @abc.abstractmethod
    async def add_user(self, username: str, role: str, password_hash: str) -> None: ...
    @abc.abstractmethod
    async def set_password(self, username: str, password_hash: str) -> None: ...
    @abc.abstractmethod
    async def get_user(self, username: str) -> UserRecord | None: ...
    @abc.abstractmethod
    async def list_users(self) -> list[UserRecord]: ...
    @abc.abstractmethod
    async def create_session(self, id_hash: str, username: str, csrf: str, now: float) -> None: ...
    @abc.abstractmethod
    async def get_session(self, id_hash: str, now: float, idle_seconds: float) -> SessionRecord | None: ...
    @abc.abstractmethod
    async def touch_session(self, id_hash: str, now: float) -> None: ...
    @abc.abstractmethod
    async def delete_session(self, id_hash: str) -> None: ...
    @abc.abstractmethod
    async def create_token(self, kind: str, token_hash: str, show_id: int | None, label: str | None) -> int: ...
    @abc.abstractmethod
    async def find_token(self, token_hash: str) -> TokenRecord | None: ...
    @abc.abstractmethod
    async def list_tokens(self) -> list[TokenRecord]: ...
    @abc.abstractmethod
    async def revoke_token(self, token_id: int) -> bool: ...
    @abc.abstractmethod
    async def get_cursor(self, name: str) -> dict[str, Any] | None: ...
    @abc.abstractmethod
    async def set_cursor(self, name: str, value: dict[str, Any], actor: str) -> None: ...
    @abc.abstractmethod
    async def set_disabled(self, username: str, disabled: bool, actor: str) -> None: ...
    @abc.abstractmethod
    async def purge(self, cutoff: str, dry_run: bool, actor: str) -> PurgeReport: ...

    # dead letters (store/deadletters_sql.py): what a channel could not read, kept raw with the reason
    @abc.abstractmethod
    async def add_dead_letters(self, items: Sequence[DeadLetterIn], actor: str) -> list[tuple[int, bool]]: ...
    @abc.abstractmethod
    async def dead_letters(self, state: str | None, channel: str | None, after: int,
                           limit: int) -> list[dict[str, Any]]: ...
    @abc.abstractmethod
    async def dead_letter(self, dead_letter_id: int) -> dict[str, Any] | None: ...
    @abc.abstractmethod
    async def finish_dead_letter(self, dead_letter_id: int, ok: bool, outcome: dict[str, Any], actor: str) -> None: ...
    @abc.abstractmethod
    async def open_dead_letters(self) -> dict[str, int]: ...
    # channel health (server/health.py): workers' heartbeats, the newest message per channel
    @abc.abstractmethod
    async def save_heartbeat(self, name: str, channel: str, figures: dict[str, Any]) -> None: ...
    @abc.abstractmethod
    async def heartbeats(self) -> list[dict[str, Any]]: ...
    @abc.abstractmethod
    async def newest_messages(self) -> dict[str, tuple[str, str | None]]:
        """channel → (received_at, sent_at) of its newest question."""
    @abc.abstractmethod
    async def queue_bot_reply(self, channel: str, external_id: str, chat: str, text: str, actor: str) -> bool:
        """Queue the bot's answer to a command in the outbox, once per command message."""
    @abc.abstractmethod
    async def backup(self, path: str) -> None: ...
