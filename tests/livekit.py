"""Real protocol clients for tests: a desk over `websockets`, a prompter over httpx SSE streaming."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

Frame = dict[str, Any]


class Desk:
    """A connected desk that keeps every frame it receives."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[Frame] = []

    @classmethod
    async def open(cls, url: str, headers: dict[str, str], **kw: Any) -> Desk:
        ws = await connect(url, additional_headers=headers, max_size=None, **kw)
        return cls(ws)

    async def until(self, pred: Callable[[list[Frame]], bool], timeout: float = 5.0) -> list[Frame]:
        deadline = time.monotonic() + timeout
        while not pred(self.frames):
            left = deadline - time.monotonic()
            if left <= 0:
                kinds = [f["type"] for f in self.frames]
                raise AssertionError(f"desk: condition not met in {timeout}s; frames {kinds[-10:]}, "
                                     f"{len(self.events())} events")
            with contextlib.suppress(asyncio.TimeoutError):
                raw = await asyncio.wait_for(self.ws.recv(), timeout=left)
                self.frames.append(json.loads(raw))
        return self.frames

    def events(self) -> list[Frame]:
        return [e for f in self.frames if f["type"] == "events" for e in f["events"]]

    def snapshot(self) -> Frame | None:
        return next((f for f in self.frames if f["type"] == "snapshot"), None)

    def seen(self, question_id: int, kind: str | None = None) -> bool:
        return any(e["question"] and e["question"]["id"] == question_id and (kind is None or e["kind"] == kind)
                   for e in self.events())

    async def act(self, frame_id: str, question: Frame, action: str, **fields: Any) -> Frame:
        await self.ws.send(json.dumps({"type": "action", "id": frame_id, "question_id": question["id"],
                                       "action": action, "version": question["version"], **fields}))
        frames = await self.until(lambda fs: any(f["type"] == "ack" and f["id"] == frame_id for f in fs))
        return next(f for f in frames if f["type"] == "ack" and f["id"] == frame_id)

    async def close(self) -> None:
        await self.ws.close()


async def read_sse(url: str, headers: dict[str, str], want: Callable[[list[dict[str, str]]], bool],
                   timeout: float = 5.0) -> list[dict[str, str]]:
    """SSE events (event, id, data) until `want(events)` holds."""
    events: list[dict[str, str]] = []

    async def run() -> None:
        async with httpx.AsyncClient(timeout=None) as client, client.stream("GET", url, headers=headers) as resp:
            assert resp.status_code == 200, resp.status_code
            current: dict[str, str] = {}
            async for line in resp.aiter_lines():
                if not line:
                    if "data" in current:
                        events.append(current)
                        if want(events):
                            return
                    current = {}
                elif not line.startswith(":"):
                    key, _, value = line.partition(":")
                    current[key] = value[1:] if value.startswith(" ") else value

    try:
        await asyncio.wait_for(run(), timeout)
    except TimeoutError:
        raise AssertionError(f"prompter: condition not met in {timeout}s; got {str(events[-2:])[:500]}") from None
    return events


def ingest(url: str, token: str, messages: list[dict[str, Any]]) -> httpx.Response:
    return httpx.post(url + "/api/ingest", json={"messages": messages},
                      headers={"Authorization": f"Bearer {token}"}, timeout=30)
