"""Priority of a question in the moderator queue: higher first.

priority = log2(1 + asked) · 10          more viewers asking the same thing (saturating)
         + 20 · 2^(−age / half-life)      fresh questions first, halving every ten minutes
         + 15 if addressed to a guest who is on the show
         − a penalty per flag (spam, profanity, garbled), never below 0 before the penalties

Monotone by construction: non-decreasing in asked_count, non-increasing in age, a present addressee
never lowers it, and adding a flag never raises it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["FLAG_PENALTY", "HALF_LIFE", "priority"]

HALF_LIFE = 600.0
FLAG_PENALTY = {"spam": 40.0, "profanity": 25.0, "garbled": 15.0, "link": 5.0}
_ASKED_WEIGHT = 10.0
_FRESH_WEIGHT = 20.0
_ADDRESSEE_BONUS = 15.0


def priority(asked_count: int, age_seconds: float, addressee_on_show: bool, flags: Iterable[str]) -> float:
    asked = max(int(asked_count), 1)
    age = age_seconds if age_seconds > 0 else 0.0  # NaN and clock skew count as "just now"
    score = _ASKED_WEIGHT * math.log2(1 + asked) + _FRESH_WEIGHT * math.exp2(-age / HALF_LIFE)
    if addressee_on_show:
        score += _ADDRESSEE_BONUS
    score -= sum(FLAG_PENALTY.get(flag, 0.0) for flag in set(flags))
    return round(score, 6)
