"""Near-duplicate questions per show: one cluster for the same concrete ask, however it is spelt.

A question is reduced to a bag of *terms* (see `terms`): words folded (case, punctuation, ё/е,
Kazakh letters vs their Russian look-alikes, Kazakh Latin of the 2021 alphabet and informal
translit: see `tokens.fold`), number words read as numbers ("сорок" → 40), light Russian and
Kazakh suffix stripping and a short head kept ("площадки", "площадка" → "площа"; "үйдің",
"уйде" → "уи"), a few everyday Kazakh/English words mapped to their Russian counterpart (су →
вода, свет ← жарық), and stopwords (when, please, hello, district …) dropped. Numbers are kept.

Two questions are duplicates when:
* their numbers agree — the same numbers, or one omits some of the other's while they share at
  least one (a different house number, bus route or school number never clusters, and neither
  does a question without numbers with one that has them);
* the places they name (the city's gazetteer) are not in different districts;
* the weighted overlap of their terms is high: each term weighs by its rarity in the show so far
  (online inverse document frequency; numbers and places count extra), and the score blends the
  Dice coefficient with the overlap coefficient, so a paraphrase with a few extra words still
  clusters while a question that shares only its place and its topic word does not.

Blocking keeps the cost per message flat as the show grows: each term has a postings list of the
representatives carrying it; a query scans only its rarest terms, newest entries first and up to
a limit, sums the weight of the shared terms per candidate, and scores the best few in full.
Each cluster keeps at most a few representatives in the index; an exact folded match is a
dictionary hit.
"""

from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass, field
from functools import cache

from .districts import gazetteer
from .tokens import fold
from .tokens import words as split_words

__all__ = ["DedupeIndex", "terms"]

# ---------------------------------------------------------------------------------------------
# normalisation

