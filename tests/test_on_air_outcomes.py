"""How a question leaves the air: answered, skipped back to the rundown's top, or to follow-up — each chosen
explicitly with the version its author saw, one event each, counted apart in the report; the show's end closes
the question on air. On both stores."""

from __future__ import annotations

from typing import Any

from server.air import rundown_view
from tests.conftest import LiveServer, Session
from tests.test_producer_support import act, new_question, q, seed


def kinds(live: LiveServer, qid: int) -> list[str]:
    return [r[0] for r in live.sql("SELECT kind FROM events WHERE question_id = ? ORDER BY seq", qid)]


def rundown_ids(s: Session, show_id: int) -> list[int]:
    approved = s.get(f"/api/shows/{show_id}/questions", params={"status": "approved"}).json()
    return [x["id"] for x in sorted(approved, key=lambda x: (x["rundown_pos"], x["id"]))]


def aired_show(live: LiveServer, n: int) -> tuple[int, list[int], Session]:
    sid = live.show()["id"]
    ids = seed(live, [new_question(sid, i, text=f"Вопрос {i}: когда починят дорогу на Абая {i}?") for i in range(n)])
    mod = live.login("dana", "moderator")
    for qid in ids:
        act(mod, qid, "approve")
    return sid, ids, mod


def test_skip_puts_the_question_back_at_the_top_of_the_rundown(live: LiveServer) -> None:
    sid, (a, b, c), mod = aired_show(live, 3)
    seen = act(mod, b, "on_air")
    act(mod, b, "tag", topic="roads")  # a colleague's change after dana saw it
    stale = mod.act(seen, "skip")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert q(mod, b)["status"] == "on_air"  # nothing silently applied
    skipped = act(mod, b, "skip")
    assert skipped["status"] == "approved" and skipped["rundown_pos"] == 0
    assert rundown_ids(mod, sid) == [b, a, c]
    assert kinds(live, b)[-1] == "skipped"
    assert live.call(live.efir.store.air_state(sid)).on_air is None


def test_the_next_question_on_air_says_how_the_previous_ended(live: LiveServer) -> None:
    sid, (a, b, c), mod = aired_show(live, 3)
    first = act(mod, a, "on_air")
    busy = mod.act(q(mod, b), "on_air")
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "on_air_busy"
    assert busy.json()["question"]["id"] == a
    stale = mod.act(q(mod, b), "on_air", previous="answered", previous_version=first["version"] - 1)
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert q(mod, a)["status"] == "on_air" and q(mod, b)["status"] == "approved"

    act(mod, b, "on_air", previous="skip", previous_version=first["version"])
    assert q(mod, a)["status"] == "approved" and rundown_ids(mod, sid) == [a, c]
    assert kinds(live, a)[-1] == "skipped"
    host = live.login("host1", "host")
    to_follow = host.act(q(host, c), "on_air", previous="follow_up", previous_version=q(host, b)["version"])
    assert to_follow.status_code == 403  # a follow-up is a moderator's decision
    act(host, c, "on_air", previous="answered", previous_version=q(host, b)["version"])
    assert q(mod, b)["status"] == "answered" and kinds(live, b)[-1] == "answered"
    act(mod, a, "on_air", previous="follow_up", previous_version=q(mod, c)["version"])
    assert q(mod, c)["status"] == "follow_up" and kinds(live, c)[-1] == "follow_up"


def test_the_report_counts_answered_skipped_and_follow_up_apart(live: LiveServer) -> None:
    sid, (a, b, c, d, e), mod = aired_show(live, 5)
    act(mod, a, "on_air")
    act(mod, a, "answered")
    act(mod, b, "on_air")
    act(mod, b, "skip")
    act(mod, c, "on_air")
    act(mod, c, "follow_up", assignee="Управление дорог")
    act(mod, d, "on_air")
    act(mod, e, "on_air", previous="answered", previous_version=q(mod, d)["version"])
    prod = live.login("prod", "producer")
    totals = prod.get(f"/api/shows/{sid}/report").json()["totals"]
    assert (totals["answered_on_air"], totals["skipped"], totals["follow_up_on_air"]) == (2, 1, 1)
    assert totals["not_reached"] == 0  # e is on air, b was skipped: neither counts as not reached
    assert prod.patch(f"/api/shows/{sid}", {"status": "ended", "on_air_outcome": "skip"}).status_code == 200
    totals = prod.get(f"/api/shows/{sid}/report").json()["totals"]
    assert (totals["answered_on_air"], totals["skipped"], totals["follow_up_on_air"]) == (2, 2, 1)


def test_ending_the_show_closes_the_question_on_air(live: LiveServer) -> None:
    sid, (a, b), mod = aired_show(live, 2)
    act(mod, a, "on_air")
    prod = live.login("prod", "producer")
    ended = prod.patch(f"/api/shows/{sid}", {"status": "ended"})
    assert ended.status_code == 200, ended.text
    assert q(mod, a)["status"] == "answered"
    assert live.sql("SELECT actor FROM events WHERE question_id = ? AND kind = 'answered'", a) == [("prod",)]
    view: dict[str, Any] = rundown_view(live.call(live.efir.store.air_state(sid)))
    assert view["on_air"] is None and [x["id"] for x in view["next"]] == [b]
    bad = prod.patch(f"/api/shows/{sid}", {"status": "live", "on_air_outcome": "maybe"})
    assert bad.status_code == 422
