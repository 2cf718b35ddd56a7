"""The live desk (WebSocket) and prompter (SSE) against a real server, with real clients."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus

from server.settings import Settings
from tests.conftest import LiveServer, free_port, message, run_server
from tests.livekit import Desk, ingest, read_sse


def rundown(events: list[dict[str, str]]) -> list[dict[str, Any]]:
    return [json.loads(e["data"]) for e in events if e.get("event") == "rundown"]


async def desk_for(live: LiveServer, name: str, show_id: int, after: int | None = None) -> Desk:
    session = live.login(name, "moderator")
    query = f"?show={show_id}" + (f"&after={after}" if after is not None else "")
    desk = await Desk.open(live.ws_url + "/ws/desk" + query, session.ws_headers())
    await desk.until(lambda fs: bool(fs) and fs[0]["type"] in ("snapshot", "events"))
    return desk


async def test_ingested_message_appears_on_a_connected_desk(live: LiveServer) -> None:
    show = live.show()
    desk = await desk_for(live, "mod1", show["id"])
    snap = desk.snapshot()
    assert snap is not None and snap["questions"] == [] and snap["show"]["id"] == show["id"]
    r = ingest(live.url, live.token("ingest"), [message(1)])
    assert r.status_code == 200
    qid = r.json()["ids"][0]
    await desk.until(lambda fs: desk.seen(qid, "received"))
    event = next(e for e in desk.events() if e["question"]["id"] == qid)
    assert event["seq"] > snap["seq"]
    assert event["question"]["text"].startswith("Вопрос 1")
    await desk.close()


async def test_approval_reaches_the_second_desk_and_the_prompter(live: LiveServer) -> None:
    show = live.show()
    key = live.token("prompter", show["id"])
    qid = ingest(live.url, live.token("ingest"), [message(1)]).json()["ids"][0]
    a = await desk_for(live, "mod-a", show["id"])
    b = await desk_for(live, "mod-b", show["id"])
    question = next(q for q in a.snapshot()["questions"] if q["id"] == qid)  # type: ignore[index]
    sse_url = f"{live.url}/prompter/{show['id']}/events?key={key}"
    prompter = asyncio.create_task(read_sse(sse_url, {}, lambda evs: any(
        r["next"] and r["next"][0]["id"] == qid for r in rundown(evs))))
    await asyncio.sleep(0.2)
    ack = await a.act("a1", question, "approve")
    assert ack["ok"] is True and ack["question"]["status"] == "approved"
    await b.until(lambda fs: b.seen(qid, "approved"))
    final = rundown(await prompter)[-1]
    assert final["on_air"] is None and [q["id"] for q in final["next"]] == [qid]
    await a.close()
    await b.close()


async def test_stale_version_gets_409_and_nothing_changes(live: LiveServer) -> None:
    show = live.show()
    qid = ingest(live.url, live.token("ingest"), [message(1)]).json()["ids"][0]
    mod = live.login("mod", "moderator")
    q = mod.get(f"/api/questions/{qid}").json()
    assert mod.act(q, "approve").status_code == 200
    r = mod.act(q, "reject", reason="spam")
    assert r.status_code == 409
    body = r.json()
    assert body["error"]["code"] == "conflict" and body["question"]["status"] == "approved"
    assert mod.get(f"/api/questions/{qid}").json() == body["question"]
    desk = await desk_for(live, "mod2", show["id"])
    ack = await desk.act("x", q, "reject", reason="spam")
    assert ack["ok"] is False and ack["error"]["code"] == "conflict"
    assert ack["question"]["version"] == body["question"]["version"]
    await desk.close()


async def test_reconnect_after_seq_replays_exactly_the_missed_events(live: LiveServer) -> None:
    show = live.show()
    token = live.token("ingest")
    desk = await desk_for(live, "mod", show["id"])
    first = ingest(live.url, token, [message(i) for i in range(3)]).json()["ids"]
    await desk.until(lambda fs: all(desk.seen(i) for i in first))
    last = max(e["seq"] for e in desk.events())
    await desk.close()
    missed = ingest(live.url, token, [message(i) for i in range(3, 8)]).json()["ids"]
    mod = live.login("mod", "moderator")
    q = mod.get(f"/api/questions/{first[0]}").json()
    mod.act(q, "approve")
    again = await desk_for(live, "mod", show["id"], after=last)
    await again.until(lambda fs: all(again.seen(i) for i in missed) and again.seen(first[0], "approved"))
    await asyncio.sleep(0.3)  # anything extra would arrive now
    replayed = again.events()
    assert again.snapshot() is None
    assert [e["seq"] for e in replayed] == sorted({e["seq"] for e in replayed})
    assert all(e["seq"] > last for e in replayed)
    assert {e["question"]["id"] for e in replayed} == {*missed, first[0]}
    assert len(replayed) == len(missed) + 1
    await again.close()


async def test_reconnect_from_a_foreign_seq_gets_a_snapshot(live: LiveServer) -> None:
    show = live.show()
    desk = await desk_for(live, "mod", show["id"], after=10**9)
    assert desk.snapshot() is not None
    await desk.close()


async def test_prompter_resumes_with_last_event_id_to_the_current_rundown(live: LiveServer) -> None:
    show = live.show()
    key = live.token("prompter", show["id"])
    ids = ingest(live.url, live.token("ingest"), [message(1), message(2)]).json()["ids"]
    mod = live.login("mod", "moderator")
    url = f"{live.url}/prompter/{show['id']}/events"
    first = await read_sse(url, {"Authorization": f"Bearer {key}"}, lambda evs: len(evs) >= 1)
    assert rundown(first)[0] == {"on_air": None, "next": []}
    for qid in ids:
        mod.act(mod.get(f"/api/questions/{qid}").json(), "approve")
    resumed = await read_sse(url, {"Authorization": f"Bearer {key}", "Last-Event-ID": first[0]["id"]},
                             lambda evs: len(evs) >= 1)
    assert [q["id"] for q in rundown(resumed)[0]["next"]] == ids
    assert int(resumed[0]["id"]) > int(first[0]["id"])


async def test_prompter_needs_its_key_for_its_show(live: LiveServer) -> None:
    import httpx

    show, other = live.show(), live.show("Other", live=False)
    key = live.token("prompter", show["id"])
    async with httpx.AsyncClient(base_url=live.url) as c:
        assert (await c.get(f"/prompter/{show['id']}/events")).status_code == 401
        assert (await c.get(f"/prompter/{show['id']}/events?key=wrong")).status_code == 401
        assert (await c.get(f"/prompter/{other['id']}/events?key={key}")).status_code == 403


async def test_prompter_frames_carry_no_personal_data(live: LiveServer) -> None:
    show = live.show()
    key = live.token("prompter", show["id"])
    text = "Позвоните мне +7 701 234 56 78 или 8 (727) 345-67-89, почта aigerim.k@mail.kz. Когда будет свет?"
    m = message(1, text, author={"name": "Айгерим Садыкова", "handle": "@aigerim_k", "contact": "+77019998877"})
    qid = ingest(live.url, live.token("ingest"), [m]).json()["ids"][0]
    mod = live.login("mod", "moderator")
    q = mod.act(mod.get(f"/api/questions/{qid}").json(), "approve").json()
    mod.act(q, "on_air")
    events = await read_sse(f"{live.url}/prompter/{show['id']}/events?key={key}", {},
                            lambda evs: any(r["on_air"] for r in rundown(evs)))
    data = events[-1]["data"]
    for secret in ("701", "234 56 78", "345-67-89", "aigerim.k", "mail.kz", "@aigerim_k", "9998877", "Садыкова"):
        assert secret not in data
    on_air = rundown(events)[-1]["on_air"]
    assert on_air["author"] == "Айгерим"
    assert "[телефон]" in on_air["text"] and "Когда будет свет?" in on_air["text"]
    assert set(on_air) == {"id", "text", "author", "channel", "district", "addressee", "asked_count"}


async def test_viewer_html_is_returned_as_the_same_text(live: LiveServer) -> None:
    show = live.show()
    desk = await desk_for(live, "mod", show["id"])
    text = "<script>alert('x')</script><img src=x onerror=alert(1)> Когда дадут воду?"
    qid = ingest(live.url, live.token("ingest"), [message(1, text)]).json()["ids"][0]
    await desk.until(lambda fs: desk.seen(qid))
    event = next(e for e in desk.events() if e["question"]["id"] == qid)
    assert event["question"]["text_original"] == text
    assert "<script>alert('x')</script>" in event["question"]["text"]
    mod = live.login("mod", "moderator")
    assert mod.get(f"/api/questions/{qid}").json()["text_original"] == text
    await desk.close()


async def test_events_are_coalesced_into_few_frames_under_load(live: LiveServer) -> None:
    show = live.show()
    desk = await desk_for(live, "mod", show["id"])
    ids = ingest(live.url, live.token("ingest"), [message(i) for i in range(300)]).json()["ids"]
    await desk.until(lambda fs: len(desk.events()) >= 300)
    frames = [f for f in desk.frames if f["type"] == "events"]
    assert len(frames) < 300 / 2
    assert {e["question"]["id"] for e in desk.events()} == set(ids)
    await desk.close()


async def test_desk_refuses_anonymous_and_foreign_origins(live: LiveServer) -> None:
    show = live.show()
    url = f"{live.ws_url}/ws/desk?show={show['id']}"
    with pytest.raises(InvalidStatus):
        await Desk.open(url, {"Origin": live.url})
    session = live.login("mod", "moderator")
    with pytest.raises(InvalidStatus):
        await Desk.open(url, {"Cookie": session.cookie, "Origin": "https://evil.example"})
    operator = live.login("op", "operator")
    with pytest.raises(InvalidStatus):
        await Desk.open(url, operator.ws_headers())


async def test_presence_shows_claims_and_drops_them_on_disconnect(live: LiveServer) -> None:
    show = live.show()
    qid = ingest(live.url, live.token("ingest"), [message(1)]).json()["ids"][0]
    a = await desk_for(live, "alice", show["id"])
    b = await desk_for(live, "bob", show["id"])
    q = next(x for x in a.snapshot()["questions"] if x["id"] == qid)  # type: ignore[index]
    assert (await a.act("c", q, "claim"))["ok"]

    def claims(frames: list[dict[str, Any]]) -> dict[str, list[int]]:
        presence = [f for f in frames if f["type"] == "presence"]
        return {u["user"]: u["claims"] for u in presence[-1]["users"]} if presence else {}

    await b.until(lambda fs: claims(fs).get("alice") == [qid])
    denied = await b.act("d", q, "approve")
    assert denied["ok"] is False and denied["error"]["code"] == "claimed"
    await a.close()
    await b.until(lambda fs: "alice" not in claims(fs))
    assert (await b.act("e", q, "approve"))["ok"]
    await b.close()


def received(desk: Desk) -> list[dict[str, Any]]:
    return [e for e in desk.events() if e["kind"] == "received"]


def _stalled_socket(live: LiveServer, show_id: int, cookie: str) -> socket.socket:
    """A desk that completes the handshake and then never reads a byte."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", int(live.url.rsplit(":", 1)[1])))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /ws/desk?show={show_id} HTTP/1.1\r\nHost: {live.url[7:]}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                  f"Cookie: {cookie}\r\nOrigin: {live.url}\r\n\r\n").encode())
    assert b"101" in sock.recv(200)
    return sock


