"""Quarantine, never stall: a message no channel can read is kept raw as a dead letter with its reason,
the messages around it are delivered, the channel's cursor moves past it (also across restarts), and
admins and producers list, inspect and retry it. The e-mail worker runs against a real Dovecot."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest.batch import Batch
from ingest.delivery import Delivery
from ingest.sources.imap import ImapSource
from schemas import Message
from server.settings import Settings
from tests.conftest import LiveServer, free_port, run_server
from tests.worker_kit import Sleeps, questions, worker

from . import dovecot
from .webhook_payloads import meta_bytes, wa_change, wa_message, wa_payload

SECRET = "dead-letter-app-secret"
PHONE = "+7 701 555 12 34"


def mail(n: int, body: str, *, sender: bytes = b"Aigerim <aigerim@mail.kz>") -> bytes:
    return (b"From: " + sender + b"\r\nTo: efir@akimat.example\r\nSubject: =?utf-8?B?"
            + base64.b64encode("Вопрос".encode()) + b"?=\r\nDate: Tue, 10 Nov 2026 19:5" + str(n).encode()
            + b":00 +0500\r\nMessage-ID: <dl-" + str(n).encode() + b"@mail.kz>\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + body.encode() + b"\r\n")


GOOD_1 = mail(1, "Когда починят дорогу на Жандосова?")
# not an e-mail at all: no header block (a broken relay's output), and a phone number in it
POISON = f"Сұрақ бар еді, хабарласыңыз {PHONE}\r\nжауап күтемін\r\n".encode()
GOOD_2 = mail(3, "Қашан жарық береді Алатау ауданында?")
# raw 8-bit UTF-8 in From:, which once failed to build a message at all (real mail does this)
EIGHT_BIT_FROM = mail(4, "Нет горячей воды в Орбите", sender="Әсем Жұмабаева".encode() + b" <asem@mail.kz>")


@pytest.fixture(scope="module")
def imap() -> Iterator[dovecot.Imap]:
    if not dovecot.available() and not os.environ.get("CI"):
        pytest.skip("needs Debian's dovecot-imapd (scripts/system-packages.txt)")
    with dovecot.running() as server:
        yield server


@pytest.fixture
def folder(imap: dovecot.Imap, request: pytest.FixtureRequest) -> str:
    name = "D" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:12]
    with imap.client() as conn:
        assert conn.create(name)[0] == "OK"
    return name


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db=db_url, port=free_port(), whatsapp_app_secret=SECRET)


async def run_mail(imap: dovecot.Imap, folder: str, live: LiveServer, token: str, state: Path) -> Any:
    src = ImapSource(imap.host, imap.port, imap.user, imap.password, mailbox=folder, tls=False, interval=0.1,
                     idle=0)
    async with httpx.AsyncClient() as client:
        w = worker(src, live, token, state, client, Sleeps())
        try:
            assert await w.run(max_polls=1) == 0
        finally:
            await src.aclose()
    return w


def dead_letters(live: LiveServer, **params: Any) -> list[dict[str, Any]]:
    r = live.login("dl-producer", "producer").get("/api/dead-letters", params=params)
    assert r.status_code == 200, r.text
    return list(r.json())


async def test_a_poison_mail_between_two_good_ones(live: LiveServer, imap: dovecot.Imap, folder: str,
                                                   tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    show = live.show()
    token, state = live.token("ingest"), tmp_path / "mail.json"
    imap.append(GOOD_1, POISON, GOOD_2, mailbox=folder)
    caplog.set_level(logging.INFO)
    w = await run_mail(imap, folder, live, token, state)
    assert (w.stats.accepted, w.stats.dead, w.stats.errors) == (2, 1, 0)
    assert sorted(q["external_id"] for q in questions(live, show["id"])) == ["dl-1@mail.kz", "dl-3@mail.kz"]
    assert json.loads(state.read_text())["cursor"]["uid"] == 3  # past all three, the poison included
    [letter] = dead_letters(live, state="open")
    assert (letter["channel"], letter["reason"], letter["seen"]) == ("email", "not an e-mail: no header lines", 1)
    assert letter["size"] == len(POISON)
    assert "dead letter" in caplog.text and "on email" in caplog.text  # logged by id, channel and reason …
    assert PHONE not in caplog.text and "555 12 34" not in caplog.text  # … never with the viewer's number

    # a restart resumes after the poison: nothing read twice, nothing stored twice
    w = await run_mail(imap, folder, live, token, state)
    assert (w.stats.accepted, w.stats.duplicates, w.stats.dead) == (0, 0, 0)
    imap.append(GOOD_1.replace(b"dl-1@", b"dl-5@"), mailbox=folder)
    w = await run_mail(imap, folder, live, token, state)
    assert w.stats.accepted == 1 and json.loads(state.read_text())["cursor"]["uid"] == 4

    # a restart with the cursor cleared reads the mailbox again: duplicates, and the same single dead letter
    state.unlink()
    w = await run_mail(imap, folder, live, token, state)
    assert (w.stats.accepted, w.stats.duplicates, w.stats.dead) == (0, 3, 1)
    [letter] = dead_letters(live)
    assert letter["seen"] == 2 and len(questions(live, show["id"])) == 3


async def test_mail_with_raw_8bit_headers_is_read_not_stalled(live: LiveServer, imap: dovecot.Imap, folder: str,
                                                              tmp_path: Path) -> None:
    show = live.show()
    imap.append(EIGHT_BIT_FROM, GOOD_2, mailbox=folder)
    w = await run_mail(imap, folder, live, live.token("ingest"), tmp_path / "mail.json")
    assert (w.stats.accepted, w.stats.dead) == (2, 0)
    stored = {q["external_id"]: q for q in questions(live, show["id"])}
    assert stored["dl-4@mail.kz"]["author"]["name"] == "Әсем Жұмабаева"
    assert stored["dl-4@mail.kz"]["text_original"] == "Нет горячей воды в Орбите"


def test_a_webhook_batch_with_one_bad_message_delivers_the_rest(live: LiveServer) -> None:
    show = live.show()
    bad = wa_message(2, f"позвоните {PHONE}", id="wamid." + "x" * 600)  # an id no store can key on
    wire = meta_bytes(wa_payload(wa_change([wa_message(1, "Где автобус 92?"), bad, wa_message(3, "Когда свет?")])))
    r = httpx.post(f"{live.url}/webhooks/whatsapp", content=wire, headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": _sign(wire)})
    assert r.status_code == 200 and (r.json()["accepted"], r.json()["dead_letters"]) == (2, 1)
    assert sorted(q["external_id"] for q in questions(live, show["id"])) == ["wamid.TEST1", "wamid.TEST3"]
    [letter] = dead_letters(live)
    assert letter["channel"] == "whatsapp" and letter["reason"].startswith("invalid Message: external_id")
    assert PHONE not in letter["reason"]
    producer = live.login("dl-producer", "producer")
    shown = producer.get(f"/api/dead-letters/{letter['id']}").json()
    assert shown["raw_encoding"] == "utf-8" and json.loads(shown["raw"])["messages"][0]["id"] == bad["id"]
    # still unreadable after a retry: a clear 422, counted, still open
    r = producer.post(f"/api/dead-letters/{letter['id']}/retry")
    assert r.status_code == 422 and r.json()["error"]["code"] == "still_unreadable"
    assert dead_letters(live)[0]["attempts"] == 1 and dead_letters(live)[0]["state"] == "open"
    metrics = httpx.get(f"{live.url}/metrics").text
    assert 'efir_dead_letters_total{channel="whatsapp"} 1.0' in metrics
    assert 'efir_dead_letters_open{channel="whatsapp"} 1.0' in metrics


def test_a_dead_letter_is_retried_after_a_fix(live: LiveServer) -> None:
    """What an older version could not read (kept by its worker) is read again by today's adapters."""
    show = live.show()
    update = {"update_id": 7, "message": {"message_id": 70, "date": 1717000000, "text": "Когда откроют мост?",
                                          "from": {"id": 5, "is_bot": False, "first_name": "Ерлан"},
                                          "chat": {"id": -100777, "type": "supergroup"}}}
    raw = json.dumps(update).encode()
    token = live.token("ingest")
    sent = httpx.post(f"{live.url}/api/ingest/dead-letters", headers={"Authorization": f"Bearer {token}"}, json={
        "dead_letters": [{"channel": "telegram", "reason": "KeyError", "raw": base64.b64encode(raw).decode()}]})
    assert sent.status_code == 200 and sent.json() == {"stored": 1, "new": 1}
    [letter] = dead_letters(live, state="open")
    producer = live.login("dl-producer", "producer")
    r = producer.post(f"/api/dead-letters/{letter['id']}/retry")
    assert r.status_code == 200 and r.json()["state"] == "retried" and r.json()["outcome"]["accepted"] == 1
    [q] = questions(live, show["id"])
    assert (q["external_id"], q["text_original"]) == ("-100777:70", "Когда откроют мост?")
    assert producer.post(f"/api/dead-letters/{letter['id']}/retry").json()["outcome"]["duplicates"] == 1
    assert dead_letters(live, state="open") == []
    assert live.login("dl-mod", "moderator").get("/api/dead-letters").status_code == 403


