"""Near-duplicate questions per show: one cluster for the same concrete ask, however it is spelt.

A question is read once, when it arrives, into a *signature* (`signature`): its terms and the marks of
what it names, in one tuple of shared strings.

* Terms: words folded (case, punctuation, ё/е, Kazakh letters vs their Russian look-alikes, Kazakh
  Latin of the 2021 alphabet and informal translit: see `tokens.fold`), number words read as numbers
  ("сорок" → 40), light Russian and Kazakh suffix stripping and a short head kept ("площадки",
  "площадка" → "площа"; "үйдің", "уйде" → "уи"), everyday Kazakh/English words mapped to their Russian
  counterpart (су → вода, свет ← жарық, with the Russian word's case forms: "школы" → "школа"), and
  stopwords (when, please, hello, district …) and two-letter scraps dropped.
* Identifier numbers: a number that names something (a house, a bus route, a school, "Аксай-4"). A
  number followed by a unit ("40 минут", "2 недели", "85 000 тг", "5 этаж", "4 жаста"), a year, a round
  sum, a range ("с 19 до 22"), an ordinal ("третий день"), a time, date or decimal ("18:00") is a
  quantity. Phone, IIN, card and account numbers (10+ digits) are dropped.
* Marks: the districts and micro-districts of the city's gazetteer (`districts.py`), the streets it
  names (`data/<city>_streets.txt`, or a word next to "ул.", "көшесі", "avenue" …), and other proper
  names (a capitalised word inside a sentence, unless the text shouts; not an acronym).

Two questions are duplicates when:
* their identifier numbers agree: the same numbers, or one omits some of the other's while they share
  at least one (a different house number, bus route or school number never clusters, and neither does
  a question without an identifier with one that has them); a number one writes as a name and the other
  as a quantity is one number; quantities part them only when both give some and none agree ("3 дня"
  meets a question without one, not "5 дней");
* they are not in different districts (named as such, or by their micro-districts), and do not each name
  a micro-district, street or proper name the other does not mention ("Абая 10 не работает светофор" is
  not "Сейфуллина 10 …" nor "Достык 10 …"; a typo in the name still meets it);
* the weighted overlap of their terms reaches the threshold: each term weighs by its rarity among the
  show's representatives (online inverse document frequency; identifiers, places and names weigh more),
  and the score blends the Dice coefficient with the overlap coefficient, so a paraphrase with a few
  extra words still clusters;
* and the same overlap of the terms that say *what* is asked (not places, names, numbers or units)
  reaches `_CONTENT_FLOOR`, when both have some: "Жұлдыз-1: света нет с утра" is not "Жұлдыз-1: электр
  бағанасы құлайын деп тұр", however much the place weighs.

Cost per message is small and flat as the show grows (`DedupeIndex.match` then `add` read the text
once). An exact folded match is a dictionary hit. Otherwise the query's rarest terms are looked up in an
inverted index whose postings lists hold the newest representatives only (a common word's list is
trimmed to `scan_per_feature`; a rare word's list is short anyway); `collections.Counter` adds up in C the
weight of the terms each candidate shares (a list read as many times as its term weighs, up to
`_RANK_CAP`), the best `_CHECKED` meet cheap guards and an unweighted overlap, and at most `_SCORED` are
weighed in full. A question whose identifier numbers no representative carries is
answered at once. Each cluster keeps at most `reps_per_cluster` representatives in the index, the newest
ones: a member joining a full cluster takes the place of its oldest representative (which leaves its
postings), so a cluster that keeps being asked stays within reach of the trimmed lists. Per question the
index keeps one small tuple (its signature while it represents its cluster), one exact-match entry and
its slots in the short postings lists.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, reduce
from itertools import chain
from operator import or_
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from . import problems as _problems
from .districts import gazetteer
from .lexicon import BLOCK, Hit, Lexicon
from .tokens import fold
from .tokens import words as split_words

__all__ = ["DedupeIndex", "Found", "Signature", "Suggestion", "signature", "terms"]

_DATA = Path(__file__).parent / "data"

# ---------------------------------------------------------------------------------------------
# normalisation

# Kazakh Latin with apostrophes (2018 alphabet "o'", "g'", "s'") and informal digraphs
_APOSTROPHE = re.compile(r"([a-z])['’`ʼ‘]")
_APOSTROPHE_LETTER = {"a": "ä", "o": "ö", "u": "ü", "i": "ı", "g": "ğ", "n": "ñ", "s": "ş", "c": "ç"}
_NG_KEEP = re.compile(r"ng(?=[aeiouyäöüı])")

_RU_ENDINGS = """
иями ями ами ого его ому ему ими ими ых их ую юю ая яя ое ее ои еи ии ом ем ам ям ах ях ов ев
ают яют ует уют еют ишь ешь ете ите ает яет ует ит ет ют ут ат ят ла ли ло ть ться тся ся ние ния нии
ние ость ости ова ует ска ски ско ску
а я о е у ю и ы й
"""
_KK_ENDINGS = """
ларынын леринин ларында леринде дарында деринде тарында теринде ларын лерин дарын дерин тарын терин
лары лери дары дери тары тери лар лер дар дер тар тер
ындагы индеги ндагы ндеги дагы деги тагы теги
нын нин дын дин тын тин ын ин
нда нде да де та те
нан нен дан ден тан тен ан ен
мен бен пен
ны ни ды ди ты ти
на не га ге ка ке
ымыз имиз ыныз иниз
сы си
сиз
ади еди иди ды ди
"""
# (written after folding: "ть" would fold to a bare "т")
_ENDINGS = frozenset(fold(e) for e in (_RU_ENDINGS + _KK_ENDINGS).split() if "ь" not in e)
_ENDING_LENGTHS = tuple(sorted({len(e) for e in _ENDINGS}, reverse=True))
_MIN_STEM = 3
_HEAD = 5  # a stem keeps at most its first letters: "площад", "площадь", "площадк" all meet

# number words (ru, kk, en) read as digits, so "сорок минут" meets "40 минут"; "один", "бір", "он"
# are left alone: they mean "alone", "a", "he" as often as a number
_NUMBERS = {
    "2": "два две двух двое екі two",
    "3": "три трех трое үш three",
    "4": "четыре четырех төрт four",
    "5": "пять пяти бес five",
    "6": "шесть шести алты six",
    "7": "семь семи жеті seven",
    "8": "восемь восьми сегіз eight",
    "9": "девять девяти тоғыз nine",
    "10": "десять десяти ten",
    "20": "двадцать двадцати жиырма twenty",
    "30": "тридцать тридцати отыз thirty",
    "40": "сорок сорока қырық forty",
    "50": "пятьдесят пятидесяти елу fifty",
    "100": "сто ста жүз hundred",
}

# a number followed by one of these (as written, folded) measures something: time, money, size, a floor,
# a count. It is a quantity, not the name of a house or a route ("5 этаж", "40 минут", "85000 тг")
_UNITS = """
минут минуты минуту мин час часа часов сек секунд сағат сағаттан сағатқа сутки суток утра вечера ночи am pm
смена смены смен сменах смену ауысым ауысыммен ауысымда shift shifts
дня дней сутки күн күннен күндей күнге күнде неделя недели неделю недель апта аптадан аптаға
месяц месяца месяцев ай айдан айдай айға год года году годом лет жыл жылдан жылдай жылға жылдың
тг тенге теңге тыс тысяч тысячи тысяча мың млн миллион миллиона миллионов процент процента процентов
пайыз градус градуса градусов см метр метра метров км километр километров сотка сотки соток сотых
сотық этаж этаже этажа этажей этажный этажного этажном қабат қабатта қабатқа қабатты қабаттамыз
қабатында человек человека адам штук штуки раз раза детей ребенка ребёнка семей литр литров кг килограмм
жаста жасар жастағы жасында жасқа жасымда годика годиков есе
minutes minute min hours hour days day weeks week months month years year tenge kzt floor
"""
# ordinals say how long or which time, never which house: "третий день" meets "3 дня", not "дом 3"
_ORDINALS = {
    "2": "второй вторая второе второго второму втором вторую вторые вторых екінші",
    "3": "третий третья третье третьего третьему третьем третью третьи третьих үшінші",
    "5": "пятый пятая пятое пятого пятому пятом пятую пятые пятых бесінші",
}
# a number after these opens or closes a range of time ("с 19 до 22", "8-ден 17-ге дейін")
_RANGE_BEFORE = "с до от по дейін"
_CONTACT_DIGITS = 10  # a run of this many digits is a phone, IIN, card or account number: dropped
# a word, a number with inner separators (18:00, 12.03.2024, 1,5: a time, date or decimal), a sentence end
# (letters and digits written together are two tokens: "айнабулак3", "д98", "10дней")
_TOKEN = re.compile(r"\d+(?:[:.,]\d+)+|\d+/\d+|\d+|[^\W\d_]+|[.!?…\n]")  # "286/4": one house

# words that say nothing about *what* is asked: greetings, question words, auxiliaries, pronouns,
# "district", "street", "please" … (ru, kk, en, Latin translit goes through the same folding)
_STOP_TEXT = """
когда будет будут будем почему зачем где как какой какая какие что чтобы это этот эта эти нет есть
уже еще ещё вопрос вопросы здравствуйте здравствуй добрый доброе день вечер вечера утро спасибо
пожалуйста подскажите скажите можно нужно надо очень только такой такая такое наш наша наше наши нас
нам мы вы вас вам они их он она оно мне меня мой моя мои я ты у в во на с со к ко по за из от до о об
при для без и а но или же ли бы не ни то там тут здесь который которая которые которых кто кого кому
сколько уважаемый уважаемые аким акимат акима район района районе районы ул улица улице улицы
мкр микрорайон микрорайоне дом доме дома д г город города городе алматы алмате алма ата
также тоже всё все всех весь вообще опять снова просто сегодня сейчас вот так ну раз
пен бен қашан неге неліктен қалай қайда бар жоқ сәлеметсіз сәлем салем салеметсиз рахмет және мен осы бұл
біз біздің бізде бізге сіз сіздер сіздің керек ма ме ба бе па пе ғой ғана да де та те әлі тағы
ауданы ауданында аудан ауданның көшесі көшесінде көше ықшамаудан ықшамауданы ықшамауданында үй
болады бола болды жатыр өтінемін құрметті әкім әкімдік алматыда алматы
when why where how what who is are the a an to of in on at for and or please hello hi thanks thank
there there's it it's our we you your my i me do does did will can could would district street
"""

# everyday Kazakh and English words folded onto their Russian counterpart (the index compares
# terms, so "су жоқ" and "нет воды" share one); Russian first, then its equivalents
_CONCEPTS = """
вода су суы water
свет жарық электр electricity
отопление жылу heating
батарея батареялар radiator radiators
дорога жол road roads
улица көше
двор аула
школа мектеп school
садик балабақша детсад сад kindergarten
ребенок дети бала балалар child children
врач дәрігер doctor
поликлиника емхана clinic
больница аурухана hospital
лекарство дәрі medicine
мусор қоқыс garbage
дерево ағаш trees
собака ит dogs
земля жер
участок телім учаске
пенсия зейнетақы pension пенсионер зейнеткер pensioner pensioners
пособие жәрдемақы
остановка аялдама
фонарь шам
дым түтін smoke
воздух ауа
город қала
мост көпір bridge
ремонт жөндеу repair
очередь кезек queue
место орын
неделя апта
месяц ай
ночь түн night
зима қыс winter
деньги ақша money
цена баға price
налог салық
крыша шатыр
подвал жертөле basement
подъезд кіреберіс
квартира пәтер apartment
яма шұңқыр pothole potholes
пробка кептеліс traffic
светофор бағдаршам
счетчик есептегіш
холодный суық
горячий ыстық
работа жұмыс
зарплата жалақы salary
машина көлік
водитель жүргізуші driver
пассажир жолаушы passengers
пешеход жаяу
парк саябақ
площадка алаң playground
полиция police
кража ұрлық theft
камера camera cameras
учитель мұғалім teacher
лифт elevator
"""


# case endings of a Russian noun, added to the root of a concept's head word
_RU_FORMS = ("", "а", "я", "ы", "и", "е", "у", "ю", "о", "ой", "ей", "ом", "ем", "ам", "ям", "ами", "ями", "ах", "ях")


def _stem(word: str) -> str:
    """Light suffix stripping (twice: Kazakh stacks its endings), then the head of the stem."""
    for _ in range(2):
        for length in _ENDING_LENGTHS:
            if len(word) - length >= _MIN_STEM and word[-length:] in _ENDINGS:
                word = word[:-length]
                break
        else:
            break
    return word[:_HEAD]


def _prepare_latin(word: str) -> str:
    if "g" in word or "n" in word:
        word = word.replace("gh", "ğ")
        if "ng" in word and _NG_KEEP.search(word) is None:
            word = word.replace("ng", "ñ")
    return word


def _base_term(word: str) -> str:
    word = word.lower()
    if word.isdigit():
        return word.lstrip("0") or "0"
    if word.isascii():
        word = _prepare_latin(word)
    return _stem(fold(word))


@dataclass(frozen=True, slots=True)
class _Tables:
    numbers: dict[str, str]  # stem of a number word -> digits
    english: dict[str, str]  # an English word as written (lower case) -> its term
    stop: frozenset[str]  # stems of stopwords
    stop_words: frozenset[str]  # stopwords as written (folded): never a term, whatever their stem meets
    concepts: dict[str, str]  # stem -> the stem of its Russian counterpart
    units: frozenset[str]  # folded unit words
    ordinals: frozenset[str]  # folded ordinal words
    ranges: frozenset[str]  # folded words before a number that opens or closes a range


@cache
def _tables() -> _Tables:
    english: dict[str, str] = {}
    numbers: dict[str, str] = {}
    for digits, text in _NUMBERS.items():
        for w in text.split():
            if w.isascii():
                english[w] = digits
            else:
                numbers[_base_term(w)] = digits
    for digits, text in _ORDINALS.items():
        for w in text.split():
            numbers.setdefault(_base_term(w), digits)
    concepts: dict[str, str] = {}
    heads: list[tuple[str, str]] = []
    for line in _CONCEPTS.strip().splitlines():
        word, *others = line.split()
        head = _base_term(word)
        concepts.setdefault(head, head)
        for other in others:
            if other.isascii():  # English by its spelling: its transliteration would meet Russian words
                english.setdefault(other, head)
            else:
                concepts.setdefault(_base_term(other), head)
        heads.append((word, head))
    # the Russian head's case forms too: the stemmer cuts "школа" to "шко" but "школы" to "школ"
    for word, head in heads:
        root = word[:-1] if word[-1] in "аяоеыиуйь" else word
        keep = fold(root)[: max(2, len(root) - 1)]  # a form the stemmer cut into the root is another word
        for ending in _RU_FORMS:
            base = _base_term(root + ending)
            if base.startswith(keep):
                concepts.setdefault(base, head)
    stop = frozenset(_base_term(w) for w in _STOP_TEXT.split()) - set(concepts.values())
    return _Tables(
        numbers=numbers,
        english=english,
        stop=stop,
        stop_words=frozenset(fold(w) for w in _STOP_TEXT.split()),
        concepts=concepts,
        units=frozenset(fold(w) for w in _UNITS.split()),
        ordinals=frozenset(fold(w) for text in _ORDINALS.values() for w in text.split()),
        ranges=frozenset(fold(w) for w in _RANGE_BEFORE.split()),
    )


@cache
def _unit_terms() -> frozenset[str]:
    """The terms of the unit words: how much or how long, never what is asked."""
    return frozenset(t for t in (_term(w) for w in _UNITS.split()) if t is not None)


_TERMS: dict[str, str | None] = {}
_CACHE_LIMIT = 200_000


def _term(word: str) -> str | None:
    """The term of one word as written, or None for a stopword (cached per word; numbers are not)."""
    try:
        return _TERMS[word]
    except KeyError:
        pass
    if word.isdigit():
        return word.lstrip("0") or "0"
    lower = word.lower()
    term = _make_term(lower, fold(lower))
    if len(_TERMS) >= _CACHE_LIMIT:
        _TERMS.clear()
    _TERMS[word] = term
    return term


def _make_term(lower: str, folded: str) -> str | None:
    """The term of a word (lower case, and folded), or None for a stopword."""
    if lower.isdigit():
        return lower.lstrip("0") or "0"
    tables = _tables()
    if folded in tables.stop_words:
        return None
    english = tables.english.get(lower)
    if english is not None:
        return english
    base = _stem(fold(_prepare_latin(lower)) if lower.isascii() else folded)
    term = tables.concepts.get(base) or tables.numbers.get(base, base)
    if term in tables.stop or not term or (len(term) <= 2 and base not in tables.concepts and not term.isdigit()):
        return None  # a stopword, or a scrap of two letters ("бл@ть" → "бл", "ть")
    return term


def _words(text: str) -> list[str]:
    if "'" in text or "’" in text or "`" in text or "ʼ" in text or "‘" in text:
        text = _APOSTROPHE.sub(lambda m: _APOSTROPHE_LETTER.get(m.group(1), m.group(1)), text.lower())
    return split_words(text)


def terms(text: str) -> list[str]:
    """The comparison terms of a question, in order, stopwords dropped, numbers as digits."""
    out = []
    for word in _words(text):
        term = _term(word)
        if term is not None:
            out.append(term)
    return out


# ---------------------------------------------------------------------------------------------
# streets and names

_STREET_BEFORE = "ул улица улице улицы улицу пр просп проспект проспекте проспекта пер переулок переулке бульвар"
_ABBREVIATIONS = "ул пр просп пер д г мкр мкрн им кв р ш обл стр корп"
_STREET_AFTER = "street st avenue ave проспект даңғылы даңғылында даңғылындағы көшесі көшесінде көшесіндегі"

# flags of a word (see `_City.word`)
_F_UNIT = 1  # measures the number before it
_F_BEFORE = 2  # names a street after it ("ул", "проспект")
_F_AFTER = 4  # names a street before it ("көшесі", "avenue", "батыра")
_F_UPPER = 8  # written with a capital (not all capitals), three letters or more
_F_NAMEABLE = 16  # a plain word term (not a number, stopword or everyday concept): may be a name
_F_GAZ = 32  # may start a gazetteer place
_F_STREET = 64  # may start a street of the list
_F_RANGE = 128  # opens or closes a range before a number ("с", "до")
_F_NUMBER = 256  # digits, or a number word: its term is a number
_F_END = 512  # the end of a sentence (".", "!", "?", "…", a line break)
_F_ABBREVIATION = 1024  # a short word with a full stop that ends no sentence ("ул.", "д.", "мкр.")
_F_ORDINAL = 2048  # "третий", "үшінші": how long or which time, never which house
_F_QUANTITY = 4096  # a time, date or decimal
_END = ("", None, _F_END)  # the (folded, term, flags) of a sentence end


def _stems(patterns: list[str]) -> tuple[str, ...]:
    """The stem of each pattern's first word, folded as `Lexicon` folds it: a word that starts with none
    of them starts no match."""
    return tuple({fold(p.partition(":")[0].split()[0].lstrip("?=").rstrip("*").lower()) for p in patterns})


class _City:
    """The lexicons of one city and what each word (as written) means to them, cached per word."""

    def __init__(self, city: str) -> None:
        self.gazetteer = gazetteer(city)
        raw = json.loads((_DATA / f"{city.lower()}.json").read_text(encoding="utf-8"))
        places = [p for patterns in raw["districts"].values() for p in patterns] + raw.get("not_districts", [])
        self.gaz_stems = _stems(places)
        self.street_words = _stems(raw.get("street_words", []))  # "батыра", "көшесі": a street's name before
        self.streets: Lexicon | None = None
        self.street_stems: tuple[str, ...] = ()
        path = _DATA / f"{city.lower()}_streets.txt"
        if path.is_file():
            entries: dict[str, list[str]] = {}
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    label, _, patterns = line.partition(":")
                    entries[label.strip()] = [p.strip() for p in patterns.split(",") if p.strip()]
            self.streets = Lexicon(entries)
            self.street_stems = _stems([p for patterns in entries.values() for p in patterns])
        self.before = frozenset(fold(w) for w in _STREET_BEFORE.split())
        self.after = frozenset(fold(w) for w in _STREET_AFTER.split())
        self.abbreviations = frozenset(fold(w) for w in _ABBREVIATIONS.split())
        self.words: dict[str, tuple[str, str | None, int]] = {}
        self.ends = {end: _END for end in ".!?…\n"}
        self.words.update(self.ends)

    def word(self, word: str) -> tuple[str, str | None, int]:
        """(folded, term, flags) of one word as written."""
        if word.isdigit():
            return word, word.lstrip("0") or "0", _F_NUMBER
        if word[0].isdigit() and "/" in word:  # a house and its block: 286/4
            return word, word, _F_NUMBER
        if word[0].isdigit() and not word.isalnum():  # a time, date or decimal: 18:00, 12.03.2024, 1,5
            return word, word, _F_NUMBER | _F_QUANTITY
        found = self.words.get(word)
        if found is not None:
            return found
        tables = _tables()
        lower = word.lower()
        folded = fold(word)  # as written: the key the pipeline's own districts and topics folded it under
        term = _make_term(lower, folded)
        flags = 0
        if folded in tables.units:
            flags |= _F_UNIT
        if folded in self.before:
            flags |= _F_BEFORE
        if folded in self.after or folded.startswith(self.street_words):
            flags |= _F_AFTER
        if word[0].isupper() and len(word) >= 3 and not word.isupper():  # not an acronym ("КСК", "ЦОН")
            flags |= _F_UPPER
        if term is not None and not term[0].isdigit() and term not in tables.concepts:
            flags |= _F_NAMEABLE
        if folded.startswith(self.gaz_stems):
            flags |= _F_GAZ
        if folded.startswith(self.street_stems):
            flags |= _F_STREET
        if folded in tables.ranges:
            flags |= _F_RANGE
        if folded in self.abbreviations:
            flags |= _F_ABBREVIATION
        if term is not None and term[0].isdigit():
            flags |= _F_NUMBER
        if folded in tables.ordinals:
            flags |= _F_ORDINAL
        found = (folded, term, flags)
        if len(self.words) >= _CACHE_LIMIT:
            self.words.clear()
            self.words.update(self.ends)
        self.words[word] = found
        return found


@cache
def _city(city: str) -> _City:
    return _City(city)


# ---------------------------------------------------------------------------------------------
# the signature of a question

# A signature is one tuple of strings: the identifier numbers ("#15"), the quantities ("40", "18:00"), the
# other terms in order, then marks: "@slug" a district the gazetteer finds (a micro-district's too), "&slug"
# a district named as such ("Медеуский район"), "^term" a micro-district, "!term" a street ("!=label|term"
# for one of the city's list), "~term" a word of a district's or listed street's name, "*term" a proper
# name. One tuple keeps the memory per indexed question small; it is split (`_Parts`) only for scoring.
_NUMBER, _DISTRICT, _NAMED, _PLACE, _NAME, _WHERE, _PROPER = "#", "@", "&", "^", "!", "~", "*"
_PROBLEM = "%"  # a problem term ("%no_water"): what is wrong, whatever the language (see `problems.py`)
_MARKS = frozenset("@&^!~*")
_LOCATED = frozenset("^!~*")  # marks whose term says where (or who), not what is asked
_WEIGHTED = frozenset("^*")  # marks whose term weighs extra, as identifier numbers do
_SAME_PLACE = 0.7  # the score of the same problem at the same place, however differently worded
_SAME_PROBLEM = 0.45  # the same problem with no place both name: suggested, never joined by itself
_CONTENT_FLOOR = 0.35  # a duplicate's terms that say *what* is asked overlap at least this much (see `_score`)
_EXTRA = 1.5  # how much more an identifier number, a place, a street or a proper name weighs than a word as rare
_DISTRICT_NAME = 2.0  # the gazetteer's weight of a district's own name (micro-districts weigh 1 or 3)
_MIN_TERMS = 2  # fewer terms than this: only an exact (folded) match counts
_SHOUTING = 0.5  # more capitalised words than this share: capitals say nothing about names

_MARK_CACHE: dict[str, str] = {}


def _mark(kind: str, value: str) -> str:
    """One shared string object per mark ("#15", "@medeu" …): signatures hold references, not copies."""
    text = kind + value
    found = _MARK_CACHE.get(text)
    if found is None:
        if len(_MARK_CACHE) >= _CACHE_LIMIT:
            _MARK_CACHE.clear()
        found = _MARK_CACHE[text] = text
    return found


def _numbers(tokens: list[str]) -> list[str]:
    """Tokens with numbers made comparable: the digit groups of a phone, IIN or card number dropped,
    thousands joined ("85 000" → "85000", but not "мамыр 4 102")."""
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        if not token.isdigit():
            out.append(token)
            i += 1
        else:
            j, digits = i, 0
            while j < n and tokens[j].isdigit():
                digits += len(tokens[j])
                j += 1
            if digits < _CONTACT_DIGITS:
                number = tokens[i]
                for group in tokens[i + 1 : j]:
                    if len(group) == 3 and group.endswith("00"):
                        number += group
                    else:
                        out.append(number)
                        number = group
                out.append(number)
            i = j
    return out


_RANGE = re.compile(r"(?<![\d.,:])(\d{1,4})\s*[-–—]\s*(\d{1,4})(?![\d:]|[.,]\d)")


_SIGNED = re.compile(r"(?<![\w+])\+(\d{1,2})(?!\d)")


def _range(m: re.Match[str]) -> str:
    low, high = int(m.group(1)), int(m.group(2))
    return f" с {low} до {high} " if low < high else m.group()


_GROUPED = re.compile(r"\d[ \t\-()]+\d|\d[:.,]\d")
_KIND_ORDER = {_DISTRICT: 0, _NAMED: 1, _PLACE: 2, _NAME: 3, _WHERE: 4, _PROPER: 5}


_WINDOW = 3  # the longest pattern of the gazetteer and of the street list, in words


def _scan(lexicon: Lexicon, folded: Sequence[str], flags: Sequence[int], flag: int) -> list[tuple[int, Hit]]:
    """`lexicon.scan`, looking only at the words flagged as a possible start of one of its patterns."""
    found: list[tuple[int, Hit]] = []
    for i, f in enumerate(flags):
        if f & flag:
            found.extend((i, hit) for at, hit in lexicon.scan(folded[i : i + _WINDOW]) if at == 0)
    return found


def _kind_order(mark: str) -> int:
    return _KIND_ORDER[mark[0]]


# what `signature` reads of a text: (its folded words, signature, numbers, terms); plain strings and ints, so it
# can be read in a triage worker process and handed to the index in the server's
Signature = tuple[str, tuple[str, ...], int, int]
_Analysis = tuple[int, tuple[str, ...], int, int]  # the same with the hash of the folded words, as the index keeps it


def signature(text: str, city: str = "almaty") -> Signature | None:
    """(the folded words, signature, how many identifier numbers and terms lead it) of one question, or
    None when it has no words.

    The signature lists identifier numbers first, then quantities, then the other terms in order, then
    the marks by kind (districts, places, streets …): a candidate's guards read its two ends only."""
    if "'" in text or "’" in text or "`" in text or "ʼ" in text or "‘" in text:
        text = _APOSTROPHE.sub(lambda m: _APOSTROPHE_LETTER.get(m.group(1), m.group(1)), text.lower())
    place = _city(city)
    if "-" in text or "–" in text or "—" in text:
        text = _RANGE.sub(_range, text)  # "40-50 минут", "8-10 штук": how long or how many, not which house
    if "+" in text:
        text = _SIGNED.sub(r"до \1", text)  # "+16 в квартире": a temperature
    tokens = _TOKEN.findall(text)
    if _GROUPED.search(text) is not None:  # numbers written in groups: see `_numbers`
        tokens = _numbers(tokens)
    # one (folded, term, flags) per token; a sentence end is a token too (flag _F_END), so a word opens a
    # sentence when it is first or follows one, and "88? Неделю" reads no unit after the number
    infos: list[tuple[str, str | None, int]] = list(map(place.words.get, tokens))  # type: ignore[arg-type]
    if None in infos:
        word_info = place.word
        infos = [info or word_info(w) for info, w in zip(infos, tokens, strict=True)]
    if infos.count(_END) == len(infos):
        return None
    n = len(infos)
    folded: tuple[str, ...]
    terms: tuple[str | None, ...]
    flags: tuple[int, ...]
    folded, terms, flags = zip(*infos, strict=True)
    key = " ".join(filter(None, folded))
    found = list(terms)
    any_flags = reduce(or_, flags)

    # numbers: identifiers ("#15") or quantities (plain terms)
    numbers: list[str] = []
    if any_flags & _F_NUMBER:
        for i, f in enumerate(flags):
            if not f & _F_NUMBER:
                continue
            term = found[i] or ""
            if not (
                f & (_F_ORDINAL | _F_QUANTITY)  # "третий день" is "3 дня", not "дом 3"
                or (i + 1 < n and flags[i + 1] & _F_UNIT)
                or (len(term) == 4 and term[:2] in ("19", "20"))  # a year
                or (len(term) >= 4 and term.endswith("00"))  # a sum of money
                or (i > 0 and flags[i - 1] & _F_RANGE)  # "с 19 до 22"
                or not folded[i][:1].isdigit()  # a number in words ("три раза", "екі есе") counts, names nothing
                or len(term) >= _CONTACT_DIGITS  # an IIN, a card or a phone: nobody's address
            ):
                numbers.append(_mark(_NUMBER, term))
                found[i] = None

    marks: list[str] = []
    known = [False] * n  # words the gazetteer or the street list explains: not proper names

    def before(i: int) -> int:
        """The flags of the word before position i ("ул." counts: its full stop ends no sentence)."""
        if i and flags[i - 1] & _F_END and i > 1 and flags[i - 2] & _F_ABBREVIATION:
            return flags[i - 2]
        return flags[i - 1] if i else _F_END

    def street_next_to(i: int, span: int = 1) -> bool:
        return bool(before(i) & _F_BEFORE or (i + span < n and flags[i + span] & _F_AFTER))

    if any_flags & _F_GAZ:
        for i, hit in _scan(place.gazetteer.places, folded, flags, _F_GAZ):
            known[i] = True
            at = found[i]
            if at is None:
                continue
            if hit.label == BLOCK or street_next_to(i):
                marks.append(_mark(_NAME, at))
            else:
                district = hit.label.lstrip("?")
                marks.append(_mark(_DISTRICT, district))
                if hit.weight == _DISTRICT_NAME:
                    marks.append(_mark(_NAMED, district))
                    marks.append(_mark(_WHERE, at))
                else:  # a micro-district, however written: "Кок-Тобе", "Көктөбе", "koktobede" all "ккт"
                    marks.append(_mark(_PLACE, _skeleton(fold(hit.stem.replace("*", "").replace(" ", "")))))
    if any_flags & _F_STREET and place.streets is not None:
        for i, hit in _scan(place.streets, folded, flags, _F_STREET):
            if known[i]:
                continue
            span = hit.stem.count(" ") + 1
            spelt = [at for at in found[i : i + span] if at is not None]
            for j in range(i, min(n, i + span)):
                known[j] = True
            # the list's label says which street; its longest word is what another text may spell with a typo
            marks.append(_mark(_NAME, "=" + hit.label + "|" + max(spelt or [""], key=len)))
            marks.extend(_mark(_WHERE, at) for at in spelt)
    if any_flags & _F_NAMEABLE:
        # a capitalised word inside a sentence (unless the text shouts), or a word next to "улица", "көшесі" …
        if any_flags & _F_UPPER:
            upper = [i for i, f in enumerate(flags) if f & _F_UPPER]
            if len(upper) <= _SHOUTING * n:
                for i in upper:
                    if flags[i] & _F_NAMEABLE and not before(i) & _F_END and not known[i]:
                        marks.append(_mark(_PROPER, found[i] or ""))
        if any_flags & (_F_BEFORE | _F_AFTER):
            for i, f in enumerate(flags):
                if f & _F_NAMEABLE and not known[i] and street_next_to(i):
                    marks.append(_mark(_NAME, found[i] or ""))

    if len(marks) > 1:
        marks.sort(key=_kind_order)
    unique_numbers = dict.fromkeys(numbers)
    words = [term for term in found if term is not None]
    quantities = [term for term in words if term[0].isdigit()]  # after the identifiers: see `_quantities`
    unique_terms = dict.fromkeys(chain(unique_numbers, quantities, words))
    if len(unique_terms) >= _MIN_TERMS:  # too short a text is compared whole (see `_MIN_TERMS`)
        said = _problems.read(folded, [t.lower() for t in tokens])
        unique_terms.update(dict.fromkeys(_mark(_PROBLEM, p) for p in said))
    return key, (*unique_terms, *dict.fromkeys(marks)), len(unique_numbers), len(unique_terms)


