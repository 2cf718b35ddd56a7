"""Delivery to the server: retried through outages and 5xx/429, refused for good on 401, chunked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ingest.batch import Batch
from ingest.delivery import Delivery, DeliveryRefused
from ingest.worker import StateFile
from schemas import Message

from .conftest import LiveServer, free_port
from .standins import Reply, Request, StandIn
from .standins.telegram import TOKEN, TelegramStandIn, text_update
from .worker_kit import Sleeps, questions


class FlakyServer(StandIn):
    def handle(self, request: Request) -> Reply:
        n = len(json.loads(request.body)["messages"])
        return Reply(200, json.dumps({"accepted": n, "duplicates": 0, "ids": list(range(n))}).encode())


def batch(n: int) -> Batch:
    out = Batch()
    for i in range(n):
        out.add(Message(channel="telegram", external_id=f"1:{i}", text=f"Вопрос {i}"))
    return out


async def test_outages_and_overload_are_retried_with_growing_waits() -> None:
    server, sleeps = FlakyServer(), Sleeps()
    server.errors += [
        Reply(503, b'{"error":{"code":"unavailable","message":"restarting"}}'),
        Reply(429, b'{"error":{"code":"rate_limited","message":"slow down"}}', {"Retry-After": "3"}),
    ]
    with server.running():
        async with httpx.AsyncClient() as client:
            d = Delivery(server.url, "t", client, base_wait=0.5, sleep=sleeps)
            assert await d.deliver(batch(2500)) == (2500, 0)
    assert sleeps.asked == [0.5, 3.0]  # exponential, but never shorter than Retry-After
    assert [len(json.loads(r.body)["messages"]) for r in server.requests[2:]] == [1000, 1000, 500]


async def test_unreachable_server_is_retried_until_it_answers(live: LiveServer) -> None:
    show, sleeps = live.show(), Sleeps()
    async with httpx.AsyncClient() as client:
        d = Delivery(
            f"http://127.0.0.1:{free_port()}", live.token("ingest"), client, base_wait=0.01, sleep=sleeps
        )
        original = d.server

        async def come_back(seconds: float) -> None:
            await Sleeps.__call__(sleeps, seconds)
            if len(sleeps.asked) == 3:
                d.server = live.url  # the server is back up

        d.sleep = come_back
        assert await d.deliver(batch(3)) == (3, 0)
    assert original != live.url and sleeps.asked == [0.01, 0.02, 0.04]
    assert len(questions(live, show["id"])) == 3


async def test_a_refused_token_is_not_retried(live: LiveServer) -> None:
    async with httpx.AsyncClient() as client:
        d = Delivery(live.url, "not-a-token", client, sleep=Sleeps())
        with pytest.raises(DeliveryRefused, match="401"):
            await d.deliver(batch(1))
    assert d.attempts == 1


def test_state_file_ignores_another_sources_cursor(tmp_path: Path) -> None:
    state = StateFile(tmp_path / "s.json")
    state.write("youtube:chat-A", {"page_token": "tok9"})
    assert state.read("youtube:chat-A") == {"page_token": "tok9"}
    assert state.read("youtube:chat-B") == {}
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]  # the temporary file was renamed, not left


def test_cli_worker_runs_shows_progress_and_stops_cleanly_on_sigterm(
    live: LiveServer, tmp_path: Path
) -> None:
    show = live.show()
    tg = TelegramStandIn()
    tg.push(text_update(1, 1, "Вопрос через командную строку"))
    with tg.running():
        cmd = [
            sys.executable,
            "-m",
            "server.cli",
            "ingest",
            "telegram",
            "--server",
            live.url,
            "--token",
            live.token("ingest"),
            "--api-base",
            tg.url,
            "--bot-token",
            TOKEN,
            "--timeout",
            "1",
            "--state",
            str(tmp_path / "tg.json"),
            "--report-every",
            "0",
        ]
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
        try:
            deadline = time.monotonic() + 15
            while not questions(live, show["id"]) and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "telegram:123456: 1 new" in err and TOKEN not in err  # progress shown, bot token never printed
    assert json.loads((tmp_path / "tg.json").read_text())["cursor"] == {"offset": 2}
