"""The embedded store: one SQLite file in WAL mode, one writer thread, a small pool of readers."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

from .base import Clusterer, OnCommit
from .dbapi import Conn
from .schema import migrate_sqlite
from .sql import SQLStore


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    conn.execute("PRAGMA busy_timeout = 10000")
    if readonly:
        conn.execute("PRAGMA query_only = 1")
    else:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class SQLiteStore(SQLStore):
    kind = "sqlite"

    def __init__(self, path: Path | str, on_commit: OnCommit | None = None, clusterer: Clusterer | None = None,
                 observe: Callable[[float, int], None] | None = None, *, server: bool = True) -> None:
        self.path = Path(path)
        super().__init__(on_commit, clusterer, observe, server=server)

    def _connect(self, *, readonly: bool) -> Conn:
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        return connect(self.path, readonly=readonly)

    def _migrate(self, conn: Conn) -> object:
        assert isinstance(conn, sqlite3.Connection)
        return migrate_sqlite(conn)

    def _begin(self, conn: Conn) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def _begin_read(self, conn: Conn) -> None:
        conn.execute("BEGIN")

    async def backup(self, path: str) -> None:
        def run() -> None:
            source = connect(self.path, readonly=True)
            target = sqlite3.connect(path)
            try:
                source.backup(target, pages=1024)
            finally:
                target.close()
                source.close()

        await asyncio.to_thread(run)
