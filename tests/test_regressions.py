"""Each test is named after what once broke (found in review) and would catch it again."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from tests.conftest import LiveServer, message
from tests.livekit import Desk, ingest


def _qs(live: LiveServer, n: int, **kw: Any) -> list[int]:
    return list(ingest(live.url, live.token("ingest"), [message(i, **kw) for i in range(n)]).json()["ids"])


def test_undo_on_one_question_never_reverts_another_moderators_change(live: LiveServer) -> None:
    live.show()
    a, b = _qs(live, 2)
    mod1, mod2 = live.login("m1"), live.login("m2")
    for qid in (a, b):
        mod1.act(mod1.get(f"/api/questions/{qid}").json(), "approve")
    mod2.act(mod2.get(f"/api/questions/{a}").json(), "reject", reason="off_topic")  # renumbers b
    undone = mod1.act(mod1.get(f"/api/questions/{b}").json(), "undo").json()
    assert undone["status"] == "new"  # b's own last change (its approval) was undone …
    assert mod1.get(f"/api/questions/{a}").json()["status"] == "rejected"  # … and mod2's rejection stands


def test_undo_of_a_merge_takes_back_only_its_own_count(live: LiveServer) -> None:
    live.show()
    text = "Когда в Шаныраке дадут горячую воду, уже неделю нет?"
    head, x = _qs(live, 2, text=None)
    mod = live.login("m")
    mod.act(mod.get(f"/api/questions/{x}").json(), "merge", into=head)
    assert mod.get(f"/api/questions/{head}").json()["asked_count"] == 2
    [dup] = ingest(live.url, live.token("ingest"), [message(7, text)]).json()["ids"]
    mod.act(mod.get(f"/api/questions/{dup}").json(), "merge", into=head)
    assert mod.get(f"/api/questions/{head}").json()["asked_count"] == 3
    mod.act(mod.get(f"/api/questions/{x}").json(), "undo")
    assert mod.get(f"/api/questions/{head}").json()["asked_count"] == 2  # not back to 1


def test_undo_that_would_break_one_on_air_per_show_is_a_409_not_a_500(live: LiveServer) -> None:
    live.show()
    ids = _qs(live, 3)
    mod = live.login("m")
    for qid in ids:
        mod.act(mod.get(f"/api/questions/{qid}").json(), "approve")
    previous: dict[str, object] = {}
    for qid in ids:
        q = mod.act(mod.get(f"/api/questions/{qid}").json(), "on_air", **previous).json()
        previous = {"previous": "answered", "previous_version": q["version"]}
    r = mod.act(mod.get(f"/api/questions/{ids[0]}").json(), "undo")
    assert r.status_code == 409 and r.json()["error"]["code"] == "stale_undo"
    assert [mod.get(f"/api/questions/{i}").json()["status"] for i in ids] == ["answered", "answered", "on_air"]


def test_claims_need_a_desk_and_cannot_be_taken_from_their_holder(live: LiveServer) -> None:
    show = live.show()
    [qid] = _qs(live, 1)
    mod = live.login("m")
    r = mod.act(mod.get(f"/api/questions/{qid}").json(), "claim")
    assert r.status_code == 422  # over HTTP a claim could never be released

    async def run() -> None:
        a = await Desk.open(f"{live.ws_url}/ws/desk?show={show['id']}", live.login("alice").ws_headers())
        b = await Desk.open(f"{live.ws_url}/ws/desk?show={show['id']}", live.login("bob").ws_headers())
        await a.until(lambda fs: a.snapshot() is not None)
        await b.until(lambda fs: b.snapshot() is not None)
        q = a.snapshot()["questions"][0]  # type: ignore[index]
        assert (await a.act("1", q, "claim"))["ok"]
        taken = await b.act("2", q, "claim")
        assert taken["ok"] is False and taken["error"]["code"] == "claimed"
        await b.close()  # bob leaving must not drop alice's claim
        await asyncio.sleep(0.2)
        assert live.call(live.efir.store.claims(show["id"])) == {"alice": [q["id"]]}
        await a.close()

    asyncio.run(run())


def test_merging_a_cluster_head_takes_its_members_without_double_counting(live: LiveServer) -> None:
    live.show()
    text = "Когда отремонтируют дорогу по улице Момышулы в Алатауском районе?"
    [target] = _qs(live, 1, text="Совсем другой вопрос про автобус 92 и его интервал")
    head, m1, m2 = ingest(live.url, live.token("ingest"), [message(10 + i, text) for i in range(3)]).json()["ids"]
    mod = live.login("m")
    assert mod.get(f"/api/questions/{head}").json()["asked_count"] == 3
    mod.act(mod.get(f"/api/questions/{head}").json(), "merge", into=target)
    assert mod.get(f"/api/questions/{target}").json()["asked_count"] == 4
    for member in (m1, m2):
        assert mod.get(f"/api/questions/{member}").json()["cluster_id"] == target
        mod.act(mod.get(f"/api/questions/{member}").json(), "merge", into=target)
    assert mod.get(f"/api/questions/{target}").json()["asked_count"] == 4  # the same four residents


def test_parallel_wrong_passwords_cannot_outrun_the_lockout(live: LiveServer) -> None:
    live.user("victim", "moderator")

    async def run() -> list[int]:
        async with httpx.AsyncClient(base_url=live.url, timeout=30) as c:
            rs = await asyncio.gather(*[c.post("/api/auth/login", json={"username": "victim", "password": f"x{i}"})
                                        for i in range(20)])
            return [r.status_code for r in rs]

    codes = asyncio.run(run())
    assert codes.count(401) <= 5 and codes.count(429) >= 15


def test_an_active_session_outlives_the_idle_timeout(live: LiveServer) -> None:
    from server import auth

    mod = live.login("busy")
    old, live.efir.auth.idle_seconds = live.efir.auth.idle_seconds, 1.0
    old_touch, auth.TOUCH_SECONDS = auth.TOUCH_SECONDS, 0
    try:
        for _ in range(6):  # 2.4 s of steady work against a 1 s idle limit
            assert mod.get("/api/auth/me").status_code == 200
            time.sleep(0.4)
        time.sleep(1.5)  # then really idle
        assert mod.get("/api/auth/me").status_code == 401
    finally:
        live.efir.auth.idle_seconds, auth.TOUCH_SECONDS = old, old_touch


def test_phone_desk_over_long_tags_are_a_422_and_store_nothing(live: LiveServer) -> None:
    show = live.show()
    operator = live.login("op", "operator")
    r = operator.post(f"/api/shows/{show['id']}/questions", {"text": "Когда дадут газ?", "topic": "x" * 101})
    assert r.status_code == 422
    assert operator.get(f"/api/shows/{show['id']}/questions").json() == []


def test_a_show_scoped_ingest_token_cannot_withdraw_another_shows_question(live: LiveServer) -> None:
    one, two = live.show("One"), live.show("Two", live=False)
    [qid] = _qs(live, 1)  # routed to the live show "One"
    scoped = live.token("ingest", two["id"])
    r = httpx.post(f"{live.url}/api/ingest/withdrawals", headers={"Authorization": f"Bearer {scoped}"},
                   json={"withdrawals": [{"channel": "telegram", "external_id": "m-0", "reason": "deleted"}]})
    assert r.status_code == 200
    mod = live.login("m")
    assert "withdrawn" not in mod.get(f"/api/questions/{qid}").json()["flags"]
    assert one["id"] != two["id"]


def test_rundown_of_an_unknown_show_is_404(live: LiveServer) -> None:
    mod = live.login("m")
    assert mod.put("/api/shows/9999/rundown", {"order": []}).status_code == 404


def test_replay_after_a_gap_matches_what_the_live_desk_saw(live: LiveServer) -> None:
    show = live.show()
    producer = live.login("p", "producer")

    async def run() -> None:
        desk = await Desk.open(f"{live.ws_url}/ws/desk?show={show['id']}", producer.ws_headers())
        await desk.until(lambda fs: desk.snapshot() is not None)
        start = desk.snapshot()["seq"]  # type: ignore[index]
        producer.get(f"/api/shows/{show['id']}/export.json")  # an audit event with the show
        _qs(live, 1)
        await desk.until(lambda fs: len(desk.events()) >= 2)
        live_kinds = [(e["seq"], e["kind"]) for e in desk.events()]
        await desk.close()
        replay = await Desk.open(f"{live.ws_url}/ws/desk?show={show['id']}&after={start}", producer.ws_headers())
        await replay.until(lambda fs: len(replay.events()) >= len(live_kinds))
        assert [(e["seq"], e["kind"]) for e in replay.events()] == live_kinds
        await replay.close()

    asyncio.run(run())


