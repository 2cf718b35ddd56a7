"""The store (SQLite and PostgreSQL, every test on both) and the desk rules it runs: transitions, versions,
undo, merge, rundown, idempotent ingest."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

import pytest

from ingest.triage import DedupeIndex
from schemas import Action
from server.errors import Conflict, Invalid, NotFound
from server.store import SQLStore, open_store
from server.store.base import LiveEvent, NewQuestion, QuestionFilter
from server.store.sqlite import SQLiteStore


def item(i: int, text: str | None = None, show_id: int | None = 1, channel: str = "telegram") -> NewQuestion:
    return NewQuestion(show_id=show_id, channel=channel, external_id=f"x-{i}", author_name=f"Viewer {i}",
                       author_handle=f"@v{i}", author_contact=None, text_original=text or f"Question number {i}",
                       text=text or f"Question number {i}", lang="en", flags=(), topic=None, district=None,
                       priority=1.0)


class Recorder:
    def __init__(self) -> None:
        self.events: list[LiveEvent] = []

    def __call__(self, events: list[LiveEvent]) -> None:
        self.events.extend(events)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[SQLStore]:
    s = open_store(db_url, on_commit=Recorder())
    await s.open()
    show = await s.create_show({"title": "Akimat Live", "starts_at": "2026-11-22T20:00:00+06:00"}, "producer")
    await s.update_show(show["id"], {"status": "live"}, "producer")
    yield s
    await s.close()


async def new(store: SQLStore, n: int) -> list[dict[str, Any]]:
    outcome = await store.ingest([item(i) for i in range(n)], "test")
    return [q for q in [await store.get_question(i) for i in outcome.ids] if q]


async def act(store: SQLStore, q: dict[str, Any], action: str, actor: str = "mod", **fields: Any) -> dict[str, Any]:
    return await store.act(q["id"], Action(action=action, version=q["version"], **fields), actor)  # type: ignore[arg-type]


async def test_ingest_is_idempotent_by_channel_and_external_id(store: SQLStore) -> None:
    first = await store.ingest([item(1), item(2), item(1)], "test")
    assert (first.accepted, first.duplicates) == (2, 1)
    assert first.ids[0] == first.ids[2]
    again = await store.ingest([item(2), item(3)], "test")
    assert (again.accepted, again.duplicates) == (1, 1)
    assert again.ids[0] == first.ids[1]
    same_id_other_channel = await store.ingest([item(1, channel="whatsapp")], "test")
    assert same_id_other_channel.accepted == 1


async def test_concurrent_duplicate_batches_store_each_message_once(store: SQLStore) -> None:
    batch = [item(i) for i in range(50)]
    outcomes = await asyncio.gather(*[store.ingest(batch, "test") for _ in range(8)])
    assert sum(o.accepted for o in outcomes) == 50
    assert sum(o.duplicates for o in outcomes) == 50 * 7
    assert all(o.ids == outcomes[0].ids for o in outcomes)
    listed = await store.list_questions(1, QuestionFilter(limit=1000))
    assert len(listed) == 50


async def test_every_change_appends_an_event_with_increasing_seq(store: SQLStore) -> None:
    recorder = store._on_commit
    assert isinstance(recorder, Recorder)
    (q,) = await new(store, 1)
    q = await act(store, q, "approve")
    q = await act(store, q, "edit", text="Когда починят дорогу?")
    seqs = [e.seq for e in recorder.events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    kinds = [e.kind for e in recorder.events if e.question_id == q["id"]]
    assert kinds == ["received", "approved", "edited"]
    log = await store.log(1)
    assert [e["kind"] for e in log if e["question_id"] == q["id"]] == kinds
    edited = next(e for e in log if e["kind"] == "edited")
    assert edited["payload"]["before"]["text"] == "Question number 0"
    assert edited["actor"] == "mod"


async def test_stale_version_is_a_conflict_and_changes_nothing(store: SQLStore) -> None:
    (q,) = await new(store, 1)
    approved = await act(store, q, "approve")
    with pytest.raises(Conflict) as err:
        await act(store, q, "reject", reason="spam")  # version seen before the approval
    assert err.value.code == "conflict"
    assert err.value.extra["question"]["status"] == "approved"
    assert (await store.get_question(q["id"])) == approved


async def test_status_machine_refuses_impossible_moves(store: SQLStore) -> None:
    (q,) = await new(store, 1)
    with pytest.raises(Conflict) as err:
        await act(store, q, "on_air")  # not approved yet
    assert err.value.code == "invalid_transition"
    with pytest.raises(Invalid):
        await act(store, q, "reject")  # a rejection needs a reason
    rejected = await act(store, q, "reject", reason="off_topic")
    assert rejected["status"] == "rejected" and rejected["reason"] == "off_topic"
    assert "rejected" in rejected["transitions"]


async def test_one_on_air_per_show_the_previous_ends_as_the_actor_says(store: SQLStore) -> None:
    a, b = await new(store, 2)
    a = await act(store, a, "approve")
    b = await act(store, b, "approve")
    a = await act(store, a, "on_air")
    assert a["status"] == "on_air" and a["on_air_offset"] is not None and a["on_air_offset"] >= 0
    with pytest.raises(Conflict) as err:  # never an implied answer
        await act(store, b, "on_air")
    assert err.value.code == "on_air_busy" and err.value.extra["question"]["id"] == a["id"]
    b = await act(store, b, "on_air", previous="answered", previous_version=a["version"])
    a = await store.get_question(a["id"])  # type: ignore[assignment]
    assert a["status"] == "answered"
    assert [q["status"] for q in await store.list_questions(1, QuestionFilter(status="on_air"))] == ["on_air"]


async def test_approve_builds_the_rundown_and_queue_reorders_it(store: SQLStore) -> None:
    qs = await new(store, 3)
    qs = [await act(store, q, "approve") for q in qs]
    air = await store.air_state(1)
    assert [q["id"] for q in air.next] == [q["id"] for q in qs]
    last = qs[2]
    await act(store, last, "queue", position=0)
    air = await store.air_state(1)
    assert [q["id"] for q in air.next] == [qs[2]["id"], qs[0]["id"], qs[1]["id"]]
    # others moved down without a version bump: a moderator holding them gets no false conflict
    assert (await store.get_question(qs[0]["id"]))["version"] == qs[0]["version"]  # type: ignore[index]


async def test_set_rundown_takes_a_full_order(store: SQLStore) -> None:
    qs = [await act(store, q, "approve") for q in await new(store, 3)]
    ids = [q["id"] for q in qs]
    order = await store.set_rundown(1, [ids[1], ids[2]], "producer")
    assert order == [ids[1], ids[2], ids[0]]
    with pytest.raises(Invalid):
        await store.set_rundown(1, [99999], "producer")


async def test_merge_grows_the_target_and_undo_restores_both(store: SQLStore) -> None:
    a, b = await new(store, 2)
    merged = await act(store, b, "merge", into=a["id"])
    assert merged["status"] == "merged" and merged["merged_into"] == a["id"]
    target = await store.get_question(a["id"])
    assert target is not None and target["asked_count"] == 2
    undone = await act(store, merged, "undo")
    assert undone["status"] == "new" and undone["merged_into"] is None
    target = await store.get_question(a["id"])
    assert target is not None and target["asked_count"] == 1


async def test_merge_refuses_self_and_unknown_targets(store: SQLStore) -> None:
    (a,) = await new(store, 1)
    with pytest.raises(Conflict):
        await act(store, a, "merge", into=a["id"])
    with pytest.raises(NotFound):
        await act(store, a, "merge", into=424242)


async def test_undo_steps_back_one_change_at_a_time(store: SQLStore) -> None:
    (q,) = await new(store, 1)
    q = await act(store, q, "approve")
    q = await act(store, q, "edit", text="Edited for air")
    q = await act(store, q, "undo")
    assert q["text"] == "Question number 0" and q["status"] == "approved"
    q = await act(store, q, "undo")
    assert q["status"] == "new" and q["rundown_pos"] is None
    with pytest.raises(Conflict) as err:
        await act(store, q, "undo")
    assert err.value.code == "nothing_to_undo"


async def test_undo_of_on_air_restores_the_previous_on_air(store: SQLStore) -> None:
    a, b = [await act(store, q, "approve") for q in await new(store, 2)]
    a = await act(store, a, "on_air")
    b = await act(store, b, "on_air", previous="answered", previous_version=a["version"])
    b = await act(store, b, "undo")
    assert b["status"] == "approved"
    restored = await store.get_question(a["id"])
    assert restored is not None and restored["status"] == "on_air"


async def test_claims_block_other_moderators_until_released(store: SQLStore) -> None:
    (q,) = await new(store, 1)
    await store.act(q["id"], Action(action="claim", version=q["version"]), "alice", "conn-a")
    with pytest.raises(Conflict) as err:
        await act(store, q, "approve", actor="bob")
    assert err.value.code == "claimed" and err.value.extra["claimed_by"] == "alice"
    assert await store.claims(1) == {"alice": [q["id"]]}
    assert await store.release_connection("conn-a") == [q["id"]]
    assert (await act(store, q, "approve", actor="bob"))["status"] == "approved"


async def test_near_duplicates_join_one_cluster(db_url: str) -> None:
    s = open_store(db_url, clusterer=DedupeIndex())
    await s.open()
    try:
        show = await s.create_show({"title": "T", "starts_at": "2026-11-22T20:00:00+06:00"}, "p")
        text = "Когда починят дорогу на улице Абая в Алмалинском районе?"
        out = await s.ingest([item(1, text, show["id"]), item(2, text, show["id"])], "test")
        head, member = [await s.get_question(i) for i in out.ids]
        assert head is not None and member is not None
        assert member["cluster_id"] == head["id"] == head["cluster_id"]
        assert head["asked_count"] == 2
    finally:
        await s.close()


async def test_events_after_replays_with_current_state(store: SQLStore) -> None:
    (q,) = await new(store, 1)
    mark = await store.max_seq()
    q = await act(store, q, "approve")
    q = await act(store, q, "star")
    replay = await store.events_after(1, mark, 100)
    assert [e.kind for e in replay] == ["approved", "starred"]
    assert all(e.question and e.question["version"] == q["version"] for e in replay)


async def test_snapshot_is_consistent_with_its_seq(store: SQLStore) -> None:
    await new(store, 5)
    snap = await store.snapshot(1)
    assert len(snap.questions) == 5 and snap.seq == await store.max_seq()


async def test_database_is_wal_with_migrations_recorded(store: SQLStore) -> None:
    from server.store.schema import MIGRATIONS

    if not isinstance(store, SQLiteStore):
        versions = await store._read(lambda c: [r[0] for r in c.execute("SELECT version FROM schema_version")])
        assert sorted(versions) == list(range(1, len(MIGRATIONS) + 1))
        return
    conn = sqlite3.connect(store.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    finally:
        conn.close()


async def test_a_failing_job_does_not_sink_its_batch(store: SQLStore) -> None:
    (q,) = await new(store, 1)
    good = store.ingest([item(100)], "test")
    bad = act(store, q, "merge", into=999999)
    results = await asyncio.gather(good, bad, return_exceptions=True)
    assert results[0].accepted == 1  # type: ignore[union-attr]
    assert isinstance(results[1], NotFound)


def test_show_feed_keeps_a_bounded_ring_but_never_less_than_one_commit() -> None:
    from server.hub import ShowFeed

    def ev(seq: int) -> LiveEvent:
        return LiveEvent(seq, 1, seq, "received", "t", "now")

    async def run() -> None:
        feed = ShowFeed(capacity=5)
        feed.append([ev(i) for i in range(1, 4)])
        assert [e.seq for e in feed.since(0, 100) or []] == [1, 2, 3]
        feed.append([ev(i) for i in range(4, 12)])  # one commit larger than the ring
        assert len(feed) == 8 and feed.dropped_upto == 3
        assert [e.seq for e in feed.since(3, 100) or []] == list(range(4, 12))  # current desk: all of it
        assert feed.since(2, 100) is None  # a desk that missed seq 3: snapshot
        feed.append([ev(12)])
        assert len(feed) == 5 and feed.since(7, 2) is not None and [e.seq for e in feed.since(7, 2) or []] == [8, 9]

    asyncio.run(run())


async def test_withdrawal_flags_the_question_and_takes_it_off_the_rundown(store: SQLStore) -> None:
    a, b = [await act(store, q, "approve") for q in await new(store, 2)]
    withdrawn = await store.withdraw("telegram", a["external_id"], "deleted", "ingest:telegram")
    assert withdrawn is not None and "withdrawn" in withdrawn["flags"]
    assert withdrawn["status"] == "new" and withdrawn["rundown_pos"] is None
    assert [q["id"] for q in (await store.air_state(1)).next] == [b["id"]]
    assert await store.withdraw("telegram", "never-arrived", "deleted", "x") is None


async def test_withdrawing_the_on_air_question_alerts_instead_of_pulling_it(store: SQLStore) -> None:
    (q,) = await new(store, 1)
    q = await act(store, await act(store, q, "approve"), "on_air")
    withdrawn = await store.withdraw("telegram", q["external_id"], "deleted", "ingest:telegram")
    assert withdrawn is not None and withdrawn["status"] == "on_air" and "withdrawn" in withdrawn["flags"]
    kinds = [e["kind"] for e in await store.log(1) if e["question_id"] == q["id"]]
    assert kinds[-1] == "withdrawn_on_air"


async def test_an_action_jumps_the_ingest_queue(store: SQLStore) -> None:
    import threading

    (q,) = await new(store, 1)
    gate = threading.Event()
    blocker = store._writer.submit(lambda t: gate.wait(10))  # the writer is busy: all below waits in its queue
    await asyncio.sleep(0.05)
    order: list[str] = []
    ingests = [asyncio.ensure_future(store.ingest([item(1000 + 10 * k + i) for i in range(100)], "t"))
               for k in range(30)]
    action = asyncio.ensure_future(act(store, q, "approve"))
    for i, fut in enumerate(ingests):
        fut.add_done_callback(lambda _, i=i: order.append(f"ingest{i}"))
    action.add_done_callback(lambda _: order.append("action"))
    await asyncio.sleep(0.05)
    gate.set()
    await asyncio.gather(blocker, action, *ingests)
    assert order.index("action") < 3  # queued last, committed among the first: it did not wait for 3,000 inserts
    assert (await store.get_question(q["id"]))["status"] == "approved"  # type: ignore[index]


async def test_snapshot_of_a_huge_show_holds_the_rundown_and_the_newest(db_url: str) -> None:
    from server.store import sql as sqlite_store

    s = open_store(db_url)
    await s.open()
    try:
        show = await s.create_show({"title": "T", "starts_at": "2026-11-22T20:00:00+06:00"}, "p")
        out = await s.ingest([item(i, show_id=show["id"]) for i in range(60)], "t")
        first = await s.get_question(out.ids[0])
        assert first is not None
        await s.act(first["id"], Action(action="approve", version=first["version"]), "mod")
        old_limit = sqlite_store.SNAPSHOT_LIMIT
        sqlite_store.SNAPSHOT_LIMIT = 20
        try:
            snap = await s.snapshot(show["id"])
        finally:
            sqlite_store.SNAPSHOT_LIMIT = old_limit
        ids = [q["id"] for q in snap.questions]
        assert snap.total == 60 and len(ids) == 21
        assert ids[0] == first["id"] and ids[1:] == out.ids[-20:]  # the approved one and the newest twenty
    finally:
        await s.close()


def test_desks_at_the_same_cursor_share_one_frame_string() -> None:
    from server.hub import ShowFeed

    async def run() -> None:
        feed = ShowFeed(100)
        events = [LiveEvent(i, 1, i, "received", "t", "now", {"id": i}) for i in range(1, 4)]
        feed.append(events)
        a, b = feed.since(0, 10), feed.since(0, 10)
        assert a is not None and b is not None
        assert feed.frame(a) is feed.frame(b)
        assert '"seq":3' in feed.frame(a)

    asyncio.run(run())


async def busy(store: SQLStore) -> tuple[asyncio.Future[Any], Any]:
    """Hold the writer (so what is submitted next meets in one batch); set the returned gate to go on."""
    import threading

    gate = threading.Event()
    blocker = store._writer.submit(lambda t: gate.wait(10))
    await asyncio.sleep(0.05)
    return blocker, gate


async def test_ingest_requests_that_meet_in_one_transaction_are_written_as_one(store: SQLStore) -> None:
    calls: list[int] = []
    many = store._ingest_many

    def counted(tx: Any, requests: list[Any]) -> list[Any]:
        calls.append(len(requests))
        return many(tx, requests)

    store._ingest_many = counted  # type: ignore[method-assign]
    recorder = store._on_commit
    assert isinstance(recorder, Recorder)
    blocker, gate = await busy(store)
    # four viewers' batches arrive while the writer is busy; the second repeats one of the first's messages
    batches = [[item(10 * k + i) for i in range(5)] for k in range(4)]
    batches[1][0] = item(3)
    ingests = [asyncio.ensure_future(store.ingest(b, f"ingest:{k}")) for k, b in enumerate(batches)]
    await asyncio.sleep(0.05)
    gate.set()
    await blocker
    outcomes = await asyncio.gather(*ingests)
    assert calls == [4]  # one write for the four requests
    assert [(o.accepted, o.duplicates) for o in outcomes] == [(5, 0), (4, 1), (5, 0), (5, 0)]
    assert outcomes[1].ids[0] == outcomes[0].ids[3]
    received = {ev.question_id: ev.actor for ev in recorder.events if ev.kind == "received"}
    assert len(received) == 19  # each question received once, in the name of the request that stored it
    assert received[outcomes[2].ids[0]] == "ingest:2" and received[outcomes[1].ids[0]] == "ingest:0"
    seqs = [ev.seq for ev in recorder.events]
    assert seqs == sorted(seqs)


async def test_a_bad_request_fails_alone_when_requests_are_merged(store: SQLStore) -> None:
    blocker, gate = await busy(store)
    good = [asyncio.ensure_future(store.ingest([item(100 + k)], "t")) for k in range(3)]
    bad = asyncio.ensure_future(store.ingest([item(200, show_id=999_999)], "t"))  # no such show
    await asyncio.sleep(0.05)
    gate.set()
    await blocker
    assert [o.accepted for o in await asyncio.gather(*good)] == [1, 1, 1]
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        await bad
    listed = await store.list_questions(1, QuestionFilter(limit=100))
    assert sorted(q["external_id"] for q in listed) == ["x-100", "x-101", "x-102"]


async def test_unrouted_messages_go_to_the_show_on_air_when_written(store: SQLStore) -> None:
    later = await store.create_show({"title": "Next", "starts_at": "2026-11-23T20:00:00+06:00"}, "producer")
    blocker, gate = await busy(store)
    ending = asyncio.ensure_future(store.update_show(1, {"status": "ended"}, "producer"))
    await asyncio.sleep(0.05)
    # sent while show 1 is still on air, written after it ended
    pending = asyncio.ensure_future(store.ingest([item(1, show_id=None)], "t", route=True))
    await asyncio.sleep(0.05)
    gate.set()
    await asyncio.gather(blocker, ending)
    out = await pending
    q = await store.get_question(out.ids[0])
    assert q is not None and q["show_id"] == later["id"]  # show 1 ended before the write: the next one takes it


async def test_undo_never_takes_back_a_colleagues_later_action(store: SQLStore) -> None:
    """Issue 16: `u` undid the other moderator's action. A approves, B rejects, A's undo is refused naming B's
    reject: neither B's reject nor (silently, under it) A's own approval is reverted."""
    (q,) = await new(store, 1)
    q = await act(store, q, "approve", actor="alice")
    q = await act(store, q, "reject", actor="bob", reason="off_topic")
    with pytest.raises(Conflict) as err:
        await act(store, q, "undo", actor="alice")
    assert err.value.code == "undo_overtaken" and err.value.extra["by"] == "bob"
    assert err.value.extra["kind"] == "rejected"
    after = await store.get_question(q["id"])
    assert after is not None and after["status"] == "rejected" and after["version"] == q["version"]
    q = await act(store, q, "undo", actor="bob")  # bob's own last action: his to undo
    assert q["status"] == "approved"


async def test_undo_takes_back_only_the_pressers_own_last_action(store: SQLStore) -> None:
    a, b = await new(store, 2)
    a = await act(store, a, "approve", actor="alice")
    b = await act(store, b, "approve", actor="bob")
    await act(store, b, "reject", actor="bob", reason="spam")  # renumbers nothing of a's that matters
    with pytest.raises(Conflict) as err:  # alice never acted on b: nothing of hers to undo there
        await act(store, await store.get_question(b["id"]) or {}, "undo", actor="alice")
    assert err.value.code == "nothing_to_undo"
    a = await act(store, await store.get_question(a["id"]) or {}, "undo", actor="alice")  # nobody acted since
    assert a["status"] == "new" and a["rundown_pos"] is None
