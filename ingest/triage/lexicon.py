"""Stem lexicons: folded words → a label (a topic, a district), through inflection and typos.

A pattern is written in ordinary Kazakh/Russian spelling and folded on load (see `tokens.fold`):

- `дорог*`  any word that starts with the stem (дорога, дороги, дорожный needs its own stem);
- `жол`     the stem alone or followed by a common Kazakh or Russian ending (жолы, жолда, жолдар),
            the safe form for short stems: `су` must not catch "сумка" or "суд";
- `=дом`    that exact word only;
- `ауыз су*`  several words in a row, each written as above (`#` stands for a number);
- a `:0.5` tail gives the pattern a weight other than 1;
- the label `BLOCK` ("_") marks words that look like a stem but are not one ("дорогой аким").

Words of six letters or more that match nothing get one more chance against the stems of seven
letters or more, within a small edit distance (rapidfuzz), so "атопление" and "бостандыкскй" still
count. Every answer is cached per word: a live show repeats its vocabulary all evening.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .tokens import fold

__all__ = ["BLOCK", "ENDINGS", "MIN_FUZZY_WORD", "Hit", "Lexicon"]

BLOCK = "_"

_KK_ENDINGS = """ы і сы сі ын ін ны ні ды ді ты ті на не ға ге қа ке а е да де та те нда нде дан ден тан тен
нан нен ның нің дың дің тың тің мен бен пен лар лер дар дер тар тер лары лері дары дері тары тері ларда
лерде дарда дерде тарда терде ларды лерді дарды дерді тарды терді ларға лерге дарға дерге тарға терге
ларының лерінің сыз сіз ымыз іміз ыңыз іңіз сын сін сына сіне сында сінде сынан сінен ындағы індегі
дағы дегі тағы тегі ндағы ндегі сындағы сіндегі ларын лерін дарын дерін тарын терін сымен сімен ымен імен
ында інде ынан інен ына іне ың ің ыңды іңді ым ім"""
_RU_ENDINGS = "а у ы и е о ой ей ом ем ам ям ами ями ах ях ов ев ю я ью ые ый ий ая ое ого ому ую ом ым"
ENDINGS = frozenset({fold(e) for e in (_KK_ENDINGS + " " + _RU_ENDINGS).split()} | {""})
_ENDING_LENGTHS = tuple(sorted({len(e) for e in ENDINGS}))  # 0 (the stem alone) first
_MIN_PREFIX = 3
MIN_FUZZY_WORD = 6  # shortest word tried for typos
_MIN_FUZZY_STEM = 7  # shortest stem a typo may hit: shorter ones meet ordinary words ("тастады" ≠ Тастак)
_VOWELS = frozenset("аеиоуяюэaeiouy")
_HEAD = 3  # phrases are indexed by the first letters of their first word
_CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class Hit:
    label: str
    weight: float
    stem: str


def _parse(pattern: str) -> tuple[str, str, float]:
    """(kind, folded stem, weight); kind is "prefix", "stem" or "exact"."""
    text, _, weight = pattern.partition(":")
    kind = "stem"
    if text.endswith("*"):
        kind, text = "prefix", text[:-1]
    elif text.startswith("="):
        kind, text = "exact", text[1:]
    return kind, fold(text.lower()), float(weight) if weight else 1.0


Part = tuple[str, str]  # (kind, folded stem) of one word of a pattern


def _part_ok(part: Part, word: str) -> bool:
    kind, stem = part
    if stem == "#":
        return word.isdigit()
    if kind == "prefix":
        return word.startswith(stem)
    if kind == "exact":
        return word == stem
    return word.startswith(stem) and word[len(stem) :] in ENDINGS


@dataclass(frozen=True, slots=True)
class _Phrase:
    parts: tuple[Part, ...]
    hit: Hit

    def matches(self, words: Sequence[str], start: int) -> bool:
        """Whether the words from `start` on continue the phrase (its first word is known to match)."""
        if start + len(self.parts) > len(words):
            return False
        return all(_part_ok(part, words[start + i]) for i, part in enumerate(self.parts) if i)


# a word's own hit, and the phrases it may start: those whose second word is one form only, by that form (a
# word such as "не" starts dozens: "не работает", "не ходит" …), and the others
_Phrases = tuple[dict[str, tuple[_Phrase, ...]], tuple[_Phrase, ...]]
_Entry = tuple[Hit | None, _Phrases]
_NO_PHRASES: _Phrases = ({}, ())
_NOTHING: _Entry = (None, _NO_PHRASES)


def _by_next(phrases: Sequence[_Phrase]) -> _Phrases:
    """Phrases filed by their second word where it has one form only (see `_Phrases`), in their order."""
    if not phrases:
        return _NO_PHRASES
    by_next: dict[str, list[_Phrase]] = {}
    others: list[_Phrase] = []
    for phrase in phrases:
        kind, stem = phrase.parts[1]
        if kind == "exact" and stem != "#":
            by_next.setdefault(stem, []).append(phrase)
        else:
            others.append(phrase)
    return {word: tuple(found) for word, found in by_next.items()}, tuple(others)


class Lexicon:
    def __init__(self, entries: Mapping[str, Iterable[str]], fuzzy_stop: Iterable[str] = ()) -> None:
        self._exact: dict[str, Hit] = {}
        self._prefix: dict[str, Hit] = {}
        self._stems: dict[str, Hit] = {}
        self._fuzzy: dict[int, tuple[list[str], list[Hit]]] = {}
        self._fuzzy_stop = tuple(fold(w) for w in fuzzy_stop)
        self._phrases: dict[str, list[_Phrase]] = {}  # first letters of the first word -> phrases
        self._entries: dict[str, _Entry] = {}  # cache: folded word -> what it starts
        self._fuzzy_cache: dict[str, Hit | None] = {}
        for label, patterns in entries.items():
            for pattern in patterns:
                if " " in pattern.partition(":")[0]:
                    self._add_phrase(label, pattern)
                else:
                    self._add(label, pattern)

    def _add_phrase(self, label: str, pattern: str) -> None:
        text, _, weight = pattern.partition(":")
        parts = tuple((kind, stem) for kind, stem, _ in (_parse(word) for word in text.split()))
        head = parts[0][1][:_HEAD]
        self._phrases.setdefault(head, []).append(
            _Phrase(parts, Hit(label, float(weight) if weight else 1.0, text))
        )

    def _add(self, label: str, pattern: str) -> None:
        kind, stem, weight = _parse(pattern)
        hit = Hit(label, weight, stem)
        if kind == "prefix":
            self._prefix.setdefault(stem, hit)
        elif kind == "exact":
            self._exact.setdefault(stem, hit)
        else:  # the stem with any of the endings: looked up by taking an ending off the word (see `_match`)
            self._stems.setdefault(stem, hit)
        if len(stem) >= _MIN_FUZZY_STEM and label != BLOCK:
            stems, hits = self._fuzzy.setdefault(len(stem), ([], []))
            stems.append(stem)
            hits.append(hit)

    def lookup(self, word: str) -> Hit | None:
        """The hit of one folded word, by its exact form or its longest known prefix."""
        return self._entry(word)[0]

    def scan(self, words: Sequence[str]) -> list[tuple[int, Hit]]:
        """(position, hit) of every word and multi-word pattern found in folded words, in order."""
        found: list[tuple[int, Hit]] = []
        entries = self._entries
        for i, word in enumerate(words):
            if word.isdigit():
                continue  # a number starts no pattern (and would fill the cache: every show has thousands)
            entry = entries.get(word) or self._entry(word)
            if entry is _NOTHING:
                continue
            hit, (by_next, others) = entry
            if hit is not None:
                found.append((i, hit))
            if by_next and i + 1 < len(words):
                for phrase in by_next.get(words[i + 1], ()):
                    if phrase.matches(words, i):
                        found.append((i, phrase.hit))
            for phrase in others:
                if phrase.matches(words, i):
                    found.append((i, phrase.hit))
        return found

    def _entry(self, word: str) -> _Entry:
        entry = self._entries.get(word)
        if entry is None:
            hit = self._match(word)
            phrases = [
                p
                for head in {word[:_HEAD], word[: _HEAD - 1]}
                for p in self._phrases.get(head, ())
                if _part_ok(p.parts[0], word)
            ]
            entry = (hit, _by_next(phrases)) if hit is not None or phrases else _NOTHING
            if len(self._entries) >= _CACHE_LIMIT:
                self._entries.clear()
            self._entries[word] = entry
        return entry

    def _match(self, word: str) -> Hit | None:
        if word.isdigit():
            return None
        hit = self._exact.get(word)
        if hit is not None:
            return hit
        stems = self._stems
        for cut in _ENDING_LENGTHS:  # the longest stem first: "жолдар" is "жол" + "дар"
            if cut < len(word):
                hit = stems.get(word[: len(word) - cut] if cut else word)
                if hit is not None and word[len(word) - cut :] in ENDINGS:
                    return hit
        for end in range(len(word), _MIN_PREFIX - 1, -1):
            hit = self._prefix.get(word[:end])
            if hit is not None:
                return hit
        return None

    def fuzzy(self, word: str) -> Hit | None:
        """The hit of a misspelt folded word (cached: viewers repeat their typos)."""
        try:
            return self._fuzzy_cache[word]
        except KeyError:
            pass
        hit = None
        known = self._entry(word)[0] is not None  # a word the lexicon knows is no typo of another
        if (
            not known
            and len(word) >= MIN_FUZZY_WORD
            and not word.isdigit()
            and not word.startswith(self._fuzzy_stop)
        ):
            hit = self._closest(word)
        if len(self._fuzzy_cache) >= _CACHE_LIMIT:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[word] = hit
        return hit

    def _closest(self, word: str) -> Hit | None:
        """The nearest stem within one edit (two for stems of ten letters or more) of the word's head.

        Viewers' typos keep the first letter, or swap one unstressed vowel for another (атопление,
        арбита), so a stem whose first letter differs otherwise is no candidate: "сурак" is not "турак".
        """
        best: tuple[int, Hit] | None = None
        for length, (stems, hits) in self._fuzzy.items():
            if length > len(word) + 1:
                continue
            allowed = 1 if length < 10 else 2
            # a letter dropped from the word's head only counts against a long stem
            pieces = (
                {word[: length - 1], word[:length], word[: length + 1]}
                if length >= 8
                else {word[:length], word[: length + 1]}
            )
            for piece in pieces:
                found = process.extractOne(piece, stems, scorer=Levenshtein.distance, score_cutoff=allowed)
                if found is None or not _same_start(word, found[0]):
                    continue
                if best is None or found[1] < best[0]:
                    best = (found[1], hits[found[2]])
        return best[1] if best is not None else None


def _same_start(word: str, stem: str) -> bool:
    return word[0] == stem[0] or (word[0] in _VOWELS and stem[0] in _VOWELS)
