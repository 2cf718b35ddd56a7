"""The follow-up board: cases across shows, assigned, due, resolved through the desk's own `follow_up`
action, filterable, overdue marked, every change an event."""

from __future__ import annotations

from tests.conftest import LiveServer
from tests.test_producer_support import GUESTS, act, new_question, scripted_show, seed


def test_unreached_questions_become_cases_and_move_through_states(live: LiveServer) -> None:
    show = scripted_show(live)
    prod = live.login("aigerim", "producer")
    assert prod.patch(f"/api/shows/{show.show_id}", {"status": "ended"}).status_code == 200
    opened = prod.post(f"/api/shows/{show.show_id}/followups", {"include_new": True}).json()["opened"]
    assert sorted(opened) == sorted([show.ids[9], *show.ids[15:]])  # the approved one left and the new ones
    board = prod.get(f"/api/followups?show={show.show_id}&today=2026-12-10").json()
    cases = {c["id"]: c for c in board["cases"]}
    assert len(cases) == 9 and all(c["show_title"] == "Akimat Live — Алатау" for c in cases.values())
    assert cases[show.ids[9]]["follow_up"]["due"] == "2026-12-24"  # a month after the show by default
    assert all("contact" not in c["author"] for c in cases.values())
    # earlier cases were due on 2026-12-01: overdue on the 10th, the new ones are not
    assert {c["id"] for c in cases.values() if c["overdue"]} == set(show.followed)
    overdue = prod.get("/api/followups?overdue=1&today=2026-12-10").json()["cases"]
    assert {c["id"] for c in overdue} == set(show.followed)

    case = cases[show.followed[0]]
    r = prod.patch(f"/api/followups/{case['id']}", {"version": case["version"], "resolution": "needs_time",
                                                    "note": "Ремонт весной", "due": "2027-04-01"})
    assert r.status_code == 200, r.text
    after = r.json()
    assert after["follow_up"] == {"assignee": "Управление энергетики", "due": "2027-04-01",
                                  "resolution": "needs_time", "note": "Ремонт весной"}
    stale = prod.patch(f"/api/followups/{case['id']}", {"version": case["version"], "resolution": "resolved"})
    assert stale.status_code == 409 and stale.json()["question"]["version"] == after["version"]
    done = prod.patch(f"/api/followups/{case['id']}", {"version": after["version"], "resolution": "resolved",
                                                       "note": "Отремонтировано 12 декабря"}).json()
    assert done["follow_up"]["resolution"] == "resolved" and done["status"] == "follow_up"
    explained = cases[show.followed[1]]
    prod.patch(f"/api/followups/{explained['id']}", {"version": explained["version"], "resolution": "explained"})

    resolved = prod.get("/api/followups?resolution=resolved").json()["cases"]
    assert [c["id"] for c in resolved] == [case["id"]]
    still_open = prod.get("/api/followups?resolution=open&today=2026-12-10").json()["cases"]
    assert case["id"] not in {c["id"] for c in still_open} and len(still_open) == 7
    overdue = prod.get("/api/followups?overdue=1&today=2026-12-10").json()["cases"]
    assert [c["id"] for c in overdue] == [show.followed[2]]  # resolved, explained are closed
    by_assignee = prod.get("/api/followups", params={"assignee": "Управление энергетики"}).json()["cases"]
    assert len(by_assignee) == 3

    history = prod.get(f"/api/followups/{case['id']}/history").json()
    assert [(h["kind"], h["actor"], h["changes"]["follow_up"]["resolution"]) for h in history
            if h["kind"] == "follow_up"] == [("follow_up", "timur", None), ("follow_up", "aigerim", "needs_time"),
                                             ("follow_up", "aigerim", "resolved")]
    report = prod.get(f"/api/shows/{show.show_id}/report").json()
    assert report["resolutions"] == {"explained": 1, "open": 7, "resolved": 1}
    assert prod.patch(f"/api/followups/{case['id']}", {"version": 1, "resolution": "fixed"}).status_code == 422
    mod = live.login("dana", "moderator")
    assert mod.get("/api/followups").status_code == 200
    assert mod.patch(f"/api/followups/{case['id']}", {"version": done["version"]}).status_code == 403


def test_cases_span_shows_and_go_to_the_guests_department(live: LiveServer) -> None:
    prod = live.login("prod", "producer")
    shows = [prod.post("/api/shows", {"title": t, "starts_at": d, "guests": GUESTS}).json()
             for t, d in (("Tuesday", "2026-11-24T20:00:00+05:00"), ("Thursday", "2026-11-26T20:00:00+05:00"))]
    first = seed(live, [new_question(shows[0]["id"], 0, district="alatau"),
                        new_question(shows[0]["id"], 1, addressee="Мария Ким", topic="heating")])
    second = seed(live, [new_question(shows[1]["id"], 0, district="medeu", topic="water")])
    for qid in first + second:
        act(prod, qid, "approve")
    for show in shows:
        prod.post(f"/api/shows/{show['id']}/followups", {"due": "2026-12-15"})
    cases = prod.get("/api/followups").json()["cases"]
    assert {c["id"]: c["follow_up"]["assignee"] for c in cases} == {
        first[0]: "Ерлан Сәрсенов", first[1]: "Управление энергетики", second[0]: None}
    assert [c["id"] for c in prod.get("/api/followups?topic=heating").json()["cases"]] == [first[1]]
    assert [c["id"] for c in prod.get(f"/api/followups?show={shows[1]['id']}").json()["cases"]] == second
    assert prod.get("/api/followups?resolution=maybe").status_code == 422