async def test_a_stalled_desk_delays_no_one_and_its_buffer_stays_bounded(db_url: str) -> None:
    settings = Settings(db=db_url, port=free_port(), client_queue=300)
    server = run_server(settings)
    live = next(server)
    try:
        await _stall_scenario(live)
    finally:
        next(server, None)


async def _stall_scenario(live: LiveServer) -> None:
    show = live.show()
    session = live.login("stalled", "moderator")
    stalled = _stalled_socket(live, show["id"], session.cookie)
    healthy = await desk_for(live, "healthy", show["id"])
    token = live.token("ingest")
    total = 0
    for batch in range(12):  # ≈ 6 MB of frames: more than the stalled socket and the kernel (4 MB) can hold
        r = ingest(live.url, token, [message(batch * 100 + i, f"{batch * 100 + i} Когда починят дорогу? " * 40)
                                     for i in range(100)])  # one text each: three copies from three authors are spam
        total += r.json()["accepted"]
        await healthy.until(lambda fs, n=total: len(received(healthy)) >= n, timeout=20)
    assert len(received(healthy)) == total == 1200
    assert not any(f["type"] == "snapshot" for f in healthy.frames[1:])  # the healthy desk never resynced
    clients = {c.user: c for c in live.efir.hub.desks(show["id"])}
    feed = clients["stalled"].feed
    assert len(feed) <= live.efir.hub.client_limit == 300  # what the server holds for it is bounded
    assert clients["stalled"].last_seq < feed.dropped_upto  # it fell behind the ring …
    stream = b""
    stalled.settimeout(10)
    while stream.count(b'"type":"snapshot"') < 2:  # … and once it reads again it is resynced
        chunk = stalled.recv(1 << 20)
        assert chunk, "stalled desk was disconnected instead of resynced"
        stream += chunk
    stalled.close()
    await healthy.close()


async def test_a_desk_whose_user_is_disabled_can_act_no_more(live: LiveServer) -> None:
    show = live.show()
    qid = ingest(live.url, live.token("ingest"), [message(1)]).json()["ids"][0]
    desk = await desk_for(live, "leaver", show["id"])
    q = next(x for x in desk.snapshot()["questions"] if x["id"] == qid)  # type: ignore[index]
    live.call(live.efir.store.set_disabled("leaver", True, "admin"))
    ack = await desk.act("late", q, "approve")
    assert ack["ok"] is False and ack["error"]["code"] == "unauthorized"
    mod = live.login("other", "moderator")
    assert mod.get(f"/api/questions/{qid}").json()["status"] == "new"
    await desk.ws.wait_closed()
    assert desk.ws.close_code == 4401
