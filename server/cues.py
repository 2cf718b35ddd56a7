"""Cues from the producer to the host: the latest cue per show, waited on by every prompter of the show
(a second SSE event type, `cue`, on the prompter stream). A cue stays on the host's screen until the host
acknowledges it; the acknowledgement goes to every prompter of the show.

Both are events in the log (`cue`, `cue_acknowledged`): the board follows the committed events, so every
server on the database shows the same cue, under the same id (the seq of its `cue` event)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .hub import AirChannel
from .store.base import LiveEvent

CUE_KINDS = frozenset({"cue", "cue_acknowledged"})


@dataclass(slots=True)
class Cue:
    id: int  # the seq of the `cue` event
    seq: int  # the seq of the newest change (the cue, then its acknowledgement): prompters wait past it
    data: str  # the JSON the prompter gets
    at: float
    acked: bool = False


@dataclass
class CueBoard:
    _latest: dict[int, Cue] = field(default_factory=dict)
    _changed: dict[int, asyncio.Event] = field(default_factory=dict)

    def apply(self, ev: LiveEvent) -> None:
        """A committed cue event (from this server or another) changes the board."""
        if ev.show_id is None or ev.kind not in CUE_KINDS:
            return
        payload = ev.payload or {}
        if ev.kind == "cue":
            self.push(ev.show_id, ev.seq, {"text": payload.get("text", ""), "by": ev.actor, "at": ev.at})
        elif isinstance(payload.get("cue"), int):
            self.ack(ev.show_id, payload["cue"], ev.seq)

    def push(self, show_id: int, cue_id: int, fields: dict[str, Any]) -> Cue:
        current = self._latest.get(show_id)
        if current is not None and current.seq >= cue_id:
            return current  # already applied (a replay)
        data = json.dumps({**fields, "id": cue_id}, ensure_ascii=False)
        cue = self._latest[show_id] = Cue(cue_id, cue_id, data, asyncio.get_running_loop().time())
        self._notify(show_id)
        return cue

    def ack(self, show_id: int, cue_id: int, seq: int) -> Cue | None:
        """The host saw it: the cue leaves every prompter of the show. None when that cue is not the current one."""
        cue = self._latest.get(show_id)
        if cue is None or cue.id != cue_id or cue.acked:
            return None
        fields = json.loads(cue.data)
        fields["acked"] = True
        acked = self._latest[show_id] = Cue(cue_id, seq, json.dumps(fields, ensure_ascii=False), cue.at, True)
        self._notify(show_id)
        return acked

    def _notify(self, show_id: int) -> None:
        changed = self._changed.pop(show_id, None)
        if changed is not None:
            changed.set()

    def fresh(self, show_id: int) -> Cue | None:
        """The cue a prompter connecting now must show: the current one, until it is acknowledged."""
        cue = self._latest.get(show_id)
        return cue if cue is not None and not cue.acked else None

    async def wait(self, show_id: int, seen: int) -> Cue:
        """The next cue of the show after `seen`."""
        while True:
            cue = self._latest.get(show_id)
            if cue is not None and cue.seq > seen:
                return cue
            await self._changed.setdefault(show_id, asyncio.Event()).wait()

    def seen(self, show_id: int) -> int:
        cue = self._latest.get(show_id)
        return cue.seq if cue else 0


async def prompter_stream(channel: AirChannel, cues: CueBoard, show_id: int,
                          still_valid: Callable[[], Awaitable[bool]] | None = None,
                          recheck: float = 30.0) -> AsyncIterator[dict[str, Any]]:
    """The prompter's SSE events: `rundown` (id = seq, so Last-Event-ID resumes) and the producer's `cue`.
    Every `recheck` seconds `still_valid()` is asked (the prompter key not revoked); if not, the stream ends."""
    seq, data = await channel.current()  # always the current rundown, resumed or not
    yield {"event": "rundown", "id": str(seq), "data": data}
    fresh = cues.fresh(show_id)
    if fresh is not None:
        yield {"event": "cue", "data": fresh.data}
    cue_seen = cues.seen(show_id)
    while True:
        rundown = asyncio.ensure_future(channel.wait(seq))
        cued = asyncio.ensure_future(cues.wait(show_id, cue_seen))
        try:
            done, _ = await asyncio.wait((rundown, cued), timeout=recheck, return_when=asyncio.FIRST_COMPLETED)
        finally:
            rundown.cancel()
            cued.cancel()
        if not done and still_valid is not None and not await still_valid():
            return
        if cued in done:
            cue = cued.result()
            cue_seen = cue.seq
            yield {"event": "cue", "data": cue.data}
        if rundown in done:
            seq, data = rundown.result()
            yield {"event": "rundown", "id": str(seq), "data": data}
