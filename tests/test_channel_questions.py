"""What becomes a question, one rule for every channel: text or a caption; a media message as a card of its
kind; a location with a name or address. Service notices, reactions, statuses, dice, stubs and empty messages
never make a card; bot commands are never questions, and `/start` and `/help` are answered once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest import telegram, whatsapp, youtube
from ingest.sources.telegram import TelegramSource
from server.bot import HOW_TO_ASK
from server.settings import Settings
from tests.conftest import LiveServer, free_port, run_server
from tests.standins import Reply, Request, dumps
from tests.standins.telegram import TOKEN, TelegramStandIn
from tests.webhook_payloads import wa_change, wa_payload
from tests.worker_kit import Sleeps, questions, worker

WEBHOOK_SECRET = "tg-webhook-secret"
CHAT = {"id": 4242, "type": "private", "first_name": "Дана"}
USER = {"id": 4242, "is_bot": False, "first_name": "Дана", "language_code": "kk"}


def wa(kind: str, body: dict[str, Any] | None = None, **over: Any) -> dict[str, Any]:
    item = {"from": "77015550000", "id": f"wamid.{kind}", "timestamp": "1764000000", "type": kind, **over}
    if body is not None:
        item[kind] = body
    return item


def cards(batch: Any) -> list[tuple[str, str | None]]:
    return [(m.text, m.media.kind if m.media else None) for m in batch.messages]


def test_whatsapp_events_that_are_not_questions_make_no_card() -> None:
    items = [
        wa("location", {"latitude": 43.238, "longitude": 76.945}),  # coordinates only
        wa("interactive", errors=[{"code": 131000, "title": "Unsupported webhook payload"}]),
        wa("interactive", {"type": "nfm_reply", "nfm_reply": {"name": "flow", "response_json": "{\"a\": 1}"}}),
        wa("contacts", contacts=[{"name": {"formatted_name": "Сосед"}, "phones": [{"phone": "+77010000000"}]}]),
        wa("unsupported", errors=[{"code": 131051, "title": "Message type unknown"}]),
        wa("reaction", {"message_id": "wamid.BIZ", "emoji": "👍"}),
        wa("text", {"body": " \u200b "}),  # a zero-width space is nothing to read
    ]
    batch = whatsapp.parse(wa_payload(wa_change(items)))
    assert cards(batch) == [] and batch.ignored == 6 and not batch.dead


def test_whatsapp_questions_keep_their_kind() -> None:
    items = [
        wa("location", {"latitude": 43.2, "longitude": 76.9, "name": "Мектеп №25", "address": "Абай д-лы 10"}),
        wa("image", {"id": "m1", "mime_type": "image/jpeg"}),
        wa("audio", {"id": "m2", "mime_type": "audio/ogg", "voice": True}),
        wa("document", {"id": "m3", "caption": "Жалоба на управляющую компанию"}),
    ]
    items[1]["id"], items[2]["id"], items[3]["id"] = "wamid.img", "wamid.voice", "wamid.doc"
    assert cards(whatsapp.parse(wa_payload(wa_change(items)))) == [
        ("Мектеп №25, Абай д-лы 10", None), ("", "image"), ("", "voice"),
        ("Жалоба на управляющую компанию", "document")]


def tg_message(message_id: int, **fields: Any) -> dict[str, Any]:
    return {"update_id": 9000 + message_id, "message": {"message_id": message_id, "date": 1764000000,
                                                        "from": USER, "chat": CHAT, **fields}}


NOT_QUESTIONS = {
    "story share": {"story": {"chat": {"id": -100123, "type": "channel"}, "id": 17}},
    "pinned notice": {"pinned_message": {"message_id": 3, "date": 1764000000, "chat": CHAT, "text": "важное"}},
    "dice": {"dice": {"emoji": "🎲", "value": 4}},
    "migrated": {"migrate_to_chat_id": -1001234567890},
    "empty": {},
    "joined": {"new_chat_members": [USER]},
    "bare location": {"location": {"latitude": 43.2, "longitude": 76.9}},
    "poll": {"poll": {"id": "1", "question": "?", "options": []}},
}


@pytest.mark.parametrize("name", list(NOT_QUESTIONS))
def test_telegram_service_messages_make_no_card(name: str) -> None:
    batch = telegram.parse_update(tg_message(1, **NOT_QUESTIONS[name]))
    assert cards(batch) == [] and not batch.withdrawals and not batch.commands and not batch.dead


def test_telegram_commands_are_not_questions() -> None:
    start = tg_message(1, text="/start", entities=[{"type": "bot_command", "offset": 0, "length": 6}])
    aimed = tg_message(2, text="/help@efir_live_bot")
    report = tg_message(3, text="/report спам", reply_to_message={"message_id": 1, "date": 1, "chat": CHAT})
    batch = telegram.parse_updates([start, aimed, report])
    assert cards(batch) == [] and [(c.name, c.chat) for c in batch.commands] == [
        ("start", "4242"), ("help", "4242"), ("report", "4242")]
    venue = tg_message(4, venue={"location": {"latitude": 1, "longitude": 2}, "title": "Көктем мөлтек ауданы",
                                 "address": "Бостандық ауданы"})
    assert cards(telegram.parse_update(venue)) == [("Көктем мөлтек ауданы, Бостандық ауданы", None)]
    assert cards(telegram.parse_update(tg_message(5, text="/ 10 дней нет воды"))) == [("/ 10 дней нет воды", None)]


def test_a_live_location_moving_is_no_question_and_withdraws_nothing() -> None:
    moved = {"update_id": 1, "edited_message": {"message_id": 8, "date": 1764000000, "edit_date": 1764000060,
                                                "from": USER, "chat": CHAT,
                                                "location": {"latitude": 43.21, "longitude": 76.91}}}
    batch = telegram.parse_update(moved)
    assert not batch and batch.ignored == 1


def test_youtube_zero_width_message_makes_no_card() -> None:
    item = {"id": "yt1", "snippet": {"type": "textMessageEvent", "publishedAt": "2026-11-24T15:00:00Z",
                                     "textMessageDetails": {"messageText": "\u200b"}}, "authorDetails": {}}
    assert not youtube.parse({"items": [item]}).messages


class BotApi(TelegramStandIn):
    """getUpdates for the worker and sendMessage for the bot's answers, on one loopback server."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict[str, Any]] = []

    def handle(self, request: Request) -> Reply:
        if request.path == f"/bot{TOKEN}/sendMessage":
            self.sent.append(json.loads(request.body))
            return Reply(200, dumps({"ok": True, "result": {"message_id": len(self.sent)}}))
        return super().handle(request)


