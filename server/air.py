"""The prompter's view of a question: only what may be read on air, PII masked whole."""

from __future__ import annotations

import re
from typing import Any

from ingest.triage import air_text

from .store.base import AirState, Question

# What triage's PII masking may leave and must still never go on air: digit runs as long as a phone number in
# any grouping (money is kept), @handles and links to a person's profile. Each is replaced whole.
_DIGITS = re.compile(r"\+?\d(?:[\s\-().]{0,3}\d){6,}(?!\s*(?:тг|тенге|₸|тыс|млн|теңге|tg|kzt)\b)", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,}")
_PROFILE = re.compile(r"\b(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|wa\.me|instagram\.com|vk\.com|facebook\.com|"
                      r"fb\.com|tiktok\.com)/\S+", re.IGNORECASE)


def safe_text(text: str) -> str:
    """The text as it may be read on air: every PII item, and anything that could be one, replaced whole."""
    masked = air_text(text)
    masked = _PROFILE.sub("[ссылка]", masked)
    masked = _HANDLE.sub("[аккаунт]", masked)
    return _DIGITS.sub("[телефон]", masked)


def first_name(name: str | None) -> str | None:
    if not name:
        return None
    first = name.strip().split()[0] if name.strip() else ""
    # a handle, an address or a number is not a name to read on air
    if not first or "@" in first or any(ch.isdigit() for ch in first) or "/" in first:
        return None
    return safe_text(first)


def air_question(q: Question) -> dict[str, Any]:
    return {
        "id": q["id"],
        "text": safe_text(q["text"]),
        "author": first_name(q["author"].get("name")),
        "channel": q["channel"],
        "district": q["district"],
        "addressee": q["addressee"],
        "asked_count": q["asked_count"],
    }


def rundown_view(state: AirState) -> dict[str, object]:
    return {
        "on_air": air_question(state.on_air) if state.on_air else None,
        "next": [air_question(q) for q in state.next],
    }
