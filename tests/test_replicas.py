"""Several servers on one PostgreSQL database share one live desk: what one replica commits reaches the
desks and prompters of the others, in one seq order, with no gap and no repeat; claims, presence and
version checks hold across replicas; a replica killed mid-ingest loses nothing acknowledged."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.auth import hash_password, new_secret, token_hash
from server.settings import Settings
from server.store import open_store
from tests.conftest import PASSWORD, LiveServer, free_port, message, run_server
from tests.livekit import Desk, ingest, read_sse
from tests.pg import PostgresLeg
from tests.test_crash import batch, start
from tests.test_live import desk_for, rundown


@pytest.fixture
def pg_url(postgres_leg: PostgresLeg) -> Iterator[str]:
    yield from postgres_leg.schema()


@pytest.fixture
def replicas(pg_url: str) -> Iterator[tuple[LiveServer, LiveServer]]:
    servers = [run_server(Settings(db=pg_url, port=free_port(), replica=name, client_queue=1000,
                                   replica_timeout_seconds=3)) for name in ("a", "b")]
    a, b = (next(s) for s in servers)
    b._users = a._users  # one set of accounts: adding a user again would sign its sessions out
    yield a, b
    for s in reversed(servers):
        for _ in s:
            pass


async def test_ingest_on_a_reaches_a_desk_on_b_and_an_approval_on_b_a_prompter_on_a(
        replicas: tuple[LiveServer, LiveServer]) -> None:
    a, b = replicas
    show = a.show()
    desk = await desk_for(b, "mod", show["id"])
    ids = ingest(a.url, a.token("ingest"), [message(i) for i in range(3)]).json()["ids"]
    await desk.until(lambda fs: all(desk.seen(i, "received") for i in ids))

    key = a.token("prompter", show["id"])
    wanted = asyncio.ensure_future(read_sse(
        f"{a.url}/prompter/{show['id']}/events", {"Authorization": f"Bearer {key}"},
        lambda evs: any([q["id"] for q in r["next"]] == [ids[1]] for r in rundown(evs)), timeout=10))
    await asyncio.sleep(0.3)  # the prompter on A is connected and has the empty rundown
    mod = b.login("mod")
    r = await asyncio.to_thread(mod.act, mod.get(f"/api/questions/{ids[1]}").json(), "approve")
    assert r.status_code == 200, r.text
    await wanted
    await desk.until(lambda fs: desk.seen(ids[1], "approved"))
    seqs = [e["seq"] for e in desk.events()]
    assert seqs == sorted(set(seqs))  # one order, nothing twice
    await desk.close()


def test_the_same_version_approved_on_two_replicas_one_wins_the_other_gets_409(
        replicas: tuple[LiveServer, LiveServer]) -> None:
    a, b = replicas
    a.show()
    ids = ingest(a.url, a.token("ingest"), [message(i) for i in range(8)]).json()["ids"]
    alice, bob = a.login("alice"), b.login("bob")
    for qid in ids:
        q = alice.get(f"/api/questions/{qid}").json()
        gate = threading.Barrier(2)
        codes: dict[str, int] = {}

        def approve(who: str, session: Any, q: dict[str, Any] = q, gate: threading.Barrier = gate,
                    codes: dict[str, int] = codes) -> None:
            gate.wait()
            codes[who] = session.act(q, "approve").status_code

        threads = [threading.Thread(target=approve, args=(n, s)) for n, s in (("alice", alice), ("bob", bob))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert sorted(codes.values()) == [200, 409], codes
        final = bob.get(f"/api/questions/{qid}").json()
        assert final["status"] == "approved" and final["version"] == q["version"] + 1
    approvals = a.sql("SELECT count(*) FROM events WHERE kind = 'approved'")[0][0]
    assert approvals == len(ids)
    assert [r[0] for r in a.sql("SELECT id FROM questions WHERE rundown_pos IS NOT NULL ORDER BY rundown_pos")] \
        == sorted(ids, key=lambda i: [r[0] for r in a.sql(
            "SELECT question_id FROM events WHERE kind = 'approved' ORDER BY seq")].index(i))


async def test_claims_and_presence_hold_across_replicas(replicas: tuple[LiveServer, LiveServer]) -> None:
    a, b = replicas
    show = a.show()
    (qid,) = ingest(a.url, a.token("ingest"), [message(1)]).json()["ids"]
    alice_desk = await desk_for(a, "alice", show["id"])
    bob_desk = await desk_for(b, "bob", show["id"])

    def users(desk: Desk) -> list[str]:
        frames = [f for f in desk.frames if f["type"] == "presence"] or [desk.snapshot() or {}]
        last = frames[-1]
        return sorted(u["user"] for u in (last.get("users") or last.get("presence") or []))

    await alice_desk.until(lambda fs: users(alice_desk) == ["alice", "bob"], timeout=5)
    q = b.login("bob").get(f"/api/questions/{qid}").json()
    ack = await alice_desk.act("c1", q, "claim")
    assert ack["ok"], ack
    await bob_desk.until(lambda fs: any(f["type"] == "presence" and any(
        u["user"] == "alice" and u["claims"] == [qid] for u in f["users"]) for f in fs), timeout=5)
    refused = await bob_desk.act("b1", q, "approve")  # claimed on the other replica
    assert not refused["ok"] and refused["error"]["code"] == "claimed"
    await alice_desk.close()  # alice's desk goes: her claim and her presence with it, on every replica
    await bob_desk.until(lambda fs: users(bob_desk) == ["bob"], timeout=5)
    approved = await bob_desk.act("b2", q, "approve")
    assert approved["ok"], approved
    await bob_desk.close()


async def test_a_replica_whose_listener_drops_catches_up_from_the_log(replicas: tuple[LiveServer, LiveServer],
                                                                    postgres_leg: PostgresLeg) -> None:
    a, b = replicas
    show = a.show()
    desk = await desk_for(a, "mod", show["id"])
    token = b.token("ingest")
    first = ingest(b.url, token, [message(i) for i in range(5)]).json()["ids"]
    await desk.until(lambda fs: all(desk.seen(i) for i in first))
    feed: Any = a.efir.store.feed  # type: ignore[attr-defined]
    pid = a.call(feed._listener.fetchval("SELECT pg_backend_pid()"))
    before = feed.reconnects
    postgres_leg.admin(f"SELECT pg_terminate_backend({pid})")
    later = ingest(b.url, token, [message(i) for i in range(5, 40)]).json()["ids"]
    await desk.until(lambda fs: all(desk.seen(i) for i in later), timeout=10)
    deadline = time.monotonic() + 5
    while feed.reconnects == before and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert feed.reconnects > before  # the listener did drop, and came back
    more = ingest(b.url, token, [message(i) for i in range(40, 45)]).json()["ids"]
    await desk.until(lambda fs: all(desk.seen(i) for i in more), timeout=5)
    received = [e["question"]["id"] for e in desk.events() if e["kind"] == "received"]
    assert sorted(received) == sorted(first + later + more)  # each exactly once
    seqs = [e["seq"] for e in desk.events()]
    assert seqs == sorted(set(seqs))
    await desk.close()


@pytest.mark.slow
async def test_kill_9_of_a_replica_mid_ingest_its_desk_resumes_on_the_other_exactly_once(
        pg_url: str, tmp_path: Path) -> None:
    store = open_store(pg_url, server=False)
    await store.open()
    try:
        await store.add_user("mod", "moderator", hash_password(PASSWORD))
        secret = new_secret()
        await store.create_token("ingest", token_hash(secret), None, "test")
        show = await store.create_show({"title": "Akimat Live", "starts_at": "2026-11-22T20:00:00+06:00"}, "t")
        await store.update_show(show["id"], {"status": "live"}, "t")
    finally:
        await store.close()
    env = {**os.environ, "EFIR_DB": pg_url, "EFIR_REPLICA_TIMEOUT_SECONDS": "3", "EFIR_TRIAGE_WORKERS": "1"}
    ports = {"a": free_port(), "b": free_port()}
    procs = {name: start(port, {**env, "EFIR_REPLICA": name}, tmp_path / f"{name}.log") for name, port in ports.items()}
    url = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    try:
        def sign_in(base: str) -> httpx.Client:
            client = httpx.Client(base_url=base, timeout=10)
            assert client.post("/api/auth/login", json={"username": "mod", "password": PASSWORD}).status_code == 200
            return client

        def headers(client: httpx.Client, base: str) -> dict[str, str]:
            return {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()), "Origin": base}

        on_a = sign_in(url["a"])
        desk = await Desk.open(url["a"].replace("http", "ws") + f"/ws/desk?show={show['id']}",
                               headers(on_a, url["a"]))
        await desk.until(lambda fs: bool(fs) and fs[0]["type"] == "snapshot")

        acked: dict[int, list[int]] = {}
        unacked: list[int] = []
        stop = threading.Event()

        def sender() -> None:
            n = 0
            with httpx.Client(timeout=5) as client:
                while not stop.is_set():
                    try:
                        r = client.post(url["a"] + "/api/ingest", json={"messages": batch(n)},
                                        headers={"Authorization": f"Bearer {secret}"})
                        ok = r.status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    if not ok:
                        unacked.append(n)
                        return
                    acked[n] = r.json()["ids"]
                    n += 1

        thread = threading.Thread(target=sender)
        thread.start()
        await desk.until(lambda fs: len(desk.events()) >= 300, timeout=20)
        os.killpg(procs["a"].pid, signal.SIGKILL)  # the desk's replica dies with a batch in flight
        procs["a"].wait()
        thread.join(10)
        stop.set()
        assert unacked, "the kill should have cut off a request"
        with pytest.raises(Exception):  # noqa: B017 — the connection is gone, whatever the client calls it
            await desk.until(lambda fs: False, timeout=2)
        last = max(e["seq"] for e in desk.events())

        on_b = sign_in(url["b"])  # the load balancer sends the desk to the replica still standing
        resumed = await Desk.open(url["b"].replace("http", "ws") + f"/ws/desk?show={show['id']}&after={last}",
                                  headers(on_b, url["b"]))
        with httpx.Client(timeout=10) as client:
            for n in unacked:  # the worker re-sends what was not acknowledged, now to B
                r = client.post(url["b"] + "/api/ingest", json={"messages": batch(n)},
                                headers={"Authorization": f"Bearer {secret}"})
                assert r.status_code == 200 and r.json()["accepted"] + r.json()["duplicates"] == len(batch(n))
        stored = await _received_ids(pg_url)
        await resumed.until(lambda fs: {e["question"]["id"] for e in desk.events() + resumed.events()
                                        if e["kind"] == "received"} >= set(stored), timeout=20)
        await asyncio.sleep(0.5)  # anything repeated would arrive now
        assert resumed.snapshot() is None  # a replay from `after`, not a fresh snapshot
        seen = desk.events() + resumed.events()
        seqs = [e["seq"] for e in seen]
        assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))  # every event once, in order, across both
        received = [e["question"]["id"] for e in seen if e["kind"] == "received"]
        assert sorted(received) == sorted(stored)  # one `received` per stored question
        for ids in acked.values():  # nothing acknowledged is lost
            assert set(ids) <= set(stored)
        await resumed.close()
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(15)


async def _received_ids(url: str) -> list[int]:
    store = open_store(url, server=False)
    await store.open()
    try:
        return await store._read(lambda c: [int(r[0]) for r in c.execute(
            "SELECT question_id FROM events WHERE kind = 'received' ORDER BY seq")])
    finally:
        await store.close()


async def test_a_cue_sent_on_one_replica_shows_and_is_acknowledged_on_the_other(
        replicas: tuple[LiveServer, LiveServer]) -> None:
    a, b = replicas
    show = a.show()
    key = a.token("prompter", show["id"])
    url_b = f"{b.url}/prompter/{show['id']}/events"
    shown = asyncio.ensure_future(read_sse(url_b, {"Authorization": f"Bearer {key}"},
                                           lambda evs: any(e["event"] == "cue" for e in evs), timeout=10))
    await asyncio.sleep(0.3)
    producer = a.login("prod", "producer")
    sent = await asyncio.to_thread(producer.post, f"/api/shows/{show['id']}/cue", {"text": "Осталась 1 минута"})
    assert sent.status_code == 200
    cue = json.loads(next(e for e in await shown if e["event"] == "cue")["data"])
    assert cue["text"] == "Осталась 1 минута" and cue["id"] == sent.json()["id"]
    # the host acknowledges on replica B: a prompter opening on A now shows no cue
    ack = await asyncio.to_thread(httpx.post, f"{b.url}/prompter/{show['id']}/cue/{cue['id']}/ack",
                                  params={"key": key})
    assert ack.json() == {"ok": True, "cue": cue["id"]}
    later = await read_sse(f"{a.url}/prompter/{show['id']}/events", {"Authorization": f"Bearer {key}"},
                           lambda evs: len(evs) >= 1)
    await asyncio.sleep(0.3)
    assert [e["event"] for e in later] == ["rundown"] and a.efir.cues.fresh(show["id"]) is None


def test_two_replicas_putting_questions_on_air_at_once_leave_exactly_one_on_air(
        replicas: tuple[LiveServer, LiveServer]) -> None:
    a, b = replicas
    show = a.show()
    ids = ingest(a.url, a.token("ingest"), [message(i) for i in range(6)]).json()["ids"]
    alice, bob = a.login("alice"), b.login("bob")
    approved = [alice.act(alice.get(f"/api/questions/{qid}").json(), "approve").json() for qid in ids]
    for first, second in ((approved[0], approved[1]), (approved[2], approved[3]), (approved[4], approved[5])):
        gate = threading.Barrier(2)
        codes: list[int] = []
        errors: list[str] = []

        def air(session: Any, q: dict[str, Any], gate: threading.Barrier = gate, codes: list[int] = codes,
                errors: list[str] = errors) -> None:
            gate.wait()
            r = session.act(q, "on_air")
            codes.append(r.status_code)
            if r.status_code != 200:
                errors.append(r.json()["error"]["code"])

        threads = [threading.Thread(target=air, args=(alice, first)), threading.Thread(target=air, args=(bob, second))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        # one after the other: the later one finds a question on air and is told so, never answers it silently
        assert sorted(codes) == [200, 409] and errors == ["on_air_busy"]
        on_air = a.sql("SELECT id FROM questions WHERE show_id = ? AND status = 'on_air'", show["id"])
        assert len(on_air) == 1 and on_air[0][0] in (first["id"], second["id"])
        other = second["id"] if on_air[0][0] == first["id"] else first["id"]
        assert bob.get(f"/api/questions/{other}").json()["status"] == "approved"
        winner = bob.get(f"/api/questions/{on_air[0][0]}").json()
        assert bob.act(winner, "answered").status_code == 200
