"""Stores behind one interface: SQLite (the embedded default) and PostgreSQL (several replicas on one
database), chosen by the `EFIR_DB` URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .base import Clusterer, OnCommit, Store
from .sql import SQLStore
from .sqlite import SQLiteStore

__all__ = ["SQLStore", "SQLiteStore", "Store", "is_postgres", "open_store"]


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def open_store(url: str, *, on_commit: OnCommit | None = None, clusterer: Clusterer | None = None,
               observe: Callable[[float, int], None] | None = None, server: bool = True, **options: Any) -> SQLStore:
    """`postgresql://…` → PostgreSQL; a path or `sqlite:///path` → SQLite."""
    if is_postgres(url):
        from .pg import PostgresStore

        return PostgresStore(url, on_commit, clusterer=clusterer, observe=observe, server=server, **options)
    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    return SQLiteStore(path, on_commit, clusterer=clusterer, observe=observe, server=server)
