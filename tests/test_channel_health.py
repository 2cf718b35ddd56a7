"""Channel health: every webhook and ingest worker reports its last message, lag, error rate and dead letters;
the producer's live page shows a strip of channels, green / amber (quiet during a live show) / red (silent
worker, failing, dead letters), and `/metrics` has the same figures (the strip in Chromium:
test_producer_channels.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest.delivery import Delivery
from ingest.sources.imap import ImapSource
from ingest.worker import Backoff, ServerHeartbeat, StateFile, Worker
from server.settings import Settings
from tests.conftest import LiveServer, free_port, run_server
from tests.webhook_payloads import meta_bytes, wa_change, wa_message, wa_payload
from tests.worker_kit import Sleeps

SECRET = "health-app-secret"


@pytest.fixture
def live(db_url: str) -> Iterator[LiveServer]:
    yield from run_server(Settings(db=db_url, port=free_port(), whatsapp_app_secret=SECRET,
                                   telegram_webhook_secret="tg-secret", channel_quiet_minutes=5,
                                   channel_silent_seconds=60))


def whatsapp(live: LiveServer, *messages: dict[str, Any]) -> httpx.Response:
    wire = meta_bytes(wa_payload(wa_change(list(messages))))
    signature = "sha256=" + hmac.new(SECRET.encode(), wire, hashlib.sha256).hexdigest()
    return httpx.post(f"{live.url}/webhooks/whatsapp", content=wire,
                      headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})


def beat(live: LiveServer, token: str, name: str, **figures: Any) -> None:
    r = httpx.put(f"{live.url}/api/ingest/heartbeats/{name}", json={"channel": name.split(":")[0], **figures},
                  headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text


def strip(live: LiveServer, show_id: int | None = None) -> dict[str, dict[str, Any]]:
    r = live.login("health-producer", "producer").get("/api/channels", params={"show": show_id} if show_id else {})
    assert r.status_code == 200, r.text
    return {c["name"]: c for c in r.json()["channels"]}


def backdate_heartbeat(live: LiveServer, name: str, seconds: int) -> None:
    from datetime import UTC, datetime, timedelta

    at = (datetime.now(UTC) - timedelta(seconds=seconds)).isoformat(timespec="milliseconds")
    store: Any = live.efir.store
    live.call(store._write(lambda t: t.conn.execute("UPDATE heartbeats SET seen_at = ? WHERE name = ?", (at, name))))


def test_webhooks_green_when_heard_amber_when_quiet_during_a_live_show(live: LiveServer) -> None:
    show = live.show(live=False)
    assert whatsapp(live, wa_message(1, "Где автобус 92?")).status_code == 200
    rows = strip(live, show["id"])
    assert set(rows) == {"webhook:whatsapp", "webhook:instagram", "webhook:telegram"}  # the configured ones
    assert rows["webhook:whatsapp"]["last_message_at"] is not None and rows["webhook:whatsapp"]["state"] == "green"
    assert rows["webhook:telegram"]["state"] == "green"  # nothing expected: the show is not on air
    live.call(live.efir.store.update_show(show["id"], {"status": "live"}, "test"))
    rows = strip(live, show["id"])
    assert (rows["webhook:telegram"]["state"], rows["webhook:telegram"]["why"]) == ("amber", "quiet")
    assert rows["webhook:whatsapp"]["state"] == "green"


def test_dead_letters_turn_their_channel_red_and_metrics_agree(live: LiveServer) -> None:
    live.show()
    whatsapp(live, wa_message(1, "Вопрос"), wa_message(2, "плохой", id="wamid." + "x" * 600))
    row = strip(live)["webhook:whatsapp"]
    assert (row["state"], row["why"], row["dead_letters"]) == ("red", "dead_letters", 1)
    assert row["error_rate"] == 1.0  # the one delivery had a message that could not be read
    metrics = httpx.get(f"{live.url}/metrics").text
    assert 'efir_channel_state{channel="whatsapp",name="webhook:whatsapp"} 2.0' in metrics
    assert 'efir_channel_state{channel="telegram",name="webhook:telegram"} 1.0' in metrics
    assert 'efir_channel_error_rate{channel="whatsapp",name="webhook:whatsapp"} 1.0' in metrics
    assert 'efir_channel_last_message_age_seconds{channel="whatsapp",name="webhook:whatsapp"}' in metrics


async def test_a_worker_heartbeat_carries_its_figures_and_silence_turns_it_red(live: LiveServer,
                                                                             tmp_path: Path) -> None:
    show = live.show(live=False)
    token = live.token("ingest")
    src = ImapSource("127.0.0.1", 1, "u", "p", tls=False, interval=0.1, idle=0)  # nothing listens there
    async with httpx.AsyncClient() as client:
        delivery = Delivery(live.url, token, client, base_wait=0.01, sleep=Sleeps())
        w = Worker(src, delivery, StateFile(tmp_path / "s.json"), backoff=Backoff(base=0.01, cap=0.05),
                   sleep=Sleeps(), report_every=0, report=lambda _: None, heartbeat=ServerHeartbeat(delivery),
                   heartbeat_every=0.05)
        assert await w.run(max_polls=2) == 0
    row = strip(live, show["id"])[src.name]
    assert (row["kind"], row["channel"], row["state"], row["why"]) == ("worker", "email", "red", "failing")
    assert row["error_rate"] == 1.0 and "IMAP" in row["last_error"]
    beat(live, token, "youtube:chat-1", polls=40, accepted=12, lag=2.5,
         last_message_at="2026-11-24T15:00:00+00:00")
    fresh = strip(live)["youtube:chat-1"]  # no live show: quiet is not amber
    assert (fresh["state"], fresh["lag_seconds"], fresh["messages"]) == ("green", 2.5, 12)
    backdate_heartbeat(live, "youtube:chat-1", 600)
    assert (strip(live)["youtube:chat-1"]["state"], strip(live)["youtube:chat-1"]["why"]) == ("red", "silent")
    bad = httpx.put(f"{live.url}/api/ingest/heartbeats/x", json={"channel": "email", "last_message_at": 0},
                    headers={"Authorization": f"Bearer {token}"})
    assert bad.status_code == 422


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def test_heartbeat_figures_are_plain_json() -> None:
    from ingest.worker import Stats

    figures = Stats().figures("email", True, False)
    assert json.loads(json.dumps(figures))["channel"] == "email"


async def test_a_mailbox_workers_cursor_and_heartbeat_reach_the_server_despite_the_slash_in_its_name(
        live: LiveServer) -> None:
    from ingest.worker import ServerCursors

    name = "email:desk@imap.akimat.kz/INBOX"
    async with httpx.AsyncClient() as client:
        delivery = Delivery(live.url, live.token("ingest"), client, base_wait=0.01)
        cursors = ServerCursors(delivery)
        await cursors.save(name, {"uidvalidity": 7, "uid": 42})
        assert await cursors.load(name) == {"uidvalidity": 7, "uid": 42}
        await ServerHeartbeat(delivery)(name, {"channel": "email", "polls": 1})
    assert name in strip(live)
