"""Telegram webhook (secret header) and the SMS gateway webhook (HMAC over the raw body)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from ingest.signature import sign
from server.settings import Settings
from server.store.base import QuestionFilter

from .conftest import LiveServer, free_port
from .webhook_payloads import TG_WEBHOOK_UPDATE

TG_SECRET = "s3cr3t_Token-1"
SMS_SECRET = "sms-gateway-key"


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        db=db_url,
        port=free_port(),
        telegram_webhook_secret=TG_SECRET,
        sms_secret=SMS_SECRET,
    )


def questions(live: LiveServer, show_id: int) -> list[dict[str, Any]]:
    return live.call(live.efir.store.list_questions(show_id, QuestionFilter(limit=1000)))


def tg(live: LiveServer, body: bytes, secret: str | None = TG_SECRET) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return httpx.post(f"{live.url}/webhooks/telegram", content=body, headers=headers)


def test_telegram_update_is_stored_once_under_chat_and_message_id(live: LiveServer) -> None:
    show = live.show()
    assert tg(live, TG_WEBHOOK_UPDATE).status_code == 200
    assert tg(live, TG_WEBHOOK_UPDATE).json()["duplicates"] == 1  # Telegram retried: still one question
    [q] = questions(live, show["id"])
    assert q["external_id"] == "111222333:4712" and q["text_original"] == "Привет! Вопрос в эфир"
    assert q["author"]["name"] == "Айгерим"


@pytest.mark.parametrize("secret", [None, "wrong", TG_SECRET + "x"])
def test_telegram_wrong_or_missing_secret_is_403_and_stores_nothing(
    live: LiveServer, secret: str | None
) -> None:
    show = live.show()
    assert tg(live, TG_WEBHOOK_UPDATE, secret).status_code == 403
    assert questions(live, show["id"]) == []


def test_telegram_voice_note_becomes_a_flagged_question(live: LiveServer) -> None:
    show = live.show()
    update = {
        "update_id": 9,
        "message": {
            "message_id": 77,
            "from": {"id": 5, "is_bot": False, "first_name": "Ерлан"},
            "chat": {"id": 5, "type": "private"},
            "date": 1717000300,
            "voice": {
                "file_id": "AwACAgIAAxkBAAIB",
                "file_unique_id": "u",
                "duration": 4,
                "mime_type": "audio/ogg",
            },
        },
    }
    assert tg(live, json.dumps(update).encode()).status_code == 200
    [q] = questions(live, show["id"])
    assert q["text_original"] == "" and q["media"]["kind"] == "voice" and "media" in q["flags"]


def test_telegram_non_update_body_is_kept_as_a_dead_letter(live: LiveServer) -> None:
    r = tg(live, b'[{"update_id": 1}]')  # a non-2xx would hold back every later update behind this one
    assert r.status_code == 200 and r.json()["dead_letters"] == 1
    assert live.sql("SELECT channel, reason FROM dead_letters") == [("telegram", "expected one Telegram Update object")]


def sms(
    live: LiveServer, body: bytes, content_type: str = "application/json", signature: str | None = "auto"
) -> httpx.Response:
    headers = {"Content-Type": content_type}
    if signature is not None:
        headers["X-Signature"] = sign(SMS_SECRET, body) if signature == "auto" else signature
    return httpx.post(f"{live.url}/webhooks/sms", content=body, headers=headers)


def test_sms_json_and_form_are_stored_with_the_phone_normalised(live: LiveServer) -> None:
    show = live.show()
    body = json.dumps(
        {"id": "gw-1001", "from": "8 701 123 45 67", "text": "Когда дадут горячую воду в Аксай-4?"},
        ensure_ascii=False,
    ).encode()
    assert sms(live, body).status_code == 200
    form = urlencode({"id": "gw-1002", "from": "+77017654321", "text": "Қашан жарық береді?"}).encode()
    assert sms(live, form, "application/x-www-form-urlencoded").status_code == 200
    assert sms(live, body).json()["duplicates"] == 1
    stored = {q["external_id"]: q for q in questions(live, show["id"])}
    assert stored["gw-1001"]["author"]["contact"] == "+77011234567"
    assert stored["gw-1002"]["text_original"] == "Қашан жарық береді?"


def test_sms_forged_signature_is_rejected_and_nothing_partial_is_stored(live: LiveServer) -> None:
    show = live.show()
    body = json.dumps([{"id": "a", "from": "77011234567", "text": "x"}]).encode()
    assert sms(live, body, signature=sign("other-key", body)).status_code == 403
    assert sms(live, body, signature=None).status_code == 401
    assert questions(live, show["id"]) == []
    bad = json.dumps(
        [{"id": "b", "from": "77011234567", "text": "ok"}, {"from": "7701", "text": "no id"}]
    ).encode()
    r = sms(live, bad)  # the SMS without an id is kept aside; the good one is delivered
    assert r.status_code == 200 and r.json()["accepted"] == 1 and r.json()["dead_letters"] == 1
    assert [q["external_id"] for q in questions(live, show["id"])] == ["b"]
    assert live.sql("SELECT channel, reason FROM dead_letters") == [("sms", "id is required")]


def test_sms_replayed_outside_its_timestamp_window_is_refused(live: LiveServer) -> None:
    import time

    show = live.show()
    body = json.dumps({"id": "gw-77", "from": "87011234567", "text": "Когда починят лифт?"},
                      ensure_ascii=False).encode()

    def send(stamp: int, signed_stamp: int | None = None) -> httpx.Response:
        signed = f"{signed_stamp if signed_stamp is not None else stamp}".encode() + b"." + body
        return httpx.post(f"{live.url}/webhooks/sms", content=body, headers={
            "content-type": "application/json", "X-Timestamp": str(stamp), "X-Signature": sign(SMS_SECRET, signed)})

    now = int(time.time())
    replay = send(now - 3600)  # a delivery captured an hour ago, signature and all
    assert replay.status_code == 403 and replay.json()["error"]["code"] == "stale"
    moved = send(now, signed_stamp=now - 3600)  # the old signature with a fresh timestamp
    assert moved.status_code == 403 and moved.json()["error"]["code"] == "bad_signature"
    assert questions(live, show["id"]) == []
    assert send(now).status_code == 200
    assert [q["external_id"] for q in questions(live, show["id"])] == ["gw-77"]
