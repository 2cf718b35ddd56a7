"""Cues from the producer to the host: the latest cue per show, waited on by every prompter of the show
(a second SSE event type, `cue`, on the prompter stream). In memory: a cue is for this moment only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .hub import AirChannel

CUE_FRESH_SECONDS = 120.0  # a prompter that connects later still sees a cue this recent


@dataclass(slots=True)
class Cue:
    seq: int
    data: str  # the JSON the prompter gets
    at: float


@dataclass
class CueBoard:
    _latest: dict[int, Cue] = field(default_factory=dict)
    _changed: dict[int, asyncio.Event] = field(default_factory=dict)
    _seq: int = 0

    def push(self, show_id: int, data: str) -> Cue:
        self._seq += 1
        cue = self._latest[show_id] = Cue(self._seq, data, asyncio.get_running_loop().time())
        changed = self._changed.pop(show_id, None)
        if changed is not None:
            changed.set()
        return cue

    def fresh(self, show_id: int) -> Cue | None:
        cue = self._latest.get(show_id)
        if cue is None or asyncio.get_running_loop().time() - cue.at > CUE_FRESH_SECONDS:
            return None
        return cue

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
