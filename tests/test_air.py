"""What may be read on air: no phone number, handle, e-mail or IIN — nor any part of one."""

from __future__ import annotations

import re

import pytest

from server.air import air_question, air_text, first_name, safe_text
from server.store.rows import question_from_row

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


def test_masks_are_read_in_the_questions_language() -> None:
    text = "Менің нөмірім 8 701 555 12 34, поштам aigerim.k@mail.kz, ЖСН 900101300126"
    kk = safe_text(text, "kk")
    assert "[телефон нөмірі]" in kk and "[эл. пошта]" in kk and "[ЖСН]" in kk
    assert "[телефон]" not in kk and "[ИИН]" not in kk
    assert safe_text("Мой номер 8 701 555 12 34", "ru") == "Мой номер [телефон]"
    assert safe_text("Call me at 8 701 555 12 34 or @aidos", "en") == "Call me at [phone number] or [account]"
    assert safe_text("Номерім 8 701 555 12 34", "mixed") == "Номерім [телефон]"  # mixed is read as Russian


def test_the_prompter_and_the_desk_read_the_same_air_text() -> None:
    q = {"id": 1, "text": "Қашан жөндейді? 8 701 555 12 34", "lang": "kk", "author": {"name": "Ерлан"},
         "channel": "telegram", "district": None, "addressee": None, "asked_count": 1}
    assert air_question(q)["text"] == air_text(q) == "Қашан жөндейді? [телефон нөмірі]"
    row: list[object] = [None] * 33
    row[0], row[8], row[9], row[17], row[24] = 1, q["text"], "kk", "on_air", 1
    assert question_from_row(row)["air_text"] == air_text(q)  # what the desk is sent
    row[17] = "new"
    assert question_from_row(row)["air_text"] is None  # only the rundown and the air carry it
