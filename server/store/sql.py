"""The SQL store both databases share: every method is one read or one write job over `Conn`
(`dbapi.Conn`, with `?` placeholders); `SQLiteStore` and `PostgresStore` supply the connections,
the writer's transaction boundaries and what happens after a commit."""

from __future__ import annotations

import abc
import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson

from schemas import Action

from ..errors import Invalid, NotFound
from . import deadletters_sql, outbox_sql, producer_sql, questions_tx
from .base import (
    SNAPSHOT_LIMIT,
    AirState,
    Clusterer,
    DeadLetterIn,
    FollowUpFilter,
    IngestOutcome,
    LiveEvent,
    LogFilter,
    NewQuestion,
    OnCommit,
    PurgeReport,
    Question,
    QuestionFilter,
    SessionRecord,
    ShowDict,
    Snapshot,
    Store,
    TokenRecord,
    UserRecord,
    pages,
)
from .dbapi import Conn
from .questions_tx import IngestRequest
from .rows import QUESTION_COLUMNS, SHOW_COLUMNS, now_iso, question_from_row, show_from_row
from .writer import Merge, Tx, Writer

T = TypeVar("T")
READERS = 3
PAYLOAD_KINDS = frozenset({"cue", "cue_acknowledged"})
EXPORT_PAGE = 2_000


