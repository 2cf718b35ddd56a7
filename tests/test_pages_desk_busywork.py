"""Issue 16, items 1 and 8 in real Chromium: `u` undoes only your own last action (a colleague's later one is
named, never reverted), a flood is shown as "repeated" rather than red Spam, and the reject dialog suggests
the reason the flags fit (never Spam on a profane question)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import LiveServer, message
from tests.test_pages_support import browser, contexts, ingest, open_desk, row, wait_for

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


def test_a_flood_shows_as_repeated_and_reject_suggests_the_fitting_reason(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    copies = [message(10 + i, ASKED) for i in range(5)]  # five residents: the fifth trips the flood rule
    ids = ingest(live, show["id"], [message(1, PROFANE), message(2, AD), message(3, "Когда откроют парк в Медеу?"),
                                    *copies])
    profane, ad, plain, flood = ids[0], ids[1], ids[2], ids[-1]
    assert set(status(live, flood)["flags"]) == {"flood", "spam"}
    desk = open_desk(contexts("mod-f"), show["id"])

    flood_chips = row(desk, flood).locator(".chip.flag")
    expect(flood_chips).to_have_text(["Repeated"])  # not the red Spam chip
    expect(row(desk, ad).locator(".chip.flag-spam")).to_have_text("Spam")  # spam by its text stays Spam
    expect(row(desk, profane).locator(".chip.flag")).to_have_text(["Profanity"])
    for lang, word in (("ru", "Повтор"), ("kk", "Қайталау"), ("en", "Repeated")):
        desk.locator(f'#lang button[data-lang="{lang}"]').click()
        expect(flood_chips).to_have_text([word])
    row(desk, flood).click()
    expect(desk.locator("#detail .chip.flag")).to_have_text(["Repeated"])
    expect(desk.locator("#detail .chip.flag-spam")).to_have_count(0)

    def reject_dialog(qid: int) -> Any:
        row(desk, qid).click()
        desk.keyboard.press("r")
        dialog = desk.locator("dialog.dlg-reject")
        expect(dialog).to_be_visible()
        return dialog.locator(".choice.current")

    expect(reject_dialog(profane)).to_contain_text("Offensive")  # not Spam on a profane question
    desk.keyboard.press("Escape")
    expect(reject_dialog(ad)).to_contain_text("Spam")
    desk.keyboard.press("Escape")
    for unsuggested in (plain, flood):  # nothing preselected: Enter alone rejects nothing
        expect(reject_dialog(unsuggested)).to_have_count(0)
        desk.keyboard.press("Enter")
        expect(desk.locator("dialog.dlg-reject")).to_be_visible()
        desk.keyboard.press("ArrowDown")  # the first reason, chosen on purpose
        expect(desk.locator("dialog.dlg-reject .choice.current")).to_contain_text("Spam")
        desk.keyboard.press("Escape")
        expect(desk.locator("dialog.dlg-reject")).to_have_count(0)
    assert [status(live, q)["status"] for q in (profane, ad, plain, flood)] == ["new"] * 4