_SKELETON = str.maketrans("хқ", "кк", "йьъ- ")
# letters a skeleton keeps: four tell the city's micro-districts apart ("Карагайлы" from "Каргалы"; where two
# share them, their districts differ, and that guard parts them) and survive a case ending ("Рахатта")
_SKELETON_LENGTH = 4


def _skeleton(folded: str) -> str:
    """A place name's first letters, folded, with the letters Kazakh, Russian and Latin spellings trade merged
    or dropped and doubled letters once: "Қазақфильм", "Казахфильм" and "kazakhfilm" are one place, and so are
    "Шаңырақ", "Шанырак" and "Shanyraq"."""
    out: list[str] = []
    for c in folded.translate(_SKELETON):
        if c.isalpha() and (not out or out[-1] != c):
            out.append(c)
    return "".join(out[:_SKELETON_LENGTH]) or folded[:_HEAD]


def _quantities(sig: tuple[str, ...], i: int, j: int) -> tuple[str, ...]:
    """The quantities of a signature: the digit terms right after its `i` identifier numbers."""
    k = i
    while k < j and sig[k][0].isdigit():
        k += 1
    return sig[i:k]


def _ends(sig: tuple[str, ...]) -> tuple[int, int]:
    """Where a signature's identifier numbers end and its marks begin."""
    i, n = 0, len(sig)
    while i < n and sig[i][0] == _NUMBER:
        i += 1
    j = n
    while j > i and sig[j - 1][0] in _MARKS:
        j -= 1
    return i, j


