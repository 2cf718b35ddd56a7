"""Shared pieces of the producer tests (no tests here): seeding questions straight through the store,
a scripted show with known counts, raw SQL for back-dating times."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from server.store.base import NewQuestion
from server.store.writer import Tx
from tests.conftest import LiveServer, Session

GUESTS = [
    {"name": "Ерлан Сәрсенов", "position": "Алатау ауданының әкімі", "district": "alatau"},
    {"name": "Мария Ким", "position": "Руководитель управления энергетики", "department": "Управление энергетики"},
]


def new_question(show_id: int | None, i: int, *, channel: str = "whatsapp", lang: str = "ru", topic: str | None = None,
                 district: str | None = None, addressee: str | None = None, text: str | None = None) -> NewQuestion:
    body = text or f"Вопрос {i}: когда починят дорогу?"
    return NewQuestion(show_id=show_id, channel=channel, external_id=f"seed-{show_id}-{i}", author_name=f"Зритель {i}",
                       author_handle=None, author_contact=f"+7701000{i:04d}", text_original=body, text=body, lang=lang,
                       flags=(), topic=topic, district=district, priority=0.0, addressee=addressee)


def seed(live: LiveServer, items: Sequence[NewQuestion]) -> list[int]:
    return live.call(live.efir.store.ingest(list(items), "seed")).ids


def sql(live: LiveServer, statement: str, args: Sequence[Any] = ()) -> None:
    """A raw write on the store's writer thread (to back-date times the way a real evening spreads them)."""

    def job(t: Tx) -> None:
        t.conn.execute(statement, tuple(args))

    live.call(live.efir.store._write(job))  # type: ignore[attr-defined]


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="milliseconds")


def started_ago(live: LiveServer, show_id: int, seconds: float) -> None:
    sql(live, "UPDATE shows SET started_at = ? WHERE id = ?",
        (iso(datetime.now(UTC) - timedelta(seconds=seconds)), show_id))


def q(s: Session, qid: int) -> dict[str, Any]:
    r = s.get(f"/api/questions/{qid}")
    assert r.status_code == 200, r.text
    return dict(r.json())


def act(s: Session, qid: int, action: str, **fields: Any) -> dict[str, Any]:
    r = s.act(q(s, qid), action, **fields)
    assert r.status_code == 200, r.text
    return dict(r.json())


@dataclass
class ScriptedShow:
    """An evening with known numbers: 20 questions from 4 channels, two moderators and a producer."""

    show_id: int
    ids: list[int]
    aired: list[int]
    followed: list[int]
    rejected: list[int]
    merged: list[int]


TEXTS = ["Когда отремонтируют дорогу по улице Момышулы? Ямы огромные, машины ломаются.",
         "Шаңырақ-2 шағынауданында үш күннен бері ыстық су жоқ. Қашан береді?",
         "Мектепке орын жетпейді, Алатау ауданында жаңа мектеп салына ма?",
         "Автобус 92 ходит раз в сорок минут, можно ли добавить машины на маршрут?",
         "Ауладағы балалар алаңы сынған, кім жөндейді? Әкімдікке хат жаздық, жауап жоқ.",
         "Газ когда проведут в Калкаман? Обещали ещё в прошлом году.",
         "В доме на Жандосова 12 не работает отопление, холодно детям.",
         "Көшеде жарық жанбайды, кешке қорқынышты. Шаңырақ-1, 5-көше.",
         "Свалка возле реки Есентай, когда уберут? Запах на весь микрорайон.",
         "Светофор на Рыскулова — Бухтарминской не работает неделю."]
CHANNELS = ["whatsapp"] * 8 + ["telegram"] * 6 + ["sms"] * 4 + ["phone"] * 2
TOPICS = ["roads"] * 7 + ["water"] * 5 + ["heating"] * 4 + [None] * 4
DISTRICTS = ["alatau"] * 9 + ["medeu"] * 6 + ["auezov"] * 5
LANGS = ["ru"] * 12 + ["kk"] * 6 + ["mixed"] * 2


def scripted_show(live: LiveServer, texts: Sequence[str] = ()) -> ScriptedShow:
    prod = live.login("aigerim", "producer")
    show = prod.post("/api/shows", {"title": "Akimat Live — Алатау", "starts_at": "2026-11-24T20:00:00+05:00",
                                    "guests": GUESTS}).json()
    sid = show["id"]
    ids = seed(live, [new_question(sid, i, channel=CHANNELS[i], topic=TOPICS[i], district=DISTRICTS[i],
                                   lang=LANGS[i], text=texts[i % len(texts)] if texts else None) for i in range(20)])
    assert prod.patch(f"/api/shows/{sid}", {"status": "live"}).status_code == 200
    dana, timur = live.login("dana", "moderator"), live.login("timur", "moderator")
    for qid in ids[:10]:
        act(dana, qid, "approve")
    act(dana, ids[0], "edit", text="Когда починят дорогу на Момышулы?")
    act(dana, ids[1], "edit", text="Когда будет горячая вода в Шанырак-2?")
    for qid in ids[10:13]:
        act(timur, qid, "reject", reason="spam")
    for qid in ids[13:15]:
        act(timur, qid, "merge", into=ids[0])
    aired = ids[:6]
    previous: dict[str, Any] = {}
    for qid in aired:  # each next question answers the one before, as the host's Next does
        version = act(prod, qid, "on_air", **previous)["version"]
        previous = {"previous": "answered", "previous_version": version}
    act(prod, aired[-1], "answered")
    followed = ids[6:9]
    for qid in followed:
        act(timur, qid, "follow_up", assignee="Управление энергетики", due="2026-12-01")
    return ScriptedShow(sid, ids, aired, followed, ids[10:13], ids[13:15])
