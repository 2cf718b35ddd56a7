"""PostgreSQL: several servers (replicas) on one database, one live desk.

Writes: each replica's writer batches jobs as on SQLite; every write transaction first takes one
transaction-level advisory lock, so transactions that append events commit one at a time across
all replicas and the event `seq` (an identity column) grows in commit order: a reader that has
seen seq N has seen everything up to N. Before COMMIT the batch sends one NOTIFY on `efir_events`
with the newest seq and the shows it touched (never the payload: NOTIFY is capped at 8,000 bytes).

Live: every replica runs a `LogFeed`. It LISTENs; on a notification, on its own commits, and every
`POLL_SECONDS` anyway it reads the log after the last seq it fanned out and hands those events, in
seq order, to its local hub. A replica whose LISTEN connection dropped reconnects and catches up
from the log by seq, so no desk sees a gap or a repeat.

Shared state lives in the database, not in process memory: claims and desk presence are rows
tagged with the replica's id (`replica:conn`); replicas heartbeat in `replicas`, and the rows of a
replica that stopped heartbeating (killed) are removed by the others. One question on air per
show is a unique index.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import secrets
import time
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from ingest.triage.dedupe import Found

from ..tasks import cancel_all
from . import questions_tx
from .base import Clusterer, IngestOutcome, LiveEvent, NewQuestion, OnCommit, Question
from .dbapi import Conn, PgConnection
from .questions_tx import IngestRequest
from .rows import now_iso
from .schema import migrate_postgres
from .sql import SQLStore
from .writer import Tx

log = logging.getLogger("efir.store")
_ALONE = Found(None)

EVENTS_LOCK = 0x45464953  # taken by every write transaction: commits (and seqs) in one order
_BEGIN_LOCKED = f"BEGIN; SELECT pg_advisory_xact_lock({EVENTS_LOCK})"
EVENTS_CHANNEL = "efir_events"
PRESENCE_CHANNEL = "efir_presence"
POLL_SECONDS = 1.0  # a missed notification costs at most this
HEARTBEAT_SECONDS = 5.0
FEED_PAGE = 2_000
CATCH_UP_TIMEOUT = 10.0


class PostgresStore(SQLStore):
    kind = "postgres"

    def __init__(self, dsn: str, on_commit: OnCommit | None = None, clusterer: Clusterer | None = None,
                 observe: Callable[[float, int], None] | None = None, *, server: bool = True,
                 replica: str | None = None, replica_timeout: float = 20.0) -> None:
        self.dsn = dsn
        self.replica = replica or secrets.token_hex(4)
        self.replica_timeout = replica_timeout
        self._cluster_seq = 0  # the writer's near-duplicate index holds every question received up to here
        self.on_presence: Callable[[int], object] = lambda show_id: None
        self.feed = LogFeed(self)
        super().__init__(on_commit, clusterer, observe, server=server)

    # -- connections and transactions ----------------------------------------------------------

    def _connect(self, *, readonly: bool) -> Conn:
        return PgConnection(self.dsn, readonly=readonly)

    def _migrate(self, conn: Conn) -> object:
        assert isinstance(conn, PgConnection)
        return migrate_postgres(conn)

    def _begin(self, conn: Conn) -> None:
        assert isinstance(conn, PgConnection)
        conn.executescript(_BEGIN_LOCKED)  # one round trip for both
        self._sync_clusters(conn)

    def _begin_read(self, conn: Conn) -> None:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def _before_commit(self, conn: Conn, events: list[LiveEvent]) -> None:
        if events:
            shows = sorted({ev.show_id for ev in events if ev.show_id is not None})[:500]
            conn.execute("SELECT pg_notify(?, ?)", (EVENTS_CHANNEL, orjson.dumps(
                {"seq": max(ev.seq for ev in events), "shows": shows, "replica": self.replica}).decode()))

    def _after_commit(self, events: list[LiveEvent]) -> None:
        if events:  # the index was current when this transaction took the lock, and has its own questions
            self._cluster_seq = max(self._cluster_seq, max(ev.seq for ev in events))

    def _committed(self, events: list[LiveEvent]) -> object:
        """Events go live through the log like everyone else's (one order for all replicas); the callers
        are answered once this replica's feed has fanned them out."""
        return self.feed.caught_up(max(ev.seq for ev in events))

    def _ingest_many(self, tx: Tx, requests: list[IngestRequest]) -> list[IngestOutcome]:
        """Every request of the transaction in one set-based `ingest_batch` (a round trip costs more than a row)."""
        routed = questions_tx.routed_show(tx.conn) if any(r.route for r in requests) else None
        items = [item for r in requests for item in r.routed(routed)]
        stored = ingest_batch(tx, items, [r.actor for r in requests for _ in r.items], self.clusterer)
        out, at = [], 0
        for r in requests:
            mine = stored[at:at + len(r.items)]
            at += len(r.items)
            accepted = sum(1 for _, new in mine if new)
            out.append(IngestOutcome(accepted, len(mine) - accepted, [qid for qid, _ in mine]))
        return out

    # -- the near-duplicate index follows every replica's questions ----------------------------

    def _warm_clusters(self, conn: Conn) -> None:
        self._cluster_seq = int(conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0])
        super()._warm_clusters(conn)

    def _sync_clusters(self, conn: Conn) -> None:
        """Under the lock: add what other replicas received since this index last looked."""
        if self.clusterer is None or not self.server:
            return
        newest = int(conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0])
        if newest <= self._cluster_seq:
            return
        rows = conn.execute("SELECT q.id, q.show_id, q.text, q.cluster_id, q.flags FROM events e "
                            "JOIN questions q ON q.id = e.question_id WHERE e.seq > ? AND e.seq <= ? "
                            "AND e.kind = 'received' ORDER BY e.seq", (self._cluster_seq, newest))
        for qid, show_id, text, cluster_id, flags in rows:
            if questions_tx.clusterable((flags or "").split(",")):
                self.clusterer.add(show_id, qid, text, cluster_id or qid)  # idempotent for its own questions
        self._cluster_seq = newest

    # -- claims and presence across replicas ---------------------------------------------------

    def _clear_claims(self, conn: Conn) -> None:
        """Register this replica; what replicas that stopped heartbeating held is released."""
        conn.execute("INSERT INTO replicas (id, address, started_at, seen_at) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at",
                     (self.replica, None, now_iso(), time.time()))
        reap(conn, self.replica, time.time() - self.replica_timeout)

    async def presence_changed(self, show_id: int) -> None:
        await self.feed.notify(PRESENCE_CHANNEL, orjson.dumps({"show": show_id, "replica": self.replica}).decode())

    async def heartbeat(self) -> list[int]:
        """This replica is alive; the claims and desks of replicas that are not are released (their shows)."""
        def tx(t: Any) -> list[int]:
            t.conn.execute("UPDATE replicas SET seen_at = ? WHERE id = ?", (time.time(), self.replica))
            return reap(t.conn, self.replica, time.time() - self.replica_timeout)

        return await self._write(tx)

    # -- lifecycle ---------------------------------------------------------------------------------

    async def open(self) -> None:
        await super().open()
        if self.server:
            await self.feed.start()

    async def close(self) -> None:
        await self.feed.stop()
        if self.server:
            with contextlib.suppress(Exception):
                await self._write(lambda t: t.conn.execute("DELETE FROM replicas WHERE id = ?", (self.replica,)))
        await super().close()

    async def backup(self, path: str) -> None:
        raise NotImplementedError("back up PostgreSQL with pg_dump; `efir backup` copies a SQLite file")