def _weigh(sig: tuple[str, ...], i: int, j: int, idf: dict[str, float], show: _Show) -> dict[str, float]:
    """Each term of a signature (`i` identifier numbers, then terms up to `j`, then marks) by its weight:
    its rarity in the show (memoised in `idf` for one query), more for what names a place or a thing."""
    weights: dict[str, float] = {}
    for term in sig[:j]:
        w = idf.get(term)
        if w is None:
            w = idf[term] = show.idf(term)
        weights[term] = w
    for term in sig[:i]:
        weights[term] *= _EXTRA
    for mark in sig[j:]:
        if mark[0] in _WEIGHTED:
            term = mark[1:]
            if term in weights:
                weights[term] *= _EXTRA
    return weights


class _Parts:
    """A signature split for scoring: its weighted terms and what the guards compare."""

    __slots__ = ("district_marks", "districts", "located", "named_marks", "names", "numbers", "place_marks", "places",
                 "problems", "propers", "quantities", "total", "weights")

    def __init__(
        self,
        sig: tuple[str, ...],
        idf: dict[str, float],
        show: _Show,
        ends: tuple[int, int],
        weights: dict[str, float] | None = None,
    ) -> None:
        i, j = ends
        self.numbers = [x[1:] for x in sig[:i]]
        self.quantities = _quantities(sig, i, j)
        self.problems = [x[1:] for x in sig[i:j] if x[0] == _PROBLEM]
        self.district_marks: list[str] = []
        self.named_marks: list[str] = []
        self.place_marks: list[str] = []
        self.names: list[str] = []
        self.propers: list[str] = []
        located: set[str] = set()  # the terms that say where: places, streets, proper names, district names
        for mark in sig[j:]:
            kind = mark[0]
            if kind == _DISTRICT:
                self.district_marks.append(mark)
            elif kind == _NAMED:
                self.named_marks.append(mark)
            else:
                located.add(mark[1:])
                if kind == _PLACE:
                    self.place_marks.append(mark)
                elif kind == _NAME:
                    self.names.append(mark[1:])
                    located.add(mark.partition("|")[2])
                elif kind == _PROPER:
                    self.propers.append(mark[1:])
        self.districts = [m[1:] for m in self.district_marks]
        self.places = [m[1:] for m in self.place_marks]
        self.located = located
        self.weights = weights if weights is not None else _weigh(sig, i, j, idf, show)
        self.total = sum(self.weights.values())


