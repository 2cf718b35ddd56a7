"""Encoding repair: ftfy's UTF-8 mojibake, the single-byte swaps it cannot see, and `garbled`."""

from pathlib import Path

import pytest

from ingest.triage.encoding import normalise_space, plausibility, repair

RU = "Когда будет вода в Шаныраке? Третий день без воды"
KK = "Қашан су болады? Шаңырақта үш күн су жоқ"


@pytest.mark.parametrize(
    ("encode", "decode"),
    [
        ("utf-8", "cp1251"),
        ("utf-8", "cp1252"),
        ("utf-8", "latin-1"),  # ftfy
        ("cp1251", "latin-1"),
        ("cp1251", "cp1252"),
        ("cp1251", "koi8-r"),
        ("koi8-r", "cp1251"),
        ("utf-8", "koi8-r"),
    ],
)
def test_russian_mojibake_is_repaired(encode: str, decode: str) -> None:
    damaged = RU.encode(encode).decode(decode)
    assert damaged != RU
    assert repair(damaged) == (RU, False)


@pytest.mark.parametrize(
    ("encode", "decode"),
    [
        ("utf-8", "cp1251"),
        ("utf-8", "latin-1"),
        ("utf-8", "koi8-r"),
        ("kz1048", "cp1251"),
        ("kz1048", "latin-1"),
    ],
)
def test_kazakh_mojibake_is_repaired(encode: str, decode: str) -> None:
    assert repair(KK.encode(encode).decode(decode)) == (KK, False)


def test_known_examples_from_channels_doc() -> None:
    assert repair("РџСЂРёРІРµС‚, РєР°Рє РґРµР»Р°?")[0] == "Привет, как дела?"
    assert repair("ÐŸÑ€Ð¸Ð²ÐµÑ‚")[0] == "Привет"
    assert repair("Вопрос: РџСЂРёРІРµС‚ and café")[0] == "Вопрос: Привет and café"


@pytest.mark.parametrize(
    "text",
    [
        "Сәлеметсіз бе! РЕН ТВ и РФ… РСФСР",
        "КОГДА БУДЕТ ВОДА В АКСАЕ?",
        "Алатауский район, мкр Шанырак-2",
        "Qashan jol jóndeledi? Aýdanda su joq",
        "café, naïve, Ñandú",
        "АлТС и QazaqGaz не отвечают",
        "Тікелей эфирде «Акимат Live» бағдарламасы, № 24, 20:00-де",
    ],
)
def test_clean_text_is_left_alone(text: str) -> None:
    assert repair(text) == (text, False)


def test_lossy_line_of_seed_004_is_garbled() -> None:
    # the real lossy line of shared/seeds/004_*.txt, kept in the repository so the test needs nothing beside it
    line = (Path(__file__).parent / "data" / "seed_004_lossy_line.txt").read_text(encoding="utf-8").strip()
    assert "Ðбаев" in line
    assert repair(line)[1]


def test_lossy_mojibake_is_garbled_and_replacement_characters_too() -> None:
    lossy = "".join(c for c in RU.encode().decode("latin-1") if not "\x80" <= c <= "\x9f")
    assert repair(lossy)[1]
    assert repair("Ñ\ufffdÐ»ÐµÐ´ÑƒÑŽÑ‰Ð¸Ð¹")[1]


def test_whitespace_and_invisible_characters() -> None:
    assert repair("  Когда\u200b будет\u00a0вода\t\n в\u200d Аксае?\ufeff ")[0] == "Когда будет вода в Аксае?"
    assert normalise_space("a\u0000b\u202ec  d") == "abc d"
    assert repair("") == ("", False)


def test_result_is_nfc() -> None:
    decomposed = "Жаңа мектеп й"  # "й" as и + combining breve
    decomposed = decomposed.replace("й", "и\u0306")
    assert repair(decomposed)[0] == "Жаңа мектеп й"


def test_plausibility_prefers_real_text() -> None:
    assert plausibility(RU) > 0.8
    assert plausibility(RU.encode("cp1251").decode("koi8-r")) < 0.5
