"""Personal data in viewer text: Kazakhstan phone numbers, IIN, e-mail addresses, bank card numbers.

Each finder is a loose regex plus a validator, so the digits viewers write for other reasons —
house numbers, years, amounts ("15 000 тг"), bus routes ("№ 92"), dates, a 12-digit number whose
IIN check digit is wrong — are left alone. `redact` replaces every item whole: no digit of a phone
number survives on air (SPEC "Prompter").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

__all__ = ["PLACEHOLDERS", "Span", "find", "is_iin", "luhn_ok", "redact"]

PLACEHOLDERS = {"phone": "[телефон]", "email": "[e-mail]", "iin": "[ИИН]", "card": "[карта]"}


@dataclass(frozen=True, slots=True)
class Span:
    kind: str  # phone | email | iin | card
    start: int
    end: int


EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_CARD = re.compile(
    r"(?<![\d+])(?:\d{13,19}|\d{4}([ -]?)\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{5})"
    r"(?![\d])"
)
_IIN = re.compile(r"(?<![\d+])\d{6} ?\d{6}(?!\d)")
_SEP = r"[\s\-.‑–]*"
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+\s*7|8|7)"
    + _SEP
    + r")?(?:\(\s*\d{3,5}\s*\)|\d{3,5})"
    + _SEP
    + r"\d{1,3}"
    + _SEP
    + r"\d{2}"
    + _SEP
    + r"\d{2}(?!\d)"
)
# a city number without its code, always written with dashes: 227-45-67
_LOCAL_PHONE = re.compile(r"(?<![\d\w.,/-])\d{3}-\d{2}-\d{2}(?![\d-])")
_DIGITS = re.compile(r"\d")
# seven digits with at most separators between them: every item but an e-mail has such a run
_SEVEN_DIGITS = re.compile(r"\d(?:[\s\-.()‑–+]{0,3}\d){6}")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _iin_check_digit(digits: str) -> int | None:
    d = [int(c) for c in digits[:11]]
    check = sum(x * w for x, w in zip(d, range(1, 12), strict=True)) % 11
    if check == 10:
        check = sum(x * w for x, w in zip(d, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), strict=True)) % 11
    return None if check == 10 else check


def _iin_date_ok(digits: str) -> bool:
    century = int(digits[6])
    if not 1 <= century <= 6:
        return False
    year = 1800 + 100 * ((century - 1) // 2) + int(digits[:2])
    try:
        date(year, int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    return True


def is_iin(digits: str) -> bool:
    """12 digits: a real birth date YYMMDD, a century/sex digit 1-6 and the right check digit."""
    if len(digits) != 12 or not digits.isdigit() or not _iin_date_ok(digits):
        return False
    return _iin_check_digit(digits) == int(digits[11])


def _phone_ok(digits: str) -> bool:
    if len(digits) == 11:
        return digits[0] in "78" and digits[1] != "0"
    # ten digits with no country prefix: a mobile (70x, 74x, 75x, 76x, 77x) or a city code (7xx)
    return len(digits) == 10 and digits[0] == "7"


def _digits(text: str) -> str:
    return "".join(_DIGITS.findall(text))


def _overlaps(spans: list[Span], start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in spans)


def _may_hold_pii(text: str, words: Sequence[str] | None) -> bool:
    if "@" in text:
        return True
    if words is not None:
        digits = 0
        for word in words:
            if word.isdigit():
                digits += len(word)
        if digits < 7:  # the cheap test first: most messages stop here
            return False
    return _SEVEN_DIGITS.search(text) is not None


def find(text: str, words: Sequence[str] | None = None) -> list[Span]:
    """Every personal-data item of `text`, in order, none overlapping (`words`: `tokens.words(text)`)."""
    if not _may_hold_pii(text, words):
        return []
    spans = [Span("email", m.start(), m.end()) for m in EMAIL.finditer(text)]
    finders = (
        (_CARD, "card", lambda d: d[0] in "23456" and luhn_ok(d)),
        (_IIN, "iin", is_iin),
        (_PHONE, "phone", _phone_ok),
        (_LOCAL_PHONE, "phone", lambda d: True),
    )
    for pattern, kind, valid in finders:
        for m in pattern.finditer(text):
            if valid(_digits(m.group())) and not _overlaps(spans, m.start(), m.end()):
                spans.append(Span(kind, m.start(), m.end()))
    return sorted(spans, key=lambda s: s.start)


def redact(text: str, spans: list[Span] | None = None) -> str:
    """`text` with each item replaced whole by its placeholder: [телефон], [e-mail], [ИИН], [карта]."""
    parts: list[str] = []
    last = 0
    for span in spans if spans is not None else find(text):
        parts.append(text[last : span.start])
        parts.append(PLACEHOLDERS[span.kind])
        last = span.end
    parts.append(text[last:])
    return "".join(parts)
