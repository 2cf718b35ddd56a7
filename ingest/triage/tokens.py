"""Words and their folded form: the one spelling every matcher (topics, districts, dedupe) compares.

Folding erases the noise viewers make when they type the same word: case, ё/е, Kazakh letters
typed as their Russian look-alikes (қ → к, ү → у, і → и …), й/ы/и confusions, hard and soft
signs, Latin look-alike letters inside a Cyrillic word (Latin "a" in "Aксай"), and Latin-script
Kazakh or Russian transliteration ("qashan", "aýdan", "kóshe", "Shanyrak", "voda").
"""

from __future__ import annotations

import re

__all__ = ["fold", "folded_words", "has_cyrillic", "has_latin", "transliterate", "words"]

# a word: a run of letters, digits (and underscores: `\w` scans twice as fast as `[^\W_]`)
_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_LATIN = re.compile(r"[a-zäáàâçéèğǵıíîñńöóòşüúùūýÿ]", re.IGNORECASE)

_DOUBLE = re.compile(r"(\w)\1+")
_FOLD = str.maketrans("әғқңөұүһіёэйы", "агкноуухиееии", "ъь")

# Latin letters that look like Cyrillic ones: used inside a word that is mostly Cyrillic
_LOOKALIKE = str.maketrans("abcehikmoptxyunr30", "авсенікмортхуипгзо")

# transliteration of a Latin word (Kazakh 2021/2018 alphabets, informal Kazakh and Russian translit)
_DIGRAPHS = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "е"),
    ("ia", "я"),
    ("iu", "ю"),
)
_SINGLE = str.maketrans(
    "aäábcçdeéfgğǵhiıíjklmnñńoöópqrsştuūüúvwxyýz", "аәәбсчдеефгғғхиыижклмнңңоөөпқрсштуұүүвухыуз"
)


def words(text: str) -> list[str]:
    """The words of `text` as written (letters and digits; punctuation and emoji dropped)."""
    return _WORD.findall(text)


def has_cyrillic(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


def has_latin(word: str) -> bool:
    return _LATIN.search(word) is not None


def transliterate(word: str) -> str:
    """A lower-case Latin word in Cyrillic letters ("qashan" → "қашан", "shanyrak" → "шанырак")."""
    for latin, cyrillic in _DIGRAPHS:
        if latin in word:
            word = word.replace(latin, cyrillic)
    return word.translate(_SINGLE)


_FOLDED: dict[str, str] = {}
_FOLDED_LIMIT = 200_000


def fold(word: str) -> str:
    """The comparison key of one word (cached: the same words come back all evening)."""
    folded = _FOLDED.get(word)
    if folded is None:
        folded = _fold(word)
        if len(_FOLDED) >= _FOLDED_LIMIT:
            _FOLDED.clear()
        _FOLDED[word] = folded
    return folded


def _fold(word: str) -> str:
    word = word.lower()
    if word.isdigit():
        return word
    cyr, lat = has_cyrillic(word), has_latin(word)
    if cyr and lat:
        word = word.translate(_LOOKALIKE)
    elif lat:
        word = transliterate(word)
    # doubled letters are a typo as often as a spelling: "поликлинника", "Калкамман", "адресс"
    return _DOUBLE.sub(r"\1", word.translate(_FOLD))


def folded_words(text: str, split: list[str] | None = None) -> list[str]:
    """The folded words of `text` (or of its already split words)."""
    get = _FOLDED.get
    return [get(w) or fold(w) for w in (split if split is not None else words(text))]
