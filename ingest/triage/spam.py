"""Links and spam: what a message says (links, ads, character floods) and how it arrives (floods).

`content_flags` looks at one text. `FloodGuard` remembers recent traffic: one author sending more
than `max_per_author` messages inside `window` seconds, one author repeating a text, or the same
text arriving from many authors at once (a copy-paste campaign). Flags only: nothing is dropped.
"""

from __future__ import annotations

import re
from collections import OrderedDict, deque
from collections.abc import Sequence
from typing import TypeVar

from .encoding import lossy
from .pii import EMAIL
from .pii import find as find_pii
from .tokens import fold
from .tokens import words as split_words

__all__ = ["FloodGuard", "content_flags", "has_link"]

K = TypeVar("K")
V = TypeVar("V")

_TLD = (
    r"(?:kz|ru|com|net|org|info|biz|me|io|xyz|site|online|shop|top|club|link|ly|su|tv|pro|app|ua|"
    r"uz|kg|co|рф|қаз)"
)
_LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b(?:t\.me|wa\.me|vk\.cc|bit\.ly)/\S*"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?i:" + _TLD + r")\b(?:/\S*)?",
    re.IGNORECASE,
)


def _split(text: str) -> list[str]:
    return text.split()


# words that advertise: their folded stems (see tokens.fold), matched at the start of a word; one
# is enough (казино, заработок, подписывайтесь, crypto, earn …)
_AD_STEMS = tuple(
    fold(w)
    for w in _split("""
заработ зарабатыва казино подписыва подпишись подпишитесь подпишіңіз промокод букмекер 1win vavada
вавада жазылыңыз жазылыныз розыгрыш пассивн вложени криптовалют крипто микрозайм микрокредит
casino crypto bitcoin btc usdt binance subscribe earn earning промокод
удвоим удвою удвоение удвоить умножим приумнож одобрим одобрение одобряем кепілсіз анықтамасыз
разошлите разошли перешлите перешли таратыңыз таратыныз
""")
)
# whole words that advertise (as prefixes they would catch "директор")
_AD_WORDS = frozenset(fold(w) for w in _split("директ директе директку direct dm cvv"))
# asking for a card's number or an SMS code is a scam whatever else is said
_SCAM = re.compile(
    r"номер\w* карт|карт\w* номер|карта(?:ның|сының)? нөмір|нөмір\w* карт|card number|cvv|код из смс|смс.?код"
    r"|sms.?code|send (?:money|your card)",
    re.IGNORECASE,
)
# money promised or asked for: with a card number to pay to and nothing asked, a scam ("переведи 10 000 на карту
# 4400 …, вернём 20 000!")
_MONEY = re.compile(
    r"\d\s*(?:тг|тенге|теңге|₸|тыс|мың|руб|\$|usd|kzt)|вернём|вернем|верну|қайтарамыз|кайтарамыз|переведи|оплатите"
    r"|салыңыз|салсаңыз|комисси|выплат|өтемақы|отемакы",
    re.IGNORECASE,
)
# words that advertise only in company: two of them, or one with a link (a viewer may well ask
# about a loan, a bonus or a free service; an ad offers them)
_WEAK_AD_STEMS = tuple(
    fold(w)
    for w in _split("""
кредит займ несие бонус депозит доход табыс бесплатн тегін скидк акция ұтыс сыйлық выигр приз
инвест ставк click free bonus deposit profit income loan credit signal promo giveaway iphone
обращайтесь выгодн недорог услуг гарант процент ставка быстро качествен бөлінді
выплачивает компенсаци cheap discount guarante delivery доставк поздравляем құттықтаймыз congratulations
лс профил подробност удаленн удалённ whatsapp ватсап вацап сантехник электрик

жеңілдік женилдик арзан ұтып утып жеңімпаз женимпаз winner won prize
""")
)
# a chain letter: "send this to 10 people", "10 адамға жіберіңіз"
_CHAIN = re.compile(
    r"\b\d+\s*(?:адамға|адамга|адамғa|adamg[h]?a|adamğa|людям|друзьям|контактам|знакомым|people|friends|contacts)\b"
    r"|(?:отправь|отправьте|перешли|перешлите|разошли|разошлите|send|forward)\s+(?:это|this|его|всем)"
    r"|не (?:отправишь|перешлешь|перешлёшь|разошлешь)|жібермесең|жибермесен|таратпасаң|таратпасан"
    r"|[jz]h?ibermese|taratpasa",
    re.IGNORECASE,
)
# one word said this many times, most of a message: a token flood ("сәлем сәлем сәлем …")
_TOKEN_FLOOD = 5
# a message whose words are each said this many times over, on average, is a flood of a few words
_FEW_WORDS_REPEATED = 3
# a link with at most this many words beside it, and no question, is a bare link ("смотрите тут <link>")
_BARE_LINK_WORDS = 3
# this many emoji or pictographs in a message of a few words is a flood of its own ("🔥💰🔥💰🔥💰 join")
_EMOJI_FLOOD, _EMOJI_WORDS = 6, 4
# a character repeated this often is a flood of its own ("!!!!!!!!!!", "ааааааааа")
_LETTER_RUN = 7
# a text of a word or two and a long run of one symbol or emoji is a flood ("!!!!!!!!", "😂😂😂😂😂😂");
# an angry message with words in it is not, whatever its punctuation
_SYMBOL_RUN = 8
_FLOOD_WORDS = 2


