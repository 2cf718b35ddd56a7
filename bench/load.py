"""The ingest load generator, one process: batches through `POST /api/ingest` at a fixed rate or flat out.

    python -m bench.load '<json spec>'     (prints one JSON result line)

Bounded twice: it stops after `duration` seconds or `max_messages` messages, whichever comes first.
At a fixed rate, batches leave on a schedule (open loop); a batch whose connection is still busy
waits for one, and the lag shows in `behind_s`. Flat out, each connection sends its next batch as
soon as the previous one is acknowledged.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson

from .feed import Feed
from .proc import run
from .stats import summary
from .wire import Connection


@dataclass
class LoadSpec:
    port: int
    prefix: str
    token: str | None = None
    path: str = "/api/ingest"
    rate: float = 0.0  # messages/s; 0 = as fast as the server acknowledges
    batch: int = 100
    conns: int = 4
    duration: float = 10.0
    max_messages: int = 1_000_000
    seed: int = 7
    start_at: float = 0.0  # wall-clock time to begin (all loaders of a phase start together); 0 = now


@dataclass
class LoadResult:
    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    batches: int = 0
    errors: int = 0
    elapsed_s: float = 0.0
    cpu_s: float = 0.0  # this process's CPU seconds while loading
    behind_s: float = 0.0
    ack_ms: dict[str, float] = field(default_factory=dict)
    first_error: str | None = None


class Loader:
    def __init__(self, spec: LoadSpec) -> None:
        self.spec = spec
        self.feed = Feed(spec.prefix, spec.seed)
        self.result = LoadResult()
        self.ack: list[float] = []
        self.headers = {"Content-Type": "application/json"}
        if spec.token:
            self.headers["Authorization"] = f"Bearer {spec.token}"

    async def send(self, conn: Connection, size: int) -> None:
        body = self.feed.batch(size)
        self.result.sent += size
        started = time.perf_counter()
        try:
            status, payload = await conn.request("POST", self.spec.path, body, self.headers)
        except (OSError, asyncio.IncompleteReadError) as exc:
            self._fail(f"{type(exc).__name__}: {exc}")
            await conn.close()
            return
        self.ack.append((time.perf_counter() - started) * 1000)
        if status != 200:
            self._fail(f"HTTP {status}: {payload[:200]!r}")
            return
        answer = orjson.loads(payload)
        self.result.batches += 1
        self.result.accepted += int(answer.get("accepted", 0))
        self.result.duplicates += int(answer.get("duplicates", 0))

    def _fail(self, why: str) -> None:
        self.result.errors += 1
        self.result.first_error = self.result.first_error or why

    async def flat_out(self, deadline: float) -> None:
        spec = self.spec

        async def worker() -> None:
            conn = Connection(spec.port)
            try:
                while time.monotonic() < deadline and self.result.sent + spec.batch <= spec.max_messages:
                    await self.send(conn, spec.batch)
            finally:
                await conn.close()

        await asyncio.gather(*(worker() for _ in range(spec.conns)))

    async def paced(self, deadline: float) -> None:
        spec = self.spec
        idle: asyncio.Queue[Connection] = asyncio.Queue()
        for _ in range(spec.conns):
            idle.put_nowait(Connection(spec.port))
        interval = spec.batch / spec.rate
        start = time.monotonic()
        tasks: set[asyncio.Task[None]] = set()

        async def one(conn: Connection) -> None:
            try:
                await self.send(conn, spec.batch)
            finally:
                idle.put_nowait(conn)

        k = 0
        while self.result.sent + spec.batch <= spec.max_messages:
            due = start + k * interval
            if due >= deadline:
                break
            now = time.monotonic()
            if due > now:
                await asyncio.sleep(due - now)
            conn = await idle.get()
            self.result.behind_s = max(self.result.behind_s, time.monotonic() - due)
            task = asyncio.create_task(one(conn))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            k += 1
        if tasks:
            await asyncio.wait(tasks, timeout=10)
        while not idle.empty():
            await idle.get_nowait().close()

    async def run(self) -> LoadResult:
        wait = self.spec.start_at - time.time()
        if wait > 0:
            await asyncio.sleep(min(wait, 30.0))
        started, cpu = time.monotonic(), time.process_time()
        deadline = started + self.spec.duration
        if self.spec.rate > 0:
            await self.paced(deadline)
        else:
            await self.flat_out(deadline)
        self.result.elapsed_s = time.monotonic() - started
        self.result.cpu_s = time.process_time() - cpu
        self.result.ack_ms = summary(self.ack)
        return self.result


def main(argv: list[str]) -> int:
    spec = LoadSpec(**orjson.loads(argv[0]))
    result = run(Loader(spec).run())
    out: dict[str, Any] = asdict(result)
    sys.stdout.write(orjson.dumps(out).decode() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
