"""Input the contract refuses clearly: dates only as ISO 8601 strings with an offset, a show that ends
after it starts, and error answers (HTTP and desk frames) that never echo what the client sent."""

from __future__ import annotations

import json

import pytest

from tests.conftest import LiveServer, message
from tests.livekit import Desk, ingest

START = "2026-11-24T20:00:00+05:00"


@pytest.mark.parametrize("bad", [0, 1700000000, "1700000000", "2026-11-24", "2026-11-24T20:00:00", "вчера", True])
def test_a_show_date_must_be_an_iso_string_with_an_offset(live: LiveServer, bad: object) -> None:
    producer = live.login("dates", "producer")
    r = producer.post("/api/shows", {"title": "Akimat Live", "starts_at": bad})
    assert r.status_code == 422 and r.json()["error"]["field"] == "starts_at", r.text
    r = producer.post("/api/shows", {"title": "Akimat Live", "starts_at": START, "ends_at": bad})
    assert r.status_code == 422 and r.json()["error"]["field"] == "ends_at", r.text
    assert producer.get("/api/shows").json() == []  # nothing half-created


def test_a_show_ends_after_it_starts(live: LiveServer) -> None:
    producer = live.login("ends", "producer")
    r = producer.post("/api/shows", {"title": "x", "starts_at": START, "ends_at": "2026-11-24T19:00:00+05:00"})
    assert r.status_code == 422 and "ends_at must be after starts_at" in r.json()["error"]["message"]
    assert producer.post("/api/shows", {"title": "x", "starts_at": START, "ends_at": START}).status_code == 422
    show = producer.post("/api/shows", {"title": "x", "starts_at": START,
                                        "ends_at": "2026-11-24T21:00:00+05:00"}).json()
    # a PATCH that moves only one end is checked against the other one, as stored
    r = producer.patch(f"/api/shows/{show['id']}", {"starts_at": "2026-11-24T22:00:00+05:00"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "ends_at"
    r = producer.patch(f"/api/shows/{show['id']}", {"ends_at": "2026-11-24T15:00:00Z"})  # 20:00+05:00
    assert r.status_code == 422
    assert producer.get(f"/api/shows/{show['id']}").json()["ends_at"] == show["ends_at"]
    ok = producer.patch(f"/api/shows/{show['id']}", {"ends_at": "2026-11-24T16:30:00Z"})
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize("bad", [0, "0", "2026-11-22 20:00", "2026-11-22T20:00:00"])
def test_ingest_sent_at_must_be_an_iso_string_with_an_offset(live: LiveServer, bad: object) -> None:
    show = live.show()
    r = ingest(live.url, live.token("ingest"), [message(1), message(2, sent_at=bad)])
    assert r.status_code == 422 and r.json()["error"]["field"] == "messages.1.sent_at", r.text
    ok = ingest(live.url, live.token("ingest"), [message(3, sent_at="2026-11-22T14:00:00Z")])
    assert ok.status_code == 200
    stored = live.sql("SELECT external_id, sent_at FROM questions WHERE show_id = ?", show["id"])
    assert [row[0] for row in stored] == ["m-3"]


def test_an_unknown_key_is_named_not_echoed(live: LiveServer) -> None:
    producer = live.login("echo", "producer")
    key = "<script>" + "k" * 5000
    r = producer.post("/api/shows", {"title": "x", "starts_at": START, key: 1})
    assert r.status_code == 422 and "<script>" not in r.text and len(r.content) < 2_000


async def test_a_desk_error_frame_never_echoes_an_oversized_action_id(live: LiveServer) -> None:
    show = live.show()
    [qid] = ingest(live.url, live.token("ingest"), [message(1)]).json()["ids"]
    mod = live.login("mod")
    desk = await Desk.open(f"{live.ws_url}/ws/desk?show={show['id']}", mod.ws_headers())
    await desk.until(lambda fs: desk.snapshot() is not None)
    huge = "x" * 5_000_000  # 5 MB of client id
    await desk.ws.send(json.dumps({"type": "action", "id": huge, "question_id": qid, "action": "approve",
                                   "version": 1}))
    await desk.ws.send(json.dumps({"type": "action", "id": "ok-1", "question_id": qid, "action": "bogus",
                                   "version": 1, "<img src=x>": 1}))
    frames = await desk.until(lambda fs: sum(f["type"] == "ack" for f in fs) >= 2)
    acks = [f for f in frames if f["type"] == "ack"]
    assert acks[0]["id"] == "" and acks[0]["ok"] is False and len(json.dumps(acks[0])) < 2_000
    assert acks[1]["id"] == "ok-1" and "<img" not in json.dumps(acks[1])
    await desk.close()
