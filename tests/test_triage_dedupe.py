"""Near-duplicate clustering per show."""

import random

import pytest

from ingest.triage import DedupeIndex

BASE = "Когда будет вода в Шаныраке? Третий день без воды"


def index_with(text: str, show: int | None = 1, qid: int = 1) -> DedupeIndex:
    index = DedupeIndex()
    index.add(show, qid, text, qid)
    return index


@pytest.mark.parametrize(
    "variant",
    [
        "когда будет вода в шаныраке третий день без воды",  # case, punctuation
        "Когда будет вода в Шаныраке?! Третий день без воды...",
        "Кагда будет вада в Шаныраке? Третий день без воды",  # typos
        "Когда будет вода в Шаңырақта? Третий день без воды",  # Kazakh letters
        "Когда будет вода в Шаныраке? Третий день без воды 😡😡",
        "kogda budet voda v Shanyrake? Tretiy den bez vody",  # translit
    ],
)
def test_spelling_noise_clusters(variant: str) -> None:
    assert index_with(BASE, qid=7).match(1, variant) == 7


def test_yo_and_e() -> None:
    assert index_with("Ещё раз свет отключили в Аксае", qid=3).match(1, "Еще раз свет отключили в Аксае") == 3


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Когда отремонтируют дорогу на улице 5?", "Когда отремонтируют дорогу на улице 7?"),
        ("Автобус 92 не ходит с утра, ждём час", "Автобус 12 не ходит с утра, ждём час"),
        ("Нет воды в доме 15 по Саина", "Нет воды в доме 16 по Саина"),
    ],
)
def test_a_number_that_matters_keeps_questions_apart(a: str, b: str) -> None:
    assert index_with(a).match(1, b) is None


def test_different_questions_stay_apart() -> None:
    index = index_with(BASE)
    assert index.match(1, "Когда будет газ в Шаныраке? Третий год обещают") is None
    assert index.match(1, "Когда будет вода в Аксае? Третий день без воды") is None


def test_short_texts_cluster_only_when_identical() -> None:
    index = index_with("Спасибо")
    assert index.match(1, "Спасибо большое") is None
    assert index.match(1, "спасибо!") == 1
    index.add(1, 2, "Свет есть", 2)
    assert index.match(1, "Света нет") is None


def test_clusters_are_per_show() -> None:
    index = index_with(BASE, show=1)
    assert index.match(2, BASE) is None
    assert index.match(None, BASE) is None
    index.add(None, 9, BASE, 9)
    assert index.match(None, BASE) == 9


def test_members_join_the_head_cluster_and_forget_works() -> None:
    index = DedupeIndex()
    index.add(1, 1, BASE, 1)
    index.add(1, 2, BASE.lower(), 1)
    assert index.match(1, BASE) == 1
    index.forget(1)
    assert index.match(1, BASE) == 1  # question 2 still carries the same text
    index.forget(2)
    assert index.match(1, BASE) is None
    index.forget(2)  # forgetting twice is harmless
    index.forget(12345)


def test_empty_text() -> None:
    index = DedupeIndex()
    assert index.match(1, "") is None
    index.add(1, 1, "", 1)
    assert index.match(1, "") is None


def test_a_large_show_still_finds_duplicates() -> None:
    rng = random.Random(3)
    words = [
        "вода",
        "свет",
        "газ",
        "дорога",
        "автобус",
        "школа",
        "садик",
        "лифт",
        "двор",
        "мусор",
        "отопление",
        "участок",
        "пенсия",
    ]
    places = [
        "Шанырак",
        "Аксай",
        "Орбита",
        "Самал",
        "Калкаман",
        "Жулдыз",
        "Коктем",
        "Мамыр",
        "Таугуль",
        "Айгерим",
    ]
    index = DedupeIndex()
    for qid in range(1, 5001):
        place = rng.choice(places)
        text = f"{rng.choice(words)} {rng.choice(words)} в {place} дом {rng.randrange(1, 500)} {qid}"
        index.add(1, qid, text, qid)
    index.add(1, 9999, BASE, 9999)
    assert index.match(1, BASE.upper()) == 9999
    assert index.match(1, "Кагда будет вода в Шаныраке? Третий день без воды") == 9999
