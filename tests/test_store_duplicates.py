"""Explainable near-duplicates in the store (SQLite and PostgreSQL, every test on both): why a question joined
its cluster, the clusters suggested to the desk, and the desk's `dismiss`, `split` and merge of a suggestion."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from ingest.triage import DedupeIndex
from schemas import Action
from server.errors import Conflict, Invalid
from server.store import SQLStore, open_store
from server.store.base import NewQuestion
from tests.test_store import Recorder

# Found with `DedupeIndex().find`, in this order: 2 joins 1 (same place, same problem); 4 and 5 name the problem
# of 3 and of 1 without a place (score 0.45, between 0.4 and 0.6): suggested, not clustered
HOT_WATER = "В Шанырак-2 третий день нет горячей воды, когда дадут?"
HOT_WATER_AGAIN = "Шанырак-2: нет горячей воды уже три дня, помогите"
GARBAGE = "В Шанырак-2 во дворе не вывозят мусор, когда уберут?"
GARBAGE_NEAR = "Мусор не вывозят уже неделю, контейнеры во дворе переполнены"
WARM_WATER_NEAR = "Горячей воды нет третий день, когда дадут?"
TEXTS = [HOT_WATER, HOT_WATER_AGAIN, GARBAGE, GARBAGE_NEAR, WARM_WATER_NEAR]


def item(i: int, text: str, show_id: int) -> NewQuestion:
    return NewQuestion(show_id=show_id, channel="telegram", external_id=f"d-{i}", author_name=f"Viewer {i}",
                       author_handle=None, author_contact=None, text_original=text, text=text, lang="ru", flags=(),
                       topic=None, district=None, priority=1.0)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[SQLStore]:
    s = open_store(db_url, on_commit=Recorder(), clusterer=DedupeIndex())
    await s.open()
    show = await s.create_show({"title": "Akimat Live", "starts_at": "2026-11-22T20:00:00+06:00"}, "producer")
    await s.update_show(show["id"], {"status": "live"}, "producer")
    s.test_show = show["id"]  # type: ignore[attr-defined]
    yield s
    await s.close()


async def seed(store: SQLStore, texts: list[str] = TEXTS, start: int = 0) -> list[dict[str, Any]]:
    """The first four in one request (one set-based write on PostgreSQL), the rest one request each (their
    suggested heads are stored already)."""
    show = store.test_show  # type: ignore[attr-defined]
    ids = (await store.ingest([item(start + i, t, show) for i, t in enumerate(texts[:4])], "test")).ids
    for i, text in enumerate(texts[4:], start=4):
        ids += (await store.ingest([item(start + i, text, show)], "test")).ids
    return [await get(store, qid) for qid in ids]


async def get(store: SQLStore, qid: int) -> dict[str, Any]:
    q = await store.get_question(qid)
    assert q is not None
    return q


async def act(store: SQLStore, q: dict[str, Any], action: str, **fields: Any) -> dict[str, Any]:
    return await store.act(q["id"], Action(action=action, version=q["version"], **fields), "mod")  # type: ignore[arg-type]


async def test_ingest_keeps_why_a_question_joined_and_what_is_suggested(store: SQLStore) -> None:
    hot, hot_again, garbage, garbage_near, warm = await seed(store)
    assert hot_again["cluster_id"] == hot["id"] and hot["asked_count"] == 2
    reason = hot_again["cluster_reason"]
    assert reason["score"] >= 0.6 and "Шанырак" in reason["place"] and reason["problem"] == ["no_hot_water"]
    assert hot["cluster_reason"] is None and not hot["suggested"] and not hot["dismissed"]
    assert garbage_near["cluster_id"] == garbage_near["id"] and garbage_near["cluster_reason"] is None
    [near] = garbage_near["suggested"]
    assert near["id"] == garbage["id"] and 0.4 <= near["score"] < 0.6
    assert near["reason"]["problem"] == ["garbage_not_collected"]
    assert [s["id"] for s in warm["suggested"]] == [hot["id"]]  # the head, stored before this request
    recorder: Any = store._on_commit
    received = {ev.question_id: ev.question for ev in recorder.events if ev.kind == "received"}
    assert received[garbage_near["id"]]["suggested"] == garbage_near["suggested"]  # the desks see it live
    assert received[hot_again["id"]]["cluster_reason"] == reason


async def test_a_closed_head_is_never_suggested_nor_joined(store: SQLStore) -> None:
    hot, _, garbage, garbage_near = await seed(store, TEXTS[:4])
    road, = await seed(store, ["Когда починят дорогу на Абая 10?"], 10)
    await act(store, garbage, "reject", reason="other")
    await act(store, hot, "merge", into=road["id"])
    index: Any = store.clusterer
    show = store.test_show  # type: ignore[attr-defined]
    assert hot["id"] in [s.cluster for s in index.find(show, WARM_WATER_NEAR).suggestions]  # the index would
    warm, = await seed(store, [WARM_WATER_NEAR], 20)
    assert hot["id"] not in [s["id"] for s in warm["suggested"]]
    smell = "Шанырак-2 во дворе мусор не вывозят, запах"
    found = index.find(show, smell)
    assert found.cluster == garbage["id"] and [s.cluster for s in found.suggestions] == [garbage_near["id"]]
    alone, = await seed(store, [smell], 30)
    assert alone["cluster_id"] == alone["id"] and alone["cluster_reason"] is None
    assert [s["id"] for s in alone["suggested"]] == [garbage_near["id"]]


async def test_dismiss_is_remembered_versioned_and_undoable(store: SQLStore) -> None:
    *_, garbage, garbage_near, _ = await seed(store)
    with pytest.raises(Conflict) as stale:
        await store.act(garbage_near["id"], Action(action="dismiss", version=garbage_near["version"] - 1,
                                                   into=garbage["id"]), "mod")
    assert stale.value.extra["question"]["suggested"] == garbage_near["suggested"]  # the 409 carries it as it is
    with pytest.raises(Invalid):
        await act(store, garbage_near, "dismiss", into=garbage_near["id"])  # not a suggestion
    dismissed = await act(store, garbage_near, "dismiss", into=garbage["id"])
    assert not dismissed["suggested"] and dismissed["dismissed"] == [garbage["id"]]
    assert dismissed["version"] == garbage_near["version"] + 1
    assert (await get(store, garbage_near["id"]))["dismissed"] == [garbage["id"]]
    with pytest.raises(Invalid):
        await act(store, dismissed, "dismiss", into=garbage["id"])  # gone for good
    recorder: Any = store._on_commit
    assert [ev.kind for ev in recorder.events if ev.question_id == garbage_near["id"]][-1] == "dismissed"
    undone = await act(store, dismissed, "undo")
    assert undone["suggested"] == garbage_near["suggested"] and not undone["dismissed"]


async def test_split_takes_a_member_out_and_undo_puts_it_back(store: SQLStore) -> None:
    hot, hot_again, *_ = await seed(store)
    with pytest.raises(Conflict) as own:
        await act(store, hot, "split")
    assert own.value.code == "not_clustered" and own.value.status == 409
    split = await act(store, hot_again, "split")
    assert split["cluster_id"] == split["id"] and split["cluster_reason"] is None
    assert split["dismissed"] == [hot["id"]]  # never suggested again
    head = await get(store, hot["id"])
    assert head["asked_count"] == 1
    with pytest.raises(Conflict):
        await act(store, hot_again, "split")  # the version it was split from
    undone = await act(store, split, "undo")
    assert undone["cluster_id"] == hot["id"] and undone["cluster_reason"] == hot_again["cluster_reason"]
    assert (await get(store, hot["id"]))["asked_count"] == 2


async def test_split_leaves_the_other_members_with_their_head(store: SQLStore) -> None:
    hot, hot_again, *_ = await seed(store)
    third, = await seed(store, ["Шанырак-2 горячей воды нет три дня, когда дадут воду?"], 40)
    assert third["cluster_id"] == hot["id"]
    assert (await get(store, hot["id"]))["asked_count"] == 3
    await act(store, hot_again, "split")
    assert (await get(store, third["id"]))["cluster_id"] == hot["id"]
    assert (await get(store, hot["id"]))["asked_count"] == 2


async def test_merging_a_suggestion_counts_it_with_the_suggested_head(store: SQLStore) -> None:
    *_, garbage, garbage_near, _ = await seed(store)
    merged = await act(store, garbage_near, "merge", into=garbage_near["suggested"][0]["id"])
    assert merged["status"] == "merged" and merged["merged_into"] == garbage["id"]
    assert merged["cluster_id"] == garbage["id"]
    assert (await get(store, garbage["id"]))["asked_count"] == 2


async def test_the_index_follows_a_split(store: SQLStore) -> None:
    hot, hot_again, *_ = await seed(store)
    await act(store, hot_again, "split")
    again, = await seed(store, [HOT_WATER_AGAIN], 50)  # the same words again: with the question split out
    assert again["cluster_id"] == hot_again["id"] and again["cluster_reason"]["same_text"] is True
    assert (await get(store, hot["id"]))["asked_count"] == 1


async def test_the_index_follows_the_undo_of_a_split(store: SQLStore) -> None:
    hot, hot_again, *_ = await seed(store)
    split = await act(store, hot_again, "split")
    await act(store, split, "undo")  # back in the first cluster: so are the next like it
    later, = await seed(store, [HOT_WATER_AGAIN], 60)
    assert later["cluster_id"] == hot["id"] and (await get(store, hot["id"]))["asked_count"] == 3


async def test_a_failed_action_leaves_the_index_as_it_was(store: SQLStore) -> None:
    hot, hot_again, *_ = await seed(store)

    def fail(t: Any) -> None:
        from server.store import questions_tx
        questions_tx.act(t, hot_again["id"], Action(action="split", version=hot_again["version"]), "mod", None,
                         store.clusterer)
        raise RuntimeError("the transaction fails after the split")

    with pytest.raises(RuntimeError):
        await store._write(fail)
    assert (await get(store, hot_again["id"]))["cluster_id"] == hot["id"]
    again, = await seed(store, [HOT_WATER_AGAIN], 70)
    assert again["cluster_id"] == hot["id"]


async def test_spam_never_joins_nor_heads_a_cluster(store: SQLStore) -> None:
    show = store.test_show  # type: ignore[attr-defined]
    promo = "Шанырак-2: кредит без справок, вода в подарок! Звоните 8 701 555 12 34"
    spam = [NewQuestion(show_id=show, channel="telegram", external_id=f"s-{i}", author_name=f"Bot {i}",
                        author_handle=None, author_contact=None, text_original=promo, text=promo, lang="ru",
                        flags=("pii", "spam"), topic="other", district=None, priority=0.1) for i in range(3)]
    first, = await seed(store, [HOT_WATER], 80)
    ids = (await store.ingest(spam, "test")).ids  # one set-based write on PostgreSQL
    ids += (await store.ingest([item(90, promo, show)], "test")).ids  # the same text, not flagged: on its own
    copies = [await get(store, qid) for qid in ids]
    assert [q["cluster_id"] for q in copies[:3]] == ids[:3]  # the campaign's copies stay one card each
    assert all(q["asked_count"] == 1 and not q["suggested"] for q in copies)
    assert copies[3]["cluster_id"] == ids[3]  # a clean copy does not join the spam either
    again, = await seed(store, [HOT_WATER_AGAIN], 91)
    assert again["cluster_id"] == first["id"] and (await get(store, first["id"]))["asked_count"] == 2
