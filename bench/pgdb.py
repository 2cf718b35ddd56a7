"""The PostgreSQL leg's database: `efir_bench_<pid>` on the server at `EFIR_BENCH_POSTGRES` (an admin URL,
default `postgresql://postgres@127.0.0.1:5432/postgres`), created before the leg and dropped after it.

Each Efir server of the run gets a schema of its own in it (`empty`, `seeded`; the store's URL carries
`?search_path=`, as tests/pg.py does), so each starts on an empty database without a second CREATE DATABASE.

The database server is a process apart from Efir's: `cpu()` samples the CPU time of the backends connected
to the bench database and of the server's background processes (checkpointer, background writer, WAL
writer: they work for every database on the server, on a quiet machine mostly for this one), read from
`/proc` for the pids `pg_stat_activity` lists, so the report can show the database's CPU next to Efir's.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

SETTINGS = ("server_version", "shared_buffers", "synchronous_commit", "fsync", "wal_level", "autovacuum",
            "max_connections")
ADMIN_URL = os.environ.get("EFIR_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def _redact(url: str) -> str:
    """The URL without its password, for logs and the report."""
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    return f"{scheme}{sep}{creds.split(':')[0]}@{host}" if at else url


async def _run(url: str, sql: str, *args: Any, fetch: bool = False) -> list[Any]:
    import asyncpg

    conn = await asyncpg.connect(url, timeout=5)
    try:
        if fetch:
            return list(await conn.fetch(sql, *args))
        await conn.execute(sql, *args)
        return []
    finally:
        await conn.close()


class BenchDatabase:
    """`efir_bench_<pid>`: `create()` before the PostgreSQL leg, `schema(name)` per server, `drop()` after."""

    def __init__(self, admin_url: str = ADMIN_URL) -> None:
        self.admin_url = admin_url
        self.name = f"efir_bench_{os.getpid()}"
        base, _, _ = admin_url.partition("?")[0].rpartition("/")
        self.url = f"{base}/{self.name}"
        self.created = False

    @property
    def label(self) -> str:
        return _redact(self.url)

    def create(self) -> None:
        try:
            asyncio.run(_run(self.admin_url, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)"))
            asyncio.run(_run(self.admin_url, f"CREATE DATABASE {self.name}"))
        except Exception as exc:
            raise RuntimeError(f"PostgreSQL at {_redact(self.admin_url)} (EFIR_BENCH_POSTGRES): cannot create "
                               f"{self.name}: {type(exc).__name__}: {exc}") from exc
        self.created = True

    def schema(self, name: str) -> str:
        """A fresh, empty schema `name` in the bench database, and the store URL that uses it."""
        asyncio.run(_run(self.url, f"DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"))
        return f"{self.url}?search_path={name}"

    def vacuum(self) -> None:
        """VACUUM ANALYZE after seeding: what autovacuum would have done to a show that grew over hours (else it
        may start in the middle of a measured phase, and the planner starts on empty-table statistics)."""
        asyncio.run(_run(self.url, "VACUUM ANALYZE"))

    def drop(self) -> None:
        if self.created:
            asyncio.run(_run(self.admin_url, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)"))
            self.created = False

    def settings(self) -> dict[str, str]:
        """The server's version and the settings that move these figures."""
        rows = asyncio.run(_run(self.admin_url, "SELECT name, current_setting(name) FROM pg_settings "
                                "WHERE name = ANY($1::text[])", list(SETTINGS), fetch=True))
        found = {str(name): str(setting) for name, setting in rows}
        return {name: found.get(name, "?") for name in SETTINGS}

    def cpu(self) -> dict[int, float]:
        """CPU seconds so far of each backend of the bench database and each background process of the server."""
        try:
            rows = asyncio.run(_run(self.admin_url, "SELECT pid FROM pg_stat_activity WHERE datname = $1 "
                                    "OR (datname IS NULL AND backend_type <> 'client backend')", self.name,
                                    fetch=True))
        except Exception:
            return {}
        out: dict[int, float] = {}
        for (pid,) in rows:
            seconds = _cpu_seconds(int(pid))
            if seconds is not None:
                out[int(pid)] = seconds
        return out


def _cpu_seconds(pid: int) -> float | None:
    """utime + stime of `pid` from /proc (None when it is gone or on another host)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            head, _, tail = f.read().rpartition(b")")
    except OSError:
        return None
    if not head.endswith(b"(postgres"):  # not this host's database server
        return None
    fields = tail.split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the database used between two `cpu()` samples (a backend new in the window counts whole;
    one that exited within it is lost: Efir's connections are long-lived)."""
    return sum(max(0.0, seconds - before.get(pid, 0.0)) for pid, seconds in after.items())