def test_retention_purges_dead_letters(live: LiveServer) -> None:
    wire = b"not json at all " + PHONE.encode()
    httpx.post(f"{live.url}/webhooks/whatsapp", content=wire, headers={"X-Hub-Signature-256": _sign(wire)})
    assert len(dead_letters(live)) == 1
    report = live.call(live.efir.store.purge("2000-01-01T00:00:00+00:00", False, "test"))
    assert report.dead_letters == 0 and len(dead_letters(live)) == 1  # not old enough
    report = live.call(live.efir.store.purge("2999-01-01T00:00:00+00:00", False, "test"))
    assert report.dead_letters == 1 and dead_letters(live) == []


async def test_messages_the_server_refuses_become_dead_letters_and_the_rest_is_delivered(
        live: LiveServer) -> None:
    """A worker's chunk the server refuses is sent again one message at a time."""
    show = live.show()
    good = [Message(channel="youtube", external_id=f"yt-{i}", text=f"Вопрос {i} про дороги") for i in (1, 3)]
    refused = Message.model_construct(channel="youtube", external_id="yt-2", text="x" * 9000, author=None,
                                      sent_at=None, media=None)  # longer than any question may be
    batch = Batch()
    for m in (good[0], refused, good[1]):
        batch.messages.append(m)
        batch.raw.append(None)
    async with httpx.AsyncClient() as client:
        delivery = Delivery(live.url, live.token("ingest"), client, base_wait=0.01)
        assert await delivery.deliver(batch) == (2, 0)
    assert sorted(q["external_id"] for q in questions(live, show["id"])) == ["yt-1", "yt-3"]
    [letter] = dead_letters(live)
    assert letter["channel"] == "youtube" and letter["reason"].startswith("refused by the server: invalid")


def _sign(body: bytes) -> str:
    import hmac

    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    yield from run_server(settings)
