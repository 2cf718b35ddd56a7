"""A generic SMS gateway's webhook → messages.

The gateway POSTs `{"id", "from", "text"[, "sent_at"]}` (one object, a list of them, or
`{"messages": [...]}`) as JSON, or the same fields form-encoded, signed with
`X-Signature: sha256=<hex HMAC-SHA256(EFIR_SMS_SECRET, raw body)>`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

from schemas import Author, Message

from .batch import Batch, Unreadable, clip, from_unix
from .phone import normalise_phone
from .quarantine import guarded

SIGNATURE_HEADER = "x-signature"


class BadSms(Unreadable):
    """The body is not an SMS gateway delivery; the message says which field is wrong."""


def parse(payload: Any) -> Batch:
    items = payload.get("messages") if isinstance(payload, dict) and "messages" in payload else payload
    items = items if isinstance(items, list) else [items]
    out = Batch()
    for item in items:  # an SMS the gateway sent without an id or a sender is kept as a dead letter
        guarded(out, "sms", item, partial(_add, item, out))
    return out.sorted()


def _add(item: Any, out: Batch) -> None:
    out.add(_message(item), item)


def _message(item: Any) -> Message:
    if not isinstance(item, dict):
        raise BadSms("each SMS must be an object with id, from and text")
    for key in ("id", "from"):
        if not str(item.get(key) or "").strip():
            raise BadSms(f"{key} is required")
    sender = str(item["from"])
    phone = normalise_phone(sender)
    return Message(channel="sms", external_id=str(item["id"]).strip()[:500],
                   author=Author(contact=phone or sender[:200]), text=clip(str(item.get("text") or "")),
                   sent_at=_when(item.get("sent_at") or item.get("timestamp")))


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, int | float) or str(value).isdigit():
        return from_unix(int(value))
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
