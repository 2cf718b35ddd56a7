"""The public web form (`/ask/{show}`) → a message.

Each rendered form carries a fresh random `token`; it becomes the `external_id`, so a double
click or a browser re-post stores one question. The `website` field is a honeypot: people never
see it, form-filling bots fill it in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime

from schemas import Author, Message

from .phone import normalise_phone

HONEYPOT = "website"
MIN_TEXT, MAX_FORM_TEXT, MAX_NAME = 5, 2_000, 100
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class BadForm(ValueError):
    """What the resident must fix; the message is shown on the page."""


def new_token() -> str:
    return secrets.token_hex(16)


def is_bot(fields: Mapping[str, str]) -> bool:
    return bool(fields.get(HONEYPOT, "").strip())


def form_message(fields: Mapping[str, str]) -> Message:
    text = fields.get("question", "").strip()
    if len(text) < MIN_TEXT:
        raise BadForm("question_short")
    if len(text) > MAX_FORM_TEXT:
        raise BadForm("question_long")
    name = fields.get("name", "").strip()[:MAX_NAME] or None
    phone = fields.get("phone", "").strip()
    contact = normalise_phone(phone) if phone else None
    if phone and contact is None:
        raise BadForm("phone_invalid")
    token = fields.get("token", "")
    if not _TOKEN.match(token):
        # no valid form token: fall back to the content, so an identical re-post is still one question
        token = hashlib.sha256(f"{name}\0{contact}\0{text}".encode()).hexdigest()[:32]
    return Message(channel="web", external_id=f"web:{token}", author=Author(name=name, contact=contact),
                   text=text, sent_at=datetime.now(UTC))
