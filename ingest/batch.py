"""What an adapter hands over: the questions of one payload, the questions withdrawn upstream, the bot
commands viewers sent, and what could not be read (dead letters).

What becomes a question is one rule for every channel (`is_question`): text or a caption, or a media
message (photo, voice, audio, video, document, sticker) shown as a card marked with its media kind. A
location counts when it has a name or an address, which the adapters turn into its text. Everything else
(service notices, reactions, statuses, dice, polls, contacts, empty messages) never makes a card.
"""

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


class Unreadable(ValueError):
    """An item an adapter cannot read. Its message names the problem and never quotes the item."""


@dataclass(frozen=True, slots=True)
class Command:
    """A bot command a viewer sent (`/start`, `/help`, …): never a question. `chat` is where to answer."""

    channel: Channel
    external_id: str
    chat: str
    name: str  # without the slash and the bot's @name, lower case


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """One upstream item that could not be read or validated, kept raw with the reason."""

    channel: Channel
    reason: str
    raw: bytes
    source: str = ""  # the webhook or worker it came through


QUESTION_MEDIA = frozenset({"image", "voice", "audio", "video", "document", "sticker"})


def is_question(message: Message) -> bool:
    """Text someone can read, or media a moderator can open."""
    if any(ch.isprintable() and not ch.isspace() for ch in message.text):
        return True  # zero-width and control characters alone are an empty message
    return message.media is not None and message.media.kind in QUESTION_MEDIA


@dataclass(slots=True)
class Batch:
    messages: list[Message] = field(default_factory=list)
    withdrawals: list[Withdrawal] = field(default_factory=list)
    raw: list[bytes | None] = field(default_factory=list)  # one per message: the upstream item as received
    commands: list[Command] = field(default_factory=list)
    dead: list[DeadLetter] = field(default_factory=list)
    ignored: int = 0  # items read and left out: not questions (service notices, reactions, statuses …)

    def add(self, message: Message, raw: object = None) -> bool:
        """Keep the message if it is a question (`is_question`); False when it was left out."""
        if not is_question(message):
            self.ignored += 1
            return False
        self.messages.append(message)
        self.raw.append(orjson.dumps(raw) if raw is not None else None)
        return True

    def extend(self, other: Batch) -> None:
        self.messages += other.messages
        self.withdrawals += other.withdrawals
        self.raw += other.raw
        self.commands += other.commands
        self.dead += other.dead
        self.ignored += other.ignored

    def __bool__(self) -> bool:
        return bool(self.messages or self.withdrawals or self.commands or self.dead)

    def sorted(self) -> Batch:
        """Upstream order is not guaranteed: oldest first, arrival order among equals."""
        order = sorted(range(len(self.messages)), key=lambda i: _sort_key(self.messages[i].sent_at))
        return Batch([self.messages[i] for i in order], list(self.withdrawals), [self.raw[i] for i in order],
                     list(self.commands), list(self.dead), self.ignored)


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
