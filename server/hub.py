"""Live fan-out: committed events → every desk and prompter of the show.

Desks get every event: the events of a show go into one bounded ring (`ShowFeed`) shared by its
desks, each desk a cursor into it, so its queue is the ring after its cursor. Its sender drains
whatever is there into one frame (coalescing under load, seq order kept). A desk that falls
further behind than the ring holds is not waited for: it is sent a fresh snapshot (`resync`).

Prompters get the latest rundown only: one `AirChannel` per show recomputes it after events that
can change it and wakes its listeners; a slow prompter just skips to the newest state.

The backend is chosen by URL: `memory://` delivers in-process (one server); a PostgreSQL backend
(LISTEN/NOTIFY) plugs in behind the same `publish`.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import orjson

from .store.base import AirState, LiveEvent

log = logging.getLogger("efir.hub")

AIR_KINDS = frozenset({"received", "clustered"})  # these change the rundown only for rundown questions
FRAME_EVENTS = 1_000  # at most this many events in one frame
FRAME_MEMO, FRAME_MEMO_CHARS = 64, 2_000_000  # frames kept for desks at the same cursor, and their size


class ShowFeed:
    """The recent committed events of one show, shared by all its desks.

    Each desk keeps only a cursor (the last seq it sent), so a desk that stops reading costs nothing
    but its cursor: its backlog is this ring, bounded by `capacity`. A desk whose cursor falls
    behind what the ring still holds has missed events and is resynced with a snapshot.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._seqs: list[int] = []
        self._events: list[LiveEvent] = []
        self.dropped_upto = 0  # the highest seq no longer held
        self.changed = asyncio.Event()
        self._frames: dict[tuple[int, int], str] = {}  # desks at the same cursor share one frame string
        self._frame_chars = 0

    def append(self, events: list[LiveEvent]) -> None:
        self._seqs.extend(ev.seq for ev in events)
        self._events.extend(events)
        # never less than this whole commit: a desk that was current before it must not be resynced
        excess = len(self._events) - max(self.capacity, len(events))
        if excess > 0:
            self.dropped_upto = self._seqs[excess - 1]
            del self._seqs[:excess], self._events[:excess]
        changed, self.changed = self.changed, asyncio.Event()
        changed.set()

    def since(self, seq: int, limit: int) -> list[LiveEvent] | None:
        """Events after `seq` (at most `limit`), or None when some of them are gone."""
        if seq < self.dropped_upto:
            return None
        start = bisect.bisect_right(self._seqs, seq)
        return self._events[start:start + limit]

    def frame(self, events: list[LiveEvent]) -> str:
        """The frame for a run of this feed's events, built once for every desk that sends the same run."""
        key = (events[0].seq, events[-1].seq)
        text = self._frames.get(key)
        if text is None:
            text = self._frames[key] = events_frame(events)
            self._frame_chars += len(text)
            # the newest frames only: desks that keep up send the same few; one further behind builds its own
            while len(self._frames) > 1 and (len(self._frames) > FRAME_MEMO or self._frame_chars > FRAME_MEMO_CHARS):
                self._frame_chars -= len(self._frames.pop(next(iter(self._frames))))
        return text

    def __len__(self) -> int:
        return len(self._events)


@dataclass(eq=False)
class DeskClient:
    show_id: int
    user: str
    role: str
    conn_id: str
    feed: ShowFeed
    last_seq: int = 0
    presence: str | None = None  # the newest presence frame not yet sent
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    resyncs: int = 0

    def take(self, limit: int = FRAME_EVENTS) -> list[LiveEvent] | None:
        """The next events to send (advancing the cursor), or None when a snapshot is due."""
        events = self.feed.since(self.last_seq, limit)
        if events is None:
            self.resyncs += 1
            return None
        if events:
            self.last_seq = events[-1].seq
        return events

    def set_presence(self, frame: str) -> None:
        self.presence = frame
        self.wake.set()

    async def wait(self) -> None:
        """Until the feed has something after the cursor, or a presence frame is due."""
        while self.presence is None and self.feed.since(self.last_seq, 1) == []:
            feed_changed = asyncio.ensure_future(self.feed.changed.wait())
            woken = asyncio.ensure_future(self.wake.wait())
            try:
                await asyncio.wait((feed_changed, woken), return_when=asyncio.FIRST_COMPLETED)
            finally:
                feed_changed.cancel()
                woken.cancel()
            self.wake.clear()


def events_frame(events: list[LiveEvent]) -> str:
    """One frame for many events; each event's JSON is encoded once and shared by all desks."""
    return '{"type":"events","events":[' + ",".join(ev.encoded for ev in events) + "]}"


AirBuilder = Callable[[AirState], dict[str, object]]