def _numbers_agree(a: set[str], b: set[str]) -> bool:
    """Equal, or one omits some of the other's but they share one: a question without a number never
    joins one with a number (else a numberless head would merge "дом 5" with "дом 7")."""
    if a == b:
        return True
    shared = len(a & b)
    return shared > 0 and (shared == len(a) or shared == len(b))


def _numbers_ok(
    a_ids: Sequence[str], a_quantities: Sequence[str], b_ids: Sequence[str], b_quantities: Sequence[str]
) -> bool:
    """The numbers guard: identifier numbers must agree (`_numbers_agree`); quantities (how long, how much,
    when) part two questions only when both give some and none agree ("нет воды 3 дня" meets "нет воды",
    not "нет воды 5 дней"). A number one writes as a name ("дом 4") and the other as a quantity ("4 жаста")
    is one number. Numbers as digits, without the "#"."""
    if a_ids or b_ids:
        if not a_quantities and not b_quantities:  # the usual case: identifiers only
            if not a_ids or not b_ids:
                return False
            if len(a_ids) == 1 and len(b_ids) == 1:
                return a_ids[0] == b_ids[0]
        a, b = set(a_ids), set(b_ids)
        a.update(x for x in a_quantities if x in b)
        b.update(x for x in b_quantities if x in a)
        if not _numbers_agree(a, b):
            return False
        a_quantities = [x for x in a_quantities if x not in a]
        b_quantities = [x for x in b_quantities if x not in b]
    return not a_quantities or not b_quantities or any(x in b_quantities for x in a_quantities)


