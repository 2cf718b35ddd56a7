"""One resident on several channels: the desk links their questions ("also wrote")."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.conftest import LiveServer, message
from tests.test_pages_support import SHOTS, browser, contexts, ingest, open_desk, row

__all__ = ["browser", "contexts"]


def test_the_desk_shows_what_else_the_same_resident_wrote(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    ids = ingest(live, show["id"], [
        message(1, "Шанырақта су жоқ, қашан береді?", channel="whatsapp",
                author={"name": "Гүлнар", "contact": "77015554433"}),
        message(2, "Повторяю: в Шаныраке нет воды третий день", channel="sms",
                author={"name": "Гүлнар", "contact": "8 (701) 555-44-33"}),
        message(3, "Другой человек про автобус 92", channel="telegram", author={"name": "Ержан"}),
    ])
    page = open_desk(contexts("moder"), show["id"])
    row(page, ids[0]).click()
    also = page.locator(".detail-also .chip")
    expect(also).to_have_count(1)
    expect(also).to_have_text(f"SMS #{ids[1]}")
    row(page, ids[2]).click()
    expect(page.locator(".detail-also")).to_have_count(0)


def test_a_duplicate_of_an_approved_question_says_whose_duplicate_it_is(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    text = "Мектепке орын жетпейді, Алатау ауданында жаңа мектеп салына ма?"
    [head] = ingest(live, show["id"], [message(1, text)])
    s = live.login("dup-prod", "producer")
    s.act(s.get(f"/api/questions/{head}").json(), "approve")
    [member] = ingest(live, show["id"], [message(2, text + "??")])
    assert s.get(f"/api/questions/{member}").json()["cluster_id"] == head
    page = open_desk(contexts("moder"), show["id"])
    chip = row(page, member).locator(".chip.dup")
    expect(chip).to_have_text(f"same as #{head} · Approved")
    SHOTS.mkdir(parents=True, exist_ok=True)
    row(page, member).screenshot(path=str(SHOTS / "desk-dup-row.png"))


def test_the_desk_follows_the_producers_segment(contexts: Any, live: LiveServer) -> None:
    guests = [{"name": "Ерлан Сәрсенов", "position": "әкім", "district": "alatau"},
              {"name": "Мария Ким", "position": "энергетика"}]
    show = live.show(guests=guests)
    prod = live.login("seg-prod", "producer")
    plan = prod.put(f"/api/shows/{show['id']}/segments", {"segments": [
        {"guest": "Ерлан Сәрсенов", "title": "Алатау"}, {"guest": "Мария Ким", "title": "Свет"}]}).json()
    page = open_desk(contexts("moder"), show["id"])
    expect(page.locator("#guest")).to_have_value("")
    prod.post(f"/api/shows/{show['id']}/segment", {"segment_id": plan[1]["id"]})
    expect(page.locator("#guest")).to_have_value("Мария Ким")
    prod.post(f"/api/shows/{show['id']}/segment", {"segment_id": plan[0]["id"]})
    expect(page.locator("#guest")).to_have_value("Ерлан Сәрсенов")
