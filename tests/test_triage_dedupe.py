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


def test_adding_a_question_twice_indexes_it_once() -> None:
    index = DedupeIndex()
    index.add(1, 5, BASE, 5)
    index.add(1, 5, BASE, 5)  # the store may replay an insert: the second add changes nothing
    index.add(1, 5, "Когда починят дорогу на Абая?", 5)  # nor does another text under the same id
    assert index.match(1, BASE) == 5
    assert index.match(1, "Когда починят дорогу на Абая?") is None
    index.forget(5)  # one forget undoes it: no second copy keeps it alive
    assert index.match(1, BASE) is None
    assert index.match(1, BASE.lower()) is None


def test_a_forgotten_id_can_be_added_again() -> None:
    index = DedupeIndex()
    index.add(1, 5, BASE, 5)
    index.forget(5)
    index.add(1, 5, BASE, 5)
    assert index.match(1, "kogda budet voda v Shanyrake? Tretiy den bez vody") == 5


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Абая 10 не работает светофор", "Сейфуллина 10 не работает светофор"),
        ("на абая 10 не работает светофор", "на сейфуллина 10 не работает светофор"),  # lower case
        ("Абая 10 не работает светофор", "Достык 10 не работает светофор"),  # a street against a micro-district
        ("ул. Кенжебаева 5: яма на дороге", "ул. Тулпар 5: яма на дороге"),  # streets the list does not know
        ("Төле би көшесінде 155 үйдің жанында жарық жоқ", "Райымбек даңғылында 155 үйдің жанында жарық жоқ"),
        ("When will the road works on Abay avenue end?", "When will the road works on Dostyk avenue end?"),
        ("Когда аким Досаев проведёт приём граждан?", "Когда аким Сагинтаев проведёт приём граждан?"),
    ],
)
def test_different_streets_and_names_keep_questions_apart(a: str, b: str) -> None:
    assert index_with(a).match(1, b) is None


@pytest.mark.parametrize(
    "variant",
    [
        "на абая 10 светофор не работает",
        "Абай даңғылы 10, бағдаршам істемейді",  # Kazakh, the same street in its Kazakh form
        "Abay 10 svetofor ne rabotaet",  # translit
        "Абяа 10 не работает светофор",  # a typo in the street's name
    ],
)
def test_the_same_street_however_spelt_clusters(variant: str) -> None:
    assert index_with("Абая 10 не работает светофор", qid=4).match(1, variant) == 4


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Жетысуский район, мкр Айнабулак: мусорный полигон жгут по ночам",
         "Медеуский район, мкр Айнабулак: мусорный полигон жгут по ночам"),  # the district named differs
        ("Аксай-4 нет горячей воды", "Орбита-4 нет горячей воды"),
        ("Самал-2: света нет с утра, когда дадут?", "Самал-2: электр столб падает во дворе, дети играют рядом"),
        ("Поликлиника 5: запись к терапевту на месяц вперёд", "Поликлиника 15: запись к терапевту на месяц вперёд"),
        ("Шанырак-2: нет воды третий день", "Шанырак-2: нет света третий день"),
        ("92 автобус ходит раз в 40 минут", "92 автобустың жүргізушісі дөрекі сөйлейді"),
        ("Айнабулак-3, дом 98: мусор не вывозят", "Айнабулак-3, дом 89: мусор не вывозят"),
        ("Шанырак-2: нет воды третий день", "Аксай-2: нет воды третий день"),
    ],
)
def test_near_misses_stay_apart(a: str, b: str) -> None:
    assert index_with(a).match(1, b) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Шаңырақ-2 де су жоқ, қашан береді?", "Шанырак-2 воды нет, когда дадут?"),  # kk / ru
        ("Shanyraq-2 de sý joq, qashan beredi?", "Шаңырақ-2 де су жоқ, қашан береді?"),  # Kazakh Latin
        ("Когда отремонтируют дорогу на Жарокова?", "Дорогу на Жарокова когда отремонтируют?"),  # word order
        ("Нет воды в Шаныраке уже 3 дня, когда дадут?", "нет воды в шаныраке когда дадут"),  # a quantity left out
        ("Нет воды в Шаныраке третий день, когда дадут?", "Нет воды в Шаныраке уже 3 дня, когда дадут?"),
        ("Нет света в Орбите-3 с утра, мой номер 87011234567", "Орбита-3: света нет с утра"),  # a phone number
        ("автобус 37 ходит раз в сорок минут", "37 автобус ходит раз в 40 минут"),
        ("Во дворе дома 58 в Самале-2 сломаны качели", "самал 2 дом 58 во дворе качели сломаны"),
    ],
)
def test_paraphrases_cluster(a: str, b: str) -> None:
    assert index_with(a, qid=3).match(1, b) == 3


def test_a_cluster_keeps_its_newest_representatives() -> None:
    index = DedupeIndex(reps_per_cluster=2)
    texts = [
        "Шанырак-2: нет воды третий день",
        "Шанырак-2: воды нет уже третий день",
        "шанырак 2 нет воды третий день когда дадут",
        "Шаңырақ-2 де су жоқ, үшінші күн",
    ]
    for qid, text in enumerate(texts, 1):
        assert qid == 1 or index.match(1, text) == 1
        index.add(1, qid, text, 1)
    assert index.match(1, "Шанырак-2: опять нет воды третий день") == 1
    for qid in range(1, 5):
        index.forget(qid)
    assert index.match(1, "Шанырак-2: опять нет воды третий день") is None


