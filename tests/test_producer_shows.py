"""Show lifecycle extras: the Tue/Thu 20:00 schedule, guests, segments in air order, the current segment
putting its guest's questions first on the desk's rundown and the prompter."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

from server.schedule import ALMATY, next_slots
from tests.conftest import LiveServer, message
from tests.livekit import Desk, ingest, read_sse
from tests.test_producer_support import GUESTS, act, new_question, seed


def test_slots_are_tuesdays_and_thursdays_at_eight_in_almaty() -> None:
    sunday = datetime(2026, 11, 22, 12, 0, tzinfo=ALMATY)
    assert [s.isoformat() for s in next_slots(sunday, 3)] == [
        "2026-11-24T20:00:00+05:00", "2026-11-26T20:00:00+05:00", "2026-12-01T20:00:00+05:00"]
    tuesday_on_air = datetime(2026, 11, 24, 20, 0, tzinfo=ALMATY)
    assert next_slots(tuesday_on_air, 1)[0].day == 26  # a slot that has begun is not the next one
    assert next_slots(datetime(2026, 11, 24, 19, 59, tzinfo=ALMATY), 1)[0].day == 24
    assert next_slots(datetime(2026, 11, 24, 15, 30), 1)[0].day == 24  # naive means Almaty time


def test_schedule_creates_shows_for_free_slots_with_guests(live: LiveServer) -> None:
    prod = live.login("prod", "producer")
    body = {"title": "Akimat Live", "count": 3, "after": "2026-11-22T12:00:00+05:00", "guests": GUESTS}
    first = prod.post("/api/shows/schedule", body)
    assert first.status_code == 201, first.text
    assert [s["starts_at"][:16] for s in first.json()] == ["2026-11-24T20:00", "2026-11-26T20:00", "2026-12-01T20:00"]
    assert first.json()[1]["guests"][1]["department"] == "Управление энергетики"
    again = prod.post("/api/shows/schedule", {**body, "count": 4})
    assert [s["starts_at"][:10] for s in again.json()] == ["2026-12-03"]  # taken slots are skipped
    assert live.login("mod", "moderator").post("/api/shows/schedule", body).status_code == 403


def test_lifecycle_and_questions_between_shows_go_to_the_next_scheduled(live: LiveServer) -> None:
    prod = live.login("prod", "producer")
    later = prod.post("/api/shows", {"title": "Thursday", "starts_at": "2026-11-26T20:00:00+05:00"}).json()
    sooner = prod.post("/api/shows", {"title": "Tuesday", "starts_at": "2026-11-24T20:00:00+05:00"}).json()
    token = live.token("ingest")
    qid = ingest(live.url, token, [message(1)]).json()["ids"][0]
    assert prod.get(f"/api/questions/{qid}").json()["show_id"] == sooner["id"]
    live_show = prod.patch(f"/api/shows/{later['id']}", {"status": "live"}).json()
    assert live_show["status"] == "live" and live_show["started_at"]
    qid2 = ingest(live.url, token, [message(2)]).json()["ids"][0]
    assert prod.get(f"/api/questions/{qid2}").json()["show_id"] == later["id"]  # a live show wins
    ended = prod.patch(f"/api/shows/{later['id']}", {"status": "ended"}).json()
    assert ended["status"] == "ended" and ended["ended_at"]
    assert prod.patch(f"/api/shows/{sooner['id']}", {"status": "ended"}).status_code == 200
    qid3 = ingest(live.url, token, [message(3)]).json()["ids"][0]
    assert prod.get(f"/api/questions/{qid3}").json()["show_id"] is None  # nothing scheduled: the inbox


def test_current_segment_puts_its_guests_questions_first(live: LiveServer) -> None:
    prod = live.login("prod", "producer")
    show = prod.post("/api/shows", {"title": "Akimat Live", "starts_at": "2026-11-24T20:00:00+05:00",
                                    "guests": GUESTS}).json()
    sid = show["id"]
    bad = prod.put(f"/api/shows/{sid}/segments", {"segments": [{"guest": "Кто-то другой"}]})
    assert bad.status_code == 422
    plan = prod.put(f"/api/shows/{sid}/segments", {"segments": [
        {"guest": "Ерлан Сәрсенов", "title": "Алатау", "planned_minutes": 30},
        {"guest": "Мария Ким", "title": "Свет и тепло", "planned_minutes": 20}]}).json()
    assert [s["position"] for s in plan] == [0, 1] and not any(s["current"] for s in plan)
    ids = seed(live, [
        new_question(sid, 0, district="medeu"),
        new_question(sid, 1, district="alatau"),  # the akim's district
        new_question(sid, 2, addressee="Мария Ким", district="alatau"),  # addressed: hers, not his
        new_question(sid, 3, district="auezov"),
        new_question(sid, 4, addressee="мария ким"),
        new_question(sid, 5, district="alatau"),
    ])
    prod.patch(f"/api/shows/{sid}", {"status": "live"})
    for qid in ids:
        act(prod, qid, "approve")
    key = live.token("prompter", sid)
    mod = live.login("mod", "moderator")

    async def scenario() -> None:
        desk = await Desk.open(f"{live.ws_url}/ws/desk?show={sid}", mod.ws_headers())
        await desk.until(lambda fs: any(f["type"] == "snapshot" for f in fs))
        r = prod.post(f"/api/shows/{sid}/segment", {"segment_id": plan[1]["id"]})
        assert r.status_code == 200 and r.json()["current"], r.text
        await desk.until(lambda fs: any(e["kind"] == "segment_started" for e in desk.events()))
        started = next(e for e in desk.events() if e["kind"] == "segment_started")
        assert started["show"]["id"] == sid
        await desk.close()

    asyncio.run(scenario())
    rundown = [q["id"] for q in sorted(prod.get(f"/api/shows/{sid}/questions?status=approved").json(),
                                       key=lambda q: q["rundown_pos"])]
    assert rundown == [ids[2], ids[4], ids[0], ids[1], ids[3], ids[5]]

    def next_ids(events: list[dict[str, str]]) -> list[int]:
        return [q["id"] for q in json.loads(events[-1]["data"])["next"]]

    prompter = asyncio.run(read_sse(f"{live.url}/prompter/{sid}/events?key={key}", {},
                                    lambda evs: next_ids(evs)[:2] == [ids[2], ids[4]]))
    assert next_ids(prompter) == rundown
    prod.post(f"/api/shows/{sid}/segment", {"segment_id": plan[0]["id"]})
    segments = prod.get(f"/api/shows/{sid}/segments").json()
    assert [s["current"] for s in segments] == [True, False] and segments[1]["ended_at"]
    prompter = asyncio.run(read_sse(f"{live.url}/prompter/{sid}/events?key={key}", {},
                                    lambda evs: next_ids(evs)[:2] == [ids[1], ids[5]]))
    assert next_ids(prompter) == [ids[1], ids[5], ids[2], ids[4], ids[0], ids[3]]
    counters = prod.get(f"/api/shows/{sid}/counters").json()
    assert counters["segment"]["guest"] == "Ерлан Сәрсенов" and counters["approved"] == 6
    ended = prod.patch(f"/api/shows/{sid}", {"status": "ended"}).json()
    assert prod.post(f"/api/shows/{ended['id']}/segment", {"segment_id": plan[1]["id"]}).status_code == 409


def test_a_cue_reaches_the_hosts_prompter_as_its_own_event(live: LiveServer) -> None:
    prod = live.login("prod", "producer")
    sid = live.show()["id"]
    key = live.token("prompter", sid)

    async def listen() -> list[dict[str, str]]:
        task = asyncio.ensure_future(read_sse(f"{live.url}/prompter/{sid}/events?key={key}", {},
                                              lambda evs: any(e["event"] == "cue" for e in evs)))
        await asyncio.sleep(0.3)
        r = await asyncio.to_thread(prod.post, f"/api/shows/{sid}/cue", {"text": "  Осталась   1 минута "})
        assert r.status_code == 200, r.text
        return await task

    events = asyncio.run(listen())
    assert [e["event"] for e in events] == ["rundown", "cue"] and "id" not in events[1]
    assert json.loads(events[1]["data"])["text"] == "Осталась 1 минута"
    # a prompter that opens a moment later still sees the fresh cue, after the rundown
    later = asyncio.run(read_sse(f"{live.url}/prompter/{sid}/events?key={key}", {},
                                 lambda evs: len(evs) >= 2))
    assert [e["event"] for e in later] == ["rundown", "cue"]
    log = prod.get(f"/api/shows/{sid}/timeline?kinds=cue").json()["entries"]
    assert log[0]["actor"] == "prod" and log[0]["changes"]["text"] == "Осталась 1 минута"
    assert live.login("host", "host").post(f"/api/shows/{sid}/cue", {"text": "x"}).status_code == 403


def test_a_cue_stays_until_the_host_acknowledges_it(live: LiveServer) -> None:
    import httpx

    prod = live.login("prod", "producer")
    sid = live.show()["id"]
    key, other_key = live.token("prompter", sid), live.token("prompter", live.show("Other", live=False)["id"])
    assert prod.post(f"/api/shows/{sid}/cue", {"text": "Следующий гость"}).status_code == 200
    shown = asyncio.run(read_sse(f"{live.url}/prompter/{sid}/events?key={key}", {}, lambda evs: len(evs) >= 2))
    cue = json.loads(shown[1]["data"])
    assert cue["text"] == "Следующий гость" and not cue.get("acked")
    ack = f"{live.url}/prompter/{sid}/cue/{cue['id']}/ack"
    assert httpx.post(ack, params={"key": other_key}).status_code == 403  # another show's screen cannot
    assert httpx.post(ack, params={"key": key}).json() == {"ok": True, "cue": cue["id"]}
    assert httpx.post(ack, params={"key": key}).status_code == 404  # once
    after = asyncio.run(read_sse(f"{live.url}/prompter/{sid}/events?key={key}", {}, lambda evs: len(evs) >= 1,
                                 timeout=2))
    assert [e["event"] for e in after] == ["rundown"]  # acknowledged: a prompter opening now shows no cue
    log = prod.get(f"/api/shows/{sid}/timeline?kinds=cue_acknowledged").json()["entries"]
    assert len(log) == 1


def test_during_a_segment_a_newly_approved_guests_question_joins_the_guests_run(live: LiveServer) -> None:
    prod = live.login("prod", "producer")
    sid = prod.post("/api/shows", {"title": "Akimat Live", "starts_at": "2026-11-24T20:00:00+05:00",
                                   "guests": GUESTS}).json()["id"]
    prod.patch(f"/api/shows/{sid}", {"status": "live"})
    plan = prod.put(f"/api/shows/{sid}/segments", {"segments": [
        {"guest": "Ерлан Сәрсенов", "title": "Алатау"}, {"guest": "Мария Ким", "title": "Свет"}]}).json()
    ids = seed(live, [new_question(sid, 0, district="alatau"), new_question(sid, 1, district="medeu"),
                      new_question(sid, 2, district="medeu"), new_question(sid, 3, district="alatau")])
    prod.post(f"/api/shows/{sid}/segment", {"segment_id": plan[0]["id"]})
    assert prod.get(f"/api/shows/{sid}").json()["segment"]["guest"] == "Ерлан Сәрсенов"
    for qid in ids[:3]:
        act(prod, qid, "approve")
    act(prod, ids[3], "approve")  # the akim's district, approved later: after his first, before the others
    order = prod.get(f"/api/shows/{sid}/questions", params={"status": "approved"}).json()
    by_pos = [q["id"] for q in sorted(order, key=lambda q: q["rundown_pos"])]
    assert by_pos == [ids[0], ids[3], ids[1], ids[2]]
    prod.post(f"/api/shows/{sid}/segment", {"segment_id": plan[1]["id"]})
    assert prod.get(f"/api/shows/{sid}").json()["segment"]["guest"] == "Мария Ким"
