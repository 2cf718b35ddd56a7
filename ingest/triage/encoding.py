"""Encoding repair: mojibake back to the text the viewer typed, and `garbled` when that cannot be done.

ftfy reverses damage that started as UTF-8 (`РџСЂРёРІРµС‚`, `ÐŸÑ€Ð¸Ð²ÐµÑ‚`, Kazakh included), but
not single-byte swaps (cp1251 read as Latin-1, KOI8-R <-> cp1251, UTF-8 read as KOI8-R; see
shared/CHANNELS.md section 6). Those are tried here explicitly and kept only when the result reads
clearly better, judged by the share of common Cyrillic letter pairs. ftfy costs ~90 µs on a clean
message, so every repair runs only behind a cheap regex that spots its signature.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import ftfy

__all__ = ["normalise_space", "plausibility", "repair"]

_DATA = Path(__file__).parent / "data"


def _continuation(codec: str) -> str:
    """What the bytes 0x80-0xBF (UTF-8 continuation bytes) look like when read with `codec`."""
    return bytes(range(0x80, 0xC0)).decode(codec, errors="ignore")


def _class(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


# UTF-8 Cyrillic read as cp1251 starts with Р С Т У; read as cp1252/Latin-1 with Ð Ñ Ò Ó.
# "Сі", "Ті" are ordinary Kazakh, so those leads never count with і/І/ё after them.
_CONT_1251 = _continuation("cp1251")
_CONT_LATIN = _continuation("latin-1") + _continuation("cp1252")
_UTF8_MOJIBAKE = re.compile(
    "Р"
    + _class(_CONT_1251)
    + "|[СТУ]"
    + _class(_CONT_1251.translate(str.maketrans("", "", "іІёЁ")))
    + "|[ÐÑÒÓ]"
    + _class(_CONT_LATIN + " ")
)
_LATIN1_HIGH = re.compile(r"[À-ÿ]")
_BOX = re.compile(r"[\u2500-\u257f\u2580-\u259f]")
# characters that ordinary kk/ru/en text almost never holds but mojibake is full of
_WEIRD = re.compile(
    r"[\u0080-\u009f\u00a1\u00a4-\u00a8\u00ac\u00b1-\u00ba\u00bc-\u00bf\u00c0-\u00ff"
    r"\u2020\u2021\u2030\u2039\u203a\u20ac\u2122\u2500-\u259f"
    r"\u0402-\u0405\u0407-\u040f\u0452-\u0455\u0457-\u045f]"
)
# the gate clean text passes in one scan: no character that some kind of mojibake is made of, and
# no lower-case letter followed by a capital early on (a KOI8-R <-> cp1251 swap: "оНВЕЛС")
_SUSPICIOUS = re.compile(
    r"[\u0080-\u009f\u00a1-\u00aa\u00ac-\u00af\u00b1-\u00ba\u00bc-\u00ff"
    r"\u0402-\u0405\u0407-\u040f\u0452-\u0455\u0457-\u045f\u2500-\u259f\ufffd]"
)
_INNER_CAPITAL = re.compile(r"[а-яё][А-ЯЁ]")
_SWAP_PROBE = 80  # a KOI8-R <-> cp1251 swap shows in the first words already
_LETTER = re.compile(r"[^\W\d_]")
# Serbian/Ukrainian letters: what cp1251 shows for UTF-8 continuation bytes or for KZ-1048 Kazakh letters
_NON_KZ_CYRILLIC = re.compile(r"[\u0402-\u0405\u0407-\u040f\u0452-\u0455\u0457-\u045f]")
_INVERTED_CASE = re.compile(r"\b[а-яё][А-ЯЁ]{2,}")
_CYR_WORD = re.compile(r"[а-яёәғқңөұүһі]+")
# a Cyrillic word with Latin-1 letters stuck inside: what is left of lossy mojibake (seeds/004)
_MIXED_WORD = re.compile(r"[À-ÿ\u0080-\u009f][а-яёәғқңөұүһі]|[а-яёәғқңөұүһі][À-ÿ\u0080-\u009f]", re.IGNORECASE)

_INVISIBLE = re.compile(
    r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u2064\u2066-\u2069\ufeff\ufe00-\ufe0e]"
)
_SPACE = re.compile(r"\s+")

# candidates for single-byte damage: (encode with, decode with)
_SINGLE_BYTE = (
    ("latin-1", "cp1251"),
    ("cp1252", "cp1251"),
    ("latin-1", "kz1048"),
    ("cp1251", "koi8-r"),
    ("koi8-r", "cp1251"),
    ("koi8-r", "utf-8"),
    ("cp1251", "kz1048"),
)


@cache
def _bigrams() -> frozenset[str]:
    """Letter pairs seen at least twice in the real kk/ru articles of shared/seeds."""
    return frozenset((_DATA / "cyrillic_bigrams.txt").read_text(encoding="utf-8").split())


def plausibility(text: str) -> float:
    """Share of common Kazakh/Russian letter pairs, with mojibake characters counted against it."""
    common = _bigrams()
    seen = hits = 0
    for word in _CYR_WORD.findall(text.lower()):
        for i in range(len(word) - 1):
            seen += 1
            hits += word[i : i + 2] in common
    weird = len(_WEIRD.findall(text)) + len(_INVERTED_CASE.findall(text))
    if not seen + weird:
        return 1.0
    return hits / (seen + 2 * weird)


def _transcode(text: str, encode: str, decode: str) -> str | None:
    try:
        return text.encode(encode).decode(decode)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _single_byte_suspect(text: str) -> bool:
    high = len(_LATIN1_HIGH.findall(text))
    if high >= 3 and high / max(len(_LETTER.findall(text)), 1) > 0.3:
        return True
    if _BOX.search(text) or _NON_KZ_CYRILLIC.search(text):
        return True
    return len(_INVERTED_CASE.findall(text)) >= 2 or (_mostly_upper(text) and len(_CYR_WORD.findall(text.lower())) >= 3)


def _mostly_upper(text: str) -> bool:
    """Capitals nearly everywhere: shouting, or cp1251 read as KOI8-R (its cases come out swapped)."""
    if text.isupper():
        return True
    upper = sum(c.isupper() for c in text)
    lower = sum(c.islower() for c in text)
    return upper >= 8 and upper >= 4 * lower


def _best_single_byte(text: str) -> str:
    best, best_score = text, plausibility(text)
    for encode, decode in _SINGLE_BYTE:
        candidate = _transcode(text, encode, decode)
        if candidate is None or not _CYR_WORD.search(candidate.lower()):
            continue
        score = plausibility(candidate)
        # clearly better, or as good and rid of every mojibake character (KZ-1048 Kazakh letters)
        if score >= 0.6 and (score > best_score + 0.2 or (score > best_score and not _WEIRD.search(candidate))):
            best, best_score = candidate, score
    return best


def normalise_space(text: str) -> str:
    # isprintable() is False for any control, format (zero-width) or blank other than " "
    if text.isprintable():
        if "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text  # the common case, decided by C-level checks alone
    else:
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


def _garbled(text: str, suspect: bool) -> bool:
    if lossy(text) or _BOX.search(text) or len(_UTF8_MOJIBAKE.findall(text)) >= 2:
        return True
    if len(_MIXED_WORD.findall(text)) >= 2:
        return True
    return suspect and len(_CYR_WORD.findall(text.lower())) >= 3 and plausibility(text) < 0.5


def repair(text: str) -> tuple[str, bool]:
    """(repaired NFC text with normalised whitespace, whether what is left still looks garbled)."""
    if text.isascii():
        return normalise_space(text), "?" in text and lossy(text)
    if _SUSPICIOUS.search(text) is None and not text.isupper() and not _INNER_CAPITAL.search(text, 0, _SWAP_PROBE):
        clean = normalise_space(unicodedata.normalize("NFC", text))
        return clean, "?" in clean and lossy(clean)
    fixed, suspect = text, False
    if len(_UTF8_MOJIBAKE.findall(text)) >= 2:
        fixed, suspect = ftfy.fix_text(text), True
    if fixed == text and _single_byte_suspect(text):
        fixed, suspect = _best_single_byte(text), True
    fixed = normalise_space(unicodedata.normalize("NFC", fixed))
    return fixed, _garbled(fixed, suspect)


# a character lost on the way: "?" (a codec's replacement) or U+FFFD standing where letters were
_LOST = re.compile(r"[?\ufffd]")
_LOST_WORD = re.compile(r"\S*[?\ufffd]\S*")


def lossy(text: str) -> bool:
    """Whether letters were replaced by "?" or U+FFFD on the way: several words made mostly of them,
    or replacement characters inside words ("По�ему"). "Когда??? Почему???" is not lossy."""
    if "?" not in text and "\ufffd" not in text:
        return False
    if "\ufffd" in text:
        return True
    lost, long = 0, False
    for word in _LOST_WORD.findall(text):
        marks = len(_LOST.findall(word))
        letters = sum(c.isalpha() for c in word)
        if marks >= 2 and marks > letters and not _angry(word):
            lost += 1
            long = long or marks >= 4
    return lost >= 2 and long and lost * 3 >= len(text.split())


def _angry(word: str) -> bool:
    """ "когда???", "?!?!": question marks after a word or with "!", not standing for letters."""
    if "!" in word:
        return True
    stripped = word.strip("?.,:;)(")
    return stripped.isalpha() and "?" not in stripped
