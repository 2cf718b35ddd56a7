"""One writer thread per store: jobs queue up, run in batches inside one transaction each.

Every job runs in its own SAVEPOINT, so a job that raises rolls back alone and the rest of its
batch still commits. Jobs submitted with the same `merge` function that meet in one batch run as one
(`merge(tx, [payload, ...])`, one result per job: an ingest of many requests is then one set of
statements); should that raise, each of them runs again on its own, so a bad one still fails alone.
Callers are answered only after COMMIT returns, so an acknowledged write is on disk. Committed events
reach `on_commit` on the event loop, in seq order, before any caller of that batch is answered (when
`on_commit` returns an awaitable: once it is done).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import queue
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .base import LiveEvent
from .dbapi import Conn

T = TypeVar("T")
log = logging.getLogger("efir.store")
MAX_BATCH = 512  # jobs in one transaction
MAX_WEIGHT = 2_000  # messages in one transaction: an action never waits behind more than this
URGENT, NORMAL = 0, 1


class Tx:
    """What a job sees: the connection, a list for the events it wrote, and `undo`: how to take back what it
    changed outside the database (an in-memory index) should its transaction roll back."""

    __slots__ = ("conn", "events", "undo")

    def __init__(self, conn: Conn) -> None:
        self.conn = conn
        self.events: list[LiveEvent] = []
        self.undo: list[Callable[[], None]] = []


Merge = Callable[[Tx, list[Any]], list[Any]]


@dataclass(slots=True)
class _Job(Generic[T]):
    fn: Callable[[Tx], T]
    future: asyncio.Future[T]
    weight: int = 1
    merge: Merge | None = None
    payload: Any = None
    result: Any = None
    error: BaseException | None = None
    events: list[LiveEvent] = field(default_factory=list)
    undo: list[Callable[[], None]] = field(default_factory=list)


def _units(jobs: list[_Job[Any]]) -> list[list[_Job[Any]]]:
    """The batch's jobs as they run: one job, or every job of one `merge` where the first of them stood."""
    merged: dict[Merge, list[_Job[Any]]] = {}
    units: list[list[_Job[Any]]] = []
    for job in jobs:
        if job.merge is None:
            units.append([job])
        elif job.merge in merged:
            merged[job.merge].append(job)
        else:
            merged[job.merge] = [job]
            units.append(merged[job.merge])
    return units