def _places_conflict(a: _Parts, b: _Parts) -> bool:
    """Each names a micro-district, a street or a proper name the other does not mention at all (nor with a
    typo): "Абая 10 не работает светофор" is not "Сейфуллина 10 …", nor "Достык 10 …"."""
    return _unmatched_place(a, b) and _unmatched_place(b, a)


def _unmatched_place(x: _Parts, y: _Parts) -> bool:
    for place in x.places:
        if place not in y.places and not _mentions(y, place):
            return True
    for proper in x.propers:
        if not _mentions(y, proper):
            return True
    for name in x.names:
        if name in y.names:
            continue
        label, _, word = name.partition("|")  # a listed street: "=label|word"
        if word:
            if any(other.startswith(label + "|") for other in y.names) or _mentions(y, word):
                continue
        elif _mentions(y, name):
            continue
        return True
    return False


def _mentions(y: _Parts, term: str) -> bool:
    """Whether `y` has the term, or one within a typo of it (one edit or a swap, words of four letters up)."""
    if term in y.weights:
        return True
    if len(term) < 4:
        return False
    first = term[0]
    return any(len(t) >= 4 and t[0] == first and OSA.distance(term, t, score_cutoff=1) <= 1 for t in y.weights)


def _apart(q: _Parts, c: _Parts, quantities: bool = True, unnumbered: bool = False) -> bool:
    """Whether a guard parts two questions: their numbers, districts, micro-districts, streets or names.
    Without `quantities`, how long or how much each says does not count ("40 минут" and "45 minutes");
    with `unnumbered`, a question without identifier numbers may meet one with them (a suggestion)."""
    q_quantities, c_quantities = (q.quantities, c.quantities) if quantities else (_years(q.quantities),
                                                                                _years(c.quantities))
    if (q.numbers or c.numbers or q_quantities) and not (unnumbered and (not q.numbers or not c.numbers)) and (
        not _numbers_ok(q.numbers, q_quantities, c.numbers, c_quantities)
    ):
        return True
    if q.districts and c.districts and not any(d in c.districts for d in q.districts):
        return True
    if q.places and c.places and not any(p in c.places for p in q.places):
        return True
    if q.named_marks and c.named_marks and not any(m in c.named_marks for m in q.named_marks):
        return True  # they name different districts
    return bool((q.places or q.names or q.propers) and (c.places or c.names or c.propers) and _places_conflict(q, c))


