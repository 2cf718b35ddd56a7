"""Suggested duplicates and explainable clusters on the desk, in real Chromium at 1366×768: why a member joined
its cluster, a suggestion merged with y, another dismissed with i (still dismissed after a reload), a member
taken out of its cluster with p."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import LiveServer, message
from tests.test_pages_support import SHOTS, browser, contexts, ingest, open_desk, row, wait_for
from tests.test_store_duplicates import GARBAGE, GARBAGE_NEAR, HOT_WATER, HOT_WATER_AGAIN, WARM_WATER_NEAR

__all__ = ["browser", "contexts"]

LAPTOP = {"width": 1366, "height": 768}


def focus(desk: Page, qid: int) -> None:
    """Move the queue's focus to `qid` with j / k, as a moderator would."""
    for _ in range(50):
        at = desk.evaluate(f"window.efirDesk.queue.index.get({qid})")
        now = desk.evaluate("window.efirDesk.queue.index.get(window.efirDesk.queue.focusId)")
        if at == now:
            expect(row(desk, qid)).to_have_class(re.compile(r"\bfocused\b"))
            return
        desk.keyboard.press("j" if at > now else "k")
        wait_for(lambda now=now: desk.evaluate("window.efirDesk.queue.index.get(window.efirDesk.queue.focusId)")
                 != now, what="the focus to move")
    raise AssertionError(f"could not focus #{qid}")


def shot(desk: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(SHOTS / name))


def test_suggestions_merge_dismiss_split_by_keyboard(contexts: Any, live: LiveServer) -> None:
    show = live.show("Akimat Live — Алатау ауданы")
    ids = ingest(live, show["id"], [message(i, text, channel=["whatsapp", "telegram"][i % 2]) for i, text in
                                    enumerate([HOT_WATER, HOT_WATER_AGAIN, GARBAGE, GARBAGE_NEAR])])
    ids += ingest(live, show["id"], [message(4, WARM_WATER_NEAR, channel="sms")])
    hot, hot_again, garbage, near, warm = ids
    s = live.login("dup-checker", "producer")
    qs = {qid: s.get(f"/api/questions/{qid}").json() for qid in ids}
    assert qs[hot_again]["cluster_id"] == hot and qs[hot]["asked_count"] == 2, "the index clusters these"
    assert [x["id"] for x in qs[near]["suggested"]] == [garbage], "and suggests these"
    assert [x["id"] for x in qs[warm]["suggested"]] == [hot]

    desk = open_desk(contexts("dup-mod", viewport=LAPTOP), show["id"])
    expect(desk.locator("#shown")).to_have_text("4 shown")
    expect(row(desk, near).locator(".chip.maybe")).to_have_text("maybe dup")
    expect(row(desk, warm).locator(".chip.maybe")).to_be_visible()
    expect(row(desk, garbage).locator(".chip.maybe")).to_have_count(0)

    focus(desk, hot)  # the cluster's member says why it is there
    desk.keyboard.press("x")
    focus(desk, hot_again)
    why = desk.locator("#detail .dup-why")
    expect(why).to_contain_text(f"Clustered with #{hot}")
    expect(why).to_contain_text("same place: Шанырак-2")
    expect(why).to_contain_text("same problem: no hot water")
    shot(desk, "desk-cluster-reason-en.png")

    focus(desk, near)
    suggestion = desk.locator("#detail .dup-suggested")
    expect(suggestion).to_contain_text(f"maybe the same as #{garbage}")
    expect(suggestion).to_contain_text("В Шанырак-2 во дворе не вывозят мусор")  # the head's text, as text
    expect(suggestion).to_contain_text("same problem: garbage not collected")
    shot(desk, "desk-suggested-en.png")
    desk.evaluate("localStorage.setItem('efir.lang', 'kk'); localStorage.setItem('efir.lang.dup-mod', 'kk')")
    desk.reload()
    wait_for(lambda: desk.evaluate("() => !!(window.efirDesk && window.efirDesk.state.show)"), 20, "the snapshot")
    focus(desk, near)
    expect(desk.locator("#detail .dup-suggested")).to_contain_text(f"#{garbage} сұрағымен бірдей болуы мүмкін")
    expect(desk.locator("#detail .dup-suggested")).to_contain_text("қоқыс шығарылмайды")
    shot(desk, "desk-suggested-kk.png")
    desk.evaluate("localStorage.setItem('efir.lang', 'en'); localStorage.setItem('efir.lang.dup-mod', 'en')")
    desk.reload()
    wait_for(lambda: desk.evaluate("() => !!(window.efirDesk && window.efirDesk.state.show)"), 20, "the snapshot")

    focus(desk, near)
    desk.keyboard.press("y")  # merge into the suggested head
    expect(row(desk, near)).to_have_attribute("data-status", "merged")
    expect(row(desk, garbage).locator(".asked")).to_contain_text("×2")

    focus(desk, warm)
    desk.keyboard.press("i")  # not the same: dismissed
    expect(row(desk, warm).locator(".chip.maybe")).to_have_count(0)
    expect(desk.locator("#detail .dup-suggested")).to_have_count(0)
    wait_for(lambda: s.get(f"/api/questions/{warm}").json()["dismissed"] == [hot], what="the dismissal stored")
    desk.reload()
    wait_for(lambda: desk.evaluate("() => !!(window.efirDesk && window.efirDesk.state.show)"), 20, "the snapshot")
    expect(row(desk, warm)).to_be_visible()
    expect(row(desk, warm).locator(".chip.maybe")).to_have_count(0)

    focus(desk, hot)
    expect(row(desk, hot).locator(".asked")).to_contain_text("×2")
    desk.keyboard.press("x")
    focus(desk, hot_again)
    desk.keyboard.press("p")  # out of the cluster: its own head, the old head asked once
    wait_for(lambda: s.get(f"/api/questions/{hot_again}").json()["cluster_id"] == hot_again, what="the split")
    expect(row(desk, hot).locator(".asked")).to_have_count(0)
    desk.keyboard.press("?")
    help_box = desk.locator("dialog.dlg-help")
    for key, text in (("y", "merge into the suggested duplicate"), ("i", "not the same"), ("p", "out of its cluster")):
        expect(help_box.locator("tr", has=desk.locator(f'kbd:text-is("{key}")'))).to_contain_text(text)
    shot(desk, "desk-help-en.png")
