"""The Telegram worker against a Bot API stand-in: offsets, restart-resume, crash re-delivery, 409/429."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest.delivery import Delivery
from ingest.sources.telegram import TelegramSource
from ingest.telegram import ALLOWED_UPDATES

from .conftest import LiveServer
from .standins.telegram import CONFLICT, TOKEN, TOO_MANY, UNAUTHORIZED, TelegramStandIn, text_update
from .webhook_payloads import withdrawals
from .worker_kit import Sleeps, questions, worker


@pytest.fixture
def tg() -> Iterator[TelegramStandIn]:
    standin = TelegramStandIn()
    with standin.running():
        yield standin


def source(tg: TelegramStandIn, client: httpx.AsyncClient) -> TelegramSource:
    return TelegramSource(TOKEN, client, api_base=tg.url, timeout=0, conflict_wait=7)


async def test_resumes_from_the_saved_offset_after_a_restart(
    live: LiveServer, tg: TelegramStandIn, tmp_path: Path
) -> None:
    show = live.show()
    token, state, sleeps = live.token("ingest"), tmp_path / "tg.json", Sleeps()
    tg.push(*(text_update(100 + i, 10 + i, f"Вопрос {i}: когда откроют школу №{i}?") for i in range(3)))
    async with httpx.AsyncClient() as client:
        assert await worker(source(tg, client), live, token, state, client, sleeps).run(max_polls=1) == 0
    assert json.loads(state.read_text())["cursor"] == {"offset": 103}
    assert len(questions(live, show["id"])) == 3
    first = tg.requests[0].query
    assert "offset" not in first and json.loads(first["allowed_updates"]) == list(ALLOWED_UPDATES)

    tg.push(text_update(103, 13, "Сұрақ: жарық қашан болады?"), text_update(104, 14, "Вопрос про автобус 92"))
    async with httpx.AsyncClient() as client:  # a new process: nothing in memory, only the state file
        assert await worker(source(tg, client), live, token, state, client, sleeps).run(max_polls=2) == 0
    assert tg.requests[1].query["offset"] == "103"  # confirms the first three, never re-reads them
    stored = sorted(q["external_id"] for q in questions(live, show["id"]))
    assert stored == [f"-1001234567890:{10 + i}" for i in range(5)]


class CrashAfterCommit(Delivery):
    """The worker process dies after the server committed the batch but before the cursor was saved."""

    async def deliver(self, batch):  # type: ignore[no-untyped-def]
        await super().deliver(batch)
        raise SystemExit("killed")


async def test_a_batch_redelivered_after_a_crash_stores_nothing_twice(
    live: LiveServer, tg: TelegramStandIn, tmp_path: Path
) -> None:
    show = live.show()
    token, state, sleeps = live.token("ingest"), tmp_path / "tg.json", Sleeps()
    tg.push(*(text_update(200 + i, 20 + i, f"Вопрос {i} о ремонте дороги на Саина") for i in range(4)))
    async with httpx.AsyncClient() as client:
        w = worker(source(tg, client), live, token, state, client, sleeps)
        w.delivery = CrashAfterCommit(live.url, token, client)
        with pytest.raises(SystemExit):
            await w.run(max_polls=1)
    assert not state.exists() and len(questions(live, show["id"])) == 4
    async with httpx.AsyncClient() as client:
        w = worker(source(tg, client), live, token, state, client, sleeps)
        assert await w.run(max_polls=1) == 0
    assert (w.stats.accepted, w.stats.duplicates) == (0, 4)
    assert len(questions(live, show["id"])) == 4


async def test_429_waits_retry_after_and_409_waits_then_continues(
    live: LiveServer, tg: TelegramStandIn, tmp_path: Path
) -> None:
    show = live.show()
    token, sleeps, lines = live.token("ingest"), Sleeps(), []
    tg.errors += [TOO_MANY, CONFLICT]
    tg.push(text_update(300, 30, "Вопрос после ошибок"))
    async with httpx.AsyncClient() as client:
        w = worker(source(tg, client), live, token, tmp_path / "tg.json", client, sleeps, lines)
        assert await w.run(max_polls=3) == 0
    assert 5 in sleeps.asked and 7 in sleeps.asked  # retry_after from parameters; the conflict pause
    assert len(questions(live, show["id"])) == 1
    assert w.stats.errors == 2 and "409" in (w.stats.last_error or "")
    assert any("1 new" in line and "last error: 409" in line for line in lines)


async def test_a_refused_token_stops_the_worker(
    live: LiveServer, tg: TelegramStandIn, tmp_path: Path
) -> None:
    tg.errors.append(UNAUTHORIZED)
    async with httpx.AsyncClient() as client:
        w = worker(source(tg, client), live, live.token("ingest"), tmp_path / "tg.json", client, Sleeps())
        assert await w.run(max_polls=5) == 2
    assert len(tg.requests) == 1 and "401" in (w.stats.last_error or "")


async def test_edits_replace_the_question_and_silent_edits_are_ignored(
    live: LiveServer, tg: TelegramStandIn, tmp_path: Path
) -> None:
    show = live.show()
    tg.push(
        text_update(400, 40, "Когда будет газ в Шугыле?"),
        text_update(401, 40, "Когда будет газ в Шугыле?", edit_date=1717000100),  # only a field we ignore
        text_update(402, 40, "Когда проведут газ в мкр Шугыла?", edit_date=1717000200),
    )
    async with httpx.AsyncClient() as client:
        w = worker(source(tg, client), live, live.token("ingest"), tmp_path / "tg.json", client, Sleeps())
        await w.run(max_polls=1)
    texts = {q["external_id"]: q["text_original"] for q in questions(live, show["id"])}
    assert texts == {
        "-1001234567890:40": "Когда будет газ в Шугыле?",
        "-1001234567890:40:e1717000200": "Когда проведут газ в мкр Шугыла?",
    }
    assert [(e["external_id"], e["reason"]) for e in withdrawals(live)] == [("-1001234567890:40", "edited")]


async def test_the_server_keeps_the_cursor_so_a_worker_resumes_anywhere(
    live: LiveServer, tg: TelegramStandIn
) -> None:
    from ingest.delivery import Delivery
    from ingest.worker import Backoff, ServerCursors, Worker

    show = live.show()
    token, sleeps = live.token("ingest"), Sleeps()

    def fresh(client: httpx.AsyncClient) -> Worker:  # a new process on another machine: no local state at all
        delivery = Delivery(live.url, token, client, base_wait=0.01, sleep=sleeps)
        return Worker(source(tg, client), delivery, ServerCursors(delivery), backoff=Backoff(base=0.01, cap=0.05),
                      sleep=sleeps, report_every=0)

    tg.push(*(text_update(200 + i, 30 + i, f"Вопрос {i}: когда дадут свет на улице {i}?") for i in range(3)))
    async with httpx.AsyncClient() as client:
        assert await fresh(client).run(max_polls=1) == 0
        name = source(tg, client).name
    assert live.call(live.efir.store.get_cursor(name)) == {"offset": 203}
    tg.push(text_update(203, 33, "Сұрақ: көше шамы қашан жанады?"))
    async with httpx.AsyncClient() as client:
        assert await fresh(client).run(max_polls=1) == 0
    assert tg.requests[-1].query["offset"] == "203"  # resumed from the server's cursor, nothing re-read
    assert len(questions(live, show["id"])) == 4
    r = httpx.get(f"{live.url}/api/ingest/cursors/anything")
    assert r.status_code == 401  # cursors are read with an ingest token only
