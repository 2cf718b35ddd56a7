"""Profanity in Russian and Kazakh (mat, strong insults), seen through the usual disguises.

Disguises undone before matching: stars and @ for a letter (`х*й`, `бл@ть`), Latin or digit
look-alikes inside a Cyrillic word (`xуй` with Latin x, `6лять`), letters spaced out (`б л я`),
repeated letters (`бляяяя`). Roots are anchored at the start of a word, behind a short list of
real prefixes, which keeps ordinary words clean: "оскорблять", "хлеб", "команда", "страхуйте",
"скипидар", "небо", Kazakh "бал", "сук", "ебі" (knack), "жалақы" (salary).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

__all__ = ["is_profane", "normalise"]

_WORDS = re.compile(r"\w+")
_PHRASE_HEADS = ("шешең", "шешен", "итің", "иттің", "itting", "ittin", "itin", "ittiñ", "itiñ")

_WILD = "*"
_LOOKALIKE = str.maketrans("abcekmoptxyuhn3064@$#%", "абсекмортхуинпзобч" + _WILD * 4)
# a word that mixes Cyrillic with Latin letters, digits or symbols: only those are rewritten
_MIXED_PAIR = re.compile(r"[а-яё][*@$#%0-9a-z]|[*@$#%0-9a-z][а-яё]")
_DISGUISED = re.compile(r"(?<![\w*@$#%])[\w*@$#%]*?(?:[а-яё][*@$#%0-9a-z]|[*@$#%0-9a-z][а-яё])[\w*@$#%]*")
_SPACED = re.compile(r"(?<!\S)[а-яё*@](?:[\s.\-_]{1,2}[а-яё*@]){2,}(?![^\s.,!?])")
_SPACERS = re.compile(r"[\s.\-_]")
_REST = re.compile(r"[а-яё*]*")  # the rest of a word after a root
_REPEAT = re.compile(r"([а-яёa-z])\1+")


def _root(root: str) -> str:
    """A root where any plain letter may also be written as the wildcard."""
    return "".join(f"[{c}*]" if c.isalpha() and "а" <= c <= "я" else c for c in root)


_RU_ROOTS = [
    r"(?:на|по|ни|о|а|за|до|от|под|при|рас|вы|ох)?" + _root("ху") + r"[йеёяию*]",
    r"(?:на|по|рас|от|за|вы|до|ис|с)?" + _root("пизд"),
    r"(?:за|на|по|у|вы|от|до|раз|рас|при|про|пере|подъ|объ|съ|въ|изъ|долбо)?[её*][б*](?:[аиунт*]|ё|л[аои]|(?![а-яёәғқңөұүһі]))",
    r"уеб(?:ок|ан)",
    r"[её]бл(?:ан|о)",
    _root("бл") + r"[я*](?![хш])(?:[дт]ь?)?",
    _root("сук") + r"(?:а|и|у|е|ой|ам|ами|ах|ин|ины|ину|ой)(?![а-яё])",
    _root("муд") + r"(?:ак|ил|ач)",
    r"г[ао]ндон",
    _root("залуп"),
    _root("шлюх"),
    _root("пид") + r"(?:[оа*]р|р)",
    r"ублюд",
    r"манд(?:а|у|ой|ы|ец)(?![а-яё])",
    r"дерьм",
    r"говн",
    r"(?:на|по)?хер(?:ня|ню|ни|ов|а)?(?![а-яё])",
    r"чмо(?![а-яё])",
    r"мраз(?:ь|и|ота)",
    _root("жоп") + r"(?:а|у|ой|е|ы|н)",
    _root("хер") + r"(?:ня|ню|ни|ов|а)?(?![а-яё])",  # х*р, х@р: a star stands for its vowel
    r"сволоч",
    r"тва[рp](?:ь|и|ей|ям)(?![а-яё])",
    r"(?:д[е*]|даунь?)бил(?:ы|ов|ам|ами)?(?![а-яё])",
    r"идиот(?:ы|ов|ам|ами|ка|ки)?(?![а-яё])",
    r"урод(?:ы|ов|ам|ами|ина|ины)?(?![а-яё])",
    r"скотин",
    r"падл",
    r"ублюд",
    r"ничтожеств",
    r"кретин",
    r"придур",
    r"дегенерат",
    r"быдл",
    r"козл(?:ы|ина|ины|ов)(?![а-яё])",
    r"шакал(?:ы|ов|ам)(?![а-яё])",
    r"тупиц",
    r"тупорыл",
]
_KK_ROOTS = [
    r"[қк][оу]т[аә][қк]",
    r"ам[ыі]ң",
    r"ам[ыі]ңд[ыі]",
    r"с[іи][гк](?:ейін|еиин|еин|йін|тім|тим|ем|кен)",
    r"жалап(?:тар|тың|сың|ың)?(?![а-яё])",
    r"шешең\S*\s+ұр",
    r"көт(?:ің|ін|ке|ақ)",
    r"ит(?:тің|ің) баласы",
    r"ит(?:сің|сиң|сын|сың)(?:дер|дар)?(?![а-яёәғқңөұүһі])",
    r"ит(?:тің|ің) балалары",
    r"ақымақ",
    r"акымак",
    r"оңбаған",
    r"онбаган",
    r"малғұн",
    r"малгун",
    r"жексұрын",
    r"жексурын",
    r"мақұлық",
    r"макулык",
    r"сұмырай",
    r"сумырай",
    r"найсап",
    r"боқ(?:тар|тық|қа|ты|ым)?(?![а-яёәғқңөұүһі])",
    r"шошқа(?:лар|сың|ның)?(?![а-яёәғқңөұүһі])",
    r"есек(?:тер|сің|сіңдер)(?![а-яёәғқңөұүһі])",
    r"ұры(?:лар|сың|сыңдар)(?![а-яёәғқңөұүһі])",
    r"доңыз(?:дар|сың|сыңдар)?(?![а-яёәғқңөұүһі])",
    r"антұрған",
    r"антурган",
]
_CYRILLIC = re.compile(r"(?<![а-яёәғқңөұүһі])(?:" + "|".join(_RU_ROOTS + _KK_ROOTS) + ")")
_LATIN = re.compile(
    r"\b(?:(?:na|po)?h[uy][iyj]|xy[uй]|xu[iy]|bl[yi]a[td]?|suka|pizd\w*|eblan|ebat\w*|mudak|pid[oa]r|"
    r"[qk]otaq\w*|sigeyin|sigeiin|[jz]h?alap|a[qk]y?ma[qk]\w*|akymak\w*|o[nñ]g?ba[gǵ]an\w*|malg[uú]n\w*|"
    r"zheksuryn\w*|naisap\w*|itti[nñ]g? balas[yi]\w*|it[ti]*[nñ]g? balalar[yi]|shoshqa\w*|"
    r"idiot\w*|debil\w*|svoloch\w*|urod\w*|tvar|eshek\w*|esek(?:ter|sin|sinder)\w*|"
    r"f[u*@]+c?k\w*|f\*+\w*ing|sh[i*!]t\w*|b[i*]tch\w*|motherf\w*)\b"
)


def _undisguise(match: re.Match[str]) -> str:
    return match.group().translate(_LOOKALIKE)


def _unspace(match: re.Match[str]) -> str:
    return _SPACERS.sub("", match.group())


_DOTTED = re.compile(r"(?<=[а-яё])[.…]{1,3}(?=[а-яё]{2})")  # "п..дец": dots for the letters left out


def normalise(text: str) -> str:
    """Lower-cased text with disguises undone and repeated letters collapsed."""
    lowered = text.lower()
    if "." in lowered or "…" in lowered:
        lowered = _DOTTED.sub(lambda m: _WILD * (2 if m.group() == "…" else len(m.group())), lowered)
    if _MIXED_PAIR.search(lowered):
        lowered = _DISGUISED.sub(_undisguise, lowered)
    lowered = _SPACED.sub(_unspace, lowered)
    return _REPEAT.sub(r"\1", lowered)


@cache
def _listed() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The insult words and phrases of `data/insults.json` (kk, Latin kk, ru, en; written apart from any
    evaluation set), normalised: phrases by their first word."""
    raw = json.loads((Path(__file__).parent / "data" / "insults.json").read_text(encoding="utf-8"))
    phrases: dict[str, list[str]] = {}
    for phrase in raw["phrases"]:
        phrases.setdefault(phrase.split()[0], []).append(phrase)
    return frozenset(raw["words"]), {first: tuple(found) for first, found in phrases.items()}


