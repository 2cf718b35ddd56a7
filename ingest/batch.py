"""What an adapter hands over: the messages of one payload, plus the questions withdrawn upstream."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import orjson

from schemas import MAX_TEXT, Channel, Message


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A message deleted, revoked or replaced upstream: the desk must pull its question."""

    channel: Channel
    external_id: str
    reason: str  # deleted | revoked | retracted | edited


@dataclass(slots=True)
class Batch:
    messages: list[Message] = field(default_factory=list)
    withdrawals: list[Withdrawal] = field(default_factory=list)
    raw: list[bytes | None] = field(default_factory=list)  # one per message: the upstream item as received

    def add(self, message: Message, raw: object = None) -> None:
        self.messages.append(message)
        self.raw.append(orjson.dumps(raw) if raw is not None else None)

    def extend(self, other: Batch) -> None:
        self.messages += other.messages
        self.withdrawals += other.withdrawals
        self.raw += other.raw

    def __bool__(self) -> bool:
        return bool(self.messages or self.withdrawals)

    def sorted(self) -> Batch:
        """Upstream order is not guaranteed: oldest first, arrival order among equals."""
        order = sorted(range(len(self.messages)), key=lambda i: _sort_key(self.messages[i].sent_at))
        return Batch([self.messages[i] for i in order], list(self.withdrawals), [self.raw[i] for i in order])


def _sort_key(at: datetime | None) -> float:
    return at.timestamp() if at is not None else float("inf")


def clip(text: str | None) -> str:
    """Viewer text cut to what the desk keeps."""
    return (text or "")[:MAX_TEXT]


def from_unix(value: object) -> datetime | None:
    """Unix seconds (int, or a string as WhatsApp sends them) → aware UTC datetime."""
    try:
        return datetime.fromtimestamp(int(str(value)), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def merged(batches: Iterable[Batch]) -> Batch:
    out = Batch()
    for b in batches:
        out.extend(b)
    return out