# Kazakh Latin with apostrophes (2018 alphabet "o'", "g'", "s'") and informal digraphs
_APOSTROPHE = re.compile(r"([a-z])['’`ʼ‘]")
_APOSTROPHE_LETTER = {"a": "ä", "o": "ö", "u": "ü", "i": "ı", "g": "ğ", "n": "ñ", "s": "ş", "c": "ç"}
_LATIN_DIGRAPHS = (("gh", "ğ"), ("ng", "ñ"))
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
қашан неге неліктен қалай қайда бар жоқ сәлеметсіз сәлем салем салеметсиз рахмет және мен осы бұл
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
дорога жол
улица көше
двор аула
школа мектеп school
садик балабақша детсад kindergarten
ребенок бала
дети балалар children
врач дәрігер doctor
поликлиника емхана clinic
больница аурухана hospital
мусор қоқыс garbage
дерево ағаш
собака ит
земля жер
пенсия зейнетақы pension
пособие жәрдемақы
остановка аялдама
фонарь шам
дым түтін
воздух ауа
город қала
мост көпір
ремонт жөндеу
очередь кезек queue
место орын
неделя апта
месяц ай
год жыл
деньги ақша
крыша шатыр
подвал жертөле
подъезд кіреберіс
яма шұңқыр pothole potholes
пробка кептеліс
светофор бағдаршам
"""


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


@cache
def _tables() -> tuple[dict[str, str], frozenset[str], dict[str, str]]:
    numbers = {_base_term(w): digits for digits, text in _NUMBERS.items() for w in text.split()}
    stop = frozenset(_base_term(w) for w in _STOP_TEXT.split())
    concepts: dict[str, str] = {}
    for line in _CONCEPTS.strip().splitlines():
        head, *others = (_base_term(w) for w in line.split())
        for other in others:
            concepts.setdefault(other, head)
    return numbers, stop - set(concepts.values()), concepts


def _base_term(word: str) -> str:
    word = word.lower()
    if word.isdigit():
        return word.lstrip("0") or "0"
    if word.isascii():
        word = _prepare_latin(word)
    return _stem(fold(word))


_TERMS: dict[str, str | None] = {}
_CACHE_LIMIT = 200_000


def _term(word: str) -> str | None:
    """The term of one word as written, or None for a stopword (cached per word)."""
    try:
        return _TERMS[word]
    except KeyError:
        pass
    numbers, stop, concepts = _tables()
    base = _base_term(word)
    term: str | None = numbers.get(base, base)
    term = concepts.get(base, term)
    if term in stop or not term:
        term = None
    if len(_TERMS) >= _CACHE_LIMIT:
        _TERMS.clear()
    _TERMS[word] = term
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
# the index

_SCORED = 5  # candidates scored in full, by the weight of the rare terms they share
_MIN_TERMS = 2  # fewer content terms than this: only an exact (folded) match counts
_NUMBER_WEIGHT = 1.5  # a number weighs this much more than a word as rare
_PLACE_WEIGHT = 1.5
_DISTRICT_NAME = 2.0  # the gazetteer's weight of a district's own name (micro-districts weigh 1 or 3)


@dataclass(slots=True)
class _Key:
    exact: str  # folded words joined by spaces: the exact-match key
    terms: tuple[str, ...]  # unique terms
    numbers: frozenset[str]
    districts: frozenset[str]
    places: frozenset[str]


def _key(text: str, city: str) -> _Key:
    written = _words(text)
    folded = [fold(w) for w in written]
    found: list[str] = []
    for word in written:
        term = _term(word)
        if term is not None and term not in found:
            found.append(term)
    numbers = frozenset(t for t in found if t.isdigit())
    districts: set[str] = set()
    places: set[str] = set()
    if found:
        for i, hit in gazetteer(city).places.scan(folded):
            if hit.label != "_":
                districts.add(hit.label.lstrip("?"))
                term = _term(written[i])
                if term is not None and hit.weight != _DISTRICT_NAME:
                    places.add(term)
    return _Key(" ".join(folded), tuple(found), numbers, frozenset(districts), frozenset(places))


@dataclass(slots=True)
class _Rep:
    """A representative question of a cluster, as the postings hold it."""

    key: _Key
    cluster: int
    alive: bool = True


@dataclass
class _Show:
    exact: dict[int, int] = field(default_factory=dict)  # hash of folded text -> cluster id
    refs: dict[int, int] = field(default_factory=dict)  # hash of folded text -> questions carrying it
    reps: dict[int, _Rep] = field(default_factory=dict)  # question id -> representative
    postings: dict[str, list[_Rep]] = field(default_factory=dict)  # term -> reps, oldest first
    df: dict[str, int] = field(default_factory=dict)  # term -> questions carrying it
    questions: int = 0
    reps_per_cluster: dict[int, int] = field(default_factory=dict)
    stale: int = 0

    def idf(self, term: str) -> float:
        return math.log((self.questions + 2) / (self.df.get(term, 0) + 1)) + 0.5

    def compact(self) -> None:
        self.postings = {}
        for rep in self.reps.values():
            for term in rep.key.terms:
                self.postings.setdefault(term, []).append(rep)
        self.stale = 0


def _weights(show: _Show, key: _Key, memo: dict[str, float]) -> dict[str, float]:
    """Each term's weight: its rarity in the show (memoised for one query), numbers and places more."""
    out = {}
    for term in key.terms:
        idf = memo.get(term)
        if idf is None:
            idf = memo[term] = show.idf(term)
        if term in key.numbers:
            idf *= _NUMBER_WEIGHT
        elif term in key.places:
            idf *= _PLACE_WEIGHT
        out[term] = idf
    return out


