"""The bare baseline: the same stack doing only ingest → SQLite commit → WebSocket broadcast.

    python -m bench.baseline --port 8100 --db /tmp/bare.db

Starlette on uvicorn (uvloop, httptools, websockets-sansio, the same settings as `efir serve`),
SQLite in WAL mode with one writer thread committing whatever batches are queued in one
transaction. No triage, no event log, no auth, no validation beyond JSON: what is left is the
least this stack can do for the same traffic, so Efir's figures can be read as ratios of it.
Frames have Efir's shape (`{"type":"events","events":[{seq, kind, at, question}]}`), each event
encoded once and shared by every client, and a slow client's frames coalesce while it sends.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

MAX_BATCH = 512
SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY, channel TEXT NOT NULL, external_id TEXT NOT NULL, author_name TEXT,
    author_handle TEXT, text TEXT NOT NULL, sent_at TEXT, received_at TEXT NOT NULL,
    UNIQUE (channel, external_id)
)
"""
INSERT = ("INSERT INTO messages (channel, external_id, author_name, author_handle, text, sent_at, received_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel, external_id) DO NOTHING RETURNING id")
Job = tuple[list[dict[str, Any]], asyncio.Future[tuple[int, list[int]]]]


class Writer:
    """One thread, one connection; each loop commits every queued job in one transaction."""

    def __init__(self, path: Path, loop: asyncio.AbstractEventLoop, deliver: Any) -> None:
        self.path, self.loop, self.deliver = path, loop, deliver
        self.jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self.run, name="bare-writer", daemon=True)

    def run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(SCHEMA)
        while (job := self.jobs.get()) is not None:
            batch = [job]
            while len(batch) < MAX_BATCH:
                try:
                    more = self.jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self.jobs.put(None)
                    break
                batch.append(more)
            self.commit(conn, batch)
        conn.close()

    def commit(self, conn: sqlite3.Connection, batch: list[Job]) -> None:
        events: list[str] = []
        answers: list[tuple[asyncio.Future[tuple[int, list[int]]], tuple[int, list[int]]]] = []
        conn.execute("BEGIN IMMEDIATE")
        for messages, future in batch:
            ids: list[int] = []
            accepted = 0
            for m in messages:
                now = datetime.now(UTC).isoformat(timespec="milliseconds")
                author = m.get("author") or {}
                args = (m["channel"], m["external_id"], author.get("name"), author.get("handle"), m["text"],
                        m.get("sent_at"), now)
                row = conn.execute(INSERT, args).fetchone()
                if row is None:
                    continue
                accepted += 1
                ids.append(row[0])
                question = {"id": row[0], "channel": args[0], "external_id": args[1],
                            "author": {"name": args[2], "handle": args[3]}, "text": args[4], "sent_at": args[5],
                            "received_at": now, "status": "new", "version": 1}
                events.append(orjson.dumps({"seq": row[0], "kind": "received", "at": now,
                                            "question": question}).decode())
            answers.append((future, (accepted, ids)))
        conn.execute("COMMIT")
        self.loop.call_soon_threadsafe(self.deliver, events, answers)


class Client:
    def __init__(self) -> None:
        self.pending: list[str] = []
        self.wake = asyncio.Event()


class Bare:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.clients: set[Client] = set()
        self.writer: Writer | None = None

    def deliver(self, events: list[str],
                answers: list[tuple[asyncio.Future[tuple[int, list[int]]], tuple[int, list[int]]]]) -> None:
        if events:
            for client in self.clients:
                client.pending.extend(events)
                client.wake.set()
        for future, result in answers:
            if not future.done():
                future.set_result(result)

    async def ingest(self, request: Request) -> Response:
        body = orjson.loads(await request.body())
        messages = body["messages"]
        if not isinstance(messages, list) or len(messages) > 1000:
            return Response(b'{"error":"batch"}', 400, media_type="application/json")
        assert self.writer is not None
        future: asyncio.Future[tuple[int, list[int]]] = asyncio.get_running_loop().create_future()
        self.writer.jobs.put((messages, future))
        accepted, ids = await future
        return Response(orjson.dumps({"accepted": accepted, "duplicates": len(messages) - accepted, "ids": ids}),
                        media_type="application/json")

    async def desk(self, ws: WebSocket) -> None:
        await ws.accept()
        client = Client()
        self.clients.add(client)
        try:
            await ws.send_text('{"type":"snapshot","seq":0,"questions":[]}')
            receiver = asyncio.create_task(self._drain(ws))
            while not receiver.done():
                await client.wake.wait()
                client.wake.clear()
                events, client.pending = client.pending, []
                if events:
                    await ws.send_text('{"type":"events","events":[' + ",".join(events) + "]}")
        except Exception:  # the client went away
            pass
        finally:
            self.clients.discard(client)

    async def _drain(self, ws: WebSocket) -> None:
        with contextlib.suppress(Exception):
            while (await ws.receive())["type"] != "websocket.disconnect":
                pass

    def app(self) -> Starlette:
        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            self.writer = Writer(self.path, asyncio.get_running_loop(), self.deliver)
            self.writer.thread.start()
            yield
            self.writer.jobs.put(None)
            self.writer.thread.join(10)

        async def healthz(request: Request) -> Response:
            return Response(b'{"ok":true}', media_type="application/json")

        return Starlette(routes=[Route("/api/ingest", self.ingest, methods=["POST"]), Route("/healthz", healthz),
                                 WebSocketRoute("/ws", self.desk)], lifespan=lifespan)


def main() -> None:
    import uvicorn

    p = argparse.ArgumentParser(prog="python -m bench.baseline", description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=8100)
    p.add_argument("--db", default="bare.db")
    args = p.parse_args()
    uvicorn.run(Bare(Path(args.db)).app(), host="127.0.0.1", port=args.port, ws="websockets-sansio", loop="uvloop",
                http="httptools", log_level="warning", access_log=False, ws_per_message_deflate=False)


if __name__ == "__main__":
    main()