def _years(quantities: Sequence[str]) -> tuple[str, ...]:
    """The years among quantities: "в очереди с 2012" is not "с 2021", however alike the rest."""
    return tuple(x for x in quantities if len(x) == 4 and x[:2] in ("19", "20"))


def _score(q: _Parts, c: _Parts) -> float:
    """How close two questions are: 0 when a guard parts them, else their weighted term overlap."""
    same = _problems.same_problem(q.problems, c.problems)
    if same == "":
        return 0.0  # the same place, another problem: "Шанырак-2: нет воды" is not "Шанырак-2: нет света"
    if _apart(q, c, quantities=same != "same"):
        if same != "same" or _apart(q, c, quantities=False, unnumbered=True):
            return 0.0
        # one names the house, route or school and the other does not: at one micro-district or street the
        # same problem is one question; else, perhaps the same, for a moderator to say
        return _SAME_PLACE if _named_places(q) & _named_places(c) else _SAME_PROBLEM
    wa, wb = q.weights, c.weights
    if len(wb) < _MIN_TERMS:
        return 0.0
    score = _overlap(wa, wb, q.total, c.total)
    shares = same is not None and _shares_place(q, c)
    if same == "same" and shares:
        return max(score, _SAME_PLACE)  # the same problem at the same place, however differently worded
    # the same problem elsewhere, or a related one at the same place: suggested, at least
    near = _SAME_PROBLEM if same == "same" or shares else 0.0
    # what is asked: the terms that are not places, names or numbers must agree too, when both have some
    # ("Жұлдыз-1: света нет с утра" is not "Жұлдыз-1: электр бағанасы құлайын деп тұр")
    located = q.located | c.located | _unit_terms()
    what_a = {t: w for t, w in wa.items() if t[0] != _NUMBER and not t[0].isdigit() and t not in located}
    what_b = {t: w for t, w in wb.items() if t[0] != _NUMBER and not t[0].isdigit() and t not in located}
    if what_a and what_b and _overlap(what_a, what_b, sum(what_a.values()), sum(what_b.values())) < _CONTENT_FLOOR:
        return near
    return max(score, near)


def _shares_place(a: _Parts, b: _Parts) -> bool:
    """Whether two questions (already past the guards) name one place: an identifier number (a house, a
    route, a school), or a micro-district, street or proper name of one that the other names too, as a
    place or as a plain word ("Жас Канат" written in lower case, a place the gazetteer does not know)."""
    if set(a.numbers) & set(b.numbers):
        return True
    mine, theirs = _named_places(a), _named_places(b)
    if mine & theirs:
        return True
    return any(len(t) >= 3 and t in b.weights for t in mine) or any(len(t) >= 3 and t in a.weights for t in theirs)


def _named_places(x: _Parts) -> set[str]:
    """The terms of the micro-districts, streets (listed ones by their label too) and proper names of x."""
    found = set(x.places) | set(x.propers)
    for name in x.names:
        label, _, word = name.partition("|")
        found.update((label, word) if word else (name,))
    return found


def _overlap(wa: dict[str, float], wb: dict[str, float], total_a: float, total_b: float) -> float:
    """The blend of the Dice and overlap coefficients of two weighted term sets."""
    shared = 0.0
    for term, w in wa.items():
        v = wb.get(term)
        if v is not None:
            shared += w if w < v else v
    if not shared or not total_a or not total_b:
        return 0.0
    return (2 * shared / (total_a + total_b) + shared / min(total_a, total_b)) / 2


def _score_candidate(
    q: _Parts, sig: tuple[str, ...], i: int, j: int, idf: dict[str, float], show: _Show, threshold: float
) -> float:
    """`_score` of the query against a candidate's signature whose numbers, districts and places already
    passed (see `DedupeIndex._fuzzy`): the streets are compared only when the score reaches `threshold`."""
    if j < _MIN_TERMS:
        return 0.0
    if q.problems and any(t[0] == _PROBLEM for t in sig[i:j]):  # the problems may join what the words do not
        return _score(q, _Parts(sig, idf, show, (i, j)))
    wa, wb = q.weights, _weigh(sig, i, j, idf, show)
    shared = 0.0
    for term, w in wb.items():
        v = wa.get(term)
        if v is not None:
            shared += w if w < v else v
    total_a, total_b = q.total, sum(wb.values())
    if not shared or not total_a or not total_b:
        return 0.0
    score = (2 * shared / (total_a + total_b) + shared / min(total_a, total_b)) / 2
    if score >= threshold and _score(q, _Parts(sig, idf, show, (i, j), wb)) == 0.0:
        return 0.0  # the other guards: streets and names, and what is asked
    return score


# ---------------------------------------------------------------------------------------------
# the index

_SCORED = 4  # candidates weighed in full (past the guards), best by the weight of the terms they share
_CHECKED = 12  # candidates looked at in all (most fail a guard, or share too little, at once)
_RANK_CAP = 4  # the most a term counts for when candidates are ranked (see `_fuzzy`)
_SURE = 0.85  # a candidate scoring this much is the one: no need to score the rest
_ROUGH_MARGIN = 0.3  # how far under the threshold the unweighted overlap may be and still be scored


# One indexed question: (show id, cluster id, hash of its folded text, signature, how many identifier numbers
# and terms lead the signature) while it is one of its cluster's representatives, else (show id, cluster id,
# hash, None). A tuple of atoms, which the garbage collector stops tracking: a 200,000-question show adds no
# work to its full collections.
_Entry = tuple[Any, ...]
_E_SHOW, _E_CLUSTER, _E_DIGEST, _E_SIG, _E_NUMBERS, _E_TERMS = 0, 1, 2, 3, 4, 5


def _concept_keys(sig: tuple[str, ...], n: int, j: int) -> list[str]:
    """"problem|place" for each problem and place a signature names: the same problem at the same place,
    however worded, meets in one short list (see `_Show.concepts`)."""
    said = [t for t in sig[n:j] if t[0] == _PROBLEM]
    if not said:
        return []
    places = list(sig[:n])
    for mark in sig[j:]:
        kind = mark[0]
        if kind in (_PLACE, _PROPER):
            places.append(mark)
        elif kind == _NAME:
            places.append(mark.partition("|")[0])  # a listed street by its label, however spelt
    return [sys.intern(p + "|" + place) for p in said for place in places]  # one string per key, however many hold it


_CONCEPT_LIST = 16  # representatives kept per "problem|place" key, the newest


class _Show:
    __slots__ = ("concepts", "exact", "groups", "index", "refs", "reps")

    def __init__(self) -> None:
        # "problem|place" -> its representative, or its representatives oldest first
        self.concepts: dict[str, int | list[int]] = {}
        self.exact: dict[int, int] = {}  # hash of folded text -> cluster id
        self.refs: dict[int, int] = {}  # hash of folded text -> questions carrying it, when more than one
        # term -> its one representative (a question id), or [df, representatives oldest first …]
        self.index: dict[str, int | list[int]] = {}
        self.groups: dict[int, list[int]] = {}  # cluster -> its representatives, when not just its head
        self.reps = 0

    def df(self, term: str) -> int:
        found = self.index.get(term)
        if found is None:
            return 0
        return found[0] if isinstance(found, list) else 1

    def idf(self, term: str) -> float:
        found = self.index.get(term)
        df = 0 if found is None else found[0] if isinstance(found, list) else 1
        return math.log((self.reps + 2) / (df + 1)) + 0.5


