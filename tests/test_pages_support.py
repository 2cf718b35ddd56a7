"""Shared pieces of the browser tests (no tests here): Chromium, signed-in contexts, seeding, waiting."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.conftest import PASSWORD, LiveServer

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = Path(os.environ.get("EFIR_SHOTS", "/tmp/efir-shots"))
T = TypeVar("T")


def launch() -> Iterator[Browser]:
    # In CI a missing browser is a failure, never a skip: `.ci/run` installs it with apt.
    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing: apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


@pytest.fixture
def contexts(browser: Browser, live: LiveServer) -> Iterator[Callable[..., BrowserContext]]:
    """Make signed-in contexts; all are closed before the server stops (an open SSE would hold it)."""
    made: list[BrowserContext] = []

    def make(user: str | None = None, role: str = "moderator", lang: str = "en", **options: Any) -> BrowserContext:
        ctx = context(browser, live, user, role, lang, **options)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


def context(browser: Browser, live: LiveServer, user: str | None = None, role: str = "moderator",
            lang: str = "en", **options: Any) -> BrowserContext:
    """A fresh browser profile, signed in as `user` when given, with the interface in `lang`."""
    options.setdefault("viewport", {"width": 1600, "height": 900})
    ctx = browser.new_context(base_url=live.url, **options)
    ctx.add_init_script(f"if (!localStorage.getItem('efir.lang')) localStorage.setItem('efir.lang', '{lang}');")
    if user:
        live.user(user, role)
        r = ctx.request.post("/api/auth/login", data={"username": user, "password": PASSWORD})
        assert r.ok, r.text()
    return ctx


def watch(page: Page) -> dict[str, list[str]]:
    """Record what must never happen: page errors, dialogs, requests leaving the server."""
    seen: dict[str, list[str]] = {"errors": [], "dialogs": [], "foreign": []}
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    base = page.context.request  # noqa: F841 — keep the context alive while watching
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:"))
            else seen["foreign"].append(r.url))
    return seen


def ingest(live: LiveServer, show_id: int, messages: list[dict[str, Any]]) -> list[int]:
    token = live.token("ingest", show_id)
    ids: list[int] = []
    for i in range(0, len(messages), 1000):
        r = httpx.post(f"{live.url}/api/ingest", json={"messages": messages[i:i + 1000]},
                       headers={"Authorization": f"Bearer {token}"}, timeout=60)
        assert r.status_code == 200, r.text
        ids += r.json()["ids"]
    return ids


def wait_for(check: Callable[[], T], timeout: float = 5.0, what: str = "condition") -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last value {value!r}")
        time.sleep(0.05)


def open_desk(ctx: BrowserContext, show_id: int) -> Page:
    page = ctx.new_page()
    page.goto(f"/desk?show={show_id}")
    page.wait_for_selector("#conn[data-state=live]")
    # (polled from here: the page's CSP forbids the eval that wait_for_function needs)
    wait_for(lambda: page.evaluate("() => !!(window.efirDesk && window.efirDesk.state.show)"), 20, "the snapshot")
    return page


def row(page: Page, qid: int) -> Any:
    return page.locator(f'.row[data-id="{qid}"]')


def drop_desk_sockets(live: LiveServer) -> int:
    """The server drops every desk WebSocket (as a restart or a network cut would)."""

    async def drop() -> int:
        n = 0
        for task in asyncio.all_tasks():
            if getattr(task.get_coro(), "__qualname__", "") == "DeskSession.receiver":
                task.cancel()
                n += 1
        return n

    return live.call(drop())
