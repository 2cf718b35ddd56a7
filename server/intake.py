"""Every incoming message, whatever its channel, enters here: triage, route to a show, commit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import orjson

from ingest.phone import normalise_phone
from ingest.triage import Pipeline, Triage, priority
from ingest.triage.dedupe import Signature
from schemas import Message

from .store.base import IngestOutcome, NewQuestion, Store
from .triage_pool import Examined, TriagePool, examine

# batches at least this large are triaged off the event loop, so live frames keep flowing
THREAD_THRESHOLD = 64


class Intake:
    def __init__(self, store: Store, pipeline: Pipeline | None = None, pool: TriagePool | None = None) -> None:
        self.store = store
        self.pipeline = pipeline or Pipeline()
        self.pool = pool  # worker processes for the text work; None: all of it in this process

    async def accept(self, messages: Sequence[Message], actor: str, show_id: int | None = None,
                     raw: Sequence[bytes | None] | None = None) -> IngestOutcome:
        """Commit a batch; returns only after it is durable. `show_id=None`: the store routes it as it writes."""
        now = time.time()
        examined = await self.pool.examine([m.text for m in messages]) if self.pool is not None else None
        if examined is None:
            if len(messages) >= THREAD_THRESHOLD:
                examined = await asyncio.to_thread(self._examine_all, messages)
            else:
                examined = self._examine_all(messages)
        items = [self._question(m, found, read, show_id, now, raw[i] if raw else None)
                 for i, (m, (found, read)) in enumerate(zip(messages, examined, strict=True))]
        return await self.store.ingest(items, actor, route=show_id is None)

    def _examine_all(self, messages: Sequence[Message]) -> list[Examined]:
        return [examine(self.pipeline, m.text) for m in messages]

    def _question(self, m: Message, found: Triage, read: Signature | None, show_id: int | None, now: float,
                  raw: bytes | None) -> NewQuestion:
        author_key = f"{m.channel}:{m.author.handle or m.author.contact or m.author.name or ''}"
        t = self.pipeline.with_floods(found, author_key, now)  # floods: this process's memory, in arrival order
        flags = t.flags
        if m.media is not None and not t.text:
            flags = tuple(sorted({*flags, "media"}))
        # one resident, one contact: `+77011234567` whether it came from WhatsApp, SMS or the phone desk
        contact = normalise_phone(m.author.contact) or m.author.contact
        return NewQuestion(
            show_id=show_id, channel=m.channel, external_id=m.external_id,
            author_name=m.author.name, author_handle=m.author.handle, author_contact=contact,
            text_original=m.text, text=t.text, lang=t.lang, flags=flags, topic=t.topic, district=t.district,
            priority=priority(1, 0.0, False, flags),
            sent_at=m.sent_at.isoformat() if m.sent_at else None,
            media=m.media.model_dump() if m.media else None,
            raw=raw.decode("utf-8", "replace") if raw else None,
            signature=read,
        )


def message_json(m: Message) -> bytes:
    return orjson.dumps(m.model_dump(mode="json"))
