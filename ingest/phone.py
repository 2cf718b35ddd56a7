"""Phone numbers normalised the same way on every channel, so the desk can link one resident's messages."""

from __future__ import annotations

import re

_NOT_DIGIT = re.compile(r"\D")


def normalise_phone(value: str | None) -> str | None:
    """E.164 (`+77011234567`) for anything that looks like a phone number, else None.

    Kazakhstan numbers arrive as `77011234567` (WhatsApp `wa_id`), `+7 701 123 45 67`, `87011234567`
    (domestic trunk prefix 8) or `7011234567` (no country code).
    """
    if not value or "@" in value or value.upper().startswith("US."):
        return None
    digits = _NOT_DIGIT.sub("", value)
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    elif len(digits) == 10 and digits[0] in "67":
        digits = "7" + digits
    if not 10 <= len(digits) <= 15:
        return None
    return "+" + digits
