"""What may be read on air: no phone number, handle, e-mail or IIN — nor any part of one."""

from __future__ import annotations

import re

import pytest

from server.air import air_question, first_name, safe_text

LEAKS = [
    "@aidos_almaty", "insta: @aidos.almaty", "t.me/aidos_almaty", "+7 777 12 34 567", "8 777 1234 567",
    "8 (777) 12-34-567", "8 7 0 1 1 2 3 4 5 6 7", "+77011234567+77011234568", "https://instagram.com/aidos.kz",
    "звоните 345-67-89", "aigerim.k@mail.kz", "ИИН 900101300123",
]


@pytest.mark.parametrize("leak", LEAKS)
def test_nothing_that_reaches_a_viewer_survives(leak: str) -> None:
    text = f"Вопрос акиму: {leak} когда починят дорогу?"
    masked = safe_text(text)
    assert "когда починят дорогу?" in masked
    assert not re.search(r"\d(?:\D{0,3}\d){4,}", masked), masked  # no run of five digits or more survives
    assert "aidos" not in masked and "aigerim" not in masked


@pytest.mark.parametrize("kept", ["автобус 92", "в 2024 году", "дом 15, кв 7", "1 500 000 тг", "школа №153"])
def test_ordinary_numbers_stay(kept: str) -> None:
    assert kept in safe_text(f"Вопрос: {kept}?")


def test_authors_are_first_names_only() -> None:
    assert first_name("Айгерим Садыкова") == "Айгерим"
    assert first_name("aidos@mail.kz") is None
    assert first_name("@aidos") is None
    assert first_name("87011234567") is None
    q = {"id": 1, "text": "t.me/x a", "author": {"name": "Ерлан", "handle": "@e", "contact": "+77011234567"},
         "channel": "telegram", "district": None, "addressee": None, "asked_count": 1}
    assert set(air_question(q)) == {"id", "text", "author", "channel", "district", "addressee", "asked_count"}