_SUGGESTED = 3  # suggestions a question carries at most


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A cluster that comes close to a question without reaching the threshold."""

    cluster: int
    score: float
    reason: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Found:
    """What `DedupeIndex.find` made of a question: the cluster it joins (or None), the score, why, and
    the clusters to suggest.

    A reason is a small JSON-able dict: `score`; `place`, the words of the question that name the place
    both texts share (a micro-district, street or name, and the identifier numbers: house, route, school);
    `problem`, the problem slugs both name ("no_water", "bus_interval" …, see `problems.py`); `words`, other
    words both use (when no problem is known); `same_text` when the folded texts are equal."""

    cluster: int | None
    score: float = 0.0
    reason: dict[str, Any] | None = None
    suggestions: tuple[Suggestion, ...] = ()


_NOTHING = Found(None)


def _reason(text: str, sig: tuple[str, ...], n: int, j: int, entry: _Entry, score: float, city: str) -> dict[str, Any]:
    """Why the question (`text`, read as `sig`) meets a representative: what they share, in the
    question's own words."""
    other = entry[_E_SIG] or ()
    shared = set(sig).intersection(other)
    place_terms = {m[1:] for m in sig[j:] if m in shared and m[0] in _LOCATED and m[0] != _PLACE}
    skeletons = tuple(m[1:] for m in sig[j:] if m in shared and m[0] == _PLACE)
    for m in sig[j:]:
        if m[0] == _NAME and "|" in m and any(o.startswith(m.partition("|")[0] + "|") for o in other):
            place_terms.add(m.partition("|")[2])
    numbers = [t[1:] for t in sig[:n] if t in shared]
    problems = [t[1:] for t in sig[:j] if t in shared and t[0] == _PROBLEM]
    specific = [p for p in problems if p not in _problems.THINGS]
    problems = specific or problems
    words_shared = {t for t in sig[n:j] if t in shared and t[0] != _PROBLEM and not t[0].isdigit()} - place_terms
    place: list[str] = []
    words: list[str] = []
    seen: set[str] = set()
    for word in _words(text):
        term = _term(word)
        if term is None or term in seen:
            continue
        if term in place_terms or term in numbers or (skeletons and _skeleton(fold(word)).startswith(skeletons)):
            place.append(word)
            seen.add(term)
        elif term in words_shared and not problems:
            words.append(word)
            seen.add(term)
    return {"score": round(score, 3), "place": place[:4], "problem": problems[:2], "words": words[:5]}


