"""Stores behind one interface: SQLite (embedded default) and, later, PostgreSQL."""

from .base import Store
from .sqlite import SQLiteStore

__all__ = ["SQLiteStore", "Store"]
