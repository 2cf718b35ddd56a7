"""The public API the server calls: Pipeline.triage, air_text, Triage, DedupeIndex, priority."""

import dataclasses

import pytest

import ingest.triage as triage
from ingest.triage import FLAGS, Pipeline, Triage, air_text


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def test_public_api() -> None:
    assert set(triage.__all__) >= {"DedupeIndex", "Pipeline", "Triage", "air_text", "priority"}
    assert [f.name for f in dataclasses.fields(Triage)] == ["text", "lang", "flags", "topic", "district"]
    t = Triage("x", "ru", (), None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.text = "y"  # type: ignore[misc]


def test_a_full_message(pipeline: Pipeline) -> None:
    t = pipeline.triage("Сәлеметсіз бе!  Ақсайда су жоқ\u200b үш күн, когда будет вода? Тел: 8 701 123 45 67")
    assert t == Triage(
        text="Сәлеметсіз бе! Ақсайда су жоқ үш күн, когда будет вода? Тел: 8 701 123 45 67",
        lang="mixed",
        flags=("pii",),
        topic="water",
        district="auezov",
    )


def test_mojibake_is_repaired_before_everything_else(pipeline: Pipeline) -> None:
    original = "Когда будет свет в Турксибе? Третий день сидим без света"
    t = pipeline.triage(original.encode("utf-8").decode("cp1251"))
    assert (t.text, t.lang, t.flags, t.topic, t.district) == (original, "ru", (), "electricity", "turksib")


def test_garbled_text(pipeline: Pipeline) -> None:
    lossy = "".join(
        c for c in "Когда будет вода в Шаныраке".encode().decode("latin-1") if not "\x80" <= c <= "\x9f"
    )
    t = pipeline.triage(lossy)
    assert "garbled" in t.flags and t.lang == "unknown"


def test_flags_are_sorted_unique_and_known(pipeline: Pipeline) -> None:
    t = pipeline.triage(
        "Заработок тут https://casino.xyz и https://t.me/x, бл@ть, звоните 87011234567 !!!!!!!!!!!!"
    )
    assert t.flags == ("link", "pii", "profanity", "spam")
    assert set(t.flags) <= set(FLAGS) and list(t.flags) == sorted(set(t.flags))


def test_author_flood_is_flagged() -> None:
    p = Pipeline()
    flags = [
        p.triage(f"Вопрос {i} про дороги в Аксае", author_key="wa:1", at=100.0 + i).flags for i in range(7)
    ]
    assert flags[4] == () and "spam" in flags[5] and "spam" in flags[6]
    assert p.triage("Вопрос про дороги", author_key="wa:2", at=106.0).flags == ()


def test_a_flood_is_told_apart_from_spam_its_text_makes() -> None:
    """Issue 16: a question many residents send word for word was shown as red Spam. The flood rule's spam
    carries `flood` beside it; spam in the text itself never does, even when it also floods."""
    p = Pipeline()
    asked = "Когда в Шанырак-2 дадут горячую воду? Неделю нет!"
    flags = [p.triage(asked, author_key=f"tg:{i}", at=100.0 + i).flags for i in range(6)]
    assert flags[:4] == [()] * 4 and flags[4] == flags[5] == ("flood", "spam")
    ad = "Заработок от 50000 тг в день без вложений! Пиши в ватсап +77011234567, ссылка bit.ly/dohod"
    ads = [p.triage(ad, author_key=f"wa:{i}", at=200.0 + i).flags for i in range(6)]
    assert all("spam" in f and "flood" not in f for f in ads)


def test_emoji_only_and_empty(pipeline: Pipeline) -> None:
    assert pipeline.triage("👍👍👍") == Triage("👍👍👍", "unknown", (), None, None)
    assert pipeline.triage("   ") == Triage("", "unknown", (), None, None)


def test_air_text_replaces_items_whole() -> None:
    assert air_text("Звоните +7 (701) 123-45-67 или пишите a@b.kz") == "Звоните [телефон] или пишите [e-mail]"
    assert air_text("Нет воды в доме 15 с 2023 года") == "Нет воды в доме 15 с 2023 года"


def test_unknown_city() -> None:
    with pytest.raises(ValueError):
        Pipeline(city="atlantis")
