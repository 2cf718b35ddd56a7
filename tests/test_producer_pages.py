"""The `/producer` page in Chromium: live counters and segments, the log, the report with SVG charts (and its
print layout), the follow-up board with an overdue case; screenshots to /tmp/efir-shots/producer-*.png."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import LiveServer
from tests.test_pages_support import SHOTS, browser, contexts, watch
from tests.test_producer_support import GUESTS, TEXTS, act, iso, scripted_show, sql

__all__ = ["browser", "contexts"]


def goto(page: Page, tab: str) -> None:
    page.evaluate(f"location.hash = '{tab}'")
    expect(page.locator("body")).to_have_attribute("data-ready", tab, timeout=10_000)


def backdate(live: LiveServer, sid: int) -> None:
    """The evening as it ran: the show started 45 minutes ago, its events 20 s apart from 8 minutes before the
    start, arrivals over the last quarter hour (times computed here: the same on either database)."""
    now = datetime.now(UTC)
    started = now - timedelta(minutes=45)
    sql(live, "UPDATE shows SET started_at = ? WHERE id = ?", (iso(started), sid))
    seqs = [r[0] for r in live.sql("SELECT seq FROM events WHERE show_id = ? ORDER BY seq", sid)]
    for seq in seqs:
        sql(live, "UPDATE events SET at = ? WHERE seq = ?",
            (iso(started - timedelta(minutes=8) + timedelta(seconds=20 * (seq - seqs[0]))), seq))
    for qid, at in live.sql("SELECT question_id, at FROM events WHERE show_id = ? AND kind = 'on_air'", sid):
        sql(live, "UPDATE questions SET on_air_offset = ? WHERE id = ? AND on_air_offset IS NOT NULL",
            ((datetime.fromisoformat(at) - started).total_seconds(), qid))
    for (qid,) in live.sql("SELECT id FROM questions WHERE show_id = ?", sid):
        sql(live, "UPDATE questions SET received_at = ? WHERE id = ?",
            (iso(now - timedelta(minutes=(qid * 7) % 13)), qid))


def test_producer_page_live_log_report_and_board(contexts: Any, live: LiveServer) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    show = scripted_show(live, TEXTS)
    prod = live.login("aigerim", "producer")
    sid = show.show_id
    prod.put(f"/api/shows/{sid}/segments", {"segments": [
        {"guest": GUESTS[0]["name"], "title": "Алатау ауданы", "planned_minutes": 30},
        {"guest": GUESTS[1]["name"], "title": "Электр және жылу", "planned_minutes": 20}]})
    act(prod, show.ids[9], "edit", text="Когда будет свет на 5-й улице в Шанырак-1?")
    # the evening as it ran: events 20 s apart from 8 minutes before the start, arrivals over the last quarter hour
    backdate(live, sid)
    page = contexts("aigerim", "producer", lang="ru").new_page()
    seen = watch(page)
    page.goto(f"/producer?show={sid}#live")
    expect(page.locator("body")).to_have_attribute("data-ready", "live", timeout=10_000)
    expect(page.locator('[data-counter="total"] .card-value')).to_have_text("20")
    expect(page.locator('[data-counter="aired"] .card-value')).to_have_text("6")
    page.locator("#segments li").first.get_by_role("button").click()
    expect(page.locator("#segments li.current")).to_have_count(1)
    expect(page.locator("#per-minute svg rect").first).to_be_visible()
    prompter = contexts(viewport={"width": 1280, "height": 720}).new_page()
    prompter.goto(f"/prompter/{sid}?key={live.token('prompter', sid)}")
    page.locator("#cue-quick button").nth(1).click()
    expect(prompter.locator("#cue")).to_contain_text("Заканчиваем")
    prompter.screenshot(path=str(SHOTS / "producer-cue-on-prompter.png"))
    prompter.locator("#cue").click()  # the host acknowledges: the banner goes
    expect(prompter.locator("#cue")).to_be_hidden()
    page.screenshot(path=str(SHOTS / "producer-live.png"), full_page=True)

    goto(page, "shows")
    expect(page.locator("#guests tbody tr")).to_have_count(2)
    expect(page.locator("#segment-plan tbody tr")).to_have_count(2)
    page.screenshot(path=str(SHOTS / "producer-shows.png"), full_page=True)

    goto(page, "log")
    expect(page.locator("#timeline li.ev-edited").first).to_be_visible()
    expect(page.locator("#aired table tbody tr")).to_have_count(6)
    expect(page.locator(".side-by-side .after").first).to_contain_text("Момышулы?")
    page.screenshot(path=str(SHOTS / "producer-log.png"), full_page=True)

    # arrivals as the log has them (the live chart above wanted them in the last quarter hour)
    sql(live, "UPDATE questions SET received_at = (SELECT e.at FROM events e WHERE e.question_id = questions.id "
        "AND e.kind = 'received') WHERE show_id = ?", (sid,))
    goto(page, "report")
    expect(page.locator('[data-total="answered_on_air"] .card-value')).to_have_text("6")
    assert page.locator("#charts svg.bar-chart").count() >= 5
    expect(page.locator("#charts svg.bar-chart").first.locator("text.bar-label").first).to_have_text("WhatsApp")
    expect(page.locator("#moderators tbody tr")).to_have_count(3)
    page.screenshot(path=str(SHOTS / "producer-report.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    page.screenshot(path=str(SHOTS / "producer-report-print.png"), full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.emulate_media(media="screen")

    prod.patch(f"/api/shows/{sid}", {"status": "ended"})
    late = prod.get(f"/api/questions/{show.followed[1]}").json()
    prod.patch(f"/api/followups/{late['id']}", {"version": late["version"], "due": "2026-10-01"})
    goto(page, "followups")
    page.locator("#include-new").check()
    page.locator("#open-cases").click()
    page.locator(".confirm-cases button.confirm").click()
    expect(page.locator("#board tbody tr")).to_have_count(9)
    expect(page.locator(f'#board tr.overdue[data-id="{show.followed[1]}"]')).to_be_visible()
    row = page.locator(f'#board tr[data-id="{show.followed[0]}"]')
    row.locator("select[name=resolution]").select_option("resolved")
    row.locator("input[name=note]").fill("Отремонтировано 12 декабря")
    row.locator("button.save").click()
    expect(page.locator(f'#board tr[data-id="{show.followed[0]}"]')).to_have_class("res-resolved")
    assert prod.get(f"/api/questions/{show.followed[0]}").json()["follow_up"]["resolution"] == "resolved"
    page.screenshot(path=str(SHOTS / "producer-followups.png"), full_page=True)
    page.locator("#case-resolution").select_option("open")
    expect(page.locator("#board tbody tr")).to_have_count(8)

    for lang in ("kk", "en"):
        page.locator(f'.lang-btn[data-lang="{lang}"]').click()
        goto(page, "report")
        page.screenshot(path=str(SHOTS / f"producer-report-{lang}.png"), full_page=True)
    expect(page.locator("#tabs [data-tab=report]")).to_have_text("Report")
    assert seen == {"errors": [], "dialogs": [], "foreign": []}, seen


def test_a_moderator_is_told_the_page_is_for_producers(contexts: Any, live: LiveServer) -> None:
    live.show()
    page = contexts("mod", "moderator").new_page()
    page.goto("/producer")
    expect(page.locator("#notice")).to_be_visible()
    expect(page.locator("#tabs")).to_be_hidden()
