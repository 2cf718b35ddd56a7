"""Helpers to drive a real ingest worker against a live server and a platform stand-in."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from ingest.delivery import Delivery
from ingest.worker import Backoff, Source, StateFile, Worker
from server.store.base import QuestionFilter

from .conftest import LiveServer


class Sleeps:
    """Records every wait a worker asks for and returns at once: tests stay fast and see the waits."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        await asyncio.sleep(0)


def worker(
    source: Source,
    live: LiveServer,
    token: str,
    state: Path,
    client: httpx.AsyncClient,
    sleeps: Sleeps,
    lines: list[str] | None = None,
) -> Worker:
    delivery = Delivery(live.url, token, client, base_wait=0.01, sleep=sleeps)
    report = lines.append if lines is not None else None
    return Worker(
        source,
        delivery,
        StateFile(state),
        backoff=Backoff(base=0.01, cap=0.05),
        sleep=sleeps,
        report_every=0,
        report=report,
    )


def questions(live: LiveServer, show_id: int) -> list[dict[str, Any]]:
    return live.call(live.efir.store.list_questions(show_id, QuestionFilter(limit=1000)))
