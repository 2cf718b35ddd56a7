"""Reply-back through the durable outbox, against local stand-ins for the Telegram Bot API and the WhatsApp
Cloud API and a real SMTP server (aiosmtpd on loopback): retried with backoff, never sent twice, every attempt
logged, nothing to opted-out, anonymous or withdrawn viewers, off per show."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from server.settings import Settings
from tests.conftest import LiveServer, free_port, run_server
from tests.standins import Reply, Request, StandIn, dumps
from tests.test_producer_support import act, iso, new_question, seed, sql

BOT = "123456:TEST-token_abc"
PHONE_ID = "109876543210"
FAIL = Reply(500, b'{"ok":false,"error_code":500,"description":"Internal Server Error"}')
BUSY = Reply(429, b'{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1"}')


class Platforms(StandIn):
    """Telegram `sendMessage` and Graph `/{phone-number-id}/messages` on one loopback server."""

    def __init__(self) -> None:
        super().__init__()
        self.delivered: list[tuple[str, dict[str, Any]]] = []

    def handle(self, request: Request) -> Reply:
        body = json.loads(request.body)
        if request.path == f"/bot{BOT}/sendMessage":
            self.delivered.append(("telegram", body))
            return Reply(200, dumps({"ok": True, "result": {"message_id": len(self.delivered),
                                                            "chat": {"id": int(body["chat_id"])}}}))
        if request.path == f"/v21.0/{PHONE_ID}/messages":
            assert request.headers.get("Authorization") == "Bearer wa-token"
            self.delivered.append(("whatsapp", body))
            return Reply(200, dumps({"messaging_product": "whatsapp", "contacts": [{"wa_id": body["to"]}],
                                     "messages": [{"id": f"wamid.{len(self.delivered)}"}]}))
        return Reply(404, b'{"ok":false}')

    def to(self, channel: str, recipient: str) -> list[dict[str, Any]]:
        key = "chat_id" if channel == "telegram" else "to"
        return [b for c, b in self.delivered if c == channel and str(b[key]) == recipient]


@dataclass
class Mailbox:
    messages: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def platforms() -> Iterator[Platforms]:
    standin = Platforms()
    with standin.running():
        yield standin


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture
def reply_settings(db_url: str, platforms: Platforms, mailbox: tuple[Mailbox, int]) -> Settings:
    return Settings(db=db_url, port=free_port(), telegram_bot_token=BOT,
                    telegram_api_base=platforms.url, graph_api_base=platforms.url, whatsapp_token="wa-token",
                    whatsapp_phone_number_id=PHONE_ID, smtp_url=f"smtp://127.0.0.1:{mailbox[1]}?from=efir@akimat.kz",
                    reply_backoff_seconds=0.2, reply_poll_seconds=0.05)


@pytest.fixture
def live(reply_settings: Settings) -> Iterator[LiveServer]:
    yield from run_server(reply_settings)


def until(check: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
    return value


def outbox(live: LiveServer, show_id: int) -> dict[int, dict[str, Any]]:
    return {r["question_id"]: r for r in live.call(live.efir.store.replies(show_id))}


def reply_cursor(live: LiveServer) -> int:
    """How far the outbox has read the event log."""
    read = live.efir.store._read(  # type: ignore[attr-defined]
        lambda c: c.execute("SELECT seq FROM reply_cursor WHERE id = 1").fetchone()[0])
    return int(live.call(read))


def viewer(show_id: int, i: int, channel: str, **kw: Any) -> Any:
    q = new_question(show_id, i, channel=channel, lang=kw.pop("lang", "ru"))
    q.external_id = kw.pop("external_id", q.external_id)
    q.author_contact = kw.pop("contact", None)
    return q


def answer(live: LiveServer, qid: int) -> None:
    prod = live.login("prod", "producer")
    act(prod, qid, "approve")
    act(prod, qid, "on_air")
    act(prod, qid, "answered")


def test_replies_arrive_exactly_once_though_the_platform_fails_twice(live: LiveServer, platforms: Platforms,
                                                                     mailbox: tuple[Mailbox, int]) -> None:
    sid = live.show("Akimat Live — Алатау")["id"]
    tg, wa_kk, wa_old, mail = seed(live, [
        viewer(sid, 1, "telegram", external_id="555001:42"),
        viewer(sid, 2, "whatsapp", contact="+77011234567", lang="kk"),
        viewer(sid, 3, "whatsapp", contact="+77019998877"),
        viewer(sid, 4, "email", contact="viewer@example.kz")])
    # this viewer last wrote 25 hours ago: outside WhatsApp's customer-service window
    sql(live, "UPDATE questions SET received_at = ? WHERE id = ?",
        (iso(datetime.now(UTC) - timedelta(hours=25)), wa_old))
    platforms.errors = [FAIL, BUSY]
    answer(live, tg)
    until(lambda: outbox(live, sid).get(tg, {}).get("state") == "sent", what="the telegram reply")
    assert len(platforms.requests) == 3 and len(platforms.to("telegram", "555001")) == 1
    reply = outbox(live, sid)[tg]
    assert reply["attempts"] == 3 and reply["text"].startswith("Здравствуйте, Зритель!")
    for qid in (wa_kk, wa_old, mail):
        answer(live, qid)
    until(lambda: all(outbox(live, sid).get(q, {}).get("state") == "sent" for q in (wa_kk, wa_old, mail)),
          what="every reply")
    in_window = platforms.to("whatsapp", "77011234567")
    assert len(in_window) == 1 and in_window[0]["type"] == "text"
    assert in_window[0]["text"]["body"].startswith("Сәлеметсіз бе")  # the viewer wrote in Kazakh
    template = platforms.to("whatsapp", "77019998877")
    assert len(template) == 1 and template[0]["type"] == "template"
    assert template[0]["template"]["name"] == "efir_question_answered"
    box = mailbox[0]
    assert [m.rcpt_tos for m in box.messages] == [["viewer@example.kz"]]
    mail_body = message_from_bytes(box.messages[0].original_content or b"", policy=default)
    assert "«Akimat Live — Алатау»" in mail_body.get_body().get_content()  # type: ignore[union-attr]

    # answered again after an undo: the same (question, reply kind) is never sent a second time
    prod = live.login("prod", "producer")
    act(prod, tg, "undo")
    act(prod, tg, "answered")
    latest = live.call(live.efir.store.max_seq())
    until(lambda: reply_cursor(live) >= latest, what="the outbox to read the second answer")
    time.sleep(0.2)
    assert len(platforms.to("telegram", "555001")) == 1 and len(outbox(live, sid)) == 4
    log = prod.get(f"/api/shows/{sid}/timeline?question={tg}&kinds=reply_queued,reply_attempt,reply_retry,"
                   "reply_sent").json()["entries"]
    assert [e["kind"] for e in log] == ["reply_queued", "reply_attempt", "reply_retry", "reply_attempt",
                                        "reply_retry", "reply_attempt", "reply_sent"]


def test_a_restart_mid_retry_sends_once(reply_settings: Settings, platforms: Platforms) -> None:
    reply_settings.reply_backoff_seconds = 1.5
    servers = run_server(reply_settings)
    live = next(servers)
    sid = live.show()["id"]
    tg, other = seed(live, [viewer(sid, 1, "telegram", external_id="555001:42"),
                            viewer(sid, 2, "telegram", external_id="555002:7")])
    platforms.errors = [FAIL]
    answer(live, tg)
    until(lambda: outbox(live, sid).get(tg, {}).get("last_error"), what="the first failure")
    servers.close()  # the server stops while the reply waits for its retry
    # and another reply was caught mid-send: it may have been delivered, so it must never go again
    platforms.errors = []
    restarted = run_server(reply_settings)
    live = next(restarted)
    try:
        answer(live, other)
        until(lambda: outbox(live, sid).get(tg, {}).get("state") == "sent", what="the retried reply")
        until(lambda: outbox(live, sid).get(other, {}).get("state") == "sent", what="the other reply")
        assert len(platforms.to("telegram", "555001")) == 1 and outbox(live, sid)[tg]["attempts"] == 2
    finally:
        restarted.close()


def test_a_reply_caught_mid_send_by_a_restart_is_never_resent(reply_settings: Settings, platforms: Platforms) -> None:
    servers = run_server(reply_settings)
    live = next(servers)
    sid = live.show()["id"]
    (tg,) = seed(live, [viewer(sid, 1, "telegram", external_id="555001:42")])
    live.call(live.efir.store.set_replies_enabled(sid, False, "test"))  # hold it queued …
    answer(live, tg)
    until(lambda: outbox(live, sid).get(tg), what="the queued reply")
    sql(live, "UPDATE outbox SET state = 'sending', attempts = 1 WHERE question_id = ?", (tg,))  # … as if mid-send
    servers.close()
    restarted = run_server(reply_settings)
    live = next(restarted)
    try:
        live.call(live.efir.store.set_replies_enabled(sid, True, "test"))
        until(lambda: outbox(live, sid)[tg]["state"] == "uncertain", what="the uncertain state")
        time.sleep(0.3)
        assert platforms.requests == []
    finally:
        restarted.close()


def test_opted_out_anonymous_withdrawn_and_switched_off_get_nothing(live: LiveServer, platforms: Platforms) -> None:
    prod = live.login("prod", "producer")
    sid = live.show()["id"]
    opted, anonymous, called, withdrawn, resolved = seed(live, [
        viewer(sid, 1, "whatsapp", contact="+77011234567"),
        viewer(sid, 2, "phone"),  # a phone-desk question with no number given
        viewer(sid, 3, "phone", contact="+7 701 555 44 33"),
        viewer(sid, 4, "telegram", external_id="555004:9"),
        viewer(sid, 5, "telegram", external_id="555005:3")])
    assert prod.post("/api/replies/optouts", {"channel": "whatsapp", "address": "+77011234567"}).status_code == 200
    live.call(live.efir.store.withdraw("telegram", "555004:9", "deleted", "test"))
    for qid in (opted, anonymous, called, withdrawn):
        answer(live, qid)
    q = prod.get(f"/api/questions/{resolved}").json()
    act(prod, resolved, "follow_up", assignee="Управление энергетики")
    q = prod.get(f"/api/questions/{resolved}").json()
    prod.patch(f"/api/followups/{resolved}", {"version": q["version"], "resolution": "resolved",
                                              "note": "Свет включили 3 декабря."})
    until(lambda: outbox(live, sid).get(resolved, {}).get("state") == "sent", what="the resolved reply")
    until(lambda: outbox(live, sid).get(called, {}).get("state") == "sent", what="the phone caller's reply")
    rows = outbox(live, sid)
    assert {qid: rows[qid]["last_error"] for qid in (opted, anonymous, withdrawn)} == {
        opted: "opted_out", anonymous: "anonymous", withdrawn: "withdrawn"}
    assert all(rows[qid]["state"] == "skipped" for qid in (opted, anonymous, withdrawn))
    assert platforms.to("whatsapp", "77011234567") == [] and platforms.to("telegram", "555004") == []
    assert platforms.to("whatsapp", "77015554433")[0]["type"] == "template"  # a caller who left a number
    note = platforms.to("telegram", "555005")
    assert len(note) == 1 and "вопрос решён" in note[0]["text"] and "3 декабря" in note[0]["text"]

    off = live.show("Другой эфир")["id"]
    assert prod.put(f"/api/shows/{off}/replies", {"enabled": False}).json() == {"enabled": False}
    (quiet,) = seed(live, [viewer(off, 9, "telegram", external_id="555009:1")])
    answer(live, quiet)
    until(lambda: outbox(live, off).get(quiet), what="the switched-off reply")
    assert outbox(live, off)[quiet]["state"] == "skipped" and outbox(live, off)[quiet]["last_error"] == "replies_off"
    assert platforms.to("telegram", "555009") == []
    assert prod.get(f"/api/shows/{off}/replies").json()["enabled"] is False
    saved = prod.put("/api/replies/templates", {"kind": "answered", "lang": "ru", "text": "Спасибо! «{show}»"})
    assert saved.json()["answered"]["ru"] == "Спасибо! «{show}»"
    assert live.login("mod", "moderator").put(f"/api/shows/{off}/replies", {"enabled": True}).status_code == 403
