"""Language: kk, ru, en, mixed (code-switching) or unknown."""

import pytest

from ingest.triage.lang import detect


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Когда отремонтируют дорогу на улице Саина?", "ru"),
        ("Почему нет отопления уже неделю", "ru"),
        ("Шаңырақта үш күннен бері су жоқ", "kk"),
        ("Қашан жол жөнделеді?", "kk"),
        ("Аксайда жол жок кашан жасайсыздар", "kk"),  # Kazakh typed without Kazakh letters
        ("qashan jol jondeledi? Alatau aýdany", "kk"),  # Latin-script Kazakh
        ("Qalqamanda balabaqsha joq, kezek 3 jyl", "kk"),
        ("Medeu aýdanynda kóshe jaryǵy joq", "kk"),
        ("kogda budet voda v Shanyrake? uzhe 3 dnya net", "ru"),  # Russian transliteration
        ("When will the water be back in Samal-2?", "en"),
        ("Сәлеметсіз бе, когда будет вода в Шаныраке?", "mixed"),
        ("Ақсай-4 те жол жоқ, когда будет асфальт?", "mixed"),
        ("Жәрдемақы почему не пришла за три месяца? Көмектесіңізші", "mixed"),
    ],
)
def test_languages(text: str, lang: str) -> None:
    assert detect(text) == lang


@pytest.mark.parametrize("text", ["👍👍👍", "🙏❤️", "12345", "+7 701 123 45 67", "", "???", "  "])
def test_emoji_digits_and_punctuation_are_unknown(text: str) -> None:
    assert detect(text) == "unknown"


@pytest.mark.parametrize(
    "text",
    [
        "Самал-2 де детская площадка сынған",  # -дка after a voiced consonant: no Kazakh ending
        "Балабақшаға очередь үш жыл, мест нет дейді",  # a final soft sign
        "Ауладағы газон жоқ, вместо газона грязь",
        "Кешке жарық жоқ, фонари не горят",  # -ят of a Russian verb
        "Тротуары разбиты, қарттар құлап жатыр",
    ],
)
def test_russian_inside_kazakh_is_mixed(text: str) -> None:
    assert detect(text) == "mixed"


def test_a_russian_surname_or_loan_does_not_make_kazakh_mixed() -> None:
    assert detect("Бекмаханов көшесінде жол жоқ") == "kk"
    assert detect("Инстаграм профильде жазылған") == "kk"  # a Kazakh ending after the loan's ь


def test_a_kazakh_street_name_does_not_make_russian_mixed() -> None:
    assert detect("Когда отремонтируют дорогу на Төле би, там ямы?") == "ru"
    assert detect("Дорога на Жібек жолы разбита, когда сделают ремонт?") == "ru"


def test_short_inconclusive_text_falls_back_to_lingua() -> None:
    assert detect("Шымбулак") in {"kk", "ru"}
    assert detect("Hello") == "en"
