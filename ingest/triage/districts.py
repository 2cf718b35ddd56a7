"""District of a question, from a per-city gazetteer (`data/<city>.json`).

District names count double (Алатауский район, Бостандық ауданы, Turksib), micro-districts once
(Шанырак, Орбита, Аксай); micro-district names that are also ordinary words or first names
(Самал, Айгерим, Мамыр "May", Көктем "spring", Кайрат) count only next to a context word (мкр,
ықшамаудан …) or a number ("Самал-2"). A name followed by a street word is a street, not a
district ("Наурызбай батыра", "Әуезов көшесі"). Misspellings get a fuzzy second chance.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .lexicon import BLOCK, MIN_FUZZY_WORD, Hit, Lexicon

__all__ = ["Gazetteer", "gazetteer"]

_DATA = Path(__file__).parent / "data"
_GUARD = "?"
_GLUED = re.compile(r"\d+|\D+")


@dataclass(frozen=True)
class Gazetteer:
    city: str
    districts: tuple[str, ...]
    places: Lexicon  # a label "?slug" marks a place that counts only in context
    context: Lexicon
    streets: Lexicon
    numbered: dict[str, str]  # a micro-district's number -> its district ("8 мкр")
    local_streets: Lexicon  # streets that lie in one district


    def district(self, folded: Sequence[str]) -> str | None:
        """The district slug of a question given its folded words (`tokens.folded_words`)."""
        if any(not w.isalpha() and not w.isdigit() for w in folded):  # "орбита2", "8мкр", "2де": glued
            folded = [part for w in folded for part in _GLUED.findall(w)]
        hits = [
            (i, hit)
            for i, hit in self.places.scan(folded)
            if hit.label != BLOCK
            and not self._is_street(folded, i)
            and (hit.label[0] != _GUARD or self._in_context(folded, i))
        ]
        hits += [(i, Hit(hit.label, 1.0, hit.stem)) for i, hit in self.local_streets.scan(folded)]
        if self.numbered:
            hits += self._numbered(folded)
        if not hits:
            hits = [
                (i, hit)
                for i, word in enumerate(folded)
                if len(word) >= MIN_FUZZY_WORD
                and (hit := self.places.fuzzy(word)) is not None
                and hit.label[0] != _GUARD
            ]
        return _best(hits)

    def _in_context(self, folded: Sequence[str], i: int) -> bool:
        near = [*folded[max(0, i - 2) : i], *folded[i + 1 : i + 2]]
        return any(w.isdigit() or self.context.lookup(w) is not None for w in near)

    def _numbered(self, folded: Sequence[str]) -> list[tuple[int, Hit]]:
        """Micro-districts known by their number next to a context word: "8 мкр", "мкр 5", "8-ші шағынаудан"."""
        found = []
        for i, word in enumerate(folded):
            slug = self.numbered.get(word.lstrip("0"))
            if slug is None:
                continue
            near = [*folded[i + 1 : i + 3], *folded[max(0, i - 1) : i]]
            if any(self.context.lookup(w) is not None for w in near):
                found.append((i, Hit(slug, 1.0, word)))
        return found

    def _is_street(self, folded: Sequence[str], i: int) -> bool:
        return i + 1 < len(folded) and self.streets.lookup(folded[i + 1]) is not None


def _best(hits: Sequence[tuple[int, Hit]]) -> str | None:
    totals: dict[str, float] = {}
    first: dict[str, int] = {}
    for position, hit in hits:
        label = hit.label.lstrip(_GUARD)
        totals[label] = totals.get(label, 0.0) + hit.weight
        first.setdefault(label, position)
    if not totals:
        return None
    return max(totals, key=lambda label: (totals[label], -first[label]))


def _labelled(districts: dict[str, list[str]], blocked: list[str]) -> dict[str, list[str]]:
    """Patterns by label: the slug, "?slug" for the places that need context, BLOCK for street names."""
    labelled: dict[str, list[str]] = {BLOCK: blocked}
    for slug, patterns in districts.items():
        labelled[slug] = [p for p in patterns if not p.startswith(_GUARD)]
        labelled[_GUARD + slug] = [p[1:] for p in patterns if p.startswith(_GUARD)]
    return labelled


@cache
def gazetteer(city: str = "almaty") -> Gazetteer:
    """The gazetteer of `city`, loaded once."""
    path = _DATA / f"{city.lower()}.json"
    if not (city.isascii() and city.isidentifier()) or not path.is_file():
        raise ValueError(f"no gazetteer for city {city!r}")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Gazetteer(
        city=raw["city"],
        districts=tuple(raw["districts"]),
        places=Lexicon(
            _labelled(raw["districts"], raw.get("not_districts", [])), fuzzy_stop=raw.get("fuzzy_stop", ())
        ),
        context=Lexicon({"context": raw["context"]}),
        streets=Lexicon({"street": raw["street_words"]}),
        numbered={str(n): slug for slug, numbers in raw.get("numbered", {}).items() if slug != "_comment"
                  for n in numbers},
        local_streets=Lexicon({slug: names for slug, names in raw.get("local_streets", {}).items()
                               if slug != "_comment"}),
    )