def _numbers_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Equal, or one omits some of the other's but they share one: a question without a number never
    joins one with a number (else a numberless head would merge "дом 5" with "дом 7")."""
    return a == b or (bool(a & b) and (a <= b or b <= a))


class DedupeIndex:
    """Sync, in-memory; used from the store's single writer thread."""

    def __init__(
        self,
        threshold: float = 0.6,
        reps_per_cluster: int = 4,
        scan_per_feature: int = 200,
        features_per_query: int = 6,
        city: str = "almaty",
    ) -> None:
        self.threshold = threshold
        self.reps_per_cluster = reps_per_cluster
        self.scan_per_feature = scan_per_feature
        self.features_per_query = features_per_query
        self.city = city
        self._shows: dict[int | None, _Show] = {}
        # question id -> (show, hash of its folded text, its terms, whether it is a representative)
        self._questions: dict[int, tuple[int | None, int, tuple[str, ...], bool]] = {}
        self._last: tuple[str, _Key] | None = None

    def _key(self, text: str) -> _Key:
        # match() and add() see the same text one after the other: normalise it once
        if self._last is not None and self._last[0] == text:
            return self._last[1]
        key = _key(text, self.city)
        self._last = (text, key)
        return key

    def match(self, show_id: int | None, text: str) -> int | None:
        """The cluster id of a near-duplicate of `text` already indexed for the show, else None."""
        show = self._shows.get(show_id)
        key = self._key(text)
        if show is None or not key.exact:
            return None
        exact = show.exact.get(hash(key.exact))
        if exact is not None:
            return exact
        if len(key.terms) < _MIN_TERMS:
            return None
        return self._fuzzy(show, key)

    def similarity(self, a: str, b: str, show_id: int | None = None) -> float:
        """The score two texts would get against each other in `show_id` (0 when a guard parts them)."""
        show = self._shows.get(show_id) or _Show()
        ka, kb = _key(a, self.city), _key(b, self.city)
        return self._score(show, ka, kb)

    def _score(self, show: _Show, query: _Key, other: _Key, memo: dict[str, float] | None = None) -> float:
        if not _numbers_agree(query.numbers, other.numbers):
            return 0.0
        if query.districts and other.districts and query.districts.isdisjoint(other.districts):
            return 0.0
        if query.places and other.places and query.places.isdisjoint(other.places):
            return 0.0
        if len(other.terms) < _MIN_TERMS:
            return 0.0
        if memo is None:
            memo = {}
        wa = _weights(show, query, memo)
        wb = _weights(show, other, memo)
        shared = sum(min(w, wb[t]) for t, w in wa.items() if t in wb)
        if not shared:
            return 0.0
        total_a, total_b = sum(wa.values()), sum(wb.values())
        dice = 2 * shared / (total_a + total_b)
        overlap = shared / min(total_a, total_b)
        return (dice + overlap) / 2

    def _fuzzy(self, show: _Show, key: _Key) -> int | None:
        postings, df, scan = show.postings, show.df, self.scan_per_feature
        known = sorted((df.get(t, 0), t) for t in key.terms if t in postings)
        memo: dict[str, float] = {}
        weights = _weights(show, key, memo)
        partial: dict[int, float] = {}
        reps: dict[int, _Rep] = {}
        for _, term in known[: self.features_per_query]:
            weight = weights[term]
            for rep in postings[term][-scan:]:
                if rep.alive:
                    ident = id(rep)
                    partial[ident] = partial.get(ident, 0.0) + weight
                    reps[ident] = rep
        if not partial:
            return None
        best, best_score = None, self.threshold
        for ident in heapq.nlargest(_SCORED, partial, key=partial.__getitem__):
            rep = reps[ident]
            score = self._score(show, key, rep.key, memo)
            if score >= best_score:
                best, best_score = rep, score
        return best.cluster if best is not None else None

    def add(self, show_id: int | None, question_id: int, text: str, cluster_id: int) -> None:
        """Index one question as a member of `cluster_id`."""
        key = self._key(text)
        if not key.exact or question_id in self._questions:
            return
        show = self._shows.setdefault(show_id, _Show())
        digest = hash(key.exact)
        show.exact.setdefault(digest, cluster_id)
        show.refs[digest] = show.refs.get(digest, 0) + 1
        show.questions += 1
        for term in key.terms:
            show.df[term] = show.df.get(term, 0) + 1
        rep = len(key.terms) >= _MIN_TERMS and show.reps_per_cluster.get(cluster_id, 0) < self.reps_per_cluster
        if rep:
            entry = _Rep(key, cluster_id)
            show.reps[question_id] = entry
            show.reps_per_cluster[cluster_id] = show.reps_per_cluster.get(cluster_id, 0) + 1
            for term in key.terms:
                show.postings.setdefault(term, []).append(entry)
        self._questions[question_id] = (show_id, digest, key.terms, rep)

    def forget(self, question_id: int) -> None:
        """Drop one question from the index (purged, or its cluster is being rebuilt)."""
        record = self._questions.pop(question_id, None)
        if record is None:
            return
        show_id, digest, found, rep = record
        show = self._shows[show_id]
        refs = show.refs.get(digest, 0) - 1
        if refs > 0:
            show.refs[digest] = refs
        else:
            show.refs.pop(digest, None)
            show.exact.pop(digest, None)
        show.questions -= 1
        for term in found:
            left = show.df.get(term, 0) - 1
            if left > 0:
                show.df[term] = left
            else:
                show.df.pop(term, None)
        if rep:
            entry = show.reps.pop(question_id)
            entry.alive = False
            cluster_id = entry.cluster
            show.reps_per_cluster[cluster_id] -= 1
            if not show.reps_per_cluster[cluster_id]:
                del show.reps_per_cluster[cluster_id]
            show.stale += 1
            if show.stale > max(1000, len(show.reps)):
                show.compact()