def _profane_normal(normal: str) -> bool:
    if normal in _listed()[0] or _LATIN.search(normal) is not None:
        return True
    # a word made of wildcards only ("***") is not evidence of anything; "е**ные" is (its letters after the root)
    return any(sum(c != _WILD for c in m.group() + _REST.match(normal, m.end()).group()) >= 2  # type: ignore[union-attr]
               for m in _CYRILLIC.finditer(normal))


_WORD_CACHE: dict[str, bool] = {}
_CACHE_LIMIT = 200_000


def _profane_word(word: str) -> bool:
    found = _WORD_CACHE.get(word)
    if found is None:
        found = _profane_normal(normalise(word))
        if len(_WORD_CACHE) >= _CACHE_LIMIT:
            _WORD_CACHE.clear()
        _WORD_CACHE[word] = found
    return found


def _needs_whole_text(text: str, words: Sequence[str]) -> bool:
    """Disguises that split words (`х*й`, `б л я`) or phrases: only then is the whole text scanned."""
    if any(c in text for c in "*@$#%…") or ".." in text:
        return True
    lowered = text.lower()
    if any(head in lowered for head in _PHRASE_HEADS):
        return True
    run = 0
    for word in words:
        run = run + 1 if len(word) == 1 and not word.isdigit() else 0
        if run >= 3:
            return True
    return False


def is_profane(text: str, words: Sequence[str] | None = None) -> bool:
    """Whether `text` swears; `words` are `tokens.words(text)` when the caller has them."""
    if words is None:
        words = _WORDS.findall(text)
    cache = _WORD_CACHE
    for word in words:
        found = cache.get(word)
        if found is None:
            found = _profane_word(word)
        if found:
            return True
    if _needs_whole_text(text, words) and _profane_normal(normalise(text)):
        return True
    return _listed_phrase(text, words)


def _listed_phrase(text: str, words: Sequence[str]) -> bool:
    """A listed phrase ("әкеңнің аузын", "сукин сын") said in the text, word for word."""
    phrases = _listed()[1]
    normals = [_normal_word(word) for word in words]
    heads = [normal for normal in normals if normal in phrases]
    if not heads:
        return False
    joined = " " + " ".join(normals) + " "
    return any(" " + phrase + " " in joined for head in heads for phrase in phrases[head])


@lru_cache(maxsize=_CACHE_LIMIT)
def _normal_word(word: str) -> str:
    """`normalise` of one word, cached (a live show repeats its vocabulary all evening)."""
    return normalise(word)
