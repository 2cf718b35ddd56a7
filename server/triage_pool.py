"""Triage in worker processes, so the event loop and the writer keep the server's own core.

The pipeline's text work (encoding repair, language, flags, topic, district, and the near-duplicate
index's reading of the text) is a pure function of the text: it runs in `workers` processes started
once with the server. What needs memory of earlier messages stays in the server: the flood guard
(`Pipeline.with_floods`) and the near-duplicate index itself.

A worker that dies (killed, out of memory) breaks the pool: the batch in flight is triaged in the
server instead, and a new pool is started for the next one. Nothing is lost.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ingest.triage import Pipeline, Triage
from ingest.triage.dedupe import Signature, signature

log = logging.getLogger("efir.triage")

# what a worker sends back per text: the Triage fields (flood aside) and the near-duplicate signature
Examined = tuple[Triage, Signature | None]
_Row = tuple[str, str, tuple[str, ...], str | None, str | None, Signature | None]
CHUNK = 32  # a batch is split across workers in pieces of at least this many texts

_pipeline: Pipeline | None = None


def _start_worker(city: str, server: int) -> None:
    global _pipeline
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the server stops us
    threading.Thread(target=_follow, args=(server,), name="efir-triage-parent", daemon=True).start()
    _pipeline = Pipeline(city)


def _follow(server: int) -> None:
    """Exit when the server is gone (`kill -9` of its pid alone): a worker must not outlive it."""
    while os.getppid() == server:
        time.sleep(0.5)
    os._exit(0)


def examine(pipeline: Pipeline, text: str) -> Examined:
    """One text as a worker reads it (also used in the server when there are no workers)."""
    found = pipeline.examine(text)
    return found, signature(found.text, pipeline.city)


def _examine_all(texts: list[str]) -> list[_Row]:
    assert _pipeline is not None, "worker not started"
    rows: list[_Row] = []
    for text in texts:
        found, read = examine(_pipeline, text)
        rows.append((found.text, found.lang, found.flags, found.topic, found.district, read))
    return rows  # plain tuples: cheaper to pickle than dataclasses


class TriagePool:
    def __init__(self, workers: int, city: str = "almaty") -> None:
        self.workers = workers
        self.city = city
        self._pool: ProcessPoolExecutor | None = None
        self.restarts = 0

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: the server has threads (the writer, readers) whose locks a fork would copy mid-use
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(self.city, os.getpid()))

    async def start(self) -> None:
        """Start the workers and load their language models (about a second), before the show, not during it."""
        self._pool = self._new_pool()
        await asyncio.gather(*(self._run(["Шымбулак жолы қашан ашылады?"]) for _ in range(self.workers)))

    async def stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    def pids(self) -> list[int]:
        """The worker processes' ids (for metrics and tests)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return sorted(processes)

    async def examine(self, texts: Sequence[str]) -> list[Examined] | None:
        """Every text examined in the workers, in order; None if the pool broke (the caller triages itself)."""
        if self._pool is None:
            return None
        texts = list(texts)
        if not texts:
            return []
        pieces = max(1, min(self.workers, len(texts) // CHUNK))
        size = -(-len(texts) // pieces)
        try:
            parts = await asyncio.gather(*(self._run(texts[i:i + size]) for i in range(0, len(texts), size)))
        except BrokenProcessPool:
            log.error("a triage worker died; starting a new pool and triaging this batch in the server")
            self.restarts += 1
            old, self._pool = self._pool, self._new_pool()
            if old is not None:
                old.shutdown(wait=False, cancel_futures=True)
            return None
        return [(Triage(text, lang, flags, topic, district), read)
                for part in parts for text, lang, flags, topic, district, read in part]

    async def _run(self, texts: list[str]) -> list[_Row]:
        assert self._pool is not None
        return await asyncio.get_running_loop().run_in_executor(self._pool, _examine_all, texts)
