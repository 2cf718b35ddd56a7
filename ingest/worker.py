"""The ingest worker runner: poll a source, deliver to the server, then save the cursor.

Order matters for "nothing lost, nothing duplicated": a poll's cursor is saved only after the
server has acknowledged (committed) the poll's messages. A crash between the two re-fetches and
re-delivers the same batch on restart, and the server's (channel, external_id) dedupe turns that
into zero new questions.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from .batch import Batch
from .delivery import Delivery, DeliveryRefused

log = logging.getLogger("efir.ingest")
Sleep = Callable[[float], Awaitable[None]]
Cursor = dict[str, Any]


class UpstreamError(Exception):
    """The platform refused or failed a poll. `terminal` stops the worker; else retry after a wait."""

    def __init__(self, message: str, *, retry_after: float | None = None, terminal: bool = False,
                 finished: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.terminal = terminal or finished
        self.finished = finished  # the stream ended normally (a live chat that is over)


@dataclass(slots=True)
class Poll:
    batch: Batch
    cursor: Cursor
    wait: float = 0.0  # seconds the platform asks us to wait before the next poll
    done: bool = False  # nothing more will ever come (the broadcast is offline)


class Source(Protocol):
    @property
    def name(self) -> str: ...  # e.g. "youtube:<liveChatId>": a state file holds one source's cursor

    async def poll(self, cursor: Cursor) -> Poll: ...

    async def aclose(self) -> None: ...


class CursorStore(Protocol):
    """Where a worker keeps its cursor between runs."""

    async def load(self, name: str) -> Cursor: ...
    async def save(self, name: str, cursor: Cursor) -> None: ...


class ServerCursors:
    """The cursor kept by the server (`/api/ingest/cursors/{name}`): a worker restarted anywhere
    resumes where it was. Saved only after the batch it follows was acknowledged."""

    def __init__(self, delivery: Delivery, prefix: str = "") -> None:
        self.delivery, self.prefix = delivery, prefix

    def _path(self, name: str) -> str:
        return "/api/ingest/cursors/" + quote(self.prefix + name, safe="")

    async def load(self, name: str) -> Cursor:
        found = (await self.delivery.call("GET", self._path(name))).get("cursor")
        return dict(found) if isinstance(found, dict) else {}

    async def save(self, name: str, cursor: Cursor) -> None:
        await self.delivery.call("PUT", self._path(name), {"cursor": cursor})


class StateFile:
    """The worker's cursor in a small local JSON file (`--state`), replaced atomically so a crash
    never leaves half of it."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    async def load(self, name: str) -> Cursor:
        return self.read(name)

    async def save(self, name: str, cursor: Cursor) -> None:
        self.write(name, cursor)

    def read(self, name: str) -> Cursor:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        ours = isinstance(data, dict) and data.get("source") == name
        if not ours or not isinstance(data.get("cursor"), dict):
            log.warning("state file %s belongs to another source; starting fresh", self.path)
            return {}
        return dict(data["cursor"])

    def write(self, name: str, cursor: Cursor) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"source": name, "cursor": cursor, "saved_at": time.time()}, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(body)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


@dataclass(slots=True)
class Backoff:
    """Exponential waits after consecutive failures: base, 2·base, 4·base … capped."""

    base: float = 1.0
    cap: float = 300.0
    failures: int = 0

    def next(self) -> float:
        wait = min(self.cap, self.base * 2.0 ** self.failures)
        self.failures += 1
        return wait

    def reset(self) -> None:
        self.failures = 0


@dataclass(slots=True)
class Stats:
    """What the worker is doing, for its progress line: rate, lag behind the platform, last error."""

    started: float = field(default_factory=time.monotonic)
    polls: int = 0
    accepted: int = 0
    duplicates: int = 0
    withdrawn: int = 0
    ignored: int = 0  # read and left out: not questions
    dead: int = 0  # could not be read: kept on the server as dead letters
    errors: int = 0
    lag: float | None = None
    last_error: str | None = None

    last_message_at: str | None = None

    def figures(self, channel: str, running: bool, failing: bool) -> dict[str, Any]:
        """What a heartbeat carries."""
        return {"channel": channel, "running": running, "failing": failing, "polls": self.polls,
                "accepted": self.accepted, "duplicates": self.duplicates, "ignored": self.ignored, "dead": self.dead,
                "errors": self.errors, "lag": self.lag, "last_message_at": self.last_message_at,
                "last_error": self.last_error[:300] if self.last_error else None}

    def count(self, batch: Batch, accepted: int, duplicates: int) -> None:
        self.accepted += accepted
        self.duplicates += duplicates
        self.withdrawn += len(batch.withdrawals)
        self.ignored += batch.ignored
        self.dead += len(batch.dead)
        if batch.messages:
            self.last_message_at = datetime.now(UTC).isoformat(timespec="seconds")
        newest = max((m.sent_at for m in batch.messages if m.sent_at), default=None)
        if newest is not None:
            self.lag = max(0.0, (datetime.now(UTC) - newest).total_seconds())

    def line(self, name: str) -> str:
        rate = self.accepted / max(time.monotonic() - self.started, 1e-9)
        lag = f"{self.lag:.1f}s" if self.lag is not None else "-"
        return (f"{name}: {self.accepted} new ({rate:.1f}/s), {self.duplicates} duplicates, "
                f"{self.withdrawn} withdrawn, {self.ignored} not questions, {self.dead} dead letters, "
                f"lag {lag}, {self.errors} errors, "
                f"last error: {self.last_error or '-'}")