@pytest.fixture
def bot_api() -> Iterator[BotApi]:
    standin = BotApi()
    with standin.running():
        yield standin


@pytest.fixture
def live(db_url: str, bot_api: BotApi) -> Iterator[LiveServer]:
    yield from run_server(Settings(db=db_url, port=free_port(), telegram_bot_token=TOKEN,
                                   telegram_api_base=bot_api.url, telegram_webhook_secret=WEBHOOK_SECRET,
                                   reply_poll_seconds=0.05))


def wait_for(check: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_start_and_help_are_answered_once_and_other_commands_ignored(live: LiveServer, bot_api: BotApi) -> None:
    show = live.show()
    start = json.dumps(tg_message(1, text="/start")).encode()
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"}
    for body in (start, start, json.dumps(tg_message(2, text="/report")).encode()):  # the first one re-delivered
        r = httpx.post(f"{live.url}/webhooks/telegram", content=body, headers=headers)
        assert r.status_code == 200 and r.json()["commands"] == 1 and r.json()["accepted"] == 0
    wait_for(lambda: len(bot_api.sent) >= 1)
    time.sleep(0.3)  # the outbox has had several passes: nothing more goes out
    assert bot_api.sent == [{"chat_id": "4242", "text": HOW_TO_ASK}]
    assert "сұрағыңызды" in HOW_TO_ASK.lower() and "вопрос" in HOW_TO_ASK  # Kazakh and Russian
    assert questions(live, show["id"]) == []


async def test_a_worker_hands_commands_to_the_server_which_answers_once(live: LiveServer, bot_api: BotApi,
                                                                        tmp_path: Path) -> None:
    show = live.show()
    bot_api.push(tg_message(1, text="/help"), tg_message(2, text="Когда починят лифт в доме 5?"))
    state = tmp_path / "tg.json"
    for _ in range(2):  # the second run re-reads the same updates (the cursor file was lost)
        async with httpx.AsyncClient() as client:
            src = TelegramSource(TOKEN, client, api_base=bot_api.url, timeout=0)
            assert await worker(src, live, live.token("ingest"), state, client, Sleeps()).run(max_polls=1) == 0
        state.unlink()
        bot_api.confirmed = 0
    wait_for(lambda: len(bot_api.sent) >= 1)
    time.sleep(0.3)
    assert [m["chat_id"] for m in bot_api.sent] == ["4242"]
    assert [q["text_original"] for q in questions(live, show["id"])] == ["Когда починят лифт в доме 5?"]


def test_the_ingest_api_follows_the_same_rule(live: LiveServer) -> None:
    show = live.show()
    blank = {"channel": "sms", "external_id": "blank-1", "text": "  \u200b\n"}
    photo = {"channel": "sms", "external_id": "photo-1", "text": "", "media": {"kind": "image", "id": "p1"}}
    other = {"channel": "sms", "external_id": "other-1", "text": "", "media": {"kind": "other", "id": "o1"}}
    asked = {"channel": "sms", "external_id": "text-1", "text": "Когда отремонтируют дорогу?"}
    r = httpx.post(f"{live.url}/api/ingest", json={"messages": [blank, photo, other, asked]},
                   headers={"Authorization": f"Bearer {live.token('ingest')}"})
    assert r.status_code == 200 and (r.json()["accepted"], r.json()["ignored"]) == (2, 2)
    stored = {q["external_id"]: q for q in questions(live, show["id"])}
    assert set(stored) == {"photo-1", "text-1"} and stored["photo-1"]["media"]["kind"] == "image"
