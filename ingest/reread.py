"""A dead letter read again with today's adapters (after a fix): its raw bytes → a `Batch`.

What a dead letter holds depends on where it was refused: a whole body (a webhook that is not JSON), one
platform item (a WhatsApp message with its contacts, a Telegram update, a YouTube chat item, a Facebook
comment, an SMS) or an e-mail's RFC 5322 bytes. Each is put back into the envelope its adapter reads.
"""

from __future__ import annotations

from typing import Any

import orjson

from . import facebook, instagram, mail, sms, telegram, whatsapp, youtube
from .batch import Batch, DeadLetter

JSON_CHANNELS = ("whatsapp", "instagram", "telegram", "youtube", "facebook", "sms")


def reread(channel: str, raw: bytes) -> Batch:
    if channel == "email":
        return mail.read(raw)
    if channel not in JSON_CHANNELS:
        return _dead(channel, f"no adapter reads {channel} dead letters", raw)
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return _dead(channel, "not JSON", raw)
    return _parse(channel, data)


def _parse(channel: str, data: Any) -> Batch:
    item = data if isinstance(data, dict) else {}
    if channel == "whatsapp":
        if "object" in item:
            return whatsapp.parse(data)
        return whatsapp.parse({"object": "whatsapp_business_account",
                               "entry": [{"changes": [{"field": "messages", "value": item}]}]})
    if channel == "instagram":
        return instagram.parse(data if "object" in item else {"object": "instagram", "entry": [item]})
    if channel == "telegram":
        return telegram.parse_update(data)
    if channel == "youtube":
        return youtube.parse({"items": [item]} if "snippet" in item else data)
    if channel == "facebook":
        return facebook.parse({"data": [item]} if "data" not in item else data)
    return sms.parse(data)


def _dead(channel: str, reason: str, raw: bytes) -> Batch:
    out = Batch()
    out.dead.append(DeadLetter(channel, reason, raw))  # type: ignore[arg-type]
    return out