class ServerHeartbeat:
    """The worker's progress figures to `PUT /api/ingest/heartbeats/{name}`: one try each, never retried or
    waited for (a server that is down hears the next one)."""

    def __init__(self, delivery: Delivery) -> None:
        self.delivery = delivery

    async def __call__(self, name: str, figures: dict[str, Any]) -> None:
        try:
            r = await self.delivery.client.put(self.delivery.server + "/api/ingest/heartbeats/" + quote(name, safe=""),
                                               json=figures, headers=self.delivery.headers, timeout=10)
        except httpx.HTTPError as exc:
            log.warning("%s: heartbeat not delivered (%s)", name, type(exc).__name__)
            return
        if r.status_code != 200:
            log.warning("%s: heartbeat refused (%d)", name, r.status_code)


Beat = Callable[[str, dict[str, Any]], Awaitable[None]]


class Worker:
    def __init__(self, source: Source, delivery: Delivery, state: CursorStore, *,
                 backoff: Backoff | None = None, sleep: Sleep = asyncio.sleep, report_every: float = 10.0,
                 report: Callable[[str], None] | None = None, heartbeat: Beat | None = None,
                 heartbeat_every: float = 15.0) -> None:
        self.source, self.delivery, self.state = source, delivery, state
        self.backoff = backoff or Backoff()
        self.sleep = sleep
        self.stats = Stats()
        self.report_every = report_every
        self.report = report or (lambda line: log.info("%s", line))
        self._reported = 0.0
        self.heartbeat, self.heartbeat_every = heartbeat, heartbeat_every

    async def run(self, stop: asyncio.Event | None = None, max_polls: int | None = None) -> int:
        """Poll until stopped, finished or refused. Exit code: 0 finished/stopped, 2 refused. With a heartbeat,
        the figures go to the server every `heartbeat_every` seconds (also while a poll waits, in IMAP IDLE or
        a long poll) and once more when the worker ends."""
        beats = asyncio.create_task(self._beats()) if self.heartbeat is not None else None
        try:
            code = await self._run(stop, max_polls)
        finally:
            if beats is not None:
                beats.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await beats
        await self._beat(running=False)
        return code

    async def _beats(self) -> None:
        while True:
            await self._beat(running=True)
            await asyncio.sleep(self.heartbeat_every)  # real time, whatever `sleep` the polls use

    async def _beat(self, running: bool) -> None:
        if self.heartbeat is not None:
            await self.heartbeat(self.source.name, self.stats.figures(self.channel, running, self.backoff.failures > 0))

    @property
    def channel(self) -> str:
        return self.source.name.split(":", 1)[0]

    async def _run(self, stop: asyncio.Event | None, max_polls: int | None) -> int:
        cursor = await self.state.load(self.source.name)
        polls = 0
        while not (stop and stop.is_set()) and (max_polls is None or polls < max_polls):
            polls += 1
            try:
                poll = await self.source.poll(cursor)
            except UpstreamError as exc:
                if exc.terminal:
                    return self._finish(exc)
                await self._wait(self._failed(str(exc), exc.retry_after), stop)
                continue
            except (OSError, ValueError) as exc:  # network trouble, bodies that are not JSON
                await self._wait(self._failed(f"{type(exc).__name__}: {exc}", None), stop)
                continue
            try:
                await self._deliver(poll.batch)
            except DeliveryRefused as exc:
                return self._finish(UpstreamError(f"server refused delivery: {exc}", terminal=True))
            await self.state.save(self.source.name, poll.cursor)
            cursor = poll.cursor
            self.backoff.reset()
            self.stats.polls += 1
            self._progress()
            if poll.done:
                return self._finish(UpstreamError("source finished", finished=True))
            await self._wait(poll.wait, stop)
        self._progress(force=True)
        return 0

    async def _deliver(self, batch: Batch) -> None:
        if not batch:
            self.stats.ignored += batch.ignored
            return
        accepted, duplicates = await self.delivery.deliver(batch)
        self.stats.count(batch, accepted, duplicates)

    def _failed(self, message: str, retry_after: float | None) -> float:
        self.stats.errors += 1
        self.stats.last_error = message
        wait = self.backoff.next()
        log.warning("%s: %s; retrying in %.1fs", self.source.name, message, max(wait, retry_after or 0))
        return max(wait, retry_after) if retry_after is not None else wait

    def _finish(self, exc: UpstreamError) -> int:
        if not exc.finished:
            self.stats.errors += 1
            self.stats.last_error = str(exc)
            log.error("%s: %s; stopping", self.source.name, exc)
        self._progress(force=True)
        return 0 if exc.finished else 2

    async def _wait(self, seconds: float, stop: asyncio.Event | None) -> None:
        if seconds <= 0 or (stop and stop.is_set()):
            return
        if stop is None:
            await self.sleep(seconds)
            return
        waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self.sleep(seconds))]
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()

    def _progress(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._reported >= self.report_every:
            self._reported = now
            self.report(self.stats.line(self.source.name))
