"""The triage pipeline: every message, in order, before it is committed (SPEC "Triage pipeline").

Public API used by the server (keep these signatures):

- `Pipeline().triage(text, author_key=..., at=...) -> Triage`: encoding repair, whitespace,
  language, PII/profanity/spam/link flags, topic and district. Stateful only for floods.
- `air_text(text) -> str`: the text with every PII item replaced whole (`[телефон]` …).
- `DedupeIndex`: near-duplicate clustering per show.
- `priority(...) -> float`.

Each step is a small pure function in its own module: `encoding`, `lang`, `pii`, `profanity`,
`spam`, `topics`, `districts` (gazetteer per city in `data/`), `dedupe`, `priority`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import encoding, lang, pii, problems, profanity, spam, topics
from .dedupe import DedupeIndex
from .districts import gazetteer
from .priority import priority
from .tokens import folded_words
from .tokens import words as split_words

__all__ = ["FLAGS", "DedupeIndex", "Pipeline", "Triage", "air_text", "priority"]

FLAGS = ("pii", "profanity", "spam", "garbled", "link", "flood")  # flood: spam only by the flood rule


@dataclass(frozen=True, slots=True)
class Triage:
    text: str  # repaired, NFC, whitespace-normalised text (what arrived stays elsewhere)
    lang: str  # "kk" | "ru" | "en" | "mixed" | "unknown"
    flags: tuple[str, ...]  # subset of FLAGS, sorted, unique
    topic: str | None  # one of topics.TOPICS ("other": a question with no specific topic), or None
    district: str | None  # district slug of the city's gazetteer, or None


class Pipeline:
    """One per process: holds the city's gazetteer and the flood memory (`examine` needs only the former)."""

    def __init__(self, city: str = "almaty") -> None:
        self.city = city
        self.gazetteer = gazetteer(city)
        self.floods = spam.FloodGuard()

    def triage(self, text: str, *, author_key: str | None = None, at: float = 0.0) -> Triage:
        return self.with_floods(self.examine(text), author_key, at)

    def with_floods(self, found: Triage, author_key: str | None, at: float) -> Triage:
        """`found` (from `examine`, in any process) with the flood memory of this one consulted and updated.
        A flood is spam (kept out of clusters, ranked low) that its text alone did not make: `flood` beside
        `spam` says so, and the desk names it for what it often is, a question many people repeat."""
        selling = "link" in found.flags or "pii" in found.flags
        if not self.floods.is_flood(found.text, author_key, at, selling) or "spam" in found.flags:
            return found
        return replace(found, flags=tuple(sorted({*found.flags, "spam", "flood"})))

    def examine(self, text: str) -> Triage:
        """Everything but floods: a pure function of the text (so it can run in another process)."""
        fixed, garbled = encoding.repair(text)
        words = split_words(fixed)
        held = pii.find(fixed, words)  # once: spam reads a number to call or pay from it too
        flags = spam.content_flags(fixed, words, any(s.kind in ("phone", "card") for s in held),
                                   any(s.kind == "card" for s in held))
        if garbled:
            flags.add("garbled")
        if held:
            flags.add("pii")
        if profanity.is_profane(fixed, words):
            flags.add("profanity")
        folded = folded_words(fixed, words)
        return Triage(
            text=fixed,
            lang="unknown" if garbled else lang.detect(fixed, words),
            flags=tuple(sorted(flags)),
            topic=None if garbled else _topic(flags, words, folded),
            district=self.gazetteer.district(folded),
        )


def _topic(flags: set[str], words: list[str], folded: list[str]) -> str | None:
    """The topic of a message (None when it has no words): `other` for spam and for what names no topic;
    else the specific problem it names (`problems.topic`: "the school's radiators are cold" is heating) when
    its words name only where it is, else its words."""
    if "spam" in flags:
        return "other"  # an emoji flood too
    if not any(w.isalpha() for w in words):
        return None  # emoji, numbers: nothing is asked
    by_words = topics.classify(folded)
    if by_words is None or by_words in _SETTINGS or by_words in _UTILITIES:  # else the words' topic stands
        read = problems.read(folded, [w.lower() for w in words])
        said = problems.topic(read, folded) if by_words not in _UTILITIES or any(
            p in problems.SPECIFIC for p in read[:2]) else None
        if said is not None and (by_words is None or said != by_words):
            return said
    if by_words == "yards_landscaping" and problems.dumped(folded):
        return "ecology"
    return by_words or "other"


# topics whose words often say only where a problem is (a school, a clinic, a road, a building, a bus stop):
# a specific problem named with them decides ("the school's radiators are cold" is heating)
_SETTINGS = frozenset({"schools_kindergartens", "health", "roads", "housing", "public_transport", "other"})


# topics whose words a specific problem reads more closely: "горячей воды нет" names water and is the heating
# network's; "көше шамдары жанбайды" names electricity and is the street's lighting
_UTILITIES = frozenset({"water", "heating", "electricity", "gas", "yards_landscaping", "ecology"})


def air_text(text: str) -> str:
    """`text` with every phone, e-mail, IIN and card number replaced whole by a placeholder."""
    return pii.redact(text)