_INSERT_QUESTIONS = (
    "INSERT INTO questions (id, show_id, channel, external_id, author_name, author_handle, author_contact, "
    "text_original, text, lang, flags, topic, district, addressee, priority, media, raw, received_at, sent_at, "
    "updated_at, transitions, cluster_id, asked_count, version, cluster_reason, suggested) SELECT * FROM "
    "unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
    "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::text[], ?::text[], ?::text[], ?::text[], "
    "?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[])")
_KNOWN_AND_IDS = (
    "SELECT channel, external_id, id FROM questions WHERE (channel, external_id) IN "
    "(SELECT * FROM unnest(?::text[], ?::text[])) "
    "UNION ALL SELECT NULL, NULL, nextval(pg_get_serial_sequence('questions', 'id')) FROM generate_series(1, ?)")
_INSERT_EVENTS = (
    "INSERT INTO events (show_id, question_id, kind, actor, at, payload) SELECT s, q, k, a, t, p "
    "FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[]) "
    "WITH ORDINALITY AS e(s, q, k, a, t, p, n) "
    "ORDER BY n RETURNING seq, show_id, question_id, kind, actor")


def ingest_batch(tx: Tx, items: Sequence[NewQuestion], actors: Sequence[str],
                 clusterer: Clusterer | None) -> list[tuple[int, bool]]:
    """`questions_tx.ingest` in a handful of statements whatever the batch size (each is a round trip to the
    server): the same rows, events and clusters, with the new ids drawn from the sequence up front so the
    near-duplicate index can place every message before anything is written. The writers' advisory lock
    makes the duplicate check and the inserts one step for every replica. Per item: its question id, and
    whether this item stored it (False: a duplicate, of an earlier message or of one before it here)."""
    conn, now = tx.conn, now_iso()
    keys = [(item.channel, item.external_id) for item in items]
    known: dict[tuple[str, str], int] = {}
    ids: list[int] = []  # one id drawn per item with the duplicate check (one round trip); a duplicate's is unused
    for channel, external_id, qid in conn.execute(_KNOWN_AND_IDS, ([k[0] for k in keys], [k[1] for k in keys],
                                                                  len(keys))):
        if channel is None:
            ids.append(int(qid))
        else:
            known[(channel, external_id)] = int(qid)
    fresh: dict[tuple[str, str], NewQuestion] = {}
    first: list[bool] = []  # the item that stores its question
    by: dict[tuple[str, str], str] = {}  # whose request stored it (the events' actor)
    for key, item, actor in zip(keys, items, actors, strict=True):
        new = key not in known and key not in fresh
        first.append(new)
        if new:
            fresh[key] = item
            by[key] = actor
    new_ids = sorted(ids)[:len(fresh)]
    made: dict[int, Question] = {}
    outside: dict[int, Question | None] = {}  # heads already stored, loaded once each
    joined: list[tuple[int, Question]] = []  # (member, head) in arrival order
    found_near: list[tuple[int, Found, NewQuestion]] = []  # questions the index found close to others
    for (key, item), qid in zip(fresh.items(), new_ids, strict=True):
        known[key] = qid
        clustered = clusterer is not None and questions_tx.clusterable(item.flags)
        found = clusterer.find(item.show_id, item.text, item.signature) if clusterer and clustered else _ALONE
        head = None
        if found.cluster is not None:
            head_id = found.cluster
            if head_id not in made and head_id not in outside:
                outside[head_id] = questions_tx.load(conn, head_id)
            head = made.get(head_id) or outside[head_id]
            head = head if questions_tx.joinable(head, item) else None
        reason = found.reason if head is not None else None
        made[qid] = questions_tx.new_question(item, qid, int(head["id"]) if head else qid, now,
                                              questions_tx.Placed(head, reason))
        if found.suggestions:
            found_near.append((qid, found, item))
        if head is not None:
            joined.append((qid, head))
            head["asked_count"] += 1
            head["version"] += 1
        if clusterer is not None and clustered:
            clusterer.add(item.show_id, qid, item.text, int(head["id"]) if head else qid, item.signature)
            tx.undo.append(functools.partial(clusterer.forget, qid))
    if found_near:
        _suggest(conn, found_near, made, outside)
    if made:
        rows = [(q, fresh[(q["channel"], q["external_id"])]) for q in made.values()]
        conn.execute(_INSERT_QUESTIONS, [list(col) for col in zip(*[(
            q["id"], q["show_id"], q["channel"], q["external_id"], it.author_name, it.author_handle, it.author_contact,
            it.text_original, it.text, it.lang, ",".join(it.flags), it.topic, it.district, it.addressee,
            float(it.priority), orjson.dumps(it.media).decode() if it.media else None, it.raw, now, it.sent_at, now,
            orjson.dumps({"new": now}).decode(), q["cluster_id"] if q["cluster_id"] != q["id"] else None,
            q["asked_count"], q["version"], *_explained(q)) for q, it in rows], strict=True)])
    grown: dict[int, int] = {}
    for _, head in joined:
        if head["id"] not in made:
            grown[int(head["id"])] = grown.get(int(head["id"]), 0) + 1
    if grown:
        conn.execute("UPDATE questions q SET asked_count = q.asked_count + d.k, version = q.version + d.k, "
                     "updated_at = ? FROM unnest(?::bigint[], ?::bigint[]) AS d(id, k) WHERE q.id = d.id",
                     (now, list(grown), list(grown.values())))
    events: list[tuple[int | None, int, str, str, str]] = []
    heads = dict(joined)
    for qid, q in made.items():
        actor = by[(q["channel"], q["external_id"])]
        events.append((q["show_id"], qid, "received", actor, orjson.dumps({"channel": q["channel"]}).decode()))
        if qid in heads:
            events.append((heads[qid]["show_id"], int(heads[qid]["id"]), "clustered", actor,
                           orjson.dumps({"member": qid}).decode()))
    if events:
        written = conn.execute(_INSERT_EVENTS, (
            [e[0] for e in events], [e[1] for e in events], [e[2] for e in events], [e[3] for e in events],
            [now] * len(events), [e[4] for e in events])).fetchall()
        for seq, show_id, qid, kind, actor in sorted(written):
            question = made.get(qid) if kind == "received" else None
            tx.events.append(LiveEvent(seq, show_id, qid, kind, actor, now, question))
    return [(known[key], new) for key, new in zip(keys, first, strict=True)]


