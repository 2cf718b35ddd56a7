"""The live audience, one process: N moderator desks (WebSocket) and K prompters (SSE) on one event loop.

    python -m bench.clients '<json spec>'

It connects everything, prints `{"ready": ...}`, then obeys one JSON command per stdin line and
answers each with one JSON line on stdout:

- `{"cmd": "start", "mode": "latency"|"count", "actions_per_s": R}` opens a measurement window;
- `{"cmd": "stop"}` closes it and reports what the window saw;
- `{"cmd": "stall"}` / `{"cmd": "unstall"}` opens / closes one more desk that stops reading;
- `{"cmd": "snapshot", "count": k}` times k fresh desk connections to their snapshot frame;
- `{"cmd": "quit"}`.

What a desk measures, per `received` event in "latency" mode (one clock: the host's):
- `commit_ms` = arrival of the frame − the question's `received_at`. The server stamps
  `received_at` inside the write transaction, just before COMMIT (millisecond precision), so
  this is commit → desk frame plus the rest of that transaction: an upper bound.
- `e2e_ms` = arrival − the send time the load generator put in the external_id: the whole way
  (HTTP, triage, writer queue, commit, fan-out, the client's own parsing).
In "count" mode desks only count frames and events (no JSON parsing), so the client stays cheap
while the load generators run flat out.

Moderator action → prompter: desk 0 is also a moderator at work. Each cycle it approves the newest
`new` question it saw, waits half a cycle, puts it on air, waits half a cycle. Every prompter notes
when a question id first shows in the rundown's `next` and as `on_air`; the latency is that time
minus the moment the action frame was sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect

from .feed import sent_at
from .proc import run
from .stats import summary
from .wire import HOST, sse_events


@dataclass
class ClientSpec:
    port: int
    desk_path: str  # "/ws/desk?show=1" or the baseline's "/ws"
    cookies: list[str]  # one Cookie header per desk ("" when the server wants none)
    prompter_path: str | None = None  # "/prompter/1/events?key=…"; None: no prompters
    prompters: int = 0
    resume: bool = True  # desks after the first resume from its snapshot's seq instead of a snapshot
    compression: bool = True  # offer permessage-deflate, as browsers do
    connect_timeout: float = 60.0


@dataclass
class Window:
    mode: str = "latency"
    started: float = field(default_factory=time.monotonic)
    frames: int = 0
    events: int = 0
    bytes: int = 0
    resyncs: int = 0
    commit_ms: list[float] = field(default_factory=list)
    e2e_ms: list[float] = field(default_factory=list)
    per_desk_commit_ms: dict[int, list[float]] = field(default_factory=dict)
    prompter_events: int = 0
    prompter_bytes: int = 0
    actions: list[tuple[int, str, float]] = field(default_factory=list)  # (question id, action, sent at)
    action_ack_ms: list[float] = field(default_factory=list)
    action_errors: int = 0


class Desk:
    def __init__(self, audience: Audience, index: int, ws: ClientConnection) -> None:
        self.audience, self.index, self.ws = audience, index, ws
        self.fresh: list[tuple[int, int]] = []  # (id, version) of `new` questions, newest last
        self.acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.snapshot_seq = 0

    async def read(self) -> None:
        with contextlib.suppress(Exception):
            while True:
                raw = await self.ws.recv(decode=False)
                self.frame(raw if isinstance(raw, bytes) else raw.encode())

    def frame(self, raw: bytes) -> None:
        now = time.time()
        w = self.audience.window
        if w is not None:
            w.frames += 1
            w.bytes += len(raw)
        actor = self.index == 0
        if w is not None and w.mode == "count" and not actor:
            if raw.startswith(b'{"type":"events"'):
                w.events += raw.count(b'"seq":')
            elif raw.startswith(b'{"type":"snapshot"'):
                w.resyncs += 1
            return
        data = orjson.loads(raw)
        kind = data.get("type")
        if kind == "events":
            self.events(data["events"], now, w)
        elif kind == "ack":
            future = self.acks.pop(str(data.get("id")), None)
            if future is not None and not future.done():
                future.set_result(data)
        elif kind == "snapshot" and w is not None:
            w.resyncs += 1

    def events(self, events: list[dict[str, Any]], now: float, w: Window | None) -> None:
        actor = self.index == 0
        if w is not None:
            w.events += len(events)
        for ev in events:
            q = ev.get("question")
            if ev.get("kind") != "received" or not q:
                continue
            if actor and q.get("status") == "new":
                self.fresh.append((int(q["id"]), int(q["version"])))
                if len(self.fresh) > 64:
                    del self.fresh[:32]
            if w is None or w.mode != "latency":
                continue
            commit = (now - datetime.fromisoformat(q["received_at"]).timestamp()) * 1000
            w.commit_ms.append(commit)
            w.per_desk_commit_ms.setdefault(self.index, []).append(commit)
            stamp = sent_at(str(q.get("external_id", "")))
            if stamp is not None:
                w.e2e_ms.append((now - stamp) * 1000)

    async def act(self, question_id: int, action: str, version: int, frame_id: str,
                  **extra: Any) -> dict[str, Any]:
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.acks[frame_id] = future
        await self.ws.send(orjson.dumps({"type": "action", "id": frame_id, "question_id": question_id,
                                         "action": action, "version": version, **extra}).decode())
        return await asyncio.wait_for(future, 10)


class Prompter:
    def __init__(self) -> None:
        self.next_seen: dict[int, float] = {}
        self.on_air_seen: dict[int, float] = {}

    async def read(self, audience: Audience, port: int, path: str, ready: asyncio.Event) -> None:
        with contextlib.suppress(Exception):
            async for event, data in sse_events(port, path):
                now = time.time()
                ready.set()
                w = audience.window
                if event != "rundown" or w is None:
                    continue
                w.prompter_events += 1
                w.prompter_bytes += len(data)
                rundown = orjson.loads(data)
                for q in rundown.get("next") or ():
                    self.next_seen.setdefault(int(q["id"]), now)
                on_air = rundown.get("on_air")
                if on_air:
                    self.on_air_seen.setdefault(int(on_air["id"]), now)


class Audience:
    def __init__(self, spec: ClientSpec) -> None:
        self.spec = spec
        self.desks: list[Desk] = []
        self.prompters: list[Prompter] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.window: Window | None = None
        self.actor: asyncio.Task[None] | None = None
        self.acting = False
        # how the next on_air ends the question on air (answered, as the host's Next does), across windows
        self.on_air: dict[str, Any] = {}
        self.stalled: ClientConnection | None = None
        self.first_snapshot_ms = 0.0
        self.first_snapshot_bytes = 0

    def _url(self, after: int | None) -> str:
        url = f"ws://{HOST}:{self.spec.port}{self.spec.desk_path}"
        if after is not None:
            url += ("&" if "?" in url else "?") + f"after={after}"
        return url

    async def _open(self, cookie: str, after: int | None, rcvbuf: int | None = None) -> ClientConnection:
        headers = {"Origin": f"http://{HOST}:{self.spec.port}"}
        if cookie:
            headers["Cookie"] = cookie
        sock = None
        if rcvbuf is not None:  # a stalled desk: a tiny receive buffer fills at once
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            sock.connect((HOST, self.spec.port))
            sock.setblocking(False)
        return await connect(self._url(after), additional_headers=headers, max_size=None, sock=sock,
                             compression="deflate" if self.spec.compression else None,
                             open_timeout=self.spec.connect_timeout, user_agent_header=None)

    async def _first_frame(self, ws: ClientConnection) -> tuple[float, bytes]:
        started = time.perf_counter()
        raw = await asyncio.wait_for(ws.recv(decode=False), self.spec.connect_timeout)
        data = raw if isinstance(raw, bytes) else raw.encode()
        return (time.perf_counter() - started) * 1000, data

    async def connect_all(self) -> None:
        spec = self.spec
        after: int | None = None
        for i, cookie in enumerate(spec.cookies):
            started = time.perf_counter()
            ws = await self._open(cookie, after)
            if i == 0 or after is None:
                _, raw = await self._first_frame(ws)
                if i == 0:
                    self.first_snapshot_ms = (time.perf_counter() - started) * 1000
                    self.first_snapshot_bytes = len(raw)
                first = orjson.loads(raw)
                if spec.resume and first.get("type") == "snapshot":
                    after = int(first["seq"])
            desk = Desk(self, i, ws)
            self.desks.append(desk)
            self.tasks.append(asyncio.create_task(desk.read()))
        if spec.prompter_path and spec.prompters:
            readies = []
            for _ in range(spec.prompters):
                prompter, ready = Prompter(), asyncio.Event()
                self.prompters.append(prompter)
                readies.append(ready)
                self.tasks.append(asyncio.create_task(prompter.read(self, spec.port, spec.prompter_path, ready)))
            await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), spec.connect_timeout)

    # -- commands ------------------------------------------------------------------------------

    def start(self, mode: str, actions_per_s: float) -> dict[str, Any]:
        for p in self.prompters:
            p.next_seen.clear()
            p.on_air_seen.clear()
        self.window = Window(mode=mode)
        self.acting = True
        if actions_per_s > 0 and self.desks:
            self.actor = asyncio.create_task(self._moderate(actions_per_s))
        return {"ok": True}

    async def _moderate(self, per_s: float) -> None:
        desk, n = self.desks[0], 0
        half = 0.5 / per_s
        while self.acting:
            await asyncio.sleep(half)
            if not desk.fresh:
                continue
            qid, version = desk.fresh.pop()
            desk.fresh.clear()
            for action in ("approve", "on_air"):
                n += 1
                w = self.window
                sent = time.time()
                try:
                    extra = self.on_air if action == "on_air" else {}
                    ack = await desk.act(qid, action, version, f"bench-{n}", **extra)
                except TimeoutError:
                    ack = {"ok": False}
                if w is None:
                    return
                if not ack.get("ok"):
                    w.action_errors += 1
                    break
                w.actions.append((qid, action, sent))
                w.action_ack_ms.append((time.time() - sent) * 1000)
                version = int(ack["question"]["version"])
                if action == "on_air":
                    self.on_air = {"previous": "answered", "previous_version": version}
                if action == "approve":
                    await asyncio.sleep(half)

    async def stop(self) -> dict[str, Any]:
        self.acting = False
        if self.actor is not None:
            # the flag ends the loop even if a cancellation is swallowed (asyncio.wait_for on 3.11)
            self.actor.cancel()
            await asyncio.wait({self.actor}, timeout=12)
            self.actor = None
        await asyncio.sleep(0.5)  # let the last frames and rundowns land
        w, self.window = self.window, None
        if w is None:
            return {"error": "no window"}
        seconds = time.monotonic() - w.started
        prompter_ms, missed = self._prompter_latency(w)
        desk_p99 = {str(i): summary(v).get("p99") for i, v in sorted(w.per_desk_commit_ms.items())}
        return {
            "seconds": round(seconds, 2),
            "desk_frames": w.frames, "desk_events": w.events, "desk_bytes": w.bytes, "resyncs": w.resyncs,
            "desk_frames_per_s": round(w.frames / seconds, 1), "desk_events_per_s": round(w.events / seconds, 1),
            "commit_to_desk_ms": summary(w.commit_ms), "e2e_ms": summary(w.e2e_ms),
            "per_desk_p99_ms": desk_p99,
            "prompter_events": w.prompter_events, "prompter_events_per_s": round(w.prompter_events / seconds, 1),
            "actions": len(w.actions), "action_errors": w.action_errors, "action_ack_ms": summary(w.action_ack_ms),
            "action_to_prompter_ms": summary(prompter_ms), "prompter_missed": missed,
        }

    def _prompter_latency(self, w: Window) -> tuple[list[float], int]:
        samples: list[float] = []
        missed = 0
        for qid, action, sent in w.actions:
            for p in self.prompters:
                seen = (p.next_seen if action == "approve" else p.on_air_seen).get(qid)
                if seen is None or seen < sent:
                    missed += 1
                else:
                    samples.append((seen - sent) * 1000)
        return samples, missed

    async def stall(self) -> dict[str, Any]:
        cookie = self.spec.cookies[-1] if self.spec.cookies else ""
        ws = await self._open(cookie, None, rcvbuf=4096)
        ms, _raw = await self._first_frame(ws)
        assert ws.transport is not None
        ws.transport.pause_reading()  # from here on the server's frames pile up in the kernel, then stop
        self.stalled = ws
        return {"ok": True, "snapshot_ms": round(ms, 1)}

    async def unstall(self) -> dict[str, Any]:
        if self.stalled is not None:
            self.stalled.transport.abort()
            self.stalled = None
        return {"ok": True}

    async def snapshot(self, count: int) -> dict[str, Any]:
        cookie = self.spec.cookies[0] if self.spec.cookies else ""
        times: list[float] = []
        size = 0
        for _ in range(count):
            started = time.perf_counter()
            ws = await self._open(cookie, None)
            _, raw = await self._first_frame(ws)
            orjson.loads(raw)
            times.append((time.perf_counter() - started) * 1000)
            size = len(raw)
            ws.transport.abort()
        return {"snapshot_ms": summary(times), "snapshot_bytes": size}

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for desk in self.desks:
            desk.ws.transport.abort()


async def serve(spec: ClientSpec) -> None:
    audience = Audience(spec)
    await audience.connect_all()
    say({"ready": True, "desks": len(audience.desks), "prompters": len(audience.prompters),
         "first_snapshot_ms": round(audience.first_snapshot_ms, 1),
         "first_snapshot_bytes": audience.first_snapshot_bytes})
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 20)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        cmd = orjson.loads(line)
        name = cmd.get("cmd")
        if name == "start":
            say(audience.start(cmd.get("mode", "latency"), float(cmd.get("actions_per_s", 0))))
        elif name == "stop":
            say(await audience.stop())
        elif name == "stall":
            say(await audience.stall())
        elif name == "unstall":
            say(await audience.unstall())
        elif name == "snapshot":
            say(await audience.snapshot(int(cmd.get("count", 1))))
        elif name == "quit":
            break
    await audience.close()


def say(obj: dict[str, Any]) -> None:
    sys.stdout.write(orjson.dumps(obj).decode() + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    run(serve(ClientSpec(**orjson.loads(argv[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
