"""The pure adapters: platform payloads in, `schemas.Message` lists (and withdrawals) out."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ingest import facebook, instagram, sms, telegram, web, whatsapp, youtube
from ingest.phone import normalise_phone
from ingest.signature import same_secret, sign, valid

from .standins.graph import comment
from .standins.youtube import super_chat, text_item
from .webhook_payloads import (
    IG_CHANGES,
    STATUS_PAYLOAD,
    WA_EDIT,
    WA_REVOKE,
    wa_change,
    wa_message,
    wa_payload,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("77011234567", "+77011234567"),
        ("+7 (701) 123-45-67", "+77011234567"),
        ("87011234567", "+77011234567"),
        ("7011234567", "+77011234567"),
        ("US.13491208655302741918", None),
        ("aigerim@mail.kz", None),
        ("12", None),
    ],
)
def test_phone_numbers_are_normalised_the_same_on_every_channel(raw: str, expected: str | None) -> None:
    assert normalise_phone(raw) == expected


def test_signature_is_over_exact_bytes_and_needs_a_secret() -> None:
    body = b'{"text":"\\u049b"}'
    assert valid("k", body, sign("k", body)) and valid(
        "k", body, sign("k", body).upper().replace("SHA", "sha")
    )
    assert not valid("k", '{"text":"қ"}'.encode(), sign("k", body))
    assert not valid("", body, sign("", body))  # an unset secret never validates anything
    assert same_secret("abc", "abc") and not same_secret("abc", None) and not same_secret("", "")


def test_whatsapp_reads_every_level_and_sorts_by_timestamp() -> None:
    late, early = wa_message(2, "второй"), wa_message(1, "первый")
    batch = whatsapp.parse(wa_payload(wa_change([late]), wa_change([early]), entries=2))
    assert [m.external_id for m in batch.messages] == [
        "wamid.TEST1",
        "wamid.TEST1",
        "wamid.TEST2",
        "wamid.TEST2",
    ]
    assert batch.messages[0].sent_at is not None and batch.messages[0].sent_at.timestamp() == 1749416384


def test_whatsapp_statuses_edits_revokes_and_removed_reactions() -> None:
    assert not whatsapp.parse(STATUS_PAYLOAD)
    unreacted = {
        "from": "77011234567",
        "id": "wamid.R2",
        "timestamp": "1",
        "type": "reaction",
        "reaction": {"message_id": "wamid.BIZ"},
    }
    batch = whatsapp.parse(wa_payload(wa_change([WA_EDIT, WA_REVOKE, unreacted])))
    assert [(m.external_id, m.text) for m in batch.messages] == [("wamid.EDIT1", "Исправленный вопрос")]
    assert [(w.external_id, w.reason) for w in batch.withdrawals] == [
        ("wamid.ORIG", "edited"),
        ("wamid.ORIG", "revoked"),
    ]


def test_whatsapp_list_reply_and_interactive_without_body() -> None:
    listed = {
        "from": "77011234567",
        "id": "wamid.L1",
        "timestamp": "2",
        "type": "interactive",
        "interactive": {"type": "list_reply", "list_reply": {"id": "roads", "title": "Дороги"}},
    }
    broken = {"from": "77011234567", "id": "wamid.I2", "timestamp": "3", "type": "interactive"}
    batch = whatsapp.parse(wa_payload(wa_change([listed, broken])))
    assert [(m.text, m.media and m.media.kind) for m in batch.messages] == [("Дороги", None)]
    assert batch.ignored == 1  # an interactive message with no reply in it makes no blank card


def test_whatsapp_bsuid_without_phone_is_a_handle_not_a_contact() -> None:
    change = wa_change([wa_message(1, "Вопрос", sender="US.13491208655302741918")], wa_id="")
    change["value"]["contacts"] = [{"profile": {"name": "Dana"}, "user_id": "US.13491208655302741918"}]
    [m] = whatsapp.parse(wa_payload(change)).messages
    assert (
        m.author.contact is None and m.author.handle == "US.13491208655302741918" and m.author.name == "Dana"
    )


def test_instagram_ignores_other_objects_and_fields() -> None:
    assert not instagram.parse({"object": "page", "entry": []})
    other = {
        **IG_CHANGES,
        "entry": [{**IG_CHANGES["entry"][0], "changes": [{"field": "mentions", "value": {}}]}],
    }
    assert not instagram.parse(other)


def _tg(message: dict[str, Any], key: str = "message") -> dict[str, Any]:
    base = {"message_id": 5, "chat": {"id": -100500, "type": "supergroup"}, "date": 1717000000}
    return {"update_id": 1, key: {**base, **message}}


def test_telegram_captions_channel_posts_bots_and_scheduled_ids() -> None:
    photo = _tg(
        {
            "from": {"id": 1, "is_bot": False, "first_name": "Ерлан", "last_name": "Б."},
            "photo": [{"file_id": "small"}, {"file_id": "big"}],
            "caption": "Вопрос на фото",
        }
    )
    [m] = telegram.parse_update(photo).messages
    assert (m.text, m.media and m.media.id, m.author.name) == ("Вопрос на фото", "big", "Ерлан Б.")
    post = _tg(
        {"sender_chat": {"id": -100500, "title": "Шоу", "type": "channel"}, "text": "Эфир начался"},
        "channel_post",
    )
    assert telegram.parse_update(post).messages[0].author.name == "Шоу"
    assert not telegram.parse_update(_tg({"from": {"id": 2, "is_bot": True}, "text": "бот"}))
    assert not telegram.parse_update(_tg({"message_id": 0, "text": "scheduled"}))


def test_telegram_deleted_business_messages_are_withdrawn() -> None:
    update = {
        "update_id": 3,
        "deleted_business_messages": {
            "business_connection_id": "b",
            "chat": {"id": 42},
            "message_ids": [7, 8],
        },
    }
    assert [w.external_id for w in telegram.parse_update(update).withdrawals] == ["42:7", "42:8"]


def test_youtube_uses_the_user_comment_and_skips_empty_paid_events() -> None:
    silent = super_chat(3, "")
    batch = youtube.parse(
        {
            "items": [
                text_item(1, "Вопрос"),
                super_chat(2, "Вопрос гостю"),
                silent,
                {"id": "x", "snippet": {"type": "newSponsorEvent"}},
            ]
        }
    )
    assert [m.text for m in batch.messages] == ["Вопрос", "Вопрос гостю"]
    assert youtube.error_reason({"error": {"errors": [{"reason": "quotaExceeded"}]}}) == "quotaExceeded"
    assert youtube.error_reason({"oops": 1}) is None


def test_facebook_timestamps_without_colon_and_missing_from() -> None:
    [m] = facebook.parse({"data": [comment(7, "Вопрос", name=None)]}).messages
    assert m.author.name is None and m.sent_at is not None and m.sent_at.utcoffset() is not None
    sticker = {
        "id": "1_2",
        "created_time": "2026-05-10T18:48:00+0000",
        "attachment": {"type": "sticker", "target": {"id": "369"}},
    }
    [s] = facebook.parse({"data": [sticker]}).messages
    assert s.text == "" and s.media is not None and s.media.kind == "sticker"


def test_sms_requires_an_id_and_a_sender() -> None:
    batch = sms.parse([{"from": "77011234567", "text": "нет id"}, {"id": "8", "from": "87011234567", "text": "да"}])
    assert [m.external_id for m in batch.messages] == ["8"]  # the bad one does not take the good one down
    [dead] = batch.dead
    assert dead.channel == "sms" and dead.reason == "id is required" and json.loads(dead.raw)["text"] == "нет id"
    [m] = sms.parse(
        {"messages": [{"id": "9", "from": "87011234567", "text": "Вопрос", "sent_at": 1717000000}]}
    ).messages
    assert m.author.contact == "+77011234567" and m.sent_at is not None


def test_web_form_validates_and_keys_on_the_form_token() -> None:
    token = web.new_token()
    m = web.form_message({"question": "Когда починят свет?", "token": token, "phone": "8 701 555 12 34"})
    assert m.external_id == f"web:{token}" and m.author.contact == "+77015551234"
    twice = [web.form_message({"question": "Одинаковый вопрос", "token": "forged"}) for _ in range(2)]
    assert twice[0].external_id == twice[1].external_id  # no valid token: keyed on the content
    for fields, code in (
        ({"question": "ы"}, "question_short"),
        ({"question": "Вопрос", "phone": "12"}, "phone_invalid"),
    ):
        with pytest.raises(web.BadForm, match=code):
            web.form_message(fields)
    assert web.is_bot({"website": "x"}) and not web.is_bot({"website": " "})