def _explained(q: Question) -> tuple[str | None, str | None]:
    """A new question's `cluster_reason` and `suggested` as stored."""
    return questions_tx.Placed(None, q["cluster_reason"], tuple(q["suggested"])).columns()


def _suggest(conn: Conn, found_near: list[tuple[int, Found, NewQuestion]], made: dict[int, Question],
             outside: dict[int, Question | None]) -> None:
    """The suggestions of a batch's questions, checked against their heads: those of this batch or loaded
    already as they are now, the rest read in one query."""
    wanted = {s.cluster for _, found, _ in found_near for s in found.suggestions} - made.keys() - outside.keys()
    heads: dict[int, Question | None] = dict(outside)
    if wanted:
        for qid, show_id, status, cluster_id in conn.execute(
                "SELECT id, show_id, status, cluster_id FROM questions WHERE id = ANY(?::bigint[])", (sorted(wanted),)):
            heads[int(qid)] = {"id": int(qid), "show_id": show_id, "status": status,
                               "cluster_id": int(cluster_id) if cluster_id is not None else int(qid)}
    heads.update(made)
    for qid, found, item in found_near:
        q = made[qid]
        own = q["cluster_id"] if q["cluster_id"] != qid else None
        q["suggested"] = [s for s in questions_tx.placed(
            Found(None, suggestions=found.suggestions), heads, item).suggested if s["id"] != own]


