"""Exports of the log and the follow-up board (CSV with BOM, JSON), streamed: a 200,000-question show
exports in bounded memory."""

from __future__ import annotations

import asyncio
import csv
import gc
import io
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

from server import exports
from server.store.base import FollowUpFilter
from server.store.sqlite import SQLiteStore
from server.store.writer import Tx
from tests.conftest import LiveServer
from tests.test_producer_support import scripted_show

PAGE = os.sysconf("SC_PAGE_SIZE")
BIG = 200_000


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def test_log_and_followups_export_as_csv_with_bom_and_json(live: LiveServer) -> None:
    show = scripted_show(live)
    prod = live.login("aigerim", "producer")
    r = prod.get(f"/api/shows/{show.show_id}/log/export.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf") and "log.csv" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    edits = [row for row in rows if row["kind"] == "edited"]
    assert len(edits) == 2 and edits[0]["text_after"] == "Когда починят дорогу на Момышулы?"
    assert edits[0]["actor"] == "dana" and edits[0]["offset"].startswith("00:00:")
    as_json = prod.get(f"/api/shows/{show.show_id}/log/export.json").json()
    assert len(as_json["log"]) == len(rows) + 1 and as_json["show_id"] == show.show_id  # + "exported"

    cases = prod.get("/api/followups/export.csv?today=2026-12-10")
    lines = list(csv.DictReader(io.StringIO(cases.content.decode("utf-8-sig"))))
    assert cases.content.startswith(b"\xef\xbb\xbf") and len(lines) == 3
    assert {row["assignee"] for row in lines} == {"Управление энергетики"} and {row["overdue"] for row in lines} == {
        "True"}
    assert len(prod.get("/api/followups/export.json").json()["followups"]) == 3
    assert prod.get("/api/followups/export.xml").status_code == 422
    assert live.login("dana", "moderator").get("/api/followups/export.csv").status_code == 403


def bulk_seed(t: Tx, sid: int) -> None:
    """200,000 questions and their `received` events in one write job on the store's writer thread."""
    at = "2026-11-24T14:00:00.000+00:00"
    t.conn.executemany(
        "INSERT INTO questions (show_id, channel, external_id, author_name, author_contact, text_original, text, lang, "
        "received_at, updated_at, transitions) VALUES (?, ?, ?, ?, ?, ?, ?, 'kk', ?, ?, '{}')",
        ((sid, ("whatsapp", "telegram", "sms")[i % 3], f"big-{i}", f"Зритель {i}", f"+7701{i:07d}",
          f"Сұрақ {i}: Шаңырақ-2 ыстық су қашан болады? Когда дадут воду?",
          f"Сұрақ {i}: Шаңырақ-2 ыстық су қашан болады? Когда дадут воду?", at, at) for i in range(1, BIG + 1)))
    t.conn.execute("INSERT INTO events (show_id, question_id, kind, actor, at, payload) "
                   "SELECT show_id, id, 'received', 'seed', received_at, '{\"channel\":\"' || channel || '\"}' "
                   "FROM questions WHERE show_id = ? ORDER BY id", (sid,))


async def _drain(chunks: AsyncIterator[bytes], peak: list[int]) -> tuple[int, bytes, bytes]:
    """Consume an export, keeping only its size, first and last bytes, and sampling RSS."""
    size, first, last, n = 0, b"", b"", 0
    async for chunk in chunks:
        if not first:
            first = chunk
        last = chunk
        size += len(chunk)
        n += 1
        if n % 20 == 0:
            peak[0] = max(peak[0], rss())
    return size, first, last


def test_a_200000_question_show_exports_in_bounded_memory(tmp_path: Path) -> None:
    async def run() -> None:
        store = SQLiteStore(tmp_path / "big.db", server=False)
        await store.open()
        try:
            show = await store.create_show({"title": "Большой эфир", "starts_at": "2026-11-24T20:00:00+05:00"}, "t")
            sid = show["id"]
            await store.update_show(sid, {"status": "live"}, "t")
            started = time.perf_counter()
            await store._write(lambda t: bulk_seed(t, sid))
            seeded = time.perf_counter() - started
            gc.collect()
            base = rss()
            peak = [base]
            size, first, last = await _drain(exports.stream(store, sid, "csv"), peak)
            assert first.startswith("\ufeff".encode()) and size > 200 * BIG
            assert last.decode().splitlines()[-1].startswith(str(BIG))  # the last row is question 200,000
            size, first, last = await _drain(exports.stream_log(store, sid, "csv"), peak)
            assert last.decode().splitlines()[-1].split(",")[3] == "received" and size > 100 * BIG
            await _drain(exports.stream_followups(store, FollowUpFilter(show_id=sid), "json", "2026-12-01"), peak)
            growth = (peak[0] - base) / 2**20
            print(f"seeded {BIG} in {seeded:.1f}s; export RSS growth {growth:.1f} MB")
            assert growth < 50, f"RSS grew {growth:.1f} MB while exporting"
        finally:
            await store.close()

    asyncio.run(run())
