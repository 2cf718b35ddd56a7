"""Words and their folded form: the one spelling every matcher (topics, districts, dedupe) compares.

Folding erases the noise viewers make when they type the same word: case, ё/е, Kazakh letters
typed as their Russian look-alikes (қ → к, ү → у, і → и …), й/ы/и confusions, hard and soft
signs, Latin look-alike letters inside a Cyrillic word (Latin "a" in "Aксай"), and Latin-script
Kazakh or Russian transliteration ("qashan", "aýdan", "kóshe", "Shanyrak", "voda").
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["fold", "folded_words", "has_cyrillic", "has_latin", "words"]

# a word: letters and digits, joined by an apostrophe or a hyphen only when letters follow
_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_LATIN = re.compile(r"[a-zäáàâçéèğǵıíîñńöóòşüúùūýÿ]", re.IGNORECASE)

_FOLD = str.maketrans({
    "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
    "ё": "е", "э": "е", "й": "и", "ы": "и", "ъ": None, "ь": None,
})

# Latin letters that look like Cyrillic ones: used inside a word that is mostly Cyrillic
_LOOKALIKE = str.maketrans({
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "i": "і", "k": "к", "m": "м", "o": "о",
    "p": "р", "t": "т", "x": "х", "y": "у", "u": "и", "n": "п", "r": "г", "3": "з", "0": "о",
})

# transliteration of a Latin word (Kazakh 2021/2018 alphabets, informal Kazakh and Russian translit)
_DIGRAPHS = (("shch", "щ"), ("sch", "щ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"),
             ("ts", "ц"), ("ya", "я"), ("yu", "ю"), ("yo", "е"), ("ia", "я"), ("iu", "ю"))
_SINGLE = str.maketrans({
    "a": "а", "ä": "ә", "á": "ә", "b": "б", "c": "с", "ç": "ч", "d": "д", "e": "е", "é": "е", "f": "ф",
    "g": "г", "ğ": "ғ", "ǵ": "ғ", "h": "х", "i": "и", "ı": "ы", "í": "и", "j": "ж", "k": "к", "l": "л",
    "m": "м", "n": "н", "ñ": "ң", "ń": "ң", "o": "о", "ö": "ө", "ó": "ө", "p": "п", "q": "қ", "r": "р",
    "s": "с", "ş": "ш", "t": "т", "u": "у", "ū": "ұ", "ü": "ү", "ú": "ү", "v": "в", "w": "у", "x": "х",
    "y": "ы", "ý": "у", "z": "з",
})


def words(text: str) -> list[str]:
    """The lower-cased words of `text` (letters and digits; punctuation and emoji dropped)."""
    return _WORD.findall(text.lower())


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


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """The comparison key of one lower-case word."""
    if word.isdigit():
        return word
    cyr, lat = has_cyrillic(word), has_latin(word)
    if cyr and lat:
        word = word.translate(_LOOKALIKE)
    elif lat:
        word = transliterate(word)
    return word.translate(_FOLD)


def folded_words(text: str) -> list[str]:
    return [fold(w) for w in words(text)]
