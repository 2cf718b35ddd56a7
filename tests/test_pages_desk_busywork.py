"""Issue 16, items 1 and 8 in real Chromium: `u` undoes only your own last action (a colleague's later one is
named, never reverted)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import LiveServer, message
from tests.test_pages_support import browser, contexts, ingest, open_desk, wait_for

__all__ = ["browser", "contexts"]

ASKED = "Когда в Шанырак-2 дадут горячую воду? Неделю нет!"  # what a whole district asks, word for word
PROFANE = "Когда наконец эти долбоёбы в акимате починят дорогу на Абая?"
AD = "Заработок от 50000 тг в день без вложений! Пиши в ватсап +77011234567, ссылка bit.ly/dohod"


def status(live: LiveServer, qid: int) -> dict[str, Any]:
    q: dict[str, Any] = live.login("checker", "producer").get(f"/api/questions/{qid}").json()
    return q


def focused(desk: Page) -> int:
    return int(desk.locator(".row.focused").get_attribute("data-id") or 0)


def test_undo_on_the_desk_never_takes_back_a_colleagues_action(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    ingest(live, show["id"], [message(1, "Когда починят дорогу на Саина 12?"),
                              message(2, "Когда в Алатау уберут мусор у школы 45?")])
    a = open_desk(contexts("mod-a"), show["id"])
    first = focused(a)
    a.keyboard.press("a")  # mod-a approves …
    wait_for(lambda: status(live, first)["status"] == "approved", what="the approval")
    second = wait_for(lambda: focused(a) if focused(a) != first else 0, what="the next row")
    b = live.login("mod-b", "moderator")  # … then mod-b rejects the same question
    assert b.act(b.get(f"/api/questions/{first}").json(), "reject", reason="off_topic").status_code == 200
    rejected = wait_for(lambda: status(live, first) if status(live, first)["status"] == "rejected" else None)

    a.keyboard.press("u")  # mod-a's undo: mod-b's reject is not theirs to undo, nor is their approval under it
    toast = a.locator(".toast", has_text=f"#{first}")
    expect(toast).to_contain_text("not undone")
    expect(toast).to_contain_text("mod-b")
    expect(toast).to_contain_text("rejected")
    after = status(live, first)
    assert (after["status"], after["version"], after["reason"]) == ("rejected", rejected["version"], "off_topic")

    a.keyboard.press("a")  # mod-a's own last action, nobody acting since: undone
    wait_for(lambda: status(live, second)["status"] == "approved", what="the second approval")
    a.keyboard.press("u")
    expect(a.locator(".toast", has_text=f"#{second} undone")).to_be_visible()
    wait_for(lambda: status(live, second)["status"] == "new", what="the undo of mod-a's own approval")
    assert status(live, first)["status"] == "rejected"