class DedupeIndex:
    """Sync, in-memory; used from the store's single writer thread."""

    def __init__(
        self,
        threshold: float = 0.6,
        suggest_threshold: float = 0.4,
        reps_per_cluster: int = 4,
        scan_per_feature: int = 32,
        features_per_query: int = 5,
        city: str = "almaty",
    ) -> None:
        self.threshold = threshold
        self.suggest_threshold = min(suggest_threshold, threshold)
        self.reps_per_cluster = max(1, reps_per_cluster)
        self.scan_per_feature = scan_per_feature
        self.features_per_query = features_per_query
        self.city = city
        self._shows: dict[int | None, _Show] = {}
        self._entries: dict[int, _Entry] = {}
        self._last: tuple[str, _Analysis | None] | None = None

    def _analyse(self, text: str, given: Signature | None) -> _Analysis | None:
        # match() and add() see the same text one after the other: analyse it once
        last = self._last
        if last is not None and last[0] == text:
            return last[1]
        if given is None:
            read = signature(text, self.city)
            found = None if read is None else (hash(read[0]), *read[1:])
        else:  # read in another process: its strings are copies, shared again here (the index holds many)
            key, sig, n, j = given
            found = (hash(key), tuple(map(sys.intern, sig)), n, j)
        self._last = (text, found)
        return found

    def match(self, show_id: int | None, text: str, read: Signature | None = None) -> int | None:
        """The cluster id of a near-duplicate of `text` already indexed for the show, else None.
        `read`: `signature(text)` when it was taken already (e.g. in a triage worker)."""
        return self.find(show_id, text, read, suggest=False).cluster

    def find(self, show_id: int | None, text: str, read: Signature | None = None, *, suggest: bool = True) -> Found:
        """`match` with its reason, and the clusters that come close without reaching the threshold
        (`suggestions`, best first, at most `_SUGGESTED`): the desk offers those for a merge by hand."""
        show = self._shows.get(show_id)
        found = self._analyse(text, read)
        if show is None or found is None:
            return _NOTHING
        digest, sig, n, j = found
        exact = show.exact.get(digest)
        if exact is not None:
            return Found(exact, 1.0, {"score": 1.0, "same_text": True, "place": [], "problem": [], "words": []})
        if j < _MIN_TERMS:
            return _NOTHING
        best, score, near = self._fuzzy(show_id, show, sig, n, j, self.suggest_threshold if suggest else None)
        reason = None if best is None else _reason(text, sig, n, j, best, score, self.city)
        suggestions = tuple(Suggestion(e[_E_CLUSTER], round(x, 3), _reason(text, sig, n, j, e, x, self.city))
                            for e, x in near if best is None or e[_E_CLUSTER] != best[_E_CLUSTER])
        return Found(None if best is None else best[_E_CLUSTER], round(score, 3), reason, suggestions)

    def similarity(self, a: str, b: str, show_id: int | None = None) -> float:
        """The score two texts would get against each other in `show_id` (0 when a guard parts them)."""
        show = self._shows.get(show_id) or _Show()
        fa, fb = signature(a, self.city), signature(b, self.city)
        if fa is None or fb is None:
            return 0.0
        idf: dict[str, float] = {}
        return _score(_Parts(fa[1], idf, show, fa[2:]), _Parts(fb[1], idf, show, fb[2:]))

    def _fuzzy(self, show_id: int | None, show: _Show, sig: tuple[str, ...], n: int, j: int,
               near_from: float | None = None) -> tuple[_Entry | None, float, list[tuple[_Entry, float]]]:
        """The best representative reaching the threshold, its score, and (with `near_from`) the best of
        other clusters scoring from `near_from` up: (entry, score), best first."""
        index = show.index
        if n and not any(t in index or t[1:] in index for t in sig[:n]):
            return None, 0.0, []  # a duplicate shares an identifier number: no representative carries one
        known = [t for t in sig[:j] if t in index]
        if not known:
            return None, 0.0, []
        if len(known) > self.features_per_query:
            known.sort(key=show.df)
            del known[self.features_per_query :]
        scan = self.scan_per_feature
        top = math.log(show.reps + 2) + 0.5
        lists: list[Sequence[int]] = []
        for term in known:
            post = index[term]
            if isinstance(post, list):
                found: Sequence[int] = post[: max(0, len(post) - 1 - scan) : -1]
                df = post[0]
            else:
                found, df = (post,), 1
            # a candidate counts the weight of the terms it shares, in whole units up to `_RANK_CAP`: a list
            # is read as often as its term weighs, so sharing "дом 17" outweighs sharing a few common words
            weight = (top - math.log(df + 1)) * (_EXTRA if term[0] == _NUMBER else 1.0)
            lists.extend([found] * min(_RANK_CAP, max(1, round(weight))))
        counts = Counter(chain.from_iterable(lists))
        ranked = sorted(counts, key=counts.__getitem__, reverse=True) if len(counts) > 1 else list(counts)
        if show.concepts:  # the same problem at the same place first, whatever words it shares
            same: list[int] = []
            for key in _concept_keys(sig, n, j):
                held = show.concepts.get(key)
                if held is not None:
                    same.extend((held,) if isinstance(held, int) else reversed(held))
            if same:
                ranked = list(dict.fromkeys(chain(same[:_CHECKED], ranked)))
        entries = self._entries
        idf: dict[str, float] = {}
        query = _Parts(sig, idf, show, (n, j), {})  # weighed when a candidate gets that far
        weighed = False
        query_terms = frozenset(sig[:j])
        rough = self.threshold - _ROUGH_MARGIN
        best, best_score = None, self.threshold
        near: dict[int, tuple[_Entry, float]] = {}  # cluster -> its best representative under the threshold
        floor = near_from if near_from is not None else self.threshold
        scored = 0
        numbers, marked = query.numbers, sig[:n]
        districts, named, places = query.district_marks, query.named_marks, query.place_marks
        quantities = query.quantities
        said = frozenset(t for t in sig[n:j] if t[0] == _PROBLEM and t[1:] not in _problems.THINGS)
        for qid in ranked[:_CHECKED]:
            entry = entries.get(qid)
            if entry is None:
                continue
            other = entry[_E_SIG]
            if other is None or entry[_E_SHOW] != show_id:
                continue
            i, k = entry[_E_NUMBERS], entry[_E_TERMS]
            if quantities or (i < k and other[i][0].isdigit()):
                # how long or how much parts two questions only when they do not name one problem
                their_quantities = _quantities(other, i, k)
                mine, one_problem = quantities, bool(said) and not said.isdisjoint(other)
                if one_problem:
                    mine, their_quantities = _years(quantities), _years(their_quantities)
                if not (one_problem and (not n or not i)) and not _numbers_ok(
                    numbers, mine, [x[1:] for x in other[:i]], their_quantities
                ):
                    continue
            elif (n or i) and other[:i] != marked and (  # identifier numbers only (the usual case)
                not n or not i or not _numbers_agree(set(numbers), {x[1:] for x in other[:i]})
            ) and (not said or said.isdisjoint(other) or (n and i)):  # one problem, one of them unnumbered
                continue
            if k < len(other):  # not in another district, nor another micro-district
                tail = other[k:]
                if districts and tail[0][0] == _DISTRICT and not any(m in tail for m in districts):
                    continue
                if named and not any(m in tail for m in named) and any(m[0] == _NAMED for m in tail):
                    continue
                if places and not any(m in tail for m in places) and any(m[0] == _PLACE for m in tail):
                    continue
            # the overlap with every term weighing the same: far under the threshold is no duplicate
            common = query_terms.intersection(other)
            shared = len(common)
            if (2 * shared / (j + k) + shared / min(j, k)) / 2 < rough and not any(t[0] == _PROBLEM for t in common):
                continue
            if not weighed:
                query.weights = _weigh(sig, n, j, idf, show)
                query.total = sum(query.weights.values())
                weighed = True
            score = _score_candidate(query, other, i, k, idf, show, floor)
            if score >= floor and self._torn(show, query, entry, qid, idf, score < self.threshold):
                continue  # another of the cluster's representatives names another house, route or place
            if score >= best_score:
                best, best_score = entry, score
            elif score >= floor and near.get(entry[_E_CLUSTER], (None, 0.0))[1] < score:
                near[entry[_E_CLUSTER]] = (entry, score)
            scored += 1
            if scored >= _SCORED or best_score >= _SURE:
                break
        ranked_near = sorted(near.values(), key=lambda pair: -pair[1])[:_SUGGESTED]
        return best, (best_score if best is not None else 0.0), ranked_near

    def _torn(self, show: _Show, query: _Parts, entry: _Entry, qid: int, idf: dict[str, float],
              suggestion: bool = False) -> bool:
        """Whether a guard parts the query from another representative of the candidate's cluster: a
        question that omits the house number must not bridge "дом 8" and "дом 18" (a suggestion may omit it),
        nor one that names no specific problem bridge two different problems of one thing."""
        group = show.groups.get(entry[_E_CLUSTER])
        if not group:
            return False
        for rep in group:
            if rep == qid:
                continue
            other = self._entries.get(rep)
            if other is None or other[_E_SIG] is None:
                continue
            parts = _Parts(other[_E_SIG], idf, show, (other[_E_NUMBERS], other[_E_TERMS]))
            if _problems.same_problem(query.problems, parts.problems) == "":
                return True  # the cluster already holds another problem of this thing ("gas bill" vs "no gas")
            if _apart(query, parts, quantities=False, unnumbered=suggestion):
                return True
        return False

    def add(self, show_id: int | None, question_id: int, text: str, cluster_id: int,
            read: Signature | None = None) -> None:
        """Index one question as a member of `cluster_id` (a question id already indexed is left alone)."""
        entries = self._entries
        if question_id in entries:
            return
        found = self._analyse(text, read)
        if found is None:
            return
        digest, sig, n, j = found
        show = self._shows.get(show_id)
        if show is None:
            show = self._shows[show_id] = _Show()
        if digest in show.exact:
            show.refs[digest] = show.refs.get(digest, 1) + 1
        else:
            show.exact[digest] = cluster_id
        if j < _MIN_TERMS:
            entries[question_id] = (show_id, cluster_id, digest, None)
            return
        # the cluster's representatives, oldest first: listed in `groups` unless it is just its head
        group = show.groups.get(cluster_id)
        if group is None and cluster_id != question_id:
            head = entries.get(cluster_id)
            live = head is not None and head[_E_SIG] is not None
            live = live and head[_E_CLUSTER] == cluster_id and head[_E_SHOW] == show_id  # type: ignore[index]
            group = show.groups[cluster_id] = [cluster_id] if live else []
        if group is not None:
            while len(group) >= self.reps_per_cluster:
                self._unindex(show, group.pop(0))
            group.append(question_id)
        entries[question_id] = (show_id, cluster_id, digest, sig, n, j)
        show.reps += 1
        concepts = show.concepts
        for key in _concept_keys(sig, n, j):
            held = concepts.get(key)
            if held is None:
                concepts[key] = question_id  # most keys are one question's: no list for them
            elif isinstance(held, int):
                concepts[key] = [held, question_id]
            else:
                held.append(question_id)
                if len(held) > _CONCEPT_LIST:
                    del held[0]
        index = show.index
        cap = 2 * self.scan_per_feature + 1
        for term in sig[:j]:
            post = index.get(term)
            if post is None:
                index[term] = question_id
            elif isinstance(post, list):
                post[0] += 1
                post.append(question_id)
                if len(post) > cap:
                    self._trim(post)
            else:
                index[term] = [2, post, question_id]

    def _trim(self, post: list[int]) -> None:
        """Keep the newest live representatives of a long postings list (its df stays in post[0])."""
        entries = self._entries
        keep = [q for q in post[len(post) - self.scan_per_feature :] if (e := entries.get(q)) and e[_E_SIG] is not None]
        post[1:] = keep

    def _unindex(self, show: _Show, question_id: int) -> None:
        """A representative leaves the index (and its postings lists)."""
        entry = self._entries.get(question_id)
        if entry is None or entry[_E_SIG] is None:
            return
        sig = entry[_E_SIG]
        self._entries[question_id] = (entry[_E_SHOW], entry[_E_CLUSTER], entry[_E_DIGEST], None)
        show.reps -= 1
        for key in _concept_keys(sig, entry[_E_NUMBERS], entry[_E_TERMS]):
            held = show.concepts.get(key)
            if isinstance(held, list):
                with suppress(ValueError):
                    held.remove(question_id)
                if len(held) == 1:
                    show.concepts[key] = held[0]
            elif held == question_id:
                del show.concepts[key]
        index = show.index
        for term in sig[: entry[_E_TERMS]]:
            post = index.get(term)
            if isinstance(post, list) and post[0] > 1:
                post[0] -= 1
                with suppress(ValueError):  # trimmed away already
                    post.remove(question_id)  # a short list (see `_trim`): scanned in C
            else:
                index.pop(term, None)

    def forget(self, question_id: int) -> None:
        """Drop one question from the index (purged, or its cluster is being rebuilt)."""
        entry = self._entries.get(question_id)
        if entry is None:
            return
        show = self._shows[entry[_E_SHOW]]
        digest = entry[_E_DIGEST]
        refs = show.refs.get(digest)
        if refs is None:
            show.exact.pop(digest, None)
        elif refs > 2:
            show.refs[digest] = refs - 1
        else:
            del show.refs[digest]
        if entry[_E_SIG] is not None:
            self._unindex(show, question_id)
            cluster = entry[_E_CLUSTER]
            group = show.groups.get(cluster)
            if group is not None and question_id in group:
                group.remove(question_id)
                if not group or group == [cluster]:
                    del show.groups[cluster]
        del self._entries[question_id]
