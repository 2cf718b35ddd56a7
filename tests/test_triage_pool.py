"""Triage in worker processes (`EFIR_TRIAGE_WORKERS`, 1 by default in `efir serve`): the same results as in
the server, floods still counted across batches, a worker's death loses nothing, no worker outlives the server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest.triage import Pipeline
from server.settings import Settings
from server.triage_pool import TriagePool, examine
from tests.conftest import LiveServer, free_port, run_server

EVAL = Path(__file__).parent / "data" / "triage_eval.jsonl"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped) is gone for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def wait_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_workers_read_every_text_as_the_server_does() -> None:
    texts = [json.loads(line)["text"] for line in EVAL.read_text().splitlines()[:300]]
    texts += ["", "   ", "<script>alert(1)</script>", "ÐÐ¾Ð³Ð´Ð° Ð±ÑÐ´ÐµÑ ÑÐ²ÐµÑ?"]

    async def run() -> list[object] | None:
        pool = TriagePool(2)
        await pool.start()
        try:
            return await pool.examine(texts)  # type: ignore[return-value]
        finally:
            await pool.stop()

    from_workers = asyncio.run(run())
    pipeline = Pipeline()
    assert from_workers == [examine(pipeline, t) for t in texts]


@pytest.fixture
def pooled(tmp_path: Path) -> Iterator[LiveServer]:
    yield from run_server(Settings(db=str(tmp_path / "efir.db"), port=free_port(), triage_workers=1))


def ingest(server: LiveServer, token: str, messages: list[dict[str, object]]) -> dict[str, object]:
    r = httpx.post(f"{server.url}/api/ingest", json={"messages": messages},
                   headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert r.status_code == 200, r.text
    return dict(r.json())


def msg(i: int, text: str, author: str = "") -> dict[str, object]:
    return {"channel": "whatsapp", "external_id": f"wamid.{i}", "author": {"name": author or f"Viewer {i}",
            "contact": author or f"+7701{i:07d}"}, "text": text}


def test_a_pooled_server_triages_clusters_and_counts_floods(pooled: LiveServer) -> None:
    assert pooled.efir.intake.pool is not None and len(pooled.efir.intake.pool.pids()) == 1
    show = pooled.show()
    token = pooled.token("ingest")
    ingest(pooled, token, [
        msg(1, "Здравствуйте! Когда дадут горячую воду в доме 17 на Абая? Звоните +7 701 234 56 78"),
        msg(2, "когда дадут горячую воду в доме 17 на Абая??"),
        msg(3, "Сәлеметсіз бе, Наурызбай ауданында жол қашан жөнделеді?"),
    ])
    for n in range(6):  # one author, six batches inside a minute: a flood from the sixth on
        ingest(pooled, token, [msg(10 + n, f"Вопрос номер {n}: когда уберут снег во дворе?", author="+77015550000")])
    rows = {r[0]: r[1:] for r in pooled.sql(
        "SELECT external_id, lang, flags, topic, district, cluster_id, id FROM questions WHERE show_id = ?",
        show["id"])}
    assert rows["wamid.1"][1] == "pii" and rows["wamid.1"][0] == "ru"
    assert rows["wamid.1"][2] == rows["wamid.2"][2] == "heating"  # hot water comes from the heating network
    assert rows["wamid.2"][4] == rows["wamid.1"][5]  # the near-duplicate joined the first one's cluster
    assert rows["wamid.3"][0] == "kk" and rows["wamid.3"][3] == "nauryzbay"
    assert [("spam" in rows[f"wamid.{10 + n}"][1]) for n in range(6)] == [False] * 5 + [True]


def test_a_killed_worker_loses_nothing_and_is_replaced(pooled: LiveServer) -> None:
    pool = pooled.efir.intake.pool
    assert pool is not None
    show = pooled.show()
    token = pooled.token("ingest")
    ingest(pooled, token, [msg(i, f"Когда отремонтируют лифт в доме {i}?") for i in range(40)])
    [first] = pool.pids()
    os.kill(first, signal.SIGKILL)
    assert wait_gone(first)
    out = ingest(pooled, token, [msg(i, f"Когда отремонтируют лифт в доме {i}?") for i in range(40, 120)])
    assert out["accepted"] == 80
    assert pool.restarts == 1
    out = ingest(pooled, token, [msg(i, f"Когда починят дорогу у школы {i}?") for i in range(120, 200)])
    assert out["accepted"] == 80
    [second] = pool.pids()
    assert second != first
    [(count, topics)] = pooled.sql("SELECT count(*), count(topic) FROM questions WHERE show_id = ?", show["id"])
    assert count == topics == 200  # every one triaged, whoever did it


def test_workers_stop_with_the_server(tmp_path: Path) -> None:
    servers = run_server(Settings(db=str(tmp_path / "efir.db"), port=free_port(), triage_workers=2))
    server = next(servers)
    assert server.efir.intake.pool is not None
    pids = server.efir.intake.pool.pids()
    assert len(pids) == 2 and all(alive(p) for p in pids)
    next(servers, None)  # the server shuts down
    assert all(wait_gone(p, 5) for p in pids)


@pytest.mark.slow
def test_no_worker_outlives_a_server_killed_alone(tmp_path: Path) -> None:
    """`kill -9` of the server's pid only (not its process group): its workers exit by themselves."""
    port = free_port()
    env = {**os.environ, "EFIR_DB": str(tmp_path / "efir.db"), "EFIR_TRIAGE_WORKERS": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2:
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
            workers = [int(p) for p in children.read_text().split()] if children.exists() else []
            time.sleep(0.1)
        assert len(workers) >= 2, "the server did not start its triage workers"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        assert all(wait_gone(p, 5) for p in workers)
    finally:
        with_group = proc.poll() is None
        if with_group:
            os.killpg(proc.pid, signal.SIGKILL)


def test_an_empty_batch_needs_no_worker() -> None:
    async def run() -> object:
        pool = TriagePool(1)
        await pool.start()
        try:
            return await pool.examine([])
        finally:
            await pool.stop()

    assert asyncio.run(run()) == []
