"""axe-core (WCAG 2 A and AA rules) on every page in Kazakh, Russian and English at 1366×768: no critical or
serious finding. axe-core comes from the npm registry at the version `tests/axe/package.json` pins, installed
by `make test` (`make axe`); a missing copy fails the test, never skips it.

One browser and one page per language, reused from page to page. The pages send a CSP that forbids injected
scripts, so the audit's context bypasses it (`bypass_csp`). The audit reads pages, not the store: it runs on
SQLite only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD, LiveServer, message
from tests.test_pages_support import SHOTS, browser, ingest, wait_for
from tests.test_producer_support import GUESTS, act, scripted_show

__all__ = ["browser"]

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORT = {"width": 1366, "height": 768}
RUN = """async () => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] },
                                           resultTypes: ["violations"] });
  return result.violations.filter((v) => v.impact === "critical" || v.impact === "serious").map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + n.failureSummary.split("\\n")[1]) }));
}"""


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    yield str(tmp_path / "efir.db")


def audit(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    findings: list[dict[str, Any]] = page.evaluate(RUN)
    return findings


def desk_ready(page: Page) -> None:
    page.wait_for_selector("#conn[data-state=live]")
    wait_for(lambda: page.evaluate("() => !!(window.efirDesk && window.efirDesk.state.show)"), 20, "the snapshot")
    expect(page.locator(".row.focused")).to_have_count(1)


def producer_tab(tab: str) -> Callable[[Page], None]:
    def ready(page: Page) -> None:
        expect(page.locator("body")).to_have_attribute("data-ready", tab, timeout=10_000)

    return ready


def test_every_page_passes_axe_in_three_languages(browser: Browser, live: LiveServer) -> None:
    assert AXE.is_file(), f"{AXE} is missing: run `make axe` (npm ci in tests/axe)"
    show = scripted_show(live)
    sid = show.show_id
    same = "Когда в Шанырак-2 дадут горячую воду? Неделю нет!"
    ingest(live, sid, [message(900, same), message(901, same + "!!")])  # a cluster on the desk
    prod = live.login("aigerim", "producer")
    prod.put(f"/api/shows/{sid}/segments", {"segments": [
        {"guest": GUESTS[0]["name"], "title": "Алатау ауданы", "planned_minutes": 30}]})
    act(prod, show.ids[9], "on_air")  # the ON AIR box on the desk, the question on the prompter
    key = live.token("prompter", sid)
    live.user("auditor", "admin")
    pages: list[tuple[str, Callable[[Page], None]]] = [
        ("/login?stay=1", lambda p: expect(p.locator("#lang button")).to_have_count(3)),
        (f"/desk?show={sid}", desk_ready),
        ("/phone", lambda p: expect(p.locator("#who")).not_to_be_empty()),
        (f"/prompter/{sid}?key={key}", lambda p: expect(p.locator("#meta span").first).to_be_visible()),
        ("/prompter", lambda p: expect(p.locator("#nav a").first).to_be_visible()),  # signed in, no key
        (f"/prompter/{sid}?key=revoked", lambda p: expect(p.locator("body")).to_have_attribute("data-refused",
                                                                                               "invalid_key")),
        *[(f"/producer?show={sid}#{tab}", producer_tab(tab)) for tab in ("live", "shows", "log", "report",
                                                                          "followups")],
        (f"/ask/{sid}", lambda p: expect(p.locator("form textarea")).to_be_visible()),
    ]
    found: list[str] = []
    for lang in ("kk", "ru", "en"):
        ctx = browser.new_context(base_url=live.url, viewport=VIEWPORT, bypass_csp=True)
        ctx.add_init_script(f"localStorage.setItem('efir.lang', '{lang}');")
        assert ctx.request.post("/api/auth/login", data={"username": "auditor", "password": PASSWORD}).ok
        page = ctx.new_page()
        for path, ready in pages:
            page.goto("about:blank")  # a hash change alone would not reload the producer page
            page.goto(path)
            ready(page)
            if path.startswith("/desk"):  # the dialogs too: help (every key in a table), reject, edit, tag, merge
                for key, dialog in (("?", "help"), ("r", "reject"), ("e", "edit"), ("t", "tag"), ("m", "merge")):
                    page.keyboard.press(key)
                    expect(page.locator(f"dialog.dlg-{dialog}")).to_be_visible()
                    if dialog == "help":
                        SHOTS.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(SHOTS / f"desk-help-{lang}.png"))
                    found += [f"{lang} {path} ({dialog}) {v}" for v in audit(page)]
                    page.keyboard.press("Escape")
                    expect(page.locator("dialog")).to_have_count(0)
            if path.endswith(("#live", "/phone")) or path == "/prompter":  # the top bars with their links
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"{path.strip('/').split('?')[0]}-1366-{lang}.png"))
            found += [f"{lang} {path} {v}" for v in audit(page)]
        ctx.close()
    assert not found, "\n".join(found)
