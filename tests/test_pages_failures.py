"""Failures said out loud (issue 16, item 7): a wrong or revoked prompter key is named as such on the prompter
(the server answers it with its own code), an offline desk shows a banner and comes back by itself, the producer
page says it lost the server in the interface's language and recovers, and `make demo` keeps its logins (and the
sessions of open desks) across a restart."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

import server.live
from server.errors import EfirError
from tests.conftest import LiveServer, free_port
from tests.demo_kit import demo, stop
from tests.test_pages_desk import distinct
from tests.test_pages_support import SHOTS, browser, contexts, drop_desk_sockets, ingest, open_desk, row

__all__ = ["browser", "contexts"]


class ServiceDown(EfirError):
    status, code = 503, "unavailable"


def test_the_server_tells_a_wrong_or_revoked_prompter_key_apart(live: LiveServer) -> None:
    show, other = live.show(), live.show("Other", live=False)
    key = live.token("prompter", show["id"])
    url = f"{live.url}/prompter/{show['id']}/events"

    def code(params: dict[str, str]) -> tuple[int, str]:
        r = httpx.get(url, params=params)
        return r.status_code, r.json()["error"]["code"]

    assert code({"key": "wrong"}) == (401, "invalid_key")
    assert code({}) == (401, "unauthorized")  # no key and nobody signed in: a sign-in is what is missing
    assert httpx.get(f"{live.url}/prompter/{other['id']}/events", params={"key": key}).json()["error"]["code"] \
        == "wrong_show"
    [token] = [t for t in live.call(live.efir.store.list_tokens()) if t.kind == "prompter"]
    assert live.call(live.efir.store.revoke_token(token.id))
    assert code({"key": key}) == (401, "invalid_key")


def test_the_prompter_says_its_key_is_invalid_instead_of_reconnecting(contexts: Any, live: LiveServer,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server.live, "TOKEN_RECHECK_SECONDS", 0.5)  # a revoked key stops its stream this soon
    show = live.show()
    ctx = contexts(lang="en")
    wrong = ctx.new_page()
    wrong.goto(f"/prompter/{show['id']}?key=not-a-key")
    expect(wrong.locator("#text")).to_have_text(re.compile("wrong or has been revoked"))
    expect(wrong.locator("body")).to_have_attribute("data-refused", "invalid_key")
    expect(wrong.locator("#status")).not_to_have_text("Reconnecting…")
    SHOTS.mkdir(parents=True, exist_ok=True)
    wrong.screenshot(path=str(SHOTS / "prompter-invalid-key-en.png"))
    bare = ctx.new_page()  # no key and nobody signed in: a sign-in is what is missing, and the page offers it
    bare.goto(f"/prompter/{show['id']}")
    expect(bare.locator("#text")).to_have_text("Sign in, or open the prompter link with its key.")
    expect(bare.locator("#signin")).to_be_visible()

    key = live.token("prompter", show["id"])
    page = contexts(lang="kk").new_page()
    page.goto(f"/prompter/{show['id']}?key={key}")
    expect(page.locator("#text")).to_have_class("p-text waiting")
    [token] = [t for t in live.call(live.efir.store.list_tokens()) if t.kind == "prompter"]
    live.call(live.efir.store.revoke_token(token.id))  # the producer revokes the link mid-show
    expect(page.locator("body")).to_have_attribute("data-refused", "invalid_key", timeout=10_000)
    expect(page.locator("#text")).to_contain_text("кілті қате")


def test_an_offline_desk_says_so_in_a_banner_and_comes_back(contexts: Any, live: LiveServer,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    show = live.show()
    first = ingest(live, show["id"], [distinct(i) for i in range(3)])
    desk = open_desk(contexts("offline-mod"), show["id"])
    banner = desk.locator("#offline")
    expect(banner).to_be_hidden()

    async def down(ws: object) -> int:
        raise ServiceDown("restarting")

    # the link goes down and stays down: the server takes no desk (as while it restarts; Chromium's offline
    # emulation does not hold WebSockets back reliably)
    monkeypatch.setattr(server.live, "_desk_show", down)
    drop_desk_sockets(live)
    expect(banner).to_be_visible(timeout=3000)
    expect(banner).to_contain_text("No connection to the server")
    expect(banner).to_contain_text(re.compile(r"Reconnecting in \d s"))
    expect(banner.locator("#reconnect")).to_be_visible()
    box = banner.bounding_box()
    assert box is not None and box["width"] > 1000  # across the desk, not a pill
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(SHOTS / "desk-offline-en.png"))
    later = ingest(live, show["id"], [distinct(10)])
    monkeypatch.undo()
    expect(banner).to_be_hidden(timeout=6000)  # retries never wait more than ~3 s
    expect(desk.locator("#conn")).to_have_attribute("data-state", "live")
    desk.keyboard.press("n")
    for qid in first + later:
        expect(row(desk, qid)).to_be_visible()


def test_the_producer_page_says_it_is_offline_and_recovers(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    ingest(live, show["id"], [distinct(i) for i in range(4)])
    ctx = contexts("offline-prod", "producer", lang="ru")
    page = ctx.new_page()
    page.goto(f"/producer?show={show['id']}#live")
    expect(page.locator("body")).to_have_attribute("data-ready", "live", timeout=10_000)
    expect(page.locator('[data-counter="total"] .card-value')).to_have_text("4")
    ctx.set_offline(True)
    page.locator('#tabs [data-tab="log"]').click()  # any request now finds no server
    banner = page.locator("#offline")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Нет связи с сервером")
    expect(banner).to_contain_text("Данные на")
    assert "Failed to fetch" not in page.locator("body").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "producer-offline-ru.png"))
    ingest(live, show["id"], [distinct(9)])
    ctx.set_offline(False)
    expect(banner).to_be_hidden(timeout=6000)  # a retry every 2 s finds the server and reloads the tab
    page.locator('#tabs [data-tab="live"]').click()
    expect(page.locator('[data-counter="total"] .card-value')).to_have_text("5")


def test_the_phone_desk_keeps_the_call_and_says_the_server_is_away(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    ctx = contexts("offline-op", "operator", lang="kk")
    page = ctx.new_page()
    page.goto("/phone")
    expect(page.locator("#show-title")).to_have_text(show["title"])
    page.locator("#text").fill("Көктөбе жолында жарық жанбайды, қашан жөндейді?")
    ctx.set_offline(True)
    page.locator("#text").press("Enter")
    expect(page.locator("#offline")).to_be_visible()
    expect(page.locator("#offline")).to_contain_text("Сервермен байланыс жоқ")
    expect(page.locator("#error")).to_contain_text("Сервермен байланыс жоқ")
    expect(page.locator("#text")).to_have_value("Көктөбе жолында жарық жанбайды, қашан жөндейді?")  # not lost
    ctx.set_offline(False)
    expect(page.locator("#offline")).to_be_hidden(timeout=6000)
    page.locator("#text").press("Enter")  # sent again, as typed
    expect(page.locator("#recent li")).to_have_count(1)


def test_demo_logins_and_open_sessions_survive_a_restart(tmp_path: Path) -> None:
    db, port = tmp_path / "demo.db", free_port()
    proc, first = demo(db, port)
    try:
        password = re.search(r"moderator\s+password (\S+)", first)
        assert password
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
        assert client.post("/api/auth/login", json={"username": "moderator", "password": password[1]}).is_success
    finally:
        stop(proc)
    assert oct((tmp_path / "demo.db.logins.json").stat().st_mode & 0o777) == "0o600"
    proc, second = demo(db, port)
    try:
        logins = [line for line in first.splitlines() if "password" in line or "prompter " in line]
        assert logins and logins == [line for line in second.splitlines() if "password" in line or "prompter " in line]
        assert client.get("/api/auth/me").json()["username"] == "moderator"  # the open desk's session lives on
    finally:
        client.close()
        stop(proc)
