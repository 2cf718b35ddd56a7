"""Platform payloads exactly as CHANNELS.md records them, for the webhook and adapter tests."""

from __future__ import annotations

import json
from typing import Any

WABA = "whatsapp_business_account"


def wa_message(i: int, text: str, sender: str = "77011234567", **over: Any) -> dict[str, Any]:
    return {
        "from": sender,
        "id": f"wamid.TEST{i}",
        "timestamp": str(1749416383 + i),
        "type": "text",
        "text": {"body": text},
        **over,
    }


def wa_change(
    messages: list[dict[str, Any]], name: str = "Айгерим", wa_id: str = "77011234567"
) -> dict[str, Any]:
    return {
        "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "77270000000", "phone_number_id": "106540352242922"},
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
            "messages": messages,
        },
        "field": "messages",
    }


def wa_payload(*changes: dict[str, Any], entries: int = 1) -> dict[str, Any]:
    return {
        "object": WABA,
        "entry": [{"id": f"10229012934039{e}", "changes": list(changes)} for e in range(entries)],
    }


def meta_bytes(payload: dict[str, Any]) -> bytes:
    """What Meta puts on the wire: non-ASCII as lowercase `\\uXXXX` escapes (CHANNELS.md §1.5)."""
    return json.dumps(payload, ensure_ascii=True).encode()


STATUS_PAYLOAD = {
    "object": WABA,
    "entry": [
        {
            "id": "5467539754836534",
            "changes": [
                {
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "972123456789",
                            "phone_number_id": "1122334455667",
                        },
                        "statuses": [
                            {
                                "id": "wamid.xyzxyz",
                                "status": "sent",
                                "timestamp": "1698266945",
                                "recipient_id": "972987654321",
                                "conversation": {
                                    "id": "7270432eae37498234f4444b35ffc5",
                                    "expiration_timestamp": "1698339900",
                                    "origin": {"type": "service"},
                                },
                                "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"},
                            }
                        ],
                    },
                    "field": "messages",
                }
            ],
        }
    ],
}

WA_OTHER_TYPES: list[dict[str, Any]] = [
    {
        "from": "77011234567",
        "id": "wamid.IMG1",
        "timestamp": "1697043379",
        "type": "image",
        "image": {
            "caption": "Вопрос к гостю — на фото",
            "mime_type": "image/jpeg",
            "sha256": "4654+8g=",
            "id": "65463453",
        },
    },
    {
        "from": "77011234567",
        "id": "wamid.VOICE1",
        "timestamp": "1697043473",
        "type": "audio",
        "audio": {
            "mime_type": "audio/ogg; codecs=opus",
            "sha256": "m04pFf2ERdaopTyFkGPA0+bX3i+YY2dYgVFwOgDLSDI=",
            "id": "1234567890987654321",
            "voice": True,
        },
    },
    {
        "context": {"from": "77270000000", "id": "wamid.BIZMSG"},
        "from": "77011234567",
        "id": "wamid.BTN1",
        "timestamp": "1698269027",
        "type": "button",
        "button": {"payload": "ask_question", "text": "Задать вопрос"},
    },
    {
        "from": "77011234567",
        "id": "wamid.REACT1",
        "timestamp": "1697044456",
        "type": "reaction",
        "reaction": {"message_id": "wamid.BIZMSG", "emoji": "\ud83d\ude2e"},
    },
    {
        "from": "77011234567",
        "id": "wamid.UNSUP1",
        "timestamp": "1697044706",
        "type": "unsupported",
        "errors": [
            {
                "code": 131051,
                "title": "Message type unknown",
                "message": "Message type unknown",
                "error_data": {"details": "Message type is currently not supported."},
            }
        ],
    },
]

WA_EDIT = {
    "from": "77011234567",
    "id": "wamid.EDIT1",
    "timestamp": "1697044968",
    "type": "edit",
    "edit": {
        "original_message_id": "wamid.ORIG",
        "message": {"type": "text", "text": {"body": "Исправленный вопрос"}},
    },
}
WA_REVOKE = {
    "from": "77011234567",
    "id": "wamid.REV1",
    "timestamp": "1697043223",
    "type": "revoke",
    "revoke": {"original_message_id": "wamid.ORIG"},
}

IG_CHANGES = {
    "object": "instagram",
    "entry": [
        {
            "id": "17841474524784050",
            "time": 1755779280,
            "changes": [
                {
                    "field": "live_comments",
                    "value": {
                        "from": {"id": "2105722729836161", "username": "viewer_kz"},
                        "media": {"id": "18172143295349192", "media_product_type": "LIVE"},
                        "id": "17919697626119712",
                        "text": "Сұрақ: келесі эфир қашан?",
                    },
                }
            ],
        }
    ],
}
IG_FLAT = {
    "object": "instagram",
    "entry": [
        {
            "id": "17841474524784050",
            "time": 1755779290,
            "field": "live_comments",
            "value": {
                "from": {"id": "2105722729836162", "username": "almaty_resident"},
                "media": {"id": "18172143295349192"},
                "id": "17919697626119713",
                "text": "Вопрос: когда откроют дорогу?",
            },
        }
    ],
}

TG_WEBHOOK_UPDATE = (
    '{"update_id":123456793,"message":{"message_id":4712,"from":{"id":111222333,"is_bot":false,'
    '"first_name":"Айгерим"},"chat":{"id":111222333,"first_name":"Айгерим","type":"private"},'
    '"date":1717000200,"text":"Привет! Вопрос в эфир"}}'
).encode()


def withdrawals(live: Any) -> list[dict[str, Any]]:
    """The questions the server withdrew (`withdrawn` events), oldest first."""
    rows = live.sql("SELECT q.channel, q.external_id, e.payload, q.flags FROM events e "
                    "JOIN questions q ON q.id = e.question_id WHERE e.kind = 'withdrawn' ORDER BY e.seq")
    return [{"channel": channel, "external_id": external_id, "flags": flags.split(","),
             "reason": json.loads(payload)["action"].removeprefix("withdraw:")}
            for channel, external_id, payload, flags in rows]