def reap(conn: Conn, me: str, before: float) -> list[int]:
    """Remove replicas last seen before `before` with their claims and desks; the shows whose presence changed."""
    dead = [r[0] for r in conn.execute("SELECT id FROM replicas WHERE seen_at < ? AND id != ?", (before, me))]
    shows: set[int] = set()
    for replica in dead:
        prefix = f"{replica}:%"
        shows.update(int(r[0]) for r in conn.execute("DELETE FROM presence WHERE conn_id LIKE ? RETURNING show_id",
                                                     (prefix,)))
        shows.update(int(r[0]) for r in conn.execute("DELETE FROM claims WHERE conn_id LIKE ? RETURNING show_id",
                                                     (prefix,)) if r[0] is not None)
        conn.execute("DELETE FROM replicas WHERE id = ?", (replica,))
    for show_id in sorted(shows):
        conn.execute("SELECT pg_notify(?, ?)", (PRESENCE_CHANNEL, orjson.dumps({"show": show_id}).decode()))
    return sorted(shows)


class LogFeed:
    """Reads the event log in seq order and hands it to the local hub (see the module docstring)."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store
        self.seq = 0
        self._kick = asyncio.Event()
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._listener: Any = None
        self._notify_lock = asyncio.Lock()
        self.reconnects = 0

    async def start(self) -> None:
        self.seq = await self.store.max_seq()  # the hub starts empty: desks begin from a snapshot
        self._tasks = [asyncio.create_task(self._pump(), name="efir-log-feed"),
                       asyncio.create_task(self._listen(), name="efir-log-listen"),
                       asyncio.create_task(self._beat(), name="efir-heartbeat")]

    async def stop(self) -> None:
        await cancel_all(self._tasks)
        self._tasks = []
        for _, future in self._waiters:
            if not future.done():
                future.set_result(None)
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close(timeout=2)

    async def caught_up(self, seq: int) -> None:
        """Until this replica's hub has every event up to `seq` (bounded: the writes are committed anyway)."""
        if self.seq >= seq or not self._tasks:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((seq, future))
        self._kick.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(future), CATCH_UP_TIMEOUT)

    async def notify(self, channel: str, payload: str) -> None:
        async with self._notify_lock:  # one operation at a time on the listening connection
            listener = self._listener
            if listener is not None and not listener.is_closed():
                with contextlib.suppress(Exception):
                    await listener.execute("SELECT pg_notify($1, $2)", channel, payload)

    async def _pump(self) -> None:
        while True:
            await self._kick.wait()
            self._kick.clear()
            try:
                while True:
                    last, events = await self.store.log_after(self.seq, FEED_PAGE)
                    if last == self.seq:
                        break
                    self.seq = last
                    if events:
                        self.store._on_commit(events)
                    self._wake()
            except Exception:  # the database is away: the next kick (or poll) reads from the same seq
                log.warning("reading the event log failed; retrying", exc_info=True)
                await asyncio.sleep(0.2)
                self._kick.set()
            self._wake()

    def _wake(self) -> None:
        keep = []
        for seq, future in self._waiters:
            if seq <= self.seq:
                if not future.done():
                    future.set_result(None)
            else:
                keep.append((seq, future))
        self._waiters = keep

    async def _listen(self) -> None:
        import asyncpg

        loop = asyncio.get_running_loop()
        while True:
            lost = asyncio.Event()
            try:
                conn = await asyncpg.connect(self.store.dsn)
                conn.add_termination_listener(lambda c, lost=lost: loop.call_soon_threadsafe(lost.set))
                await conn.add_listener(EVENTS_CHANNEL, self._on_event)
                await conn.add_listener(PRESENCE_CHANNEL, self._on_presence)
                self._listener = conn
                self._kick.set()  # whatever happened while not listening
                while not lost.is_set() and not conn.is_closed():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(lost.wait(), POLL_SECONDS)
                    self._kick.set()  # the safety net under NOTIFY
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("event listener connection failed; reconnecting", exc_info=True)
            self._listener = None
            self.reconnects += 1
            await asyncio.sleep(0.5)

    def _on_event(self, conn: Any, pid: int, channel: str, payload: str) -> None:
        self._kick.set()

    def _on_presence(self, conn: Any, pid: int, channel: str, payload: str) -> None:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            data = orjson.loads(payload)
            if data.get("replica") != self.store.replica:
                self.store.on_presence(int(data["show"]))

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                for show_id in await self.store.heartbeat():
                    self.store.on_presence(show_id)
            except Exception:
                log.warning("heartbeat failed", exc_info=True)