def has_link(text: str) -> bool:
    return "." in text and _LINK.search(EMAIL.sub(" ", text)) is not None


def _links(text: str, words: Sequence[str]) -> int:
    if "." not in text or not any(w.isascii() and not w.isdigit() for w in words):
        return 0
    return len(_LINK.findall(EMAIL.sub(" ", text) if "@" in text else text))


# word -> how much it advertises: _NO, _WEAK (only in company) or _STRONG
_NO, _WEAK, _STRONG = 0, 1, 2
_SPAM_WORDS: dict[str, int] = {}


def _word_is_spam(word: str) -> int:
    found = _SPAM_WORDS.get(word)
    if found is None:
        found = _advertises(word)
        if len(_SPAM_WORDS) >= 200_000:
            _SPAM_WORDS.clear()
        _SPAM_WORDS[word] = found
    return found


def _advertises(word: str) -> int:
    folded = fold(word)
    if folded.startswith(_AD_STEMS) or folded in _AD_WORDS:
        return _STRONG
    if len(word) >= _LETTER_RUN and any(c * _LETTER_RUN in word for c in set(word) if c.isalpha()):
        return _STRONG
    return _WEAK if folded.startswith(_WEAK_AD_STEMS) else _NO


def content_flags(text: str, words: Sequence[str] | None = None, payable: bool | None = None,
                  card: bool | None = None) -> set[str]:
    """{"link"} and/or {"spam"} from the text alone (`words`: `tokens.words(text)` when known; `payable`:
    whether it holds a phone or card number, `card` a card number, when `pii.find` was asked already)."""
    if words is None:
        words = split_words(text)
    flags: set[str] = set()
    links = _links(text, words)
    if links:
        flags.add("link")
    # a number to pay or call counts as half an advert, unless the message asks something (a viewer's own
    # number for a call back: "мне отказали в кредите, куда обращаться? 8701…")
    if payable is None or card is None:
        kinds = {s.kind for s in find_pii(text, words)}
        payable, card = bool(kinds & {"phone", "card"}), "card" in kinds
    contact = 1 if payable and "?" not in (_LINK.sub(" ", text) if links else text) else 0
    # a message that asks something needs a word that only advertises: a viewer asks about prizes, loans and
    # chain letters they were sent ("сказали что я выиграл приз… Это мошенники?")
    asks = not links and "?" in text
    if (links >= 2 or _advertises_any(words, min(1, links + contact), strong_only=asks) or _symbol_flood(text, words)
            or (links and _bare_link(text))
            or _token_flood(words) or _emoji_flood(text, words) or (not asks and _chain_letter(text))
            or (contact and _SCAM.search(text) is not None)
            or (card and contact and _MONEY.search(text) is not None)):
        flags.add("spam")
    return flags


def _bare_link(text: str) -> bool:
    """A link with hardly a word beside it and nothing asked: "смотрите тут https://bit.ly/…"."""
    rest_text = _LINK.sub(" ", EMAIL.sub(" ", text))
    if "?" in rest_text:
        return False
    rest = split_words(rest_text)
    return len(rest) <= _BARE_LINK_WORDS


def _token_flood(words: Sequence[str]) -> bool:
    """One word repeated `_TOKEN_FLOOD` times or more, and at least half of all the words; or a few words
    said over and over ("сәлем сәлем сәлем салам салам салам привет привет привет")."""
    if len(words) < _TOKEN_FLOOD:
        return False
    distinct = len(set(map(str.lower, words)))
    if len(words) > _TOKEN_FLOOD and distinct * _FEW_WORDS_REPEATED <= len(words):
        return True
    if 2 * distinct > len(words) + 2:
        return False  # (half the words alike at least, whatever their case, leave few distinct ones)
    counts: dict[str, int] = {}
    for word in words:
        key = word.lower()
        counts[key] = counts.get(key, 0) + 1
    top = max(counts.values())
    return top >= _TOKEN_FLOOD and 2 * top >= len(words)


_CHAIN_CUES = ("адам", "adam", "люд", "друз", "контакт", "знаком", "peopl", "friend", "отправ", "перешл",
               "разошл", "send", "forward", "жібермесе", "жибермесе", "ibermese", "таратпаса", "taratpasa")


def _chain_letter(text: str) -> bool:
    lowered = text.lower()
    return any(cue in lowered for cue in _CHAIN_CUES) and _CHAIN.search(text) is not None


def _emoji_flood(text: str, words: Sequence[str]) -> bool:
    if len(words) > _EMOJI_WORDS:
        return False
    return sum(1 for c in text if ord(c) >= 0x2190 and not c.isalnum()) >= _EMOJI_FLOOD