class Writer:
    def __init__(self, connect: Callable[[], Conn], on_commit: Callable[[list[LiveEvent]], object],
                 observe: Callable[[float, int], None] | None = None, *,
                 begin: Callable[[Conn], None],
                 before_commit: Callable[[Conn, list[LiveEvent]], None] = lambda conn, events: None,
                 after_commit: Callable[[list[LiveEvent]], None] = lambda events: None,
                 name: str = "sqlite") -> None:
        self._connect = connect
        self._on_commit = on_commit
        self._observe = observe
        self._begin, self._before_commit, self._after_commit = begin, before_commit, after_commit
        self._name = name
        # (priority, order, job): moderator actions (URGENT) jump the ingest queue; order keeps FIFO within one
        self._queue: queue.PriorityQueue[tuple[int, int, _Job[Any] | None]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._startup: list[Callable[[Conn], object]] = []
        self.pending = 0
        self._failed: BaseException | None = None
        self._answering: set[asyncio.Future[None]] = set()

    def start(self, loop: asyncio.AbstractEventLoop, startup: list[Callable[[Conn], object]]) -> None:
        self._loop = loop
        self._startup = startup
        self._thread = threading.Thread(target=self._run, name=f"efir-{self._name}-writer", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._failed is not None:
            raise self._failed

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put((NORMAL + 1, next(self._order), None))
            self._thread.join()
            self._thread = None

    def submit(self, fn: Callable[[Tx], T], *, urgent: bool = False, weight: int = 1,
               merge: Merge | None = None, payload: Any = None) -> asyncio.Future[T]:
        """Queue `fn(tx)`; with `merge`, jobs of the same `merge` in one batch run as `merge(tx, payloads)`."""
        assert self._loop is not None, "writer not started"
        future: asyncio.Future[T] = self._loop.create_future()
        self.pending += 1
        job = _Job(fn, future, weight, merge, payload)
        self._queue.put((URGENT if urgent else NORMAL, next(self._order), job))
        return future

    def _run(self) -> None:
        try:
            conn = self._connect()
            for step in self._startup:
                step(conn)
        except BaseException as exc:  # the database is not there or not ours: `start` raises it
            self._failed = exc
            self._ready.set()
            return
        self._ready.set()
        running = True
        while running:
            job = self._queue.get()[2]
            if job is None:
                break
            jobs, weight = [job], job.weight
            while len(jobs) < MAX_BATCH and weight < MAX_WEIGHT:
                try:
                    more = self._queue.get_nowait()[2]
                except queue.Empty:
                    break
                if more is None:
                    running = False
                    break
                jobs.append(more)
                weight += more.weight
            self._batch(conn, jobs)
        conn.close()

    def _batch(self, conn: Conn, jobs: list[_Job[Any]]) -> None:
        started = time.perf_counter()
        units = _units(jobs)
        if len(units) > 1:
            self._savepoints(conn, units)
        elif not self._alone(conn, units[0]):  # a merged group failed: its jobs one by one, so the bad one fails alone
            self._savepoints(conn, [[job] for job in units[0]])
        if self._observe is not None:
            self._observe(time.perf_counter() - started, len(jobs))
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._deliver, jobs)

    def _alone(self, conn: Conn, unit: list[_Job[Any]]) -> bool:
        """A transaction of one job (or one merged group) needs no SAVEPOINT: if the job fails, the whole
        transaction rolls back. (Two round trips fewer on PostgreSQL.) False: a merged group failed, so
        its jobs must run again one by one."""
        tx = Tx(conn)
        committing = False
        try:
            self._begin(conn)
            if len(unit) == 1:
                unit[0].result = unit[0].fn(tx)
            else:
                self._merge(tx, unit)
            committing = True
            self._before_commit(conn, tx.events)
            conn.execute("COMMIT")
        except BaseException as exc:
            self._rollback(conn)
            for step in reversed(tx.undo):
                step()
            if len(unit) > 1 and not committing and isinstance(exc, Exception):
                return False
            for job in unit:
                job.error, job.events = exc, []
            return True
        unit[0].events, unit[0].undo = tx.events, tx.undo
        self._after_commit(tx.events)
        return True

    def _rollback(self, conn: Conn) -> None:
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except Exception:
            log.exception("rollback failed")

    def _savepoints(self, conn: Conn, units: list[list[_Job[Any]]]) -> None:
        jobs = [job for unit in units for job in unit]
        try:
            self._begin(conn)
            for unit in units:
                if len(unit) > 1:
                    self._group(conn, unit)
                else:
                    self._one(conn, unit[0])
            self._before_commit(conn, [ev for job in jobs for ev in job.events])
            conn.execute("COMMIT")
        except BaseException as exc:  # the commit itself failed: nobody in this batch is acknowledged
            self._rollback(conn)
            for job in jobs:
                job.error, job.events = exc, []
                for step in reversed(job.undo):
                    step()
        else:
            self._after_commit([ev for job in jobs for ev in job.events])

    @staticmethod
    def _one(conn: Conn, job: _Job[Any]) -> None:
        tx = Tx(conn)
        conn.execute("SAVEPOINT job")
        try:
            job.result = job.fn(tx)
        except Exception as exc:
            conn.execute("ROLLBACK TO job")
            for step in reversed(tx.undo):
                step()
            job.error = exc
        else:
            job.events, job.undo = tx.events, tx.undo
        conn.execute("RELEASE job")

    def _group(self, conn: Conn, group: list[_Job[Any]]) -> None:
        tx = Tx(conn)
        conn.execute("SAVEPOINT job")
        try:
            self._merge(tx, group)
        except Exception:
            conn.execute("ROLLBACK TO job")
            conn.execute("RELEASE job")
            for step in reversed(tx.undo):
                step()
            for job in group:  # one of them is bad: each on its own, so only that one fails
                self._one(conn, job)
            return
        conn.execute("RELEASE job")
        group[0].events, group[0].undo = tx.events, tx.undo  # the group's events go live as one job's

    @staticmethod
    def _merge(tx: Tx, group: list[_Job[Any]]) -> None:
        merge = group[0].merge
        assert merge is not None
        results = merge(tx, [job.payload for job in group])
        assert len(results) == len(group), "a merge returns one result per job"
        for job, result in zip(group, results, strict=True):
            job.result = result

    def _deliver(self, jobs: list[_Job[Any]]) -> None:
        events = [ev for job in jobs for ev in job.events]
        live = self._on_commit(events) if events else None
        if isinstance(live, Awaitable):
            task = asyncio.ensure_future(self._answer_after(live, jobs))
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)
        else:
            self._answer(jobs)

    async def _answer_after(self, live: Awaitable[Any], jobs: list[_Job[Any]]) -> None:
        try:
            await live
        except Exception:
            log.exception("live delivery after a commit failed")
        self._answer(jobs)

    def _answer(self, jobs: list[_Job[Any]]) -> None:
        for job in jobs:
            self.pending -= 1
            if job.future.cancelled():
                continue
            if job.error is not None:
                job.future.set_exception(job.error)
            else:
                job.future.set_result(job.result)
