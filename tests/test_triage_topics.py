"""Topics: kk/ru/translit keyword stems through inflection and typos."""

import json
from pathlib import Path

import pytest

from ingest.triage.tokens import folded_words
from ingest.triage.topics import TOPICS, classify


def topic(text: str) -> str | None:
    return classify(folded_words(text))


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Когда отремонтируют дорогу? Одни ямы", "roads"),
        ("Жолдарды қашан жөндейді?", "roads"),
        ("qashan jol jondeledi", "roads"),
        ("Третий день без воды", "water"),
        ("Үш күннен бері су жоқ", "water"),
        ("Водопровод так и не провели", "water"),
        ("Батареи холодные, отопления нет", "heating"),
        ("Пәтерде жылу жоқ", "heating"),
        ("Когда проведут газ?", "gas"),
        ("Свет отключают каждый вечер", "electricity"),
        ("Кешке жарық жиі өшеді", "electricity"),
        ("Автобус 92 ходит раз в час", "public_transport"),
        ("Маршрутты неге алып тастадыңыздар?", "public_transport"),
        ("Лифт не работает третий месяц", "housing"),
        ("Баспана кезегі қашан жылжиды?", "housing"),
        ("Во дворе нет детской площадки", "yards_landscaping"),
        ("Ауладағы қоқыс шығарылмайды", "yards_landscaping"),
        ("Мектептер толып кетті", "schools_kindergartens"),
        ("Очередь в детсад три года", "schools_kindergartens"),
        ("Балабақшаға кезек", "schools_kindergartens"),
        ("В поликлинике нет врачей", "health"),
        ("Емханада дәрігер жоқ", "health"),
        ("Как получить земельный участок под ИЖС?", "land_plots"),
        ("Жер телімін рәсімдеу", "land_plots"),
        ("Смог над городом, дышать нечем", "ecology"),
        ("Пособие не пришло третий месяц", "social_payments"),
        ("Зейнетақы неге аз?", "social_payments"),
        ("Бродячие собаки нападают на детей", "safety"),
        ("Участковый не приходит, по ночам драки", "safety"),
        ("Налог на имущество вырос втрое", "other"),
    ],
)
def test_topics(text: str, slug: str) -> None:
    assert topic(text) == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("атопления нет уже неделю", "heating"),  # typo
        ("водоправод не провели", "water"),
        ("в поликлиннике очередь", "health"),
        ("balabaqsha joq", "schools_kindergartens"),  # Latin-script Kazakh
        ("otoplenie ne rabotaet", "heating"),  # Russian translit
    ],
)
def test_typos_and_translit(text: str, slug: str) -> None:
    assert topic(text) == slug


@pytest.mark.parametrize(
    "text",
    [
        "Спасибо за эфир!",
        "Дорогой аким, здравствуйте",
        "Сумма в квитанции неверная",
        "Светлана, добрый вечер",
        "Газета писала об этом",
        "Жібек жолы бойынша сұрақ",
        "Как зовут гостя эфира?",
        "Мамыр айында кездесу бола ма?",
    ],
)
def test_no_topic(text: str) -> None:
    assert topic(text) is None


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Power outage again on our street", "electricity"),
        ("The playground in our yard is broken", "yards_landscaping"),
        ("When will it be fixed? The road is broken", "roads"),  # "it" is no Kazakh "ит" (dog)
        ("Запись к кардиологу только через месяц", "health"),
        ("Кардиологқа жазылу мүмкін емес", "health"),
        ("Дети катаются на качелях, а лавочки сломаны", "yards_landscaping"),
        ("Көшедегі ағаштарды кесіп жатыр", "ecology"),
        ("Свет вырубили на всей улице", "electricity"),  # вырубить: a power cut, not felling trees
        ("На углу Абая и Сейфуллина светофор не работает", "roads"),  # угол is no уголь
        ("В сад ходит внучка, а мест нет", "schools_kindergartens"),  # сад is no English "sad"
        ("Жер кезегі қашан жылжиды?", "land_plots"),
        ("Пәтер кезегі қашан жылжиды?", "housing"),
    ],
)
def test_wider_vocabulary(text: str, slug: str) -> None:
    assert topic(text) == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Возле подъезда разбитый асфальт", "roads"),
        ("В подъезде пахнет газом уже неделю", "gas"),
        ("В подземном переходе торгуют наркотиками", "safety"),
    ],
)
def test_a_place_loses_a_tie_to_the_problem(text: str, slug: str) -> None:
    assert topic(text) == slug


def test_a_dog_is_still_a_dog_without_its_bare_form() -> None:
    assert topic("Ит көп, балалар қорқады") == "safety"
    assert topic("Иесіз иттер балаларға шабуыл жасайды") == "safety"


@pytest.mark.parametrize(
    "text",
    ["Thank you, it was a great show", "We are away, write to us", "Рахмет, жақсы бағдарлама"],
)
def test_look_alikes_are_blocked(text: str) -> None:
    assert topic(text) is None


def test_dearest_and_years_are_not_roads_or_housing() -> None:
    assert topic("Дорогой аким, когда дадут газ?") == "gas"
    assert topic("2010 жылдан бері су жоқ") == "water"


def test_data_file_has_only_known_topics() -> None:
    data = json.loads(
        (Path(__file__).resolve().parents[1] / "ingest/triage/data/topics.json").read_text("utf-8")
    )
    assert set(data) - {"_", "_comment", "_skip_after"} == set(TOPICS)
    assert len(TOPICS) == 15


def test_a_specific_problem_reads_utility_words_more_closely() -> None:
    from ingest.triage import Pipeline

    def pipeline_topic(text: str) -> str | None:
        return Pipeline().examine(text).topic

    assert pipeline_topic("Орбита-2, дом 9: горячей воды нет неделю") == "heating"  # the heating network's
    assert pipeline_topic("Orbita 2 ystyq su joq bir apta") == "heating"
    assert pipeline_topic("На Навои фонари не горят уже месяц, темно") == "roads"  # a street's lighting
    assert pipeline_topic("Во дворе дома 9 фонари не горят, детям страшно") == "yards_landscaping"
    assert pipeline_topic("Орбита-2 дом 9: мусор не вывозят, всё вываливается из баков") == "yards_landscaping"
    assert pipeline_topic("За гаражами на пустыре вываливают строительный мусор, свалка растёт") == "ecology"
