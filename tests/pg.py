"""The PostgreSQL leg: one database per test run (`efir_test_<pid>`, created and dropped here), one
schema per test inside it (the store's URL carries `?search_path=`), on the server the machine runs
(`EFIR_TEST_POSTGRES`, default 127.0.0.1:5432 with trust auth). Creating the tables costs ~0.4 s, so
a schema, once migrated, is emptied (rows deleted, identities restarted: as new) and reused by a later
test; no two tests hold one at the same time.

Without a reachable server the leg skips with the reason — except under CI (`CI=true`), where a
missing PostgreSQL fails the run."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest

from server.store.dbapi import PRIMARY_KEYS

ADMIN_URL = os.environ.get("EFIR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin(sql: str, url: str = ADMIN_URL) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(url, timeout=5)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    _run_apart(run)


def rows(db_url: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """A read-only query on either kind of database, from outside any server (`?` placeholders)."""
    from server.store import open_store

    out: list[tuple[Any, ...]] = []

    async def run() -> None:
        store = open_store(db_url, server=False)
        await store.open()
        try:
            out.extend(await store._read(lambda conn: [tuple(r) for r in conn.execute(sql, args).fetchall()]))
        finally:
            await store.close()

    _run_apart(run)
    return out


def _run_apart(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """`asyncio.run(main())` in a thread of its own: callable from async tests (a running loop) and plain
    ones alike; what it raises is raised here."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


class PostgresLeg:
    """The run's database; `schema()` gives each test a fresh, empty one and its URL."""

    def __init__(self, admin_url: str = ADMIN_URL) -> None:
        self.admin_url = admin_url
        self.error: str | None = None
        self.name = f"efir_test_{os.getpid()}"
        try:
            _admin(f"DROP DATABASE IF EXISTS {self.name}", admin_url)
            _admin(f"CREATE DATABASE {self.name}", admin_url)
        except Exception as exc:
            self.error = f"PostgreSQL at {admin_url.split('@')[-1]} not reachable: {type(exc).__name__}: {exc}"
        base, _, _ = admin_url.rpartition("/")
        self.url = f"{base}/{self.name}"
        self._free: list[str] = []
        self._reset: str | None = None

    def require(self) -> None:
        if self.error is None:
            return
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"the PostgreSQL leg must run in CI: {self.error}", pytrace=False)
        pytest.skip(self.error)

    def schema(self) -> Iterator[str]:
        self.require()
        if self._free:
            name = self._free.pop()
            _admin(self._empty(name), self.url)
        else:
            name = f"t_{secrets.token_hex(6)}"
            _admin(f"CREATE SCHEMA {name}", self.url)
        try:
            yield f"{self.url}?search_path={name}"
        finally:
            self._free.append(name)

    def _empty(self, schema: str) -> str:
        if self._reset is None:
            from server.store.schema import MIGRATIONS

            tables = [m.group(1) for script in MIGRATIONS for m in re.finditer(r"CREATE TABLE (\w+)", script)]
            identities = [f"{t}_{'seq' if t == 'events' else 'id'}_seq" for t in PRIMARY_KEYS]
            self._reset = ("BEGIN; " + "".join(f"DELETE FROM {{s}}.{t}; " for t in reversed(tables))
                           + "".join(f"ALTER SEQUENCE {{s}}.{i} RESTART; " for i in identities)
                           + "INSERT INTO {s}.reply_cursor (id, seq) VALUES (1, 0); COMMIT;")
        return self._reset.format(s=schema)

    def admin(self, sql: str) -> None:
        """A statement on the run's database as its owner (e.g. `pg_terminate_backend`)."""
        _admin(sql, self.url)

    def drop(self) -> None:
        if self.error is None:
            _admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)", self.admin_url)
