"""Language of a message: kk, ru, en, mixed (code-switching inside one message) or unknown.

Rules first, because lingua is weak on the short texts viewers send and Latin-script Kazakh looks
like English to it: Kazakh-specific letters (әғқңөұүһі) and Kazakh words or suffixes, Russian
function words and endings, Latin-script Kazakh (2021 alphabet and informal "qashan", "aýdan")
and Russian transliteration ("kogda budet voda"), English function words. lingua, restricted to
Kazakh, Russian and English, decides only what the rules leave open.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from .tokens import has_cyrillic, has_latin
from .tokens import words as split_words

__all__ = ["detect"]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_KK_LETTERS = frozenset("әғқңөұүһі")
_KK_WORDS = _wordset("""
жок кашан калай кайда канша уиде уйде бермейди болмайды жасаиды жасайды бар бе ма ме ба па пе мен бен
пен осы сол керек неге неше мына мынау анау сондай жол су ала бала мектеп аудан ауданы ауданда ауданнан
жыл жылы жылдан кезде бойынша туралы дейін жатыр болды болады бола бол емес еді еш тез олар салам сәлем
салем рахмет ретінде ертең бүгін тағы жоқ сонда алдында бірақ жаса жасау жасайды жоспар жер адам адамдар
маған бізге сізге оларға бізде сізде мектепке балабақша аула ауласы аулада көше көшесі көшесінде тұрғын
тұрғындар неліктен қашан қалай қайда қанша
жылу жарык суык ыстык коше кошеде кошеси жаксы жаман кала калада калай ауыл жумыс кеше кешке тунде жана
улкен кезек кезекте барады келеди береди бермейди турады отыр жур балалар бизде сиздер
""")
_KK_SUFFIX = re.compile(
    r"(?:мыз|міз|сыз|сіз|лары|лері|дары|дері|тары|тері|ында|інде|нда|нде|дағы|дегі|тағы|"
    r"тегі|ған|ген|қан|кен|ады|еді|уда|уде|ыңыз|іңіз|ымыз|іміз)$"
)
_RU_WORDS = _wordset("""
и в во на не нет ни что чтобы как когда почему зачем где куда откуда это уже еще ещё есть будет будут
был была были мы вы они он она оно нас вас нам вам им их его ее её у с со к ко по за из от до для при
про без или но а же ли бы только очень тоже так там тут здесь можно нужно надо сколько какой какая какие
каких который которые которая пожалуйста здравствуйте добрый доброго день вечер спасибо прошу просим
подскажите скажите ответьте кто все всё весь наш наша наши ваш мой моя мне меня этот эта эти том тот той
того если даже сейчас опять снова год года лет уважаемый уважаемые аким акиму акима вопрос ваши делать
сделать дом дома
вместо после через потому поэтому между около возле вокруг также теперь почти совсем просто вообще всегда
никогда никто ничего некуда нечего негде незачем нельзя надолго сюда туда оттуда больше меньше лучше хуже
вода воду воды воде свет света дети детей ребенок ребенка улица улицу улице улицы двор дворе неделю неделя
недели месяц месяца месяцев часа часов утра вечером ночью люди людей жители жителей дорога дорогу дороги
дадут дают дали сделают делают работает работают ждем ждём мест место места
""")
_RU_SUFFIX = re.compile(
    r"(?:ого|его|ому|ему|ться|тся|ение|ания|ость|ости|ный|ная|ное|ные|ский|ская|ское|ские|"
    r"ует|уют|ают|яют|ится|ются|ешь|ишь|ать|ять|ить|ами|ями|ите|ает|ит|ют|"
    r"ых|ой|ую|ие|ый|ий|ая|ое|ые|ом|ей|ах|ях|ов|ев)$"
)
_RU_EXCEPT = frozenset(["алматы"])
# Russian spelling Kazakh grammar never makes: щ; a soft sign at the end or before a vowel, н or к (грязь,
# семья, больница: a Kazakh ending after a loan's ь starts with a consonant, "профильде"); "-ка/-ки/-ку/-ке"
# after a voiced consonant (Kazakh has "-ға/-ге" there: площадка, остановку, парковке); "-ок" after the
# first syllable (участок, звонок); verbs: "-ут/-ят" (дадут, висят), "-ли" of the past (сделали), "-ся";
# "-ения/-ании/-ание" (отопления); "-ены/-иты" (разбиты: a back ы after a front vowel breaks Kazakh harmony)
_RU_SPELLING = re.compile(r"щ|ь(?:$|[аеиоуыэюянк])")
_RU_ENDING = re.compile(
    r"(?:[бвджзлмнр]к[аиуе]|[бвгджзклмнпрстфхцчш]ок|[дйнвжз]ут|[бвгджзклмнпрстфхцчш]ят|[аеиуыя]ли|ся"
    r"|ения|ани[ея]|ены|[бвгджзклмнпрстфхцчш]иты)$"
)
_KK_LATIN_SUFFIX = re.compile(
    r"(?:myn|mın|myz|mız|miz|dyn|dın|nyn|nın|tyn|ynda|ında|ynan|ynyz|ıñız|yniz|ymyz|"
    r"lary|leri|dary|deri|tary|teri|ynde|inde|ğa|ğe|qa)$"
)
_KK_LATIN_LETTERS = frozenset("äğñöūüıýǵńşáóú")  # and "q" not before "u" (see `_latin_vote`)
_KK_LATIN = _wordset("""
qashan kashan jol zhol joq zhok jok bar su aýdan audan audany kóshe koshe koshesi mektep balabaqsha
balabaksha rahmet rakhmet salem sálem kerek nege qala kala qalai kalai ushin úshin bizde sizde jaryq
jaryk jylu jyly tez emes bolady bolmaidy jatyr kezde boiynsha turaly qazir kazir ýaqyt uakyt kaitadan
qaitadan bala aula aulada turgyndar turgyn jasaidy jasau zhasau neliktin nelikten kaida qaida qansha
kansha bitedi bastalady
de da te ta uy ui uyi uidin tur jur zhur kelmeidi istemeidi ishtemeidi eshkim eshteme kuttim kutemiz bugin
ote óte siirek sirek bola tikelei efir zhumys jumys sagat saghat kun kunde kunnen tunde keshke
kesh eki ush bir jane jáne kop kóp sayin saiyn boldy bolyp jatyr zhatyr zhok bermeidi beresizder
tomen koshpeidi habarlastyk shygyp kashan qaşan kimge nege nelikten osy mynau aldynda janynda
zhanynda artynda boiynda jaqsy zhaksy jaksy raqmet rahmet kerek qajet kajet tolyk tolyq durys
""")
# informal Latin Kazakh endings (verbs, case endings) that English words do not end with
_KK_LATIN_ENDING = re.compile(
    r"(?:eidi|aidy|maidy|meidi|ydy|tyq|dyq|tyk|dyk|ymyz|imiz|ynda|inde|dagy|degi|tagy|tegi|lary|leri|ynan|inen"
    r"|ğa|ğe|qa|dan|nan|nyn|nin|dyn|din|tyn|sizder|syzdar)$"
)
_RU_LATIN = _wordset("""
kogda pochemu budet net voda vody dorogi doroga dorogu ulitsa ulica rayon raion rayone svet pozhaluysta
pozhalujsta zdravstvuyte privet skolko kak chto eto uzhe est nas nam na ne po dlya sdelayut otoplenie
tozhe opyat mozhno nuzhno kotoryy gde kto vse nashem nashei nashey dvore dvor shkola shkolu detsad
""")
_EN_WORDS = _wordset("""
the is are was were when will be a an to of in on at for why what where how there not please hello hi
thanks thank water road roads bus heating our my we it this can do does street district and with have
has no yet still
""")
_LANGS = ("kk", "ru", "en")
# the second language's share of the votes that makes a message mixed: one Russian verb in a Kazakh question
# of a few words is code-switching ("мотоциклисты гоняют", "сломан")
_MIXED_SHARE = 0.15


@cache
def _detector() -> Any:
    """lingua, built once on first use (it is slow to build and to load its models)."""
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.KAZAKH, Language.RUSSIAN, Language.ENGLISH).build()


def _cyrillic_vote(word: str) -> str | None:
    if not _KK_LETTERS.isdisjoint(word) or word in _KK_WORDS:
        return "kk"
    if word in _RU_WORDS or "ё" in word or "ъ" in word:
        return "ru"
    if len(word) < 4 or word in _RU_EXCEPT:
        return None
    if _RU_SPELLING.search(word) or (len(word) >= 5 and _RU_ENDING.search(word)):
        return "ru"
    if _KK_SUFFIX.search(word):
        return "kk"
    if _RU_SUFFIX.search(word):
        return "ru"
    return None


def _latin_vote(word: str) -> str | None:
    if not _KK_LATIN_LETTERS.isdisjoint(word) or word in _KK_LATIN:
        return "kk"
    if word in _RU_LATIN:
        return "ru"
    if word in _EN_WORDS:
        return "en"
    if ("q" in word and "qu" not in word) or (len(word) >= 5 and _KK_LATIN_SUFFIX.search(word)):
        return "kk"
    if len(word) >= 6 and _KK_LATIN_ENDING.search(word):
        return "kk"
    return None


_Vote = tuple[str, float] | None
_VOTES: dict[str, _Vote] = {}
_CACHE_LIMIT = 200_000


def _vote(word: str) -> _Vote:
    """(language, weight) of one word as written; a capitalised Kazakh word counts half, because
    inside a Russian sentence it is usually a name ("на Төле би", "Шаңырақ"), and so does a capitalised
    word that only its Russian ending makes Russian (a surname in a Kazakh sentence: "Бекмаханов көшесі")."""
    lower = word.lower()
    if has_cyrillic(lower):
        vote = _cyrillic_vote(lower)
    elif has_latin(lower):
        vote = _latin_vote(lower)
    else:
        return None
    if vote is None:
        return None
    named = word[:1].isupper() and (vote == "kk" or (vote == "ru" and lower not in _RU_WORDS))
    return vote, 0.5 if named else 1.0


def _cached_vote(word: str) -> _Vote:
    vote = _vote(word)
    if len(_VOTES) >= _CACHE_LIMIT:
        _VOTES.clear()
    _VOTES[word] = vote
    return vote


def _votes(words: Sequence[str]) -> dict[str, float]:
    votes = {"kk": 0.0, "ru": 0.0, "en": 0.0}
    cache = _VOTES
    for i, word in enumerate(words):
        vote = cache[word] if word in cache else _cached_vote(word)
        if vote is not None:
            # the first word of a message is capitalised anyway; a Russian ending on it still reads as a name
            # as often as not ("Ауэзов ауданы", "Бекмаханов көшесі")
            votes[vote[0]] += 1.0 if i == 0 and vote[0] == "kk" else vote[1]
    return votes


def _decide(votes: dict[str, float]) -> str | None:
    ranked = sorted(_LANGS, key=lambda lang: votes[lang], reverse=True)
    first, second = votes[ranked[0]], votes[ranked[1]]
    if first == 0:
        return None
    if second >= 2 or (second >= 1 and second / (first + second) >= _MIXED_SHARE):
        return "mixed"
    return ranked[0]


def _lingua(text: str) -> str:
    found = _detector().detect_language_of(text)
    if found is None:
        return "unknown"
    return {"KAZAKH": "kk", "RUSSIAN": "ru", "ENGLISH": "en"}.get(found.name, "unknown")


def detect(text: str, words: Sequence[str] | None = None) -> str:
    """kk, ru, en, mixed or unknown; `words` are `tokens.words(text)` when the caller has them."""
    if words is None:
        words = split_words(text)
    if all(w.isdigit() for w in words):
        return "unknown"
    decided = _decide(_votes(words))
    if decided is not None:
        return decided
    return _lingua(text)