def test_postings_stay_short_in_a_large_show() -> None:
    index = DedupeIndex()
    for qid in range(1, 3001):
        index.add(1, qid, f"Когда починят дорогу возле дома {qid} на Абая? Ямы уже год", qid)
    show = index._shows[1]
    longest = max(len(p) if isinstance(p, list) else 1 for p in show.index.values())
    assert longest <= 2 * index.scan_per_feature + 2
    assert index.match(1, "Ямы уже год на Абая возле дома 17, дорогу починят?") == 17
    assert index.match(1, "Ямы уже год на Абая возле дома 3017, дорогу починят?") is None


@pytest.mark.parametrize(
    ("a", "b"),
    [  # how long or when does not part one problem at one place: the desk answers it once
        ("Нет воды в Шаныраке-2 уже 3 дня, когда дадут?", "Шанырак-2: су жоқ 5 күн болды"),
        ("Отключили свет на Момышулы 15 с 19:00 до 22:00", "Momyshuly 15 jaryq joq 8:00 den beri"),
    ],
)
def test_one_problem_at_one_place_whatever_the_duration(a: str, b: str) -> None:
    assert index_with(a).match(1, b) == 1


GROUPS = [
    ["шанырак 2 воды нет 3 дня!!! када уже дадут??",
     "Шаңырақ-2 шағын ауданында үш күннен бері су жоқ… Су қашан беріледі?",
     "Shanyraq-2 de 3 kun boiy su joq. Qashan beredi?",
     "Шанырак-2 де үш күн су жоқ, вообще ноль",
     "No running water in Shanyrak-2 since Monday, when will it be back?"],
    ["92 автобус ходит раз в 40 минут",
     "92-автобусты 40 минут күтеміз",
     "92 автобус қашан нормально ходить будет? 40 минут күтеміз остановкада",
     "Bus 92 comes every 45 minutes, we freeze at the stop"],
    ["айнабулак3 д98 мусор невывозят 10дней",
     "Айнабұлақ-3, 98-үйдің жанындағы қоқыс он күннен бері әкетілмей жатыр",
     "Ainabulaq-3 98 uy qoqys shygarylmaidy"],
]


@pytest.mark.parametrize("group", GROUPS, ids=["water", "bus", "garbage"])
def test_one_problem_in_kk_ru_latin_and_english_is_one_cluster(group: list[str]) -> None:
    index = DedupeIndex()
    for qid, text in enumerate(group, 1):
        found = index.find(1, text)
        assert qid == 1 or found.cluster == 1, (text, found)
        index.add(1, qid, text, found.cluster or qid)


def test_the_reason_names_the_place_and_the_problem_in_the_question_s_words() -> None:
    index = index_with("шанырак 2 воды нет 3 дня!!! када уже дадут??")
    found = index.find(1, "Shanyraq-2 de 3 kun boiy su joq. Qashan beredi?")
    assert found.cluster == 1
    assert found.reason is not None
    assert found.reason["problem"] == ["no_water"]
    assert found.reason["place"] == ["Shanyraq", "2"]


def test_the_same_problem_without_a_shared_place_is_suggested_not_joined() -> None:
    index = index_with("Нет воды в Шаныраке-2, когда дадут?")
    found = index.find(1, "Su joq, qashan beredi? Ush kun boldy")
    assert found.cluster is None
    assert [s.cluster for s in found.suggestions] == [1]
    assert found.suggestions[0].reason["problem"] == ["no_water"]


def test_an_exact_repeat_says_so() -> None:
    found = index_with("Когда отремонтируют дорогу на Саина?").find(1, "когда отремонтируют дорогу на саина")
    assert found.cluster == 1 and found.reason is not None and found.reason.get("same_text")


def test_what_is_wrong_is_said_of_the_nearest_thing() -> None:
    from ingest.triage import problems
    from ingest.triage.tokens import folded_words

    def read(text: str) -> list[str]:
        return problems.read(folded_words(text), text.lower().split())

    assert "gas_bill" not in read("Каргалы: көмір қымбат, газ қашан тартылады?")  # the coal is dear, not the gas
    assert "no_gas" in read("Каргалы: көмір қымбат, газ қашан тартылады?")
    assert "gas_bill" in read("Каргалыда газ бар, бірақ газға төлем қымбат")


def test_a_question_that_names_no_specific_problem_does_not_bridge_two() -> None:
    index = index_with("Каргалыда газ бар, бірақ газ үшін төлем 40 мың теңге, тариф қате")  # a bill
    index.add(1, 2, "Каргалы газ", 1)  # a vague one that joined it
    found = index.find(1, "В Каргалы до сих пор нет газа, когда проведут?")  # no gas at all: another problem
    assert found.cluster is None


def test_every_problem_the_desk_may_name_has_a_label_in_each_language() -> None:
    import json
    from pathlib import Path

    from ingest.triage import problems

    slugs = set(problems.THINGS) | set(problems.SLUGS.values())
    for lang in ("en", "ru", "kk"):
        labels = json.loads((Path(__file__).parents[1] / "moderator_ui" / "i18n" / f"{lang}.json").read_text("utf-8"))
        assert not {s for s in slugs if f"problem.{s}" not in labels}, lang
