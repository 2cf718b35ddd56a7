"""What may be read on air: the one air text of a question (PII masked whole, in the question's language) and
the prompter's view of the rundown. The desk, the prompter and the producer log all read the air text from here."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ingest.triage import pii

if TYPE_CHECKING:
    from .store.base import AirState

Question = dict[str, Any]

# The words a masked item is read as, by the question's language; a mixed or unknown text is read as Russian.
MASKS: dict[str, dict[str, str]] = {
    "ru": {**pii.PLACEHOLDERS, "link": "[ссылка]", "handle": "[аккаунт]"},
    "kk": {"phone": "[телефон нөмірі]", "email": "[эл. пошта]", "iin": "[ЖСН]", "card": "[карта нөмірі]",
           "link": "[сілтеме]", "handle": "[аккаунт]"},
    "en": {"phone": "[phone number]", "email": "[e-mail]", "iin": "[IIN]", "card": "[card number]",
           "link": "[link]", "handle": "[account]"},
}
# statuses whose air text the desk shows (the rundown and the on-air box); others carry none, so a snapshot of
# 200,000 questions masks only the few in the rundown
AIR_STATUSES = frozenset({"approved", "on_air"})

# What triage's PII masking may leave and must still never go on air: digit runs as long as a phone number in
# any grouping (money is kept), @handles and links to a person's profile. Each is replaced whole.
_DIGITS = re.compile(r"\+?\d(?:[\s\-().]{0,3}\d){6,}(?!\s*(?:тг|тенге|₸|тыс|млн|теңге|tg|kzt)\b)", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,}")
_PROFILE = re.compile(r"\b(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|wa\.me|instagram\.com|vk\.com|facebook\.com|"
                      r"fb\.com|tiktok\.com)/\S+", re.IGNORECASE)


def masks_for(lang: str | None) -> dict[str, str]:
    """The mask words of a question's language."""
    return MASKS.get(lang or "", MASKS["ru"])


def safe_text(text: str, lang: str | None = "ru") -> str:
    """The text as the host reads it: every PII item, and anything that could be one, replaced whole by a mask
    word in the question's language."""
    masks = masks_for(lang)
    parts: list[str] = []
    last = 0
    for span in pii.find(text):
        parts += [text[last:span.start], masks[span.kind]]
        last = span.end
    masked = "".join([*parts, text[last:]])
    masked = _PROFILE.sub(masks["link"], masked)
    masked = _HANDLE.sub(masks["handle"], masked)
    return _DIGITS.sub(masks["phone"], masked)


def air_text(q: Question) -> str:
    """The one air text of a question: what the prompter shows, the desk previews and the log keeps."""
    return safe_text(q["text"], q.get("lang"))


def first_name(name: str | None, lang: str | None = "ru") -> str | None:
    if not name:
        return None
    first = name.strip().split()[0] if name.strip() else ""
    # a handle, an address or a number is not a name to read on air
    if not first or "@" in first or any(ch.isdigit() for ch in first) or "/" in first:
        return None
    return safe_text(first, lang)


def air_question(q: Question) -> dict[str, Any]:
    return {
        "id": q["id"],
        "text": air_text(q),
        "author": first_name(q["author"].get("name"), q.get("lang")),
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
