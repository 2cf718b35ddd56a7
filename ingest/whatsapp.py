"""WhatsApp Cloud API webhook payloads → messages (CHANNELS.md §1).

The payload is batched: every entry, every change, every message is read, each on its own (one that
cannot be read becomes a dead letter; the rest are kept). Statuses are acknowledged and dropped; edits
replace and revokes withdraw the original question; media without a caption becomes a card of that media
kind. Reactions, system notices, locations without a name or address, interactive messages without a
reply (an `errors[]` stub, a Flows form), contacts, orders and unsupported types make no card.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from schemas import Author, Media, Message

from .batch import Batch, Withdrawal, clip, from_unix
from .phone import normalise_phone
from .quarantine import guarded

_MEDIA_KINDS = frozenset({"image", "video", "document", "sticker", "audio"})
_SILENT = {"reaction", "system"}  # never a question


def parse(payload: Any) -> Batch:
    """A `whatsapp_business_account` notification; anything else yields an empty batch."""
    out = Batch()
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return out
    for entry in _list(payload.get("entry")):
        for change in _list(entry.get("changes")):
            value = change.get("value")
            if change.get("field") == "messages" and isinstance(value, dict):
                _read_value(value, out)
    return out.sorted()


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _read_value(value: dict[str, Any], out: Batch) -> None:
    names: dict[str, dict[str, Any]] = {}
    for contact in _list(value.get("contacts")):
        names[str(contact.get("wa_id") or contact.get("user_id") or "")] = contact
    for item in _list(value.get("messages")):
        # kept with its contacts if it cannot be read: `value` again, holding this one message
        single = {"contacts": value.get("contacts") or [], "messages": [item]}
        guarded(out, "whatsapp", single, partial(_read_message, item, names, out))
    # value["statuses"]: delivery receipts of what we sent; acknowledged by answering 200, nothing stored


def _author(item: dict[str, Any], names: dict[str, dict[str, Any]]) -> Author:
    sender = str(item.get("from") or item.get("from_user_id") or "")
    contact = names.get(sender) or (next(iter(names.values())) if len(names) == 1 else {})
    profile = contact.get("profile") if isinstance(contact.get("profile"), dict) else {}
    user_id = contact.get("user_id") or item.get("from_user_id")
    phone = normalise_phone(sender) or normalise_phone(str(contact.get("wa_id") or ""))
    return Author(name=(profile or {}).get("name"), handle=str(user_id) if user_id else None, contact=phone)


def _read_message(item: dict[str, Any], names: dict[str, dict[str, Any]], out: Batch) -> None:
    kind = str(item.get("type") or "")
    wamid = str(item.get("id") or "")
    if not wamid or kind in _SILENT:
        return
    if kind == "revoke":
        original = (item.get("revoke") or {}).get("original_message_id")
        if original:
            out.withdrawals.append(Withdrawal("whatsapp", str(original), "revoked"))
        return
    if kind == "edit":
        edit = item.get("edit") or {}
        body: dict[str, Any] = edit["message"] if isinstance(edit.get("message"), dict) else {}
        text, media = _content(str(body.get("type") or ""), body, wamid)
    else:
        text, media = _content(kind, item, wamid)
    message = Message(channel="whatsapp", external_id=wamid, author=_author(item, names), text=clip(text),
                      sent_at=from_unix(item.get("timestamp")), media=media)
    if out.add(message, item) and kind == "edit" and edit.get("original_message_id"):
        out.withdrawals.append(Withdrawal("whatsapp", str(edit["original_message_id"]), "edited"))


def _content(kind: str, item: dict[str, Any], wamid: str) -> tuple[str, Media | None]:
    """(question text, media) for one message body of any type."""
    body = item.get(kind) if isinstance(item.get(kind), dict) else {}
    assert isinstance(body, dict)
    if kind == "text":
        return str(body.get("body") or ""), None
    if kind in _MEDIA_KINDS:
        media_kind = "voice" if kind == "audio" and body.get("voice") else kind
        media = Media(kind=media_kind, id=str(body.get("id") or wamid), mime_type=body.get("mime_type"))
        return str(body.get("caption") or ""), media
    if kind == "button":
        return str(body.get("text") or ""), None
    if kind == "interactive":  # a tapped reply; a Flows form (`nfm_reply`) or an `errors[]` stub has none
        reply = body.get("button_reply") or body.get("list_reply") or {}
        return str(reply.get("title") or "") if isinstance(reply, dict) else "", None
    if kind == "location":  # coordinates alone say nothing a moderator can read
        return ", ".join(str(body[k]) for k in ("name", "address") if body.get(k)), None
    return "", None  # unsupported, contacts, order …: not a question
