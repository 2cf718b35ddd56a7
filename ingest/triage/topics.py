"""Topic of a question: one of the SPEC's 15 slugs, or None when no keyword speaks.

Keyword stems live in `data/topics.json` (Kazakh, Russian and Latin translit, all folded): each
word that hits adds its weight to its topic, multi-word keywords ("ауыз су", "детская площадка")
too; the best total wins, the earliest hit breaking ties. Misspelt words are tried only when
nothing matched exactly, which keeps the common case fast.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from .lexicon import BLOCK, MIN_FUZZY_WORD, Hit, Lexicon
from .tokens import fold

__all__ = ["TOPICS", "classify", "fallback"]

TOPICS = (
    "roads",
    "water",
    "heating",
    "gas",
    "electricity",
    "public_transport",
    "housing",
    "yards_landscaping",
    "schools_kindergartens",
    "health",
    "land_plots",
    "ecology",
    "social_payments",
    "safety",
    "other",
)
_DATA = Path(__file__).parent / "data" / "topics.json"


@cache
def _load() -> tuple[Lexicon, frozenset[str]]:
    raw: dict[str, list[str]] = json.loads(_DATA.read_text(encoding="utf-8"))
    skip_after = frozenset(fold(w) for w in raw.pop("_skip_after", []))
    raw.pop("_comment", None)
    unknown = set(raw) - set(TOPICS) - {BLOCK}
    if unknown:
        raise ValueError(f"unknown topics in {_DATA.name}: {sorted(unknown)}")
    # look-alikes first: the lexicon keeps the first label given to a word, so a block wins over a stem's endings
    return Lexicon({BLOCK: raw.pop(BLOCK, []), **raw}), skip_after


def _score(hits: Sequence[tuple[int, Hit]]) -> str | None:
    totals: dict[str, float] = {}
    first: dict[str, int] = {}
    for position, hit in hits:
        if hit.label == BLOCK:
            continue
        totals[hit.label] = totals.get(hit.label, 0.0) + hit.weight
        first.setdefault(hit.label, position)
    if not totals:
        return None
    return max(totals, key=lambda label: (totals[label], -first[label]))


def classify(folded: Sequence[str]) -> str | None:
    """The topic slug of a question given its folded words (`tokens.folded_words`)."""
    lexicon, skip_after = _load()
    hits = lexicon.scan(folded)
    if not skip_after.isdisjoint(folded):
        hits = [(i, hit) for i, hit in hits if i == 0 or folded[i - 1] not in skip_after]
    if not any(hit.label != BLOCK for _, hit in hits):
        for position, word in enumerate(folded):
            if len(word) >= MIN_FUZZY_WORD:
                fuzzy = lexicon.fuzzy(word)
                if fuzzy is not None:
                    hits.append((position, fuzzy))
    return _score(hits)


# words that make a message a question or a request (folded): "other" is for those
_QUESTION = frozenset(
    fold(w)
    for w in str.split("""когда почему зачем где как какой какая какие кто куда сколько можно ли будет
    қашан неге неліктен қалай қайда кім қай қанша ма ме ба бе па пе бола when why where how what who
    which can will is are""")
)


def fallback(text: str, folded: Sequence[str]) -> str | None:
    """`other` for a question or request that names no specific topic (two words or more, with a
    question mark or a question word); None for the rest (thanks, emoji, a bare number)."""
    letters = [w for w in folded if not w.isdigit()]
    if len(letters) >= 2 and ("?" in text or not _QUESTION.isdisjoint(letters)):
        return "other"
    return None
