"""Cues from the producer to the host: the latest cue per show, waited on by every prompter of the show
(a second SSE event type, `cue`, on the prompter stream). A cue stays on the host's screen until the host
acknowledges it; the acknowledgement goes to every prompter of the show (and into the log). In memory: a
cue is for this moment of the show only."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .hub import AirChannel


@dataclass(slots=True)
class Cue:
    seq: int
    data: str  # the JSON the prompter gets
    at: float
    acked: bool = False


@dataclass
class CueBoard:
    _latest: dict[int, Cue] = field(default_factory=dict)
    _changed: dict[int, asyncio.Event] = field(default_factory=dict)
    _seq: int = 0

    def push(self, show_id: int, data: str) -> Cue:
        self._seq += 1
        fields = json.loads(data)
        fields["id"] = self._seq
        cue = self._latest[show_id] = Cue(self._seq, json.dumps(fields, ensure_ascii=False),
                                          asyncio.get_running_loop().time())
        self._notify(show_id)
        return cue

    def ack(self, show_id: int, cue_id: int) -> Cue | None:
        """The host saw it: the cue leaves every prompter of the show. None when that cue is not the current one."""
        cue = self._latest.get(show_id)
        if cue is None or cue.seq != cue_id or cue.acked:
            return None
        self._seq += 1  # an acknowledgement is news for every prompter waiting on this show
        fields = json.loads(cue.data)
        fields["acked"] = True
        acked = self._latest[show_id] = Cue(self._seq, json.dumps(fields, ensure_ascii=False), cue.at, True)
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