class AirChannel:
    """The prompter state of one show: recomputed on demand, latest value wins."""

    def __init__(self, show_id: int, load: Callable[[int], Awaitable[AirState]], build: AirBuilder) -> None:
        self.show_id = show_id
        self._load, self._build = load, build
        self.seq = 0
        self.data: str | None = None
        self._changed = asyncio.Event()
        self._dirty = False
        self._read_seq = 0  # the log position of the newest read applied
        self._task: asyncio.Task[None] | None = None
        self.listeners = 0

    async def current(self) -> tuple[int, str]:
        if self.data is None:
            await self._refresh()
        assert self.data is not None
        return self.seq, self.data

    async def wait(self, seen: int) -> tuple[int, str]:
        while self.seq <= seen or self.data is None:
            changed = self._changed
            await changed.wait()
        return self.seq, self.data

    def touch(self) -> None:
        self._dirty = True
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while self._dirty:
            self._dirty = False
            try:
                await self._refresh()
            except Exception:  # a failed read must not end the channel; the next event retries
                log.exception("prompter refresh failed for show %s", self.show_id)

    async def _refresh(self) -> None:
        state = await self._load(self.show_id)
        if state.seq < self._read_seq:  # a slower, older read finished after a newer one: keep the newer
            return
        self._read_seq = state.seq
        data = orjson.dumps(self._build(state)).decode()
        if data != self.data:
            self.seq, self.data = max(state.seq, self.seq + 1 if self.data else state.seq), data
            changed, self._changed = self._changed, asyncio.Event()
            changed.set()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


class Hub:
    def __init__(self, load_air: Callable[[int], Awaitable[AirState]], build_air: AirBuilder,
                 client_limit: int = 10_000) -> None:
        self._desks: dict[int, set[DeskClient]] = {}
        self._feeds: dict[int, ShowFeed] = {}
        self._air: dict[int, AirChannel] = {}
        self._load_air, self._build_air = load_air, build_air
        self.client_limit = client_limit
        self.delivered = 0

    # -- desks ---------------------------------------------------------------------------------

    def attach(self, show_id: int, user: str, role: str, conn_id: str) -> DeskClient:
        feed = self._feeds.get(show_id)
        if feed is None:
            feed = self._feeds[show_id] = ShowFeed(self.client_limit)
        client = DeskClient(show_id, user, role, conn_id, feed)
        self._desks.setdefault(show_id, set()).add(client)
        return client

    def detach(self, client: DeskClient) -> None:
        clients = self._desks.get(client.show_id)
        if clients is not None:
            clients.discard(client)
            if not clients:
                del self._desks[client.show_id]
                self._feeds.pop(client.show_id, None)

    def desks(self, show_id: int) -> list[DeskClient]:
        return list(self._desks.get(show_id, ()))

    def desk_count(self) -> int:
        return sum(len(c) for c in self._desks.values())

    # -- prompters -----------------------------------------------------------------------------

    def air(self, show_id: int) -> AirChannel:
        channel = self._air.get(show_id)
        if channel is None:
            channel = self._air[show_id] = AirChannel(show_id, self._load_air, self._build_air)
        return channel

    def prompter_count(self) -> int:
        return sum(c.listeners for c in self._air.values())

    # -- delivery ------------------------------------------------------------------------------

    def publish(self, events: list[LiveEvent]) -> None:
        """Called on the event loop with committed events in seq order."""
        by_show: dict[int, list[LiveEvent]] = {}
        touched: set[int] = set()
        for ev in events:
            if ev.show_id is None:
                continue
            if ev.show_id in self._feeds:
                by_show.setdefault(ev.show_id, []).append(ev)
            if ev.show_id in self._air and _moves_rundown(ev):
                touched.add(ev.show_id)
        for show_id, show_events in by_show.items():
            self._feeds[show_id].append(show_events)
            self.delivered += len(show_events) * len(self._desks.get(show_id, ()))
        for show_id in touched:
            self._air[show_id].touch()

    async def close(self) -> None:
        for channel in self._air.values():
            await channel.close()


def _moves_rundown(ev: LiveEvent) -> bool:
    if ev.kind not in AIR_KINDS:
        return True
    q = ev.question
    return q is not None and q.get("status") in ("approved", "on_air")


class MemoryBackend:
    """`memory://`: one process, events go straight from the commit to the local hub."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    def publish(self, events: list[LiveEvent]) -> None:
        self.hub.publish(events)


def backend_for(url: str, hub: Hub) -> MemoryBackend:
    if url.startswith("memory://"):
        return MemoryBackend(hub)
    raise ValueError(f"unknown hub backend {url!r} (known: memory://)")
