"""The benchmark harness runs end to end in a tiny mode and writes a complete report (no timing asserted), and
its PostgreSQL parts (the seeding through the store, the run's own database) work on both stores.

A tiny end-to-end run with `--store postgres` is not here: it takes over a minute (the bare baseline, then
two servers started and set up with the CLI), well over the 30 s allowed for such a test here. Run it by hand:
`python -m bench --store postgres --quick --desks 2 --prompters 3 --seeded 300 --seconds 1.5`."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bench.pgdb import BenchDatabase
from bench.seed import seed
from server.store import open_store
from tests.pg import ADMIN_URL, PostgresLeg

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_tiny_run_writes_a_complete_report(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--desks", "2", "--prompters", "3", "--seeded", "300",
         "--seconds", "1.5", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=280, check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert "| figure |" in run.stdout
    report = json.loads(out.read_text())

    assert {"meta", "bare", "efir_empty", "efir_seeded", "targets"} <= report.keys()
    assert report["meta"]["cores"] and report["meta"]["memory"]
    assert report["meta"]["store"] == "sqlite" and report["meta"]["bare_store"] == "sqlite"
    assert "Efir on **SQLite**" in run.stdout
    assert report["efir_empty"]["max"]["db_cpu_pct"] is None  # in the server process on SQLite
    for target, phases in (("bare", ("max", "paced")), ("efir_empty", ("max", "paced", "stalled")),
                           ("efir_seeded", ("max", "paced"))):
        for phase in phases:
            figures = report[target][phase]
            assert figures["ingest_errors"] == 0, (target, phase, figures["first_error"])
            assert figures["messages"] > 0 and figures["ingest_msgs_per_s"] > 0, (target, phase)
            assert figures["desk_events"] > 0, (target, phase)
            assert {"server_cpu_pct", "server_rss_mb", "audience_cpu_pct", "loaders_cpu_pct",
                    "desk_frames_per_s"} <= figures.keys()
        assert report[target]["paced"]["commit_to_desk_ms"]["n"] > 0, target
        assert report[target]["paced"]["e2e_ms"]["n"] > 0, target
    empty = report["efir_empty"]["paced"]
    assert empty["actions"] > 0 and empty["action_errors"] == 0
    assert empty["action_to_prompter_ms"]["n"] > 0
    assert empty["prompter_events"] > 0
    assert report["efir_seeded"]["questions_seeded"] == 300
    assert report["efir_seeded"]["first_snapshot_ms"] > 0
    assert len(report["targets"]) == 8 and all("met" in v for v in report["targets"].values())


async def test_seed_fills_a_show_through_either_store(db_url: str) -> None:
    """bench.seed writes through `open_store`: the same rows and `received` events on SQLite and PostgreSQL."""
    store = open_store(db_url, server=False)
    await store.open()
    try:
        show = await store.create_show({"title": "Bench", "starts_at": "2026-11-22T20:00:00+06:00"}, "bench")
    finally:
        await store.close()

    await seed(db_url, int(show["id"]), 1_234)

    store = open_store(db_url, server=False)
    await store.open()
    try:
        def counts(conn: Any) -> tuple[int, int]:
            questions = conn.execute("SELECT count(*) FROM questions WHERE show_id = ?", (show["id"],)).fetchone()
            events = conn.execute("SELECT count(*) FROM events WHERE show_id = ? AND kind = 'received'",
                                  (show["id"],)).fetchone()
            return int(questions[0]), int(events[0])

        assert await store._read(counts) == (1_234, 1_234)
    finally:
        await store.close()


@pytest.mark.timeout(60)
def test_the_postgres_leg_makes_its_own_database_and_drops_it(postgres_leg: PostgresLeg) -> None:
    postgres_leg.require()  # skips without a reachable server (fails under CI)
    database = BenchDatabase(ADMIN_URL)

    def exists() -> bool:
        async def look() -> bool:
            conn = await asyncpg.connect(ADMIN_URL, timeout=5)
            try:
                return bool(await conn.fetch("SELECT 1 FROM pg_database WHERE datname = $1", database.name))
            finally:
                await conn.close()

        return asyncio.run(look())

    database.create()
    try:
        assert exists()
        url = database.schema("empty")
        assert url.endswith(f"/{database.name}?search_path=empty")
        assert database.settings()["server_version"] != "?"
        assert isinstance(database.cpu(), dict)
    finally:
        database.drop()
    assert not exists()
