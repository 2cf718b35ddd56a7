"""What cannot be read is kept, never dropped and never allowed to stop its channel.

An adapter reads each upstream item under `guarded`: an item that raises becomes a `DeadLetter` (the raw
item and a reason) in the batch, and the items around it are read as usual. The reason names the rule
broken and the field, never the content: dead letters are listed to staff and counted in logs, and the
content is a viewer's (a phone number, a name).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from pydantic import ValidationError

from schemas import Channel

from .batch import Batch, DeadLetter, Unreadable

MAX_REASON = 300


def reason(exc: BaseException) -> str:
    """Why an item was refused, without quoting it."""
    if isinstance(exc, ValidationError):
        errors = exc.errors(include_input=False, include_url=False)
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'message'}: {e['type']}" for e in errors[:5])
        return f"invalid {exc.title}: {where}"[:MAX_REASON]
    if isinstance(exc, Unreadable):
        return str(exc)[:MAX_REASON]
    return type(exc).__name__  # the message of an arbitrary error may quote the item


def raw_bytes(item: object) -> bytes:
    """The item as it came: bytes unchanged, JSON values re-encoded (ASCII escapes keep lone surrogates)."""
    if isinstance(item, bytes):
        return item
    try:
        return json.dumps(item, ensure_ascii=True, separators=(",", ":")).encode()
    except (TypeError, ValueError):
        return repr(item).encode("utf-8", "backslashreplace")


def guarded(out: Batch, channel: Channel, item: object, read: Callable[[], None], source: str = "") -> bool:
    """Run `read()` for one item; if it raises, whatever it had added is taken back and the item goes to
    `out.dead` instead. True when it was read."""
    marks = (len(out.messages), len(out.withdrawals), len(out.commands), out.ignored)
    try:
        read()
    except Exception as exc:
        del out.messages[marks[0]:], out.raw[marks[0]:], out.withdrawals[marks[1]:], out.commands[marks[2]:]
        out.ignored = marks[3]
        out.dead.append(DeadLetter(channel, reason(exc), raw_bytes(item), source))
        return False
    return True
