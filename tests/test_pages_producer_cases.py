"""The follow-up board's guard rails (issue 16, item 9): opening cases asks first with the server's count
(one click once opened 2,066), and a board cut at its page size says "500 of N", never "500 cases"."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.test_pages_axe import audit
from tests.test_pages_support import browser, contexts
from tests.test_producer_pages import goto
from tests.test_producer_support import new_question, scripted_show, seed, sql

__all__ = ["browser", "contexts"]


def board_ids(live: LiveServer) -> set[int]:
    return {r[0] for r in live.sql("SELECT id FROM questions WHERE status = 'follow_up'")}


def test_a_dry_run_counts_the_cases_and_opens_nothing(live: LiveServer) -> None:
    show = scripted_show(live)
    prod = live.login("aigerim", "producer")
    before = board_ids(live)
    url = f"/api/shows/{show.show_id}/followups"
    assert prod.post(url, {"dry_run": True}).json() == {"would_open": 1}  # the approved one left
    assert prod.post(url, {"dry_run": True, "include_new": True}).json() == {"would_open": 6}
    assert board_ids(live) == before
    assert len(prod.post(url, {"include_new": True}).json()["opened"]) == 6
    assert prod.post(url, {"dry_run": True, "include_new": True}).json() == {"would_open": 0}


def test_opening_cases_asks_first_with_the_count_and_cancel_opens_nothing(contexts: Any, live: LiveServer) -> None:
    show = scripted_show(live)
    before = board_ids(live)
    for lang, words in (("kk", "ашылатын"), ("ru", "будет открыто"), ("en", "will be opened")):
        page = contexts("aigerim", "producer", lang=lang).new_page()
        page.goto(f"/producer?show={show.show_id}#followups")
        goto(page, "followups")
        page.locator("#include-new").check()
        page.locator("#open-cases").click()
        dialog = page.locator("dialog.confirm-cases")
        expect(dialog).to_be_visible()
        expect(dialog.locator(".confirm-count")).to_contain_text(words)
        expect(dialog.locator(".confirm-count")).to_contain_text("6")
        expect(dialog.locator("button.cancel")).to_be_focused()  # Enter right after the click opens nothing
        if lang == "kk":
            page.keyboard.press("Enter")  # on Cancel
        else:
            page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        expect(page.locator("#open-cases")).to_be_focused()
        assert board_ids(live) == before
        page.close()
    page = contexts("aigerim", "producer", lang="en", bypass_csp=True).new_page()  # for the axe audit
    page.goto(f"/producer?show={show.show_id}#followups")
    goto(page, "followups")
    page.locator("#include-new").check()
    page.locator("#open-cases").click()
    expect(page.locator("dialog.confirm-cases button.confirm")).to_have_text("Open 6 cases")
    assert audit(page) == []  # the open dialog: no critical or serious axe finding
    page.keyboard.press("Tab")  # keyboard only: Tab to the confirm button, Enter
    expect(page.locator("dialog.confirm-cases button.confirm")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#board tbody tr")).to_have_count(9)
    assert board_ids(live) == before | {show.ids[9], *show.ids[15:]}


def test_a_cut_board_says_how_many_of_how_many(contexts: Any, live: LiveServer) -> None:
    prod = live.login("aigerim", "producer")
    sid = prod.post("/api/shows", {"title": "Long evening", "starts_at": "2026-11-24T20:00:00+05:00"}).json()["id"]
    ids = seed(live, [new_question(sid, i) for i in range(503)])
    sql(live, "UPDATE questions SET status = 'follow_up' WHERE show_id = ?", (sid,))
    board = prod.get("/api/followups").json()
    assert len(board["cases"]) == 500 and board["total"] == 503
    page2 = prod.get(f"/api/followups?after={board['cases'][-1]['id']}").json()
    assert [c["id"] for c in page2["cases"]] == ids[500:] and page2["total"] == 3
    assert prod.get("/api/followups?limit=2").json()["total"] == 503
    page = contexts("aigerim", "producer", lang="en").new_page()
    page.goto(f"/producer?show={sid}#followups")
    goto(page, "followups")
    expect(page.locator("#board tbody tr")).to_have_count(500)
    expect(page.locator("#case-summary strong")).to_have_text("500 of 503 cases")
    page.locator("#case-district").select_option("medeu")
    expect(page.locator("#case-summary strong")).to_have_text("0 cases")
