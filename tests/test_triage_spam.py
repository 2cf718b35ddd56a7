"""Links, ads, character floods and flood traffic: flags only."""

import pytest

from ingest.triage import Pipeline
from ingest.triage.spam import FloodGuard, content_flags, has_link


@pytest.mark.parametrize(
    "text",
    [
        "Фото тут https://ibb.co/abc123",
        "www.almaty.tv",
        "almaty.kz/news",
        "t.me/almaty_news",
        "bit.ly/xyz",
    ],
)
def test_links(text: str) -> None:
    assert has_link(text)
    assert "link" in content_flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "ул.Абая 45",
        "г.Алматы, мкр.Самал",
        "т.е. никто",
        "пишите на a.b@mail.ru",
        "в 20.00 эфир",
        "3.5 тысячи",
    ],
)
def test_not_links(text: str) -> None:
    assert not has_link(text)
    assert "link" not in content_flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "Смотрите https://youtube.com/watch?v=abc и https://t.me/almaty_news",
        "Заработок от 50 000 тг в день без вложений!",
        "Лучшее казино: vavada-kz.xyz",
        "Подписывайтесь на мой канал",
        "Каналыма жазылыңыз",
        "ааааааааааа когда уже",
        "Помогите!!!!!!!!!!!!",
        "вот тут всё https://clck.ru/3AbCd",  # a bare link
        "osy habardy 5 adamga jiberiniz, jibermesen baqyt bolmaidy",  # a chain letter in Latin Kazakh
        "ура ура ура салют салют салют ура салют ура",  # a few words said over and over
        "Салыңыз 3000 тг картаға 4400 4301 2345 6789, ертең 9000 қайтарамыз!",  # a card to pay to, money promised
        "http://win-prize-kz.top/get?id=77",  # a link's own "?" asks nothing
    ],
)
def test_spam_content(text: str) -> None:
    assert "spam" in content_flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "Помогите!!! Третий день без воды",
        "Нет воды ((( ",
        "Ассалаумағалейкум, аааа, забыла спросить",
        "Пенсия 85 000 тенге, коммуналка 40 000",
        "Ставка налога выросла",
        "Яма на Жандосова 58, фото: https://clck.ru/3AbCd когда заделают?",
        "Отправила жалобу 3 раза, никто не ответил, адамға ұқсап жауап беріңіздер",
        "Вода вода вода везде в подвале, Аксай-2 дом 5",
        "Мне написали, что я выиграл приз и нужен код из смс. Это мошенники? Куда жаловаться?",  # asks about one
        "Маған '10 адамға жіберіңіз' деген хабарлама келді, бұл не?",
    ],
)
def test_ordinary_messages_are_not_spam(text: str) -> None:
    assert "spam" not in content_flags(text)


def test_author_flood() -> None:
    guard = FloodGuard(window=60, max_per_author=5)
    results = [guard.is_flood(f"вопрос номер {i}", "wa:777", 1000.0 + i) for i in range(7)]
    assert results == [False] * 5 + [True, True]
    assert not guard.is_flood("другой автор", "wa:111", 1006.0)
    # once the window has passed the author is quiet again
    assert not guard.is_flood("вопрос после паузы", "wa:777", 1200.0)


def test_one_author_repeating_a_text() -> None:
    guard = FloodGuard()
    text = "Когда будет вода в Шаныраке?"
    assert [guard.is_flood(text, "tg:1", 10.0 * i) for i in range(4)] == [False, False, True, True]


def test_same_text_from_many_authors() -> None:
    guard = FloodGuard(repeat_authors=5)
    text = "Голосуйте за нашего кандидата, он сделает дороги!"
    flags = [guard.is_flood(text, f"tg:{i}", 100.0 + i) for i in range(6)]
    assert flags == [False, False, False, False, True, True]


def test_short_common_questions_from_many_authors_are_not_spam() -> None:
    guard = FloodGuard(repeat_authors=5)
    assert not any(guard.is_flood("Когда будет вода?", f"wa:{i}", float(i)) for i in range(20))


def test_memory_is_bounded() -> None:
    guard = FloodGuard(max_keys=100)
    for i in range(1000):
        guard.is_flood(f"текст {i}", f"author {i}", float(i))
    assert len(guard._by_author) <= 100
    assert len(guard._by_text) <= 100


def test_flood_memory_at_its_bound_is_small() -> None:
    """A busy show fills both tables (50,000 authors and texts by default; here 100,000): that must not cost
    the server hundreds of MB (it did, at ~2 KB an entry), and an author who keeps sending is still caught."""
    import tracemalloc

    guard = FloodGuard(max_keys=100_000)
    tracemalloc.start()
    try:
        for i in range(100_000):
            at = 1000.0 + i * 0.001
            assert not guard.is_flood(f"Вопрос {i}: когда починят дорогу на улице Абая?", f"whatsapp:+7701{i:07d}", at)
            if i % 10_000 == 0:
                assert guard.is_flood(f"Моё {i}-е сообщение", "whatsapp:+77019999999", at) == (i >= 50_000)
        used = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(guard._by_author) == len(guard._by_text) == 100_000
    assert used < 60 * 2**20, f"{used / 2**20:.0f} MB"


def test_a_promo_from_three_authors_is_a_campaign_a_question_from_three_is_not() -> None:
    pipeline = Pipeline()
    promo = "Натяжные потолки в Алматы за один день, замер у вас дома, 8 701 555 12 34"
    question = "Когда отремонтируют дорогу по улице Момышулы в Алатауском районе?"
    promos = [pipeline.triage(promo, author_key=f"wa:{i}", at=100.0 + i) for i in range(3)]
    questions = [pipeline.triage(question, author_key=f"tg:{i}", at=200.0 + i) for i in range(4)]
    assert ["spam" in t.flags for t in promos] == [False, False, True]  # the third copy, with its number
    assert not any("spam" in t.flags for t in questions)  # residents asking one thing word for word
