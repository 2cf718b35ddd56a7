"""Dead letters: what a channel could not read or validate, kept raw with the reason and never allowed to
stop the channel. Webhooks and workers hand them over (`keep`); admins and producers list, inspect and
retry them after a fix (`GET /api/dead-letters`, `GET /api/dead-letters/{id}`,
`POST /api/dead-letters/{id}/retry`); retention purges them with the rest of the personal data."""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response

from ingest.batch import DeadLetter
from ingest.reread import reread
from schemas import Channel

from .auth import Principal
from .errors import Invalid, NotFound
from .store.base import DeadLetterIn
from .web import JSON, efir, int_param, path_int, worker_batch

if TYPE_CHECKING:
    from .app import Efir

log = logging.getLogger("efir.deadletters")
STATES = ("open", "retried")


async def keep(app: Efir, letters: Sequence[DeadLetter], source: str) -> int:
    """Store the dead letters (each once: a re-delivery counts it again); returns how many were new.
    Logged by id, channel and reason only: the content is a viewer's."""
    if not letters:
        return 0
    items = [DeadLetterIn(d.channel, d.source or source, d.reason, d.raw) for d in letters]
    stored = await app.store.add_dead_letters(items, source)
    for item, (dead_letter_id, new) in zip(items, stored, strict=True):
        app.metrics.ingested.labels(item.channel, "dead_letter").inc()
        if new:
            app.metrics.dead_letters.labels(item.channel).inc()
            log.warning("dead letter %d on %s via %s: %s", dead_letter_id, item.channel, item.source, item.reason)
    return sum(new for _, new in stored)


class DeadLetterWire(BaseModel):
    channel: Channel
    reason: str = Field(min_length=1, max_length=500)
    raw: str = Field(description="the item's bytes, base64")
    source: str = Field(default="", max_length=200)


class DeadLetterBatch(BaseModel):
    dead_letters: list[DeadLetterWire] = Field(min_length=1, max_length=1000)


async def from_worker(request: Request, _: Principal | None) -> Response:
    """`POST /api/ingest/dead-letters` (ingest token): what a worker could not read, to keep."""
    app, actor, body = await worker_batch(request, DeadLetterBatch)
    letters = []
    for i, d in enumerate(body.dead_letters):
        try:
            raw = base64.b64decode(d.raw, validate=True)
        except ValueError:
            raise Invalid("raw must be base64", field=f"dead_letters.{i}.raw") from None
        letters.append(DeadLetter(d.channel, d.reason, raw, d.source))
    new = await keep(app, letters, actor)
    return JSON({"stored": len(letters), "new": new})


async def listing(request: Request, _: Principal | None) -> Response:
    p = request.query_params
    state = p.get("state") or None
    if state is not None and state not in STATES:
        raise Invalid(f"state must be one of {', '.join(STATES)}", field="state")
    channel = p.get("channel") or None
    rows = await efir(request).store.dead_letters(state, channel, int_param(p.get("after"), "after", 0) or 0,
                                                  int_param(p.get("limit"), "limit", 100, lo=1, hi=1000) or 100)
    return JSON(rows)


async def inspect(request: Request, _: Principal | None) -> Response:
    return JSON(shown(await _found(request)))


async def retry(request: Request, who: Principal | None) -> Response:
    """Read the dead letter again with today's adapters; its questions go through the same commit as any."""
    from .webhooks import commit

    assert who is not None
    app = efir(request)
    found = await _found(request)
    batch = reread(found["channel"], found["raw"])
    actor = f"retry:{who.username}"
    if batch.dead:
        outcome: dict[str, Any] = {"reason": batch.dead[0].reason}
        await app.store.finish_dead_letter(found["id"], False, outcome, actor)
        raise Invalid(f"still unreadable: {batch.dead[0].reason}", code="still_unreadable")
    result = await commit(app, batch, actor)
    outcome = {k: result[k] for k in ("accepted", "duplicates", "withdrawn", "ignored")}
    await app.store.finish_dead_letter(found["id"], True, outcome, actor)
    return JSON(shown(await _found(request)))


async def _found(request: Request) -> dict[str, Any]:
    dead_letter_id = path_int(request, "dead_letter_id")
    found = await efir(request).store.dead_letter(dead_letter_id)
    if found is None:
        raise NotFound(f"dead letter {dead_letter_id} not found")
    return found


def shown(found: dict[str, Any]) -> dict[str, Any]:
    """A dead letter as the API shows it: the raw bytes as text when they are UTF-8, else base64."""
    raw: bytes = found["raw"]
    encoding: Literal["utf-8", "base64"]
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(raw).decode("ascii"), "base64"
    return {**{k: v for k, v in found.items() if k != "raw"}, "raw": text, "raw_encoding": encoding}
