"""WhatsApp and Instagram webhooks: handshake, signature over the raw bytes, batches, statuses, edits."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from ingest.signature import sign
from server.settings import Settings
from server.store.base import QuestionFilter

from .conftest import LiveServer, free_port
from .webhook_payloads import (
    IG_CHANGES,
    IG_FLAT,
    STATUS_PAYLOAD,
    WA_EDIT,
    WA_OTHER_TYPES,
    WA_REVOKE,
    meta_bytes,
    wa_change,
    wa_message,
    wa_payload,
    withdrawals,
)

SECRET = "app-secret-Ж-not-the-verify-token"
VERIFY = "verify-me-42"


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        db=db_url,
        port=free_port(),
        whatsapp_app_secret=SECRET,
        whatsapp_verify_token=VERIFY,
    )


def post(live: LiveServer, body: bytes, signature: str | None = None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return httpx.post(f"{live.url}/webhooks/whatsapp", content=body, headers=headers)


def questions(live: LiveServer, show_id: int | None = None) -> list[dict[str, Any]]:
    return live.call(live.efir.store.list_questions(show_id, QuestionFilter(limit=1000)))


def test_handshake_echoes_the_challenge_verbatim_and_refuses_a_wrong_token(live: LiveServer) -> None:
    params = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": VERIFY}
    r = httpx.get(f"{live.url}/webhooks/whatsapp", params=params)
    assert r.status_code == 200 and r.text == "1158201444"
    r = httpx.get(f"{live.url}/webhooks/whatsapp", params={**params, "hub.verify_token": "guess"})
    assert r.status_code == 403 and "1158201444" not in r.text


def test_escaped_unicode_body_is_accepted_and_a_reserialised_one_is_rejected(live: LiveServer) -> None:
    show = live.show()
    text = "Сәлеметсіз бе! Қашан жол жөнделеді? 😮 Когда починят дорогу?"
    payload = wa_payload(wa_change([wa_message(1, text)]))
    wire = meta_bytes(payload)
    assert b"\\u04d9" in wire and b"\\ud83d\\ude2e" in wire  # Kazakh ә and the emoji as Meta escapes them
    header = sign(SECRET, wire)

    reserialised = json.dumps(payload, ensure_ascii=False).encode()
    assert post(live, reserialised, header).status_code == 403
    assert post(live, wire.replace(b"\\u04d9", b"\\u04D9"), header).status_code == 403  # uppercase hex
    assert post(live, wire, sign("the-verify-token-is-not-the-key", wire)).status_code == 403
    assert post(live, wire).status_code == 401
    assert questions(live, show["id"]) == []

    r = post(live, wire, header)
    assert r.status_code == 200, r.text
    stored = questions(live, show["id"])
    assert [q["text_original"] for q in stored] == [text]
    assert stored[0]["external_id"] == "wamid.TEST1"
    assert stored[0]["author"]["name"] == "Айгерим" and stored[0]["author"]["contact"] == "+77011234567"


def test_three_entries_of_two_messages_store_six_and_a_redelivery_stores_none(live: LiveServer) -> None:
    show = live.show()
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": f"WABA{e}",
                "changes": [
                    wa_change([wa_message(e * 10 + k, f"Вопрос {e}-{k}: где автобус №{k}?") for k in (1, 2)])
                ],
            }
            for e in range(3)
        ],
    }
    wire = meta_bytes(payload)
    first = post(live, wire, sign(SECRET, wire))
    assert first.status_code == 200 and first.json()["accepted"] == 6
    assert len(questions(live, show["id"])) == 6
    again = post(live, wire, sign(SECRET, wire))
    assert again.status_code == 200 and again.json() == {
        "ok": True,
        "accepted": 0,
        "duplicates": 6,
        "withdrawn": 0,
        "ignored": 0,
        "commands": 0,
        "dead_letters": 0,
    }
    assert len(questions(live, show["id"])) == 6


def test_statuses_are_acknowledged_and_store_nothing(live: LiveServer) -> None:
    show = live.show()
    wire = meta_bytes(STATUS_PAYLOAD)
    r = post(live, wire, sign(SECRET, wire))
    assert r.status_code == 200 and r.json()["accepted"] == 0
    assert questions(live, show["id"]) == []


def test_media_without_caption_is_flagged_for_the_moderator_not_dropped(live: LiveServer) -> None:
    show = live.show()
    wire = meta_bytes(wa_payload(wa_change(WA_OTHER_TYPES)))
    assert post(live, wire, sign(SECRET, wire)).status_code == 200
    by_id = {q["external_id"]: q for q in questions(live, show["id"])}
    assert set(by_id) == {
        "wamid.IMG1",
        "wamid.VOICE1",
        "wamid.BTN1",
    }  # the reaction and the unsupported type (nothing a moderator could read or open) are no questions
    assert by_id["wamid.IMG1"]["text_original"] == "Вопрос к гостю — на фото"
    voice = by_id["wamid.VOICE1"]
    assert voice["text_original"] == "" and voice["media"]["kind"] == "voice"
    assert voice["media"]["id"] == "1234567890987654321" and "media" in voice["flags"]


def test_edit_replaces_and_revoke_withdraws_the_original(live: LiveServer) -> None:
    show = live.show()
    original = wa_message(0, "Первый вариант вопроса", id="wamid.ORIG")
    for body in ([original], [WA_EDIT], [WA_REVOKE]):
        wire = meta_bytes(wa_payload(wa_change(body)))
        assert post(live, wire, sign(SECRET, wire)).status_code == 200
    texts = {q["external_id"]: q["text_original"] for q in questions(live, show["id"])}
    assert texts == {"wamid.ORIG": "Первый вариант вопроса", "wamid.EDIT1": "Исправленный вопрос"}
    events = withdrawals(live)
    assert [(e["external_id"], e["reason"]) for e in events] == [
        ("wamid.ORIG", "edited"),
        ("wamid.ORIG", "revoked"),
    ]


@pytest.mark.parametrize("payload", [IG_CHANGES, IG_FLAT], ids=["changes", "flat"])
def test_instagram_live_comments_in_both_shapes(live: LiveServer, payload: dict[str, Any]) -> None:
    show = live.show()
    wire = meta_bytes(payload)
    assert post(live, wire, sign(SECRET, wire)).status_code == 200
    [q] = questions(live, show["id"])
    assert q["channel"] == "instagram"
    assert q["external_id"] == payload["entry"][0].get("changes", [payload["entry"][0]])[0]["value"]["id"]
    assert q["author"]["handle"].startswith("@")


def test_malformed_json_with_a_valid_signature_is_kept_as_a_dead_letter(live: LiveServer) -> None:
    wire = b'{"object": "whatsapp_business_account", "entry": ['
    r = post(live, wire, sign(SECRET, wire))
    # answered 200 so Meta stops re-sending it; nothing is lost: the bytes wait for a fix as a dead letter
    assert r.status_code == 200 and r.json()["dead_letters"] == 1 and r.json()["accepted"] == 0
    [(channel, raw, reason)] = live.sql("SELECT channel, raw, reason FROM dead_letters")
    assert channel == "whatsapp" and raw == wire.decode() and reason.startswith("malformed JSON")