class SQLStore(Store):
    """One writer thread (batched transactions, see `writer.py`) and a small pool of reader threads,
    each thread with its own connection."""

    def __init__(self, on_commit: OnCommit | None = None, clusterer: Clusterer | None = None,
                 observe: Callable[[float, int], None] | None = None, *, server: bool = True) -> None:
        self.server = server
        self.clusterer = clusterer
        self._on_commit = on_commit or (lambda events: None)
        self._writer = Writer(lambda: self._connect(readonly=False), self._committed, observe,
                              begin=self._begin, before_commit=self._before_commit,
                              after_commit=self._after_commit, name=self.kind)
        self._readers = ThreadPoolExecutor(READERS, thread_name_prefix=f"efir-{self.kind}-read")
        self._local = threading.local()
        self._all_readers: list[Conn] = []
        self._readers_lock = threading.Lock()

    kind = "sql"

    # what each database supplies
    @abc.abstractmethod
    def _connect(self, *, readonly: bool) -> Conn: ...
    @abc.abstractmethod
    def _migrate(self, conn: Conn) -> object: ...
    @abc.abstractmethod
    def _begin(self, conn: Conn) -> None: ...
    @abc.abstractmethod
    def _begin_read(self, conn: Conn) -> None: ...

    def _before_commit(self, conn: Conn, events: list[LiveEvent]) -> None:
        """Inside the transaction, after every job of the batch (PostgreSQL: the NOTIFY)."""

    def _after_commit(self, events: list[LiveEvent]) -> None:
        """On the writer thread, once the batch is durable."""

    def _committed(self, events: list[LiveEvent]) -> object:
        """On the event loop: the batch's events go live (an awaitable delays the callers' answers)."""
        self._on_commit(events)
        return None

    def set_on_commit(self, on_commit: OnCommit) -> None:
        self._on_commit = on_commit

    @property
    def pending_writes(self) -> int:
        return self._writer.pending

    async def open(self) -> None:
        startup: list[Callable[[Conn], object]] = [self._migrate]
        if self.server:  # a CLI command next to a running server must not touch its claims
            startup += [self._clear_claims, self._warm_clusters]
        self._writer.start(asyncio.get_running_loop(), startup)

    async def close(self) -> None:
        await asyncio.to_thread(self._writer.stop)
        self._readers.shutdown(wait=True)
        for conn in self._all_readers:
            await asyncio.to_thread(conn.close)  # off the event loop: a PostgreSQL one drives its own loop

    def _clear_claims(self, conn: Conn) -> None:
        conn.execute("DELETE FROM claims")  # claims belong to live connections; none survive a restart
        conn.execute("DELETE FROM presence")

    def _warm_clusters(self, conn: Conn) -> None:
        if self.clusterer is None:
            return
        rows = conn.execute("SELECT q.id, q.show_id, q.text, q.cluster_id, q.flags FROM questions q "
                            "LEFT JOIN shows s ON s.id = q.show_id "
                            "WHERE (s.status IS NULL OR s.status != 'ended') "
                            "AND q.status NOT IN ('merged', 'rejected') ORDER BY q.id")
        for qid, show_id, text, cluster_id, flags in rows:
            if questions_tx.clusterable((flags or "").split(",")):
                self.clusterer.add(show_id, qid, text, cluster_id or qid)

    async def _write(self, fn: Callable[[Tx], T], *, urgent: bool = False, weight: int = 1,
                     merge: Merge | None = None, payload: Any = None) -> T:
        return await self._writer.submit(fn, urgent=urgent, weight=weight, merge=merge, payload=payload)

    def _reader(self) -> Conn:
        conn: Conn | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect(readonly=True)
            self._local.conn = conn
            with self._readers_lock:
                self._all_readers.append(conn)
        return conn

    async def _read(self, fn: Callable[[Conn], T]) -> T:
        def run() -> T:
            conn = self._reader()
            self._begin_read(conn)  # one consistent view for everything fn reads
            try:
                return fn(conn)
            finally:
                conn.execute("COMMIT")

        return await asyncio.get_running_loop().run_in_executor(self._readers, run)

    # -- shows ---------------------------------------------------------------------------------

    async def create_show(self, fields: dict[str, Any], actor: str) -> ShowDict:
        def tx(t: Tx) -> ShowDict:
            now = now_iso()
            cur = t.conn.execute(
                "INSERT INTO shows (title, starts_at, ends_at, status, guests, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (fields["title"], fields["starts_at"], fields.get("ends_at"), "scheduled",
                 orjson.dumps(fields.get("guests") or []).decode(), now))
            show = _show(t.conn, int(cur.lastrowid or 0))
            _show_event(t, show, "show_created", actor, now)
            return show

        return await self._write(tx)

    async def update_show(self, show_id: int, fields: dict[str, Any], actor: str) -> ShowDict:
        def tx(t: Tx) -> ShowDict:
            current = _show(t.conn, show_id)
            now = now_iso()
            changes = {k: v for k, v in fields.items() if k in ("title", "starts_at", "ends_at", "guests")}
            if "guests" in changes:
                changes["guests"] = orjson.dumps(changes["guests"]).decode()
            _ends_after_start({**current, **changes})
            kind = "show_updated"
            status = fields.get("status")
            if status and status != current["status"]:
                kind = _show_transition(current["status"], status, changes, now)
            if kind == "show_ended":
                questions_tx.close_on_air(t, show_id, fields.get("on_air_outcome") or "answered", actor)
            if changes:
                sets = ", ".join(f"{k} = ?" for k in changes)
                t.conn.execute(f"UPDATE shows SET {sets} WHERE id = ?", (*changes.values(), show_id))
            show = _show(t.conn, show_id)
            _show_event(t, show, kind, actor, now)
            return show

        return await self._write(tx)

    async def get_show(self, show_id: int) -> ShowDict | None:
        return await self._read(lambda conn: _show_or_none(conn, show_id))

    async def list_shows(self) -> list[ShowDict]:
        return await self._read(lambda c: [show_from_row(r) for r in c.execute(
            f"SELECT {SHOW_COLUMNS} FROM shows ORDER BY starts_at DESC, id DESC")])

    async def route_show(self) -> int | None:
        return await self._read(questions_tx.routed_show)

    # -- questions -----------------------------------------------------------------------------

    async def ingest(self, items: Sequence[NewQuestion], actor: str, *, route: bool = False) -> IngestOutcome:
        # requests that meet in one write transaction are written as one (`_ingest_many`)
        request = IngestRequest(items, actor, route)
        return await self._write(lambda t: self._ingest_many(t, [request])[0], weight=len(items),
                                 merge=self._ingest_many, payload=request)

    def _ingest_many(self, tx: Tx, requests: list[IngestRequest]) -> list[IngestOutcome]:
        routed = questions_tx.routed_show(tx.conn) if any(r.route for r in requests) else None
        return [questions_tx.ingest(tx, r.routed(routed), r.actor, self.clusterer) for r in requests]

    async def get_question(self, question_id: int) -> Question | None:
        return await self._read(lambda c: questions_tx.load(c, question_id))

    async def list_questions(self, show_id: int | None, flt: QuestionFilter) -> list[Question]:
        where: list[str] = ["show_id IS ?"]
        args: list[object] = [show_id]
        for name in ("status", "channel", "topic", "district", "lang"):
            value = getattr(flt, name)
            if value:
                where.append(f"{name} = ?")
                args.append(value)
        if flt.q:
            where.append("(text LIKE ? OR text_original LIKE ?)")
            args += [f"%{flt.q}%", f"%{flt.q}%"]
        if flt.after is not None:
            where.append("id > ?")
            args.append(flt.after)
        sql = f"SELECT {QUESTION_COLUMNS} FROM questions WHERE {' AND '.join(where)} ORDER BY id LIMIT ?"
        return await self._read(lambda c: [question_from_row(r) for r in c.execute(sql, (*args, flt.limit))])

    async def act(self, question_id: int, action: Action, actor: str, conn_id: str | None = None) -> Question:
        return await self._write(lambda t: questions_tx.act(t, question_id, action, actor, conn_id, self.clusterer),
                                 urgent=True)

    async def withdraw(self, channel: str, external_id: str, reason: str, actor: str,
                       show_id: int | None = None) -> Question | None:
        return await self._write(lambda t: questions_tx.withdraw(t, channel, external_id, reason, actor, show_id),
                                 urgent=True)

    async def set_rundown(self, show_id: int, order: list[int], actor: str) -> list[int]:
        return await self._write(lambda t: questions_tx.set_rundown(t, show_id, order, actor), urgent=True)

    async def release_connection(self, conn_id: str) -> list[int]:
        def tx(t: Tx) -> list[int]:
            t.conn.execute("DELETE FROM presence WHERE conn_id = ?", (conn_id,))
            rows = t.conn.execute("DELETE FROM claims WHERE conn_id = ? RETURNING question_id", (conn_id,))
            return [int(r[0]) for r in rows]

        return await self._write(tx)

    async def join_desk(self, conn_id: str, show_id: int, username: str, role: str) -> None:
        def tx(t: Tx) -> None:
            t.conn.execute("INSERT INTO presence (conn_id, show_id, username, role, at) VALUES (?, ?, ?, ?, ?) "
                           "ON CONFLICT (conn_id) DO NOTHING", (conn_id, show_id, username, role, now_iso()))

        await self._write(tx, urgent=True)

    async def desk_presence(self, show_id: int) -> list[tuple[str, str, int]]:
        return await self._read(lambda c: [(r[0], r[1], int(r[2])) for r in c.execute(
            "SELECT username, min(role), count(*) FROM presence WHERE show_id = ? GROUP BY username "
            "ORDER BY username", (show_id,))])

    async def claims(self, show_id: int) -> dict[str, list[int]]:
        def read(conn: Conn) -> dict[str, list[int]]:
            out: dict[str, list[int]] = {}
            for user, qid in conn.execute("SELECT username, question_id FROM claims WHERE show_id = ? "
                                          "ORDER BY at", (show_id,)):
                out.setdefault(user, []).append(int(qid))
            return out

        return await self._read(read)

    # -- live ----------------------------------------------------------------------------------

    async def snapshot(self, show_id: int) -> Snapshot:
        def read(conn: Conn) -> Snapshot:
            show = _show(conn, show_id)
            seq = _max_seq(conn)
            total = int(conn.execute("SELECT count(*) FROM questions WHERE show_id = ?", (show_id,)).fetchone()[0])
            if total <= SNAPSHOT_LIMIT:
                rows = conn.execute(f"SELECT {QUESTION_COLUMNS} FROM questions WHERE show_id = ? ORDER BY id",
                                    (show_id,))
            else:  # the rundown and the newest: what a desk works on during the show
                rows = conn.execute(
                    f"SELECT {QUESTION_COLUMNS} FROM questions WHERE show_id = ? AND (status IN ('approved', 'on_air') "
                    "OR id >= (SELECT id FROM questions WHERE show_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)) "
                    "ORDER BY id", (show_id, show_id, SNAPSHOT_LIMIT - 1))
            questions = [question_from_row(r) for r in rows]
            return Snapshot(seq, show, questions, questions_tx.rundown(conn, show_id), total)

        return await self._read(read)

    async def events_after(self, show_id: int, seq: int, limit: int) -> list[LiveEvent]:
        def read(conn: Conn) -> list[LiveEvent]:
            rows = conn.execute("SELECT seq, show_id, question_id, kind, actor, at, payload FROM events "
                                "WHERE show_id = ? AND seq > ? ORDER BY seq LIMIT ?", (show_id, seq, limit))
            return live_events(conn, rows.fetchall())

        return await self._read(read)

    async def log_after(self, seq: int, limit: int) -> tuple[int, list[LiveEvent]]:
        """Every show's events after `seq` in seq order, as the hub fans them out, and the last seq read
        (events of no show included, so a reader that starts from it skips them)."""
        def read(conn: Conn) -> tuple[int, list[LiveEvent]]:
            rows = conn.execute("SELECT seq, show_id, question_id, kind, actor, at, payload FROM events "
                                "WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)).fetchall()
            last = int(rows[-1][0]) if rows else seq
            return last, live_events(conn, [r for r in rows if r[1] is not None])

        return await self._read(read)

    async def max_seq(self) -> int:
        return await self._read(_max_seq)

    async def air_state(self, show_id: int) -> AirState:
        def read(conn: Conn) -> AirState:
            on_air = conn.execute(f"SELECT {QUESTION_COLUMNS} FROM questions WHERE show_id = ? "
                                  "AND status = 'on_air'", (show_id,)).fetchone()
            nxt = conn.execute(f"SELECT {QUESTION_COLUMNS} FROM questions WHERE show_id = ? AND "
                               "rundown_pos IS NOT NULL ORDER BY rundown_pos, id LIMIT 50", (show_id,)).fetchall()
            return AirState(_max_seq(conn), question_from_row(on_air) if on_air else None,
                            [question_from_row(r) for r in nxt])

        return await self._read(read)

    async def log(self, show_id: int, after: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        def read(conn: Conn) -> list[dict[str, Any]]:
            rows = conn.execute("SELECT seq, show_id, question_id, kind, actor, at, payload FROM events "
                                "WHERE show_id = ? AND seq > ? ORDER BY seq LIMIT ?", (show_id, after, limit))
            return [{"seq": s, "show_id": sh, "question_id": q, "kind": k, "actor": a, "at": at,
                     "payload": orjson.loads(p)} for s, sh, q, k, a, at, p in rows]

        return await self._read(read)

    def export_questions(self, show_id: int) -> AsyncIterator[Question]:
        return pages(lambda after: self.list_questions(show_id, QuestionFilter(after=after, limit=EXPORT_PAGE)),
                     "id", EXPORT_PAGE)

    async def record(self, kind: str, actor: str, payload: dict[str, Any], show_id: int | None = None) -> int:
        def tx(t: Tx) -> int:
            now = now_iso()
            seq = questions_tx.append_event(t, show_id, None, kind, actor, now, payload)
            if show_id is not None:  # a show's desks see what its replay would show them
                t.events.append(LiveEvent(seq, show_id, None, kind, actor, now, None, _show_or_none(t.conn, show_id),
                                          payload))
            return seq

        return await self._write(tx)

    # -- producer (SQL in producer_sql.py) ------------------------------------------------------

    async def set_segments(self, show_id: int, plan: list[dict[str, Any]], actor: str) -> list[dict[str, Any]]:
        return await self._write(lambda t: producer_sql.set_segments(t, show_id, plan, actor))

    async def segments(self, show_id: int) -> list[dict[str, Any]]:
        return await self._read(lambda c: producer_sql.segments(c, show_id))

    async def start_segment(self, show_id: int, segment_id: int, actor: str) -> dict[str, Any]:
        return await self._write(lambda t: producer_sql.start_segment(t, show_id, segment_id, actor))

    async def show_log(self, show_id: int, flt: LogFilter) -> list[dict[str, Any]]:
        return await self._read(lambda c: producer_sql.log(c, show_id, flt))

    async def aired(self, show_id: int) -> list[dict[str, Any]]:
        return await self._read(lambda c: producer_sql.aired(c, show_id))

    async def report(self, show_id: int) -> dict[str, Any]:
        return await self._read(lambda c: producer_sql.report(c, show_id))

    async def counters(self, show_id: int, since: str) -> dict[str, Any]:
        return await self._read(lambda c: producer_sql.counters(c, show_id, since))

    async def followups(self, flt: FollowUpFilter) -> list[Question]:
        return await self._read(lambda c: producer_sql.followups(c, flt))

    async def count_followups(self, flt: FollowUpFilter) -> int:
        return await self._read(lambda c: producer_sql.count_followups(c, flt))

    async def count_unreached(self, show_id: int, include_new: bool) -> int:
        return await self._read(lambda c: producer_sql.count_unreached(c, show_id, include_new))

    async def open_followups(self, show_id: int, include_new: bool, due: str | None, actor: str) -> list[int]:
        return await self._write(lambda t: producer_sql.open_followups(t, show_id, include_new, due, actor))

    # -- reply-back outbox (SQL in outbox_sql.py) -----------------------------------------------

    async def enqueue_replies(self, now: str, channels: tuple[str, ...]) -> int:
        return await self._write(lambda t: outbox_sql.enqueue(t, now, channels))

    async def due_replies(self, now: str, limit: int) -> list[dict[str, Any]]:
        return await self._read(lambda c: outbox_sql.due(c, now, limit))

    async def claim_reply(self, reply_id: int, now: str) -> dict[str, Any] | None:
        return await self._write(lambda t: outbox_sql.claim(t, reply_id, now))

    async def finish_reply(self, reply_id: int, state: str, *, error: str | None = None, next_at: str | None = None,
                           provider_id: str | None = None) -> None:
        await self._write(lambda t: outbox_sql.finish(t, reply_id, state, error=error, next_at=next_at,
                                                      provider_id=provider_id))

    async def recover_replies(self) -> int:
        return await self._write(outbox_sql.recover)

    async def replies(self, show_id: int) -> list[dict[str, Any]]:
        return await self._read(lambda c: outbox_sql.replies(c, show_id))

    async def replies_enabled(self, show_id: int) -> bool:
        return await self._read(lambda c: outbox_sql.enabled(c, show_id))

    async def set_replies_enabled(self, show_id: int, enabled: bool, actor: str) -> bool:
        return await self._write(lambda t: outbox_sql.set_enabled(t, show_id, enabled, actor))

    async def opt_out(self, channel: str, address: str, actor: str) -> int:
        return await self._write(lambda t: outbox_sql.opt_out(t, channel, address, actor))

    async def reply_templates(self) -> dict[str, dict[str, str]]:
        return await self._read(outbox_sql.templates)

    async def set_reply_template(self, kind: str, lang: str, text: str, actor: str) -> dict[str, dict[str, str]]:
        return await self._write(lambda t: outbox_sql.set_template(t, kind, lang, text, actor))

    # -- accounts ------------------------------------------------------------------------------

    async def add_user(self, username: str, role: str, password_hash: str) -> None:
        def tx(t: Tx) -> None:
            t.conn.execute("INSERT INTO users (username, role, password_hash, created_at) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (username) DO UPDATE SET role = excluded.role, "
                           "password_hash = excluded.password_hash, disabled = 0",
                           (username, role, password_hash, now_iso()))
            t.conn.execute("DELETE FROM sessions WHERE username = ?", (username,))
            questions_tx.append_event(t, None, None, "user_saved", "cli", now_iso(),
                                      {"username": username, "role": role})

        await self._write(tx)

    async def set_password(self, username: str, password_hash: str) -> None:
        def tx(t: Tx) -> None:
            if t.conn.execute("UPDATE users SET password_hash = ? WHERE username = ?",
                              (password_hash, username)).rowcount == 0:
                raise NotFound(f"no user {username}")
            t.conn.execute("DELETE FROM sessions WHERE username = ?", (username,))

        await self._write(tx)

    async def get_user(self, username: str) -> UserRecord | None:
        def read(conn: Conn) -> UserRecord | None:
            row = conn.execute("SELECT username, role, password_hash, disabled, lang, created_at FROM users "
                               "WHERE username = ?", (username,)).fetchone()
            return UserRecord(row[0], row[1], row[2], bool(row[3]), row[4], row[5]) if row else None

        return await self._read(read)

    async def list_users(self) -> list[UserRecord]:
        return await self._read(lambda c: [UserRecord(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in c.execute(
            "SELECT username, role, password_hash, disabled, lang, created_at FROM users ORDER BY username")])

    async def create_session(self, id_hash: str, username: str, csrf: str, now: float) -> None:
        def tx(t: Tx) -> None:
            t.conn.execute("INSERT INTO sessions (id_hash, username, csrf, created_at, seen_at) "
                           "VALUES (?, ?, ?, ?, ?)", (id_hash, username, csrf, now, now))

        await self._write(tx)

    async def get_session(self, id_hash: str, now: float, idle_seconds: float) -> SessionRecord | None:
        def read(conn: Conn) -> SessionRecord | None:
            row = conn.execute("SELECT s.username, u.role, s.csrf, s.created_at, s.seen_at FROM sessions s "
                               "JOIN users u ON u.username = s.username WHERE s.id_hash = ? AND u.disabled = 0",
                               (id_hash,)).fetchone()
            if row is None or now - row[4] > idle_seconds:
                return None
            return SessionRecord(row[0], row[1], row[2], row[3], row[4])

        return await self._read(read)

    async def touch_session(self, id_hash: str, now: float) -> None:
        def tx(t: Tx) -> None:
            t.conn.execute("UPDATE sessions SET seen_at = ? WHERE id_hash = ?", (now, id_hash))

        await self._write(tx)

    async def delete_session(self, id_hash: str) -> None:
        def tx(t: Tx) -> None:
            t.conn.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,))

        await self._write(tx)

    async def create_token(self, kind: str, token_hash: str, show_id: int | None, label: str | None) -> int:
        def tx(t: Tx) -> int:
            if show_id is not None and _show_or_none(t.conn, show_id) is None:
                raise NotFound(f"show {show_id} not found")
            cur = t.conn.execute("INSERT INTO tokens (kind, show_id, hash, label, created_at) VALUES (?, ?, ?, ?, ?)",
                                 (kind, show_id, token_hash, label, now_iso()))
            token_id = int(cur.lastrowid or 0)
            now = now_iso()
            seq = questions_tx.append_event(t, show_id, None, "token_created", "cli", now,
                                            {"token_id": token_id, "kind": kind})
            if show_id is not None:
                t.events.append(LiveEvent(seq, show_id, None, "token_created", "cli", now, None,
                                          _show_or_none(t.conn, show_id)))
            return token_id

        return await self._write(tx)

    async def find_token(self, token_hash: str) -> TokenRecord | None:
        def read(conn: Conn) -> TokenRecord | None:
            row = conn.execute("SELECT id, kind, show_id, label, created_at, revoked_at FROM tokens WHERE hash = ? "
                               "AND revoked_at IS NULL", (token_hash,)).fetchone()
            return TokenRecord(*row) if row else None

        return await self._read(read)

    async def list_tokens(self) -> list[TokenRecord]:
        return await self._read(lambda c: [TokenRecord(*r) for r in c.execute(
            "SELECT id, kind, show_id, label, created_at, revoked_at FROM tokens ORDER BY id")])

    async def revoke_token(self, token_id: int) -> bool:
        def tx(t: Tx) -> bool:
            revoked = t.conn.execute("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                                     (now_iso(), token_id)).rowcount > 0
            if revoked:
                questions_tx.append_event(t, None, None, "token_revoked", "cli", now_iso(), {"token_id": token_id})
            return revoked

        return await self._write(tx)

    async def get_cursor(self, name: str) -> dict[str, Any] | None:
        def read(conn: Conn) -> dict[str, Any] | None:
            row = conn.execute("SELECT value FROM cursors WHERE name = ?", (name,)).fetchone()
            return dict(orjson.loads(row[0])) if row else None

        return await self._read(read)

    async def set_cursor(self, name: str, value: dict[str, Any], actor: str) -> None:
        def tx(t: Tx) -> None:
            t.conn.execute("INSERT INTO cursors (name, value, updated_by, updated_at) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
                           "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                           (name, orjson.dumps(value).decode(), actor, now_iso()))

        await self._write(tx)

    async def set_disabled(self, username: str, disabled: bool, actor: str) -> None:
        def tx(t: Tx) -> None:
            if t.conn.execute("UPDATE users SET disabled = ? WHERE username = ?",
                              (int(disabled), username)).rowcount == 0:
                raise NotFound(f"no user {username}")
            t.conn.execute("DELETE FROM sessions WHERE username = ?", (username,))
            questions_tx.append_event(t, None, None, "user_disabled" if disabled else "user_enabled", actor,
                                      now_iso(), {"username": username})

        await self._write(tx)

    async def purge(self, cutoff: str, dry_run: bool, actor: str) -> PurgeReport:
        """Contacts, handles, raw payloads and surnames of questions from shows that ended before
        `cutoff` (and inbox questions received before it). Texts, counts and the log stay."""
        scope = ("FROM questions WHERE (author_contact IS NOT NULL OR author_handle IS NOT NULL OR raw IS NOT NULL "
                 "OR instr(coalesce(author_name, ''), ' ') > 0) AND ((show_id IN (SELECT id FROM shows "
                 "WHERE status = 'ended' AND ended_at < ?)) OR (show_id IS NULL AND received_at < ?))")

        def tx(t: Tx) -> PurgeReport:
            shows = [int(r[0]) for r in t.conn.execute(f"SELECT DISTINCT show_id {scope}", (cutoff, cutoff))
                     if r[0] is not None]
            count = int(t.conn.execute(f"SELECT count(*) {scope}", (cutoff, cutoff)).fetchone()[0])
            if not dry_run and count:
                t.conn.execute(
                    "UPDATE questions SET author_contact = NULL, author_handle = NULL, raw = NULL, "
                    "author_name = CASE WHEN instr(author_name, ' ') > 0 "
                    "THEN substr(author_name, 1, instr(author_name, ' ') - 1) ELSE author_name END "
                    f"WHERE id IN (SELECT id {scope})", (cutoff, cutoff))
            dead = deadletters_sql.purge(t, cutoff, dry_run)
            if not dry_run:
                questions_tx.append_event(t, None, None, "purged", actor, now_iso(),
                                          {"questions": count, "shows": shows, "cutoff": cutoff, "dead_letters": dead})
            return PurgeReport(count, shows, cutoff, dead)

        return await self._write(tx)

    # -- dead letters ----------------------------------------------------------------------------

    async def add_dead_letters(self, items: Sequence[DeadLetterIn], actor: str) -> list[tuple[int, bool]]:
        return await self._write(lambda t: deadletters_sql.add(t, list(items), actor))

    async def dead_letters(self, state: str | None, channel: str | None, after: int,
                           limit: int) -> list[dict[str, Any]]:
        return await self._read(lambda c: deadletters_sql.listing(c, state, channel, after, limit))

    async def dead_letter(self, dead_letter_id: int) -> dict[str, Any] | None:
        return await self._read(lambda c: deadletters_sql.one(c, dead_letter_id))

    async def finish_dead_letter(self, dead_letter_id: int, ok: bool, outcome: dict[str, Any], actor: str) -> None:
        await self._write(lambda t: deadletters_sql.finish(t, dead_letter_id, ok, outcome, actor))

    async def open_dead_letters(self) -> dict[str, int]:
        return await self._read(deadletters_sql.open_counts)

    async def save_heartbeat(self, name: str, channel: str, figures: dict[str, Any]) -> None:
        def tx(t: Tx) -> None:
            t.conn.execute("INSERT INTO heartbeats (name, channel, seen_at, figures) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (name) DO UPDATE SET channel = excluded.channel, seen_at = excluded.seen_at, "
                           "figures = excluded.figures", (name, channel, now_iso(), orjson.dumps(figures).decode()))

        await self._write(tx)

    async def heartbeats(self) -> list[dict[str, Any]]:
        return await self._read(lambda c: [
            {"name": n, "channel": ch, "seen_at": at, "figures": orjson.loads(f)}
            for n, ch, at, f in c.execute("SELECT name, channel, seen_at, figures FROM heartbeats ORDER BY name")])

    async def newest_messages(self) -> dict[str, tuple[str, str | None]]:
        def read(conn: Conn) -> dict[str, tuple[str, str | None]]:
            newest = {}
            for channel, top in conn.execute("SELECT channel, max(id) FROM questions GROUP BY channel"):
                row = conn.execute("SELECT received_at, sent_at FROM questions WHERE id = ?", (top,)).fetchone()
                newest[str(channel)] = (str(row[0]), row[1])
            return newest

        return await self._read(read)

    async def queue_bot_reply(self, channel: str, external_id: str, chat: str, text: str, actor: str) -> bool:
        return await self._write(lambda t: outbox_sql.queue_bot_reply(t, channel, external_id, chat, text, actor))


def live_events(conn: Conn, rows: list[Any]) -> list[LiveEvent]:
    """LiveEvents for event rows (seq, show_id, question_id, kind, actor, at, payload), each with its question's
    current state (or, for an event about the show, the show's), loaded once per question; the payload is
    kept for the kinds the server itself acts on (`PAYLOAD_KINDS`)."""
    qids = sorted({int(r[2]) for r in rows if r[2] is not None})
    questions: dict[int, Question] = {}
    for i in range(0, len(qids), 500):
        chunk = qids[i:i + 500]
        size = next(n for n in (8, 64, 500) if n >= len(chunk))  # few distinct statements to prepare
        chunk += [chunk[-1]] * (size - len(chunk))
        for r in conn.execute(f"SELECT {QUESTION_COLUMNS} FROM questions WHERE id IN ({', '.join('?' * size)})",
                              chunk):
            questions[int(r[0])] = question_from_row(r)
    shows: dict[int, ShowDict | None] = {}
    events = []
    for ev_seq, ev_show, qid, kind, actor, at, payload in rows:
        show = None
        if qid is None and ev_show is not None:
            if ev_show not in shows:
                shows[ev_show] = _show_or_none(conn, ev_show)
            show = shows[ev_show]
        events.append(LiveEvent(ev_seq, ev_show, qid, kind, actor, at,
                                questions.get(qid) if qid is not None else None, show,
                                orjson.loads(payload) if kind in PAYLOAD_KINDS else None))
    return events


def _max_seq(conn: Conn) -> int:
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0])


def _show_or_none(conn: Conn, show_id: int) -> ShowDict | None:
    return questions_tx.show_by_id(conn, show_id)


def _show(conn: Conn, show_id: int) -> ShowDict:
    show = _show_or_none(conn, show_id)
    if show is None:
        raise NotFound(f"show {show_id} not found")
    return show


_SHOW_FLOW = {("scheduled", "live"): "show_started", ("live", "ended"): "show_ended",
              ("scheduled", "ended"): "show_ended", ("ended", "live"): "show_resumed"}


def _show_transition(current: str, status: str, changes: dict[str, Any], now: str) -> str:
    kind = _SHOW_FLOW.get((current, status))
    if kind is None:
        raise Invalid(f"a {current} show cannot become {status}", field="status")
    changes["status"] = status
    if status == "live" and current == "scheduled":
        changes["started_at"] = now
    if status == "ended":
        changes["ended_at"] = now
    return kind


def _ends_after_start(show: dict[str, Any]) -> None:
    """A show ends after it starts, also when a PATCH moves only one of the two."""
    starts, ends = show.get("starts_at"), show.get("ends_at")
    if starts and ends and _instant(ends) <= _instant(starts):
        raise Invalid("ends_at must be after starts_at", field="ends_at")


def _instant(value: object) -> datetime:
    at = datetime.fromisoformat(str(value))
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # rows written before offsets were required


def _show_event(t: Tx, show: ShowDict, kind: str, actor: str, now: str) -> None:
    questions_tx.show_event(t, show, kind, actor, {"status": show["status"]}, now)
