"""Nothing acknowledged is lost: `kill -9` of the server mid-ingest, restart, re-send what was not acked
(on either database)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.pg import rows as query

BATCH = 50


def efir(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server.cli", *args], capture_output=True, text=True,
                          env=env, timeout=60, check=True)


def start(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(port)], env=env,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.05)
    raise AssertionError("server did not start")


def batch(n: int) -> list[dict[str, object]]:
    return [{"channel": "whatsapp", "external_id": f"wamid.{n}.{i}", "author": {"name": "Асель"},
             "text": f"Пакет {n}, сұрақ {i}: Наурызбай ауданында су қашан болады?"} for i in range(BATCH)]


@pytest.mark.slow
def test_kill_9_mid_ingest_loses_no_acknowledged_message(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "EFIR_DB": db_url, "EFIR_TRIAGE_WORKERS": "1"}  # as deployed: triage in a worker
    token = efir("token", "create", "--kind", "ingest", env=env).stdout.strip().splitlines()[-1]
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/ingest"
    log = tmp_path / "server.log"
    server = start(port, env, log)

    acked: dict[int, list[int]] = {}
    unacked: set[int] = set()
    lock = threading.Lock()
    stop = threading.Event()

    def sender(first: int) -> None:
        n = first
        with httpx.Client(timeout=5) as client:
            while not stop.is_set():
                try:
                    r = client.post(url, json={"messages": batch(n)}, headers={"Authorization": f"Bearer {token}"})
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    if not ok:  # a worker keeps this batch and retries it once the server is back
                        unacked.add(n)
                        return
                    acked[n] = r.json()["ids"]
                n += 2

    threads = [threading.Thread(target=sender, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    while len(acked) < 30:
        time.sleep(0.01)
    os.killpg(server.pid, signal.SIGKILL)  # mid-stream: both senders have requests in flight
    server.wait()
    for t in threads:
        t.join(10)
    stop.set()
    assert unacked, "the kill should have cut off at least one request"

    server = start(port, env, log)
    try:
        with httpx.Client(timeout=10) as client:
            for n in sorted(unacked):  # the worker's retry after the restart
                r = client.post(url, json={"messages": batch(n)}, headers={"Authorization": f"Bearer {token}"})
                assert r.status_code == 200
                assert r.json()["accepted"] + r.json()["duplicates"] == BATCH
            for n in list(acked)[:3]:  # re-sending an acknowledged batch duplicates nothing
                r = client.post(url, json={"messages": batch(n)}, headers={"Authorization": f"Bearer {token}"})
                assert r.json() == {"accepted": 0, "duplicates": BATCH, "ids": acked[n], "ignored": 0}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(15)

    rows = dict(query(db_url, "SELECT external_id, count(*) FROM questions GROUP BY external_id"))
    ids = dict(query(db_url, "SELECT external_id, id FROM questions"))
    received = query(db_url, "SELECT count(*) FROM events WHERE kind = 'received'")[0][0]
    for n, question_ids in acked.items():
        for i, qid in enumerate(question_ids):
            assert ids[f"wamid.{n}.{i}"] == qid  # every acknowledged message is there, under its acked id
    assert set(rows.values()) == {1}  # and nothing twice
    assert len(rows) == (len(acked) + len(unacked - set(acked))) * BATCH
    assert received == len(rows)  # one `received` event per question, none lost, none doubled
