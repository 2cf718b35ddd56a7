"""The contract between ingest, server and pages: pydantic models, no I/O.

`Message` is what arrives from a channel; `Question` is what the desk works on; `Show`,
`Event` and `Action` are the rest of the domain; the `*Frame` models are the live protocol
of `/ws/desk` and `/prompter/{show}/events` (SPEC "Live channels").
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = [
    "CHANNELS",
    "AckFrame",
    "Action",
    "ActionFrame",
    "AirQuestion",
    "Author",
    "Channel",
    "Event",
    "EventsFrame",
    "FollowUp",
    "Guest",
    "Id",
    "IngestBatch",
    "IngestResult",
    "Lang",
    "Media",
    "Message",
    "PresenceFrame",
    "PresenceUser",
    "PrompterRundown",
    "Question",
    "QuestionIn",
    "Show",
    "ShowCreate",
    "ShowPatch",
    "ShowStatus",
    "SnapshotFrame",
    "Status",
    "Suggested",
]

Channel = Literal["whatsapp", "telegram", "youtube", "facebook", "instagram", "email", "sms", "phone", "web"]
CHANNELS: tuple[str, ...] = Channel.__args__  # type: ignore[attr-defined]
Lang = Literal["kk", "ru", "en", "mixed", "unknown"]
Status = Literal["new", "approved", "on_air", "answered", "rejected", "merged", "follow_up"]
ShowStatus = Literal["scheduled", "live", "ended"]
RejectReason = Literal["spam", "offensive", "off_topic", "duplicate", "other"]
Resolution = Literal["resolved", "explained", "needs_time"]
ActionName = Literal[
    "approve", "reject", "edit", "tag", "merge", "star", "queue", "on_air", "answered",
    "follow_up", "undo", "claim", "release", "dismiss", "split", "skip",
]
# how the question on air ended: answered, skipped back to the top of the rundown, or to follow-up
Outcome = Literal["answered", "skip", "follow_up"]

MAX_TEXT = 8_000  # characters of viewer text kept per message
MAX_ID = 2**63 - 1  # what a database integer holds
Id = Annotated[int, Field(ge=0, le=MAX_ID)]
Version = Annotated[int, Field(ge=-MAX_ID, le=MAX_ID)]
MAX_BATCH = 1_000


def _iso_instant(value: object) -> object:
    """Dates from outside are ISO 8601 strings with a UTC offset, nothing else: pydantic alone would read
    `0` or `"1700000000"` as Unix time and a bare date as midnight somewhere."""
    if isinstance(value, datetime):
        return value  # built in Python by an adapter, already a datetime
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date and time string, e.g. 2026-11-24T20:00:00+05:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("must be an ISO 8601 date and time, e.g. 2026-11-24T20:00:00+05:00") from None
    if "T" not in value.upper() or parsed.utcoffset() is None:
        raise ValueError("must be an ISO 8601 date and time with a UTC offset, e.g. 2026-11-24T20:00:00+05:00")
    return parsed


Instant = Annotated[datetime, BeforeValidator(_iso_instant)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Author(BaseModel):
    """Who asked. `contact` (phone, e-mail) is for follow-up only and never goes on air."""

    model_config = ConfigDict(extra="ignore")
    name: str | None = Field(default=None, max_length=200)
    handle: str | None = Field(default=None, max_length=200)
    contact: str | None = Field(default=None, max_length=200)


class Media(BaseModel):
    """A voice note, image or video that came with (or instead of) text."""

    kind: Literal["audio", "voice", "image", "video", "document", "sticker", "other"]
    id: str = Field(max_length=500)
    mime_type: str | None = Field(default=None, max_length=200)


class Message(BaseModel):
    """One viewer message as a channel adapter hands it over."""

    model_config = ConfigDict(extra="ignore")
    channel: Channel
    external_id: str = Field(min_length=1, max_length=500)
    author: Author = Field(default_factory=Author)
    text: str = Field(default="", max_length=MAX_TEXT)
    sent_at: Instant | None = None
    media: Media | None = None


class IngestBatch(Strict):
    messages: list[Message] = Field(min_length=1, max_length=MAX_BATCH)


class IngestResult(BaseModel):
    accepted: int
    duplicates: int
    ids: list[int]
    ignored: int = 0  # messages that are no question (empty text and no media): never a blank card


class QuestionIn(Strict):
    """A question typed in by the phone desk or entered by hand."""

    text: str = Field(min_length=1, max_length=MAX_TEXT)
    author: Author = Field(default_factory=Author)
    channel: Channel = "phone"
    topic: str | None = Field(default=None, max_length=100)
    district: str | None = Field(default=None, max_length=100)
    addressee: str | None = Field(default=None, max_length=200)


class FollowUp(BaseModel):
    assignee: str | None = None
    due: str | None = None
    resolution: Resolution | None = None
    note: str | None = None


class Suggested(BaseModel):
    """A cluster the near-duplicate index found close to a question without reaching the threshold: its
    head's id, the score and the reason (`score`, `place`, `problem`, `words`, `same_text`)."""

    id: int
    score: float
    reason: dict[str, Any] = Field(default_factory=dict)


