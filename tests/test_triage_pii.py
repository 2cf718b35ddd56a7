"""PII: Kazakhstan phone numbers, IIN, e-mail, card numbers; everything else left alone."""

import re

import pytest

from ingest.triage import air_text
from ingest.triage.pii import find, is_iin, luhn_ok, redact

VALID_IIN = "850315310006"
VALID_CARD = "4400 4301 2345 6789"


@pytest.mark.parametrize(
    "phone",
    [
        "+7 701 123 45 67",
        "+7 (701) 123-45-67",
        "8 701 123 45 67",
        "8 (727) 245-67-89",
        "+77011234567",
        "87011234567",
        "8-701-123-45-67",
        "8.701.123.45.67",
        "+7-701-1234567",
        "701 123 45 67",
        "7011234567",
        "8 777 046 33 33",
        "+7 (7172) 55-66-77",
        "227-45-67",
    ],
)
def test_phone_spellings_are_found_and_replaced_whole(phone: str) -> None:
    text = f"Позвоните мне {phone}, пожалуйста"
    assert [s.kind for s in find(text)] == ["phone"]
    aired = air_text(text)
    assert aired == "Позвоните мне [телефон], пожалуйста"
    assert not re.search(r"\d", aired)


def test_iin_is_validated() -> None:
    assert is_iin(VALID_IIN)
    assert not is_iin("850315310007")  # wrong check digit
    assert not is_iin("851315310006")  # month 13
    assert not is_iin("850315710006")  # century digit 7
    assert air_text(f"мой ИИН {VALID_IIN}") == "мой ИИН [ИИН]"
    assert find("мой ИИН 850315310007") == []


def test_cards_need_luhn() -> None:
    assert luhn_ok(VALID_CARD.replace(" ", ""))
    assert air_text(f"карта {VALID_CARD}") == "карта [карта]"
    assert air_text("карта 4400-4301-2345-6789") == "карта [карта]"
    assert air_text("карта 4400430123456789") == "карта [карта]"
    assert find("карта 4400 4301 2345 6788") == []


def test_emails() -> None:
    assert air_text("пишите на aigul.nurlanovna@mail.ru или webalmatytv@gmail.com") == (
        "пишите на [e-mail] или [e-mail]"
    )


@pytest.mark.parametrize(
    "text",
    [
        "дом 45, кв 12",
        "с 2019 года",
        "15 000 тг",
        "150 000 000 тенге",
        "автобус № 92",
        "заявление 202403150012",
        "12.03.2024",
        "19-03-2024",
        "ул. Саина 102/1",
        "3,5 мыңнан астам",
        "ТЭЦ-2",
        "Жетысу-3, дом 7",
        "123456789012",
    ],
)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert find(text) == []
    assert air_text(text) == text


def test_several_items_and_order() -> None:
    text = f"тел 87011234567, ИИН {VALID_IIN}, почта a@b.kz, карта {VALID_CARD}"
    assert [s.kind for s in find(text)] == ["phone", "iin", "email", "card"]
    assert redact(text) == "тел [телефон], ИИН [ИИН], почта [e-mail], карта [карта]"


def test_two_phones_side_by_side() -> None:
    assert air_text("87011234567 87017654321") == "[телефон] [телефон]"
