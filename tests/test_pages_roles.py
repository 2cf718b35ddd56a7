"""Each role lands on its own page and every page links to the others that role may use (issue 16, item 6):
the producer on /producer, the moderator on the desk, the operator on the phone desk, and the host on the live
show's prompter, signed in, with no key."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, LiveServer
from tests.test_pages_desk import distinct
from tests.test_pages_support import browser, contexts, ingest

__all__ = ["browser", "contexts"]

# role → where it lands, and the pages its navigation links to from there
LANDING = {
    "producer": ("/producer", {"/desk", "/phone", "/prompter"}),
    "admin": ("/producer", {"/desk", "/phone", "/prompter"}),
    "moderator": ("/desk", {"/phone", "/prompter"}),
    "operator": ("/phone", set()),
    "host": ("/prompter/{show}", {"/desk"}),
}
READY = {"/producer": "#tabs", "/desk": "#conn[data-state=live]", "/phone": "#call", "/prompter": "#controls"}


def sign_in(page: Page, name: str) -> None:
    page.goto("/login")
    page.locator("#username").fill(name)
    page.locator("#password").fill(PASSWORD)
    page.keyboard.press("Enter")


def links(page: Page) -> set[str]:
    return {str(a.get_attribute("data-page")) for a in page.locator("#nav a").all()}


def test_each_role_lands_on_its_own_page_with_links_to_the_others(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    [qid] = ingest(live, show["id"], [distinct(1)])
    s = live.login("prod", "producer")
    s.act(s.get(f"/api/questions/{qid}").json(), "approve")
    for role, (home, others) in LANDING.items():
        name = live.user(f"{role}-1", role)
        page = contexts(lang="en").new_page()
        sign_in(page, name)
        page.wait_for_url(f"**{home.format(show=show['id'])}**")
        page.wait_for_selector(READY["/" + home.split("/")[1]])
        expect(page.locator("#nav a")).to_have_count(len(others))
        assert links(page) == others, role
        for a in page.locator("#nav a").all():  # each link opens the page it names, for this show
            path = str(a.get_attribute("data-page"))
            expect(a).to_have_attribute("href", re.compile(rf"^{path}(\?show=|/){show['id']}$"))
        page.context.close()


def test_the_host_signed_in_runs_the_live_prompter_without_a_key(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    ids = ingest(live, show["id"], [distinct(1), distinct(2)])
    s = live.login("prod", "producer")
    for qid in ids:
        s.act(s.get(f"/api/questions/{qid}").json(), "approve")
    page = contexts(lang="en").new_page()
    sign_in(page, live.user("host-2", "host"))
    page.wait_for_url(f"**/prompter/{show['id']}")  # no key in the link
    expect(page.locator("#next li")).to_have_count(2)
    expect(page.locator("#signin")).to_be_hidden()
    page.keyboard.press("PageDown")  # the host's clicker: the first question goes on air
    expect(page.locator("#text")).to_contain_text("Когда сделают")
    expect(page.locator("#next li")).to_have_count(1)
    expect(page.locator("#nav a")).to_have_attribute("href", f"/desk?show={show['id']}")
    assert s.post(f"/api/shows/{show['id']}/cue", {"text": "Осталась 1 минута"}).status_code == 200
    expect(page.locator("#cue")).to_contain_text("Осталась 1 минута")
    page.keyboard.press("Escape")  # acknowledged with the host's own session
    expect(page.locator("#cue")).to_be_hidden()
    log = s.get(f"/api/shows/{show['id']}/timeline?kinds=cue_acknowledged").json()["entries"]
    assert [e["actor"] for e in log] == ["host-2"]


def test_root_and_the_bare_prompter_send_each_role_to_its_page(live: LiveServer) -> None:
    show = live.show()
    with httpx.Client(base_url=live.url) as anonymous:
        r = anonymous.get("/")
        assert (r.status_code, r.headers["location"]) == (302, "/login")
        assert anonymous.get(f"/prompter/{show['id']}/events").json()["error"]["code"] == "unauthorized"
    for role, (home, _) in LANDING.items():
        s = live.login(f"{role}-root", role)
        r = s.get("/")
        assert (r.status_code, r.headers["location"]) == (302, home.split("/{")[0]), role
        me = s.get("/api/auth/me").json()
        assert me["home"] == home.split("/{")[0] and set(me["pages"]) == {me["home"], *LANDING[role][1]}, me
    host = live.login("host-root", "host")
    r = host.get("/prompter", params={"theme": "light"})
    assert (r.status_code, r.headers["location"]) == (302, f"/prompter/{show['id']}?theme=light")
    with host.client.stream("GET", f"/prompter/{show['id']}/events") as sse:  # the session is the host's key
        assert sse.status_code == 200
        assert next(line for line in sse.iter_lines() if line.startswith("event:")) == "event: rundown"
    operator = live.login("operator-root", "operator")  # the phone desk has no business on the prompter
    assert operator.get(f"/prompter/{show['id']}/events").status_code == 403


def test_the_host_is_told_when_no_show_is_on(contexts: Any, live: LiveServer) -> None:
    page = contexts(lang="ru").new_page()
    sign_in(page, live.user("host-3", "host"))
    page.wait_for_url("**/prompter")
    expect(page.locator("#text")).to_have_text("Сейчас нет ни идущего, ни запланированного эфира. Проверяем снова…")
    expect(page.locator("body")).to_have_attribute("data-refused", "no_show")


def test_an_enter_before_the_login_page_is_ready_signs_in_and_never_puts_the_password_in_the_address(
        contexts: Any, live: LiveServer) -> None:
    live.show()
    page = contexts(lang="en").new_page()
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)

    page.route("**/ui/i18n/*.json", hold)  # the dictionaries are slow to come
    page.goto("/login")
    page.locator("#username").fill(live.user("quick-mod", "moderator"))
    page.locator("#password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/desk")
    assert "password" not in page.url and PASSWORD not in page.url
    page.unroute_all(behavior="ignoreErrors")  # the login page's held requests went with it