class Question(BaseModel):
    id: int
    show_id: int | None
    channel: Channel
    external_id: str
    author: Author
    text_original: str
    text: str
    lang: Lang
    flags: list[str]
    topic: str | None
    district: str | None
    addressee: str | None
    cluster_id: int
    asked_count: int
    priority: float
    status: Status
    reason: str | None = None
    merged_into: int | None = None
    starred: bool = False
    rundown_pos: int | None = None
    follow_up: FollowUp | None = None
    media: Media | None = None
    version: int
    received_at: datetime
    sent_at: datetime | None = None
    updated_at: datetime
    transitions: dict[str, datetime] = Field(default_factory=dict)
    on_air_offset: float | None = None
    cluster_reason: dict[str, Any] | None = None  # why it joined its cluster on arrival (null: it heads its own)
    suggested: list[Suggested] = Field(default_factory=list)  # heads it may repeat, best first
    dismissed: list[int] = Field(default_factory=list)  # suggested heads a moderator said it does not repeat
    air_text: str | None = None  # in the rundown or on air: the text as the host reads it (PII masked)


class Guest(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    position: str | None = Field(default=None, max_length=300)
    district: str | None = Field(default=None, max_length=100)
    department: str | None = Field(default=None, max_length=300)


class ShowCreate(Strict):
    title: str = Field(min_length=1, max_length=300)
    starts_at: Instant
    ends_at: Instant | None = None
    guests: list[Guest] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _ends_after_start(self) -> ShowCreate:
        if self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class ShowPatch(Strict):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    status: ShowStatus | None = None
    guests: list[Guest] | None = Field(default=None, max_length=50)
    on_air_outcome: Outcome | None = None  # ending the show: how the question on air ended (default answered)

    @model_validator(mode="after")
    def _no_null_for_required(self) -> ShowPatch:
        for name in ("title", "starts_at", "status", "guests"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        if self.starts_at is not None and self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class Show(BaseModel):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime | None
    status: ShowStatus
    guests: list[Guest]
    started_at: datetime | None = None
    ended_at: datetime | None = None
    created_at: datetime
    segment: dict[str, Any] | None = None  # the current segment: id, guest, title


class Event(BaseModel):
    seq: int
    show_id: int | None
    question_id: int | None
    kind: str
    actor: str
    at: datetime
    payload: dict[str, Any] = Field(default_factory=dict)


class Action(Strict):
    """A moderator's action on one question; `version` is the version the actor saw."""

    action: ActionName
    version: Version
    reason: RejectReason | None = None
    text: str | None = Field(default=None, max_length=MAX_TEXT)
    topic: str | None = Field(default=None, max_length=100)
    district: str | None = Field(default=None, max_length=100)
    addressee: str | None = Field(default=None, max_length=200)
    into: Id | None = None
    position: int | None = Field(default=None, ge=0, le=100_000)
    starred: bool | None = None
    assignee: str | None = Field(default=None, max_length=200)
    due: str | None = Field(default=None, max_length=40)
    resolution: Resolution | None = None
    note: str | None = Field(default=None, max_length=2_000)
    # on_air while another question is on air: how that one ended, and the version of it the actor saw
    previous: Outcome | None = None
    previous_version: Version | None = None


class ActionFrame(Action):
    """Client → server on `/ws/desk`: an action with the client's own id for the ack."""

    type: Literal["action"]
    id: str = Field(max_length=100)
    question_id: Id


class SnapshotFrame(BaseModel):
    type: Literal["snapshot"] = "snapshot"
    seq: int
    show: Show
    questions: list[Question]
    rundown: list[int]
    presence: list[PresenceUser] = Field(default_factory=list)
    total: int = 0  # questions in the show; past 20,000 the snapshot holds the rundown and the newest
    complete: bool = True


class EventItem(BaseModel):
    seq: int
    kind: str
    actor: str
    at: datetime
    question: Question | None


class EventsFrame(BaseModel):
    type: Literal["events"] = "events"
    events: list[EventItem]


class AckFrame(BaseModel):
    type: Literal["ack"] = "ack"
    id: str
    ok: bool
    question: Question | None = None
    error: dict[str, Any] | None = None


class PresenceUser(BaseModel):
    user: str
    role: str
    connections: int
    claims: list[int]


class PresenceFrame(BaseModel):
    type: Literal["presence"] = "presence"
    users: list[PresenceUser]


class AirQuestion(BaseModel):
    """What the host may read on air: nothing that identifies or reaches the viewer."""

    id: int
    text: str
    author: str | None
    channel: Channel
    district: str | None
    addressee: str | None
    asked_count: int


class PrompterRundown(BaseModel):
    on_air: AirQuestion | None
    next: list[AirQuestion]


SnapshotFrame.model_rebuild()
