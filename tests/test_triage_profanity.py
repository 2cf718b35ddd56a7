"""Profanity (ru + kk) through disguises, without flagging ordinary words."""

import pytest

from ingest.triage.profanity import is_profane, normalise


@pytest.mark.parametrize(
    "text",
    [
        "хуй",
        "нахуй вам",
        "х*й знает",
        "xуй вам",
        "бл@ть",
        "блять опять",
        "б л я",
        "б.л.я",
        "бляяяяя",
        "пиздец просто",
        "п*здец",
        "заебали",
        "мудак",
        "сука",
        "с*ка",
        "ж*пу",
        "6лять",
        "охуели совсем",
        "долбоёб",
        "hui vam",
        "suka",
        "blyat",
        "Осы қотақтар қайда?",
        "шешеңді ұрайын",
        "жалап",
        "qotaqbastar, jol qashan jasalady",
        "akimdik akmaqtar",
        "Итсіңдер бәрің!",
        "әкімдіктегі топастар жұмыс істемейді",  # listed insults (data/insults.json), in any of their forms
        "сендер мәңгүрттер",
        "Әкеңнің аузын... су тағы жоқ",  # a listed curse, word for word
        "akimdik ittiñ balalary",
    ],
)
def test_profanity_is_found(text: str) -> None:
    assert is_profane(text)


INNOCENT = [
    "оскорблять",
    "иттер",  # dogs
    "Итсигин",
    "ақмақал",
    "хлеб",
    "команда",
    "психология",
    "бал",
    "сук",
    "употреблять",
    "употребляют",
    "истребитель",
    "страховать",
    "застрахуйте",
    "небо",
    "себе",
    "требовать",
    "хлебать",
    "сукно",
    "рубля",
    "колебания",
    "скипидар",
    "мандарин",
    "мандат",
    "бляха",
    "потребление",
    "тебя",
    "ребёнок",
    "хулиган",
    "ухудшение",
    "похудеть",
    "хуже",
    "ахуал",
    "Шахуй",
    "ебі",
    "ебін тауып",
    "жалақы",
    "жалпы",
    "сиқыр",
    "блат",
    "блин",
    "хером",
    "херес",
    "гектар",
    "Ебола",
    "командир",
    "подъезд",
    "съезд",
    "Суккот",
    "сукровица",
    "амин",
    "Самал",
    "скорая",
    "застраховать",
    "хутор",
    "художник",
    "ресепшн",
    "Бал сияқты таза су",
]


@pytest.mark.parametrize("word", INNOCENT)
def test_ordinary_words_are_clean(word: str) -> None:
    assert not is_profane(word)
    assert not is_profane(f"Скажите, {word} — это нормально?")


def test_a_normal_complaint_is_clean() -> None:
    assert not is_profane("Оскорблять никого не хочу, но дорожники употребляют слово ремонт зря")


def test_normalise_undoes_disguises() -> None:
    assert normalise("xуй") == "хуй"
    assert normalise("б л я") == "бля"
    assert normalise("бляяяя") == "бля"
    assert normalise("бл@ть") == "бл*ть"


def test_stars_alone_are_not_profanity() -> None:
    assert not is_profane("*** ***")
    assert not is_profane("оценка ***** за эфир")


@pytest.mark.parametrize("text", ["вы там совсем е**нулись?", "сборище д*билов", "е**ные энергетики"])
def test_obscenities_masked_with_two_stars(text: str) -> None:
    assert is_profane(text)


def test_a_complaint_about_rats_is_clean() -> None:
    assert not is_profane("Containers not emptied for a week, rats everywhere")