def _symbol_flood(text: str, words: Sequence[str]) -> bool:
    if len(words) > _FLOOD_WORDS or len(text) < _SYMBOL_RUN or lossy(text):
        return False
    run, last = 0, ""
    for char in text:
        if char == last and not char.isalnum() and not char.isspace():
            run += 1
            if run >= _SYMBOL_RUN:
                return True
        else:
            run, last = 1, char
    return False


def _advertises_any(words: Sequence[str], links: int, strong_only: bool = False) -> bool:
    cache = _SPAM_WORDS
    weak = min(links, 1)
    for word in words:
        found = cache.get(word)
        if found is None:
            found = _word_is_spam(word)
        if found:
            if found == _STRONG:
                return True
            if strong_only:
                continue
            weak += 1
            if weak >= 2:
                return True
    return False


def _text_key(text: str) -> int:
    # a hash, not the text: the table holds up to max_keys recent texts
    return hash(text.lower()) if text else 0


class _Recent:
    """Who sent one text, and when, inside the repeat window (a text seen once is kept as a plain
    `(at, author)` pair instead: most are, and this object costs ten times as much)."""

    __slots__ = ("authors", "sent")

    def __init__(self, first: tuple[float, str]) -> None:
        self.sent: deque[tuple[float, str]] = deque([first])
        self.authors: dict[str, int] = {first[1]: 1}

    def expire(self, before: float) -> None:
        sent, authors = self.sent, self.authors
        while sent and sent[0][0] <= before:
            _, author = sent.popleft()
            authors[author] -= 1
            if not authors[author]:
                del authors[author]

    def record(self, at: float, author: str) -> int:
        """Record one sending; returns how often this author has sent the text in the window."""
        self.sent.append((at, author))
        count = self.authors.get(author, 0) + 1
        self.authors[author] = count
        return count


class FloodGuard:
    """Flood detection over sliding windows; memory is bounded by `max_keys` authors and texts (both
    least recently seen first out, so an author who keeps sending stays), a few hundred bytes each."""

    def __init__(
        self,
        window: float = 60.0,
        max_per_author: int = 5,
        repeat_window: float = 600.0,
        max_repeats: int = 2,
        repeat_authors: int = 5,
        repeat_authors_selling: int = 3,
        min_repeat_length: int = 20,
        max_keys: int = 50_000,  # authors (and texts) seen in the last minutes of a show: ample, LRU
    ) -> None:
        self.window = window
        self.max_per_author = max_per_author
        self.repeat_window = repeat_window
        self.max_repeats = max_repeats
        self.repeat_authors = repeat_authors
        self.repeat_authors_selling = repeat_authors_selling
        self.min_repeat_length = min_repeat_length
        self.max_keys = max_keys
        # per author: the times of their last few messages (no more than a flood needs to be seen)
        self._by_author: OrderedDict[str, tuple[float, ...]] = OrderedDict()
        self._by_text: OrderedDict[int, _Recent | tuple[float, str]] = OrderedDict()
        self._anonymous = 0

    def is_flood(self, text: str, author_key: str | None, at: float, selling: bool = False) -> bool:
        """Record one message and tell whether it belongs to a flood. `selling`: the text carries a link or a
        number to call or pay, so fewer authors sending it word for word make a campaign (residents do send
        one question word for word; a promo's copies come with its phone number)."""
        flood = author_key is not None and self._author_flood(author_key, at)
        if text:
            flood = self._text_flood(_text_key(text), len(text), author_key, at, selling) or flood
        return flood

    def _author_flood(self, author: str, at: float) -> bool:
        since = at - self.window
        earlier = self._by_author.pop(author, ())
        times = (*(t for t in earlier[-self.max_per_author:] if t > since), at)
        self._by_author[author] = times
        _trim(self._by_author, self.max_keys)
        return len(times) > self.max_per_author

    def _text_flood(self, key: int, length: int, author: str | None, at: float, selling: bool = False) -> bool:
        if author is None:
            self._anonymous += 1
            author = f"\0anonymous-{self._anonymous}"
        entry = self._by_text.pop(key, None)
        if entry is None or (isinstance(entry, tuple) and entry[0] <= at - self.repeat_window):
            self._by_text[key] = (at, author)
            repeats, authors = 1, 1
        else:
            recent = _Recent(entry) if isinstance(entry, tuple) else entry
            recent.expire(at - self.repeat_window)
            repeats = recent.record(at, author)
            authors = len(recent.authors)
            self._by_text[key] = recent
        _trim(self._by_text, self.max_keys)
        if repeats > self.max_repeats:
            return True  # one author sending the same text again and again
        enough = self.repeat_authors_selling if selling else self.repeat_authors
        return authors >= enough and length >= self.min_repeat_length


def _trim(table: OrderedDict[K, V], limit: int) -> None:
    while len(table) > limit:
        table.popitem(last=False)
