"""The e-mail worker against a real IMAP server (Dovecot) with a fixture mailbox of real-world mail."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest.sources.imap import ImapSource

from . import dovecot
from .conftest import LiveServer
from .mail_fixtures import EXPECTED, KZ1048_TEXT, MAILBOX
from .worker_kit import Sleeps, questions, worker

# In CI (CI=true) a missing IMAP server is a failure, not a skip: `make test` installs it.
pytestmark = pytest.mark.skipif(not dovecot.available() and not os.environ.get("CI"),
                                reason="needs Debian's dovecot-imapd (scripts/system-packages.txt)")


@pytest.fixture(scope="module")
def imap_server() -> Iterator[dovecot.Imap]:
    with dovecot.running() as server:
        yield server


@pytest.fixture
def mailbox(imap_server: dovecot.Imap, request: pytest.FixtureRequest) -> str:
    """A fresh folder per test, so tests share one Dovecot and stay independent."""
    digest = hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:8]  # each parametrised run its own folder
    name = "T" + request.node.name.replace("_", "")[:32] + digest
    with imap_server.client() as conn:
        assert conn.create(name)[0] == "OK"
    return name


def source(imap: dovecot.Imap, mailbox: str, *, batch: int = 100, idle: float = 0) -> ImapSource:
    return ImapSource(
        imap.host,
        imap.port,
        imap.user,
        imap.password,
        mailbox=mailbox,
        tls=False,
        interval=0.5,
        batch=batch,
        idle=idle,
    )


async def run(src: ImapSource, live: LiveServer, token: str, state: Path, polls: int) -> int:
    async with httpx.AsyncClient() as client:
        try:
            return await worker(src, live, token, state, client, Sleeps()).run(max_polls=polls)
        finally:
            await src.aclose()


async def test_fixture_mailbox_yields_exactly_the_expected_questions(
    live: LiveServer, imap_server: dovecot.Imap, mailbox: str, tmp_path: Path
) -> None:
    show = live.show()
    imap_server.append(*MAILBOX, mailbox=mailbox)
    src = source(imap_server, mailbox, batch=3)  # three polls' worth: batches continue at once
    assert await run(src, live, live.token("ingest"), tmp_path / "mail.json", polls=3) == 0
    stored = {q["external_id"]: q for q in questions(live, show["id"])}
    hashed = [k for k in stored if k.startswith("sha256:")]
    assert {
        k: (q["author"]["name"], q["text_original"]) for k, q in stored.items() if k not in hashed
    } == EXPECTED
    assert (
        len(hashed) == 1 and stored[hashed[0]]["text_original"] == KZ1048_TEXT
    )  # no Message-ID: a content hash
    assert src.skipped == 2  # the out-of-office and the mailing-list post
    assert all("+7 701" not in q["text_original"] for q in stored.values())  # the signature was cut off
    with imap_server.client() as conn:  # BODY.PEEK[]: the resident's mail is still unread in the mailbox
        conn.select(mailbox, readonly=True)
        assert len(conn.uid("SEARCH", "UNSEEN")[1][0].split()) == len(MAILBOX)


async def test_restart_resumes_and_the_uid_star_trap_stores_nothing_twice(
    live: LiveServer, mailbox: str, imap_server: dovecot.Imap, tmp_path: Path
) -> None:
    show = live.show()
    token, state = live.token("ingest"), tmp_path / "mail.json"
    imap_server.append(*MAILBOX[:2], mailbox=mailbox)
    await run(source(imap_server, mailbox), live, token, state, polls=1)
    saved = json.loads(state.read_text())["cursor"]
    assert saved["uid"] == 2
    src = source(imap_server, mailbox)
    async with httpx.AsyncClient() as client:
        w = worker(src, live, token, state, client, Sleeps())
        await w.run(max_polls=2)  # `UID 3:*` matches UID 2 again: it must be filtered, not re-sent
        await src.aclose()
    assert (w.stats.accepted, w.stats.duplicates) == (0, 0)
    imap_server.append(MAILBOX[3], mailbox=mailbox)
    await run(source(imap_server, mailbox), live, token, state, polls=1)
    assert len(questions(live, show["id"])) == 3


async def test_uidvalidity_change_resyncs_without_duplicates(
    live: LiveServer, mailbox: str, imap_server: dovecot.Imap, tmp_path: Path
) -> None:
    show = live.show()
    token, state = live.token("ingest"), tmp_path / "mail.json"
    imap_server.append(*MAILBOX[:4], mailbox=mailbox)
    await run(source(imap_server, mailbox), live, token, state, polls=1)
    before = json.loads(state.read_text())["cursor"]
    imap_server.recreate(mailbox)  # e.g. the mailbox was restored from a backup: new UIDVALIDITY, UIDs from 1
    imap_server.append(MAILBOX[1], MAILBOX[3], MAILBOX[4], mailbox=mailbox)
    src = source(imap_server, mailbox)
    async with httpx.AsyncClient() as client:
        w = worker(src, live, token, state, client, Sleeps())
        await w.run(max_polls=1)
        await src.aclose()
    after = json.loads(state.read_text())["cursor"]
    assert after["uidvalidity"] != before["uidvalidity"] and after["uid"] == 3
    assert (w.stats.accepted, w.stats.duplicates) == (1, 2)  # only the new mail is new
    assert len(questions(live, show["id"])) == 5


async def test_idle_wakes_up_when_mail_arrives(
    live: LiveServer, mailbox: str, imap_server: dovecot.Imap, tmp_path: Path
) -> None:
    show = live.show()
    src = source(imap_server, mailbox, idle=10)
    timer = threading.Timer(0.3, imap_server.append, args=(MAILBOX[0],), kwargs={"mailbox": mailbox})
    timer.start()
    started = asyncio.get_running_loop().time()
    try:
        await run(src, live, live.token("ingest"), tmp_path / "mail.json", polls=1)
    finally:
        timer.cancel()
    assert asyncio.get_running_loop().time() - started < 5  # woken by the server, not by the 10 s timeout
    assert [q["external_id"] for q in questions(live, show["id"])] == ["cp1251-qp-1@mail.kz"]


async def test_server_unreachable_is_retried_not_fatal(live: LiveServer, tmp_path: Path) -> None:
    src = ImapSource("127.0.0.1", 1, "u", "p", tls=False, interval=0.1, idle=0)
    async with httpx.AsyncClient() as client:
        w = worker(src, live, live.token("ingest"), tmp_path / "mail.json", client, Sleeps())
        assert await w.run(max_polls=2) == 0
    assert w.stats.errors == 2 and "IMAP" in (w.stats.last_error or "")
