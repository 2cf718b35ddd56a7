"""Versioned migrations, one set of definitions for both databases. Each entry runs once, in order;
SQLite records the last in `PRAGMA user_version`, PostgreSQL in `schema_version`. The scripts are
written in the common subset; for PostgreSQL `dbapi.ddl_for_postgres` widens the integer and real
columns and makes the AUTOINCREMENT keys identity columns (the event `seq` is assigned by the
database)."""

from __future__ import annotations

import sqlite3

from .dbapi import PgConnection, ddl_for_postgres

MIGRATIONS: list[str] = [
    # 1: the domain
    """
    CREATE TABLE shows (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        title TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT,
        status TEXT NOT NULL DEFAULT 'scheduled',
        guests TEXT NOT NULL DEFAULT '[]',
        started_at TEXT,
        ended_at TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX shows_status ON shows(status, starts_at);
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        show_id INTEGER REFERENCES shows(id),
        channel TEXT NOT NULL,
        external_id TEXT NOT NULL,
        author_name TEXT,
        author_handle TEXT,
        author_contact TEXT,
        text_original TEXT NOT NULL,
        text TEXT NOT NULL,
        lang TEXT NOT NULL DEFAULT 'unknown',
        flags TEXT NOT NULL DEFAULT '',
        topic TEXT,
        district TEXT,
        addressee TEXT,
        cluster_id INTEGER,
        asked_count INTEGER NOT NULL DEFAULT 1,
        priority REAL NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'new',
        reason TEXT,
        merged_into INTEGER,
        starred INTEGER NOT NULL DEFAULT 0,
        rundown_pos INTEGER,
        follow_up TEXT,
        media TEXT,
        raw TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        received_at TEXT NOT NULL,
        sent_at TEXT,
        updated_at TEXT NOT NULL,
        transitions TEXT NOT NULL DEFAULT '{}',
        on_air_offset REAL,
        UNIQUE (channel, external_id)
    );
    CREATE INDEX questions_show ON questions(show_id, id);
    CREATE INDEX questions_rundown ON questions(show_id, rundown_pos) WHERE rundown_pos IS NOT NULL;
    CREATE UNIQUE INDEX questions_one_on_air ON questions(show_id) WHERE status = 'on_air';
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        show_id INTEGER,
        question_id INTEGER,
        kind TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        grp INTEGER,
        payload TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_show ON events(show_id, seq);
    CREATE INDEX events_question ON events(question_id, seq);
    CREATE TABLE users (
        username TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        lang TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        created_at REAL NOT NULL,
        seen_at REAL NOT NULL
    );
    CREATE TABLE tokens (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        show_id INTEGER,
        hash TEXT NOT NULL UNIQUE,
        label TEXT,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE TABLE claims (
        question_id INTEGER PRIMARY KEY,
        show_id INTEGER,
        username TEXT NOT NULL,
        conn_id TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 2: ingest workers' cursors, kept by the server so a restarted worker resumes where it was
    """
    CREATE TABLE cursors (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 3: the producer's workspace: segments per guest in air order; indexes for the log and the follow-up board
    """
    CREATE TABLE segments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        show_id INTEGER NOT NULL REFERENCES shows(id),
        position INTEGER NOT NULL,
        guest TEXT NOT NULL,
        title TEXT,
        planned_minutes INTEGER,
        started_at TEXT,
        ended_at TEXT
    );
    CREATE INDEX segments_show ON segments(show_id, position);
    CREATE INDEX events_kind ON events(show_id, kind, seq);
    CREATE INDEX questions_follow_up ON questions(status, show_id) WHERE status = 'follow_up';
    """,
    # 4: reply-back to viewers through a durable outbox: one row per (question, reply kind), never sent twice
    """
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        question_id INTEGER NOT NULL,
        show_id INTEGER,
        kind TEXT NOT NULL,
        channel TEXT NOT NULL,
        recipient TEXT,
        lang TEXT NOT NULL,
        text TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at TEXT NOT NULL,
        last_error TEXT,
        provider_id TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT
    );
    CREATE INDEX outbox_due ON outbox(state, next_at);
    CREATE INDEX outbox_show ON outbox(show_id, id);
    CREATE TABLE reply_settings (show_id INTEGER PRIMARY KEY, enabled INTEGER NOT NULL);
    CREATE TABLE reply_optouts (
        channel TEXT NOT NULL,
        address TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (channel, address)
    );
    CREATE TABLE reply_templates (kind TEXT NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (kind, lang));
    CREATE TABLE reply_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
    INSERT INTO reply_cursor (id, seq) SELECT 1, coalesce(max(seq), 0) FROM events;
    """,
    # 5: several servers on one database: who is running, and who has a desk open on which show
    """
    CREATE TABLE replicas (id TEXT PRIMARY KEY, address TEXT, started_at TEXT NOT NULL, seen_at REAL NOT NULL);
    CREATE TABLE presence (
        conn_id TEXT PRIMARY KEY,
        show_id INTEGER NOT NULL,
        username TEXT NOT NULL,
        role TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX presence_show ON presence(show_id);
    """,
    # 6: dead letters: what a channel could not read or validate, kept raw (UTF-8 text, or base64 of the
    # bytes) with the reason, once per channel and content (`key`), until it is retried or retention purges it
    """
    CREATE TABLE dead_letters (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        channel TEXT NOT NULL,
        source TEXT NOT NULL,
        reason TEXT NOT NULL,
        raw TEXT NOT NULL,
        raw_encoding TEXT NOT NULL,
        size INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'open',
        seen INTEGER NOT NULL DEFAULT 1,
        attempts INTEGER NOT NULL DEFAULT 0,
        outcome TEXT,
        received_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX dead_letters_state ON dead_letters(state, id);
    CREATE INDEX dead_letters_received ON dead_letters(received_at);
    """,
    # 7: channel health: each ingest worker's latest heartbeat (its progress figures), whichever server it reached
    """
    CREATE TABLE heartbeats (
        name TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        figures TEXT NOT NULL
    );
    """,
    # 8: explainable near-duplicates: why a question joined its cluster (JSON), the cluster heads suggested to
    # the desk (JSON list of {id, score, reason}) and the ones a moderator dismissed (JSON list of ids)
    """
    ALTER TABLE questions ADD COLUMN cluster_reason TEXT;
    ALTER TABLE questions ADD COLUMN suggested TEXT;
    ALTER TABLE questions ADD COLUMN dismissed TEXT;
    """,
]

MIGRATION_LOCK = 0x45464952  # "EFIR": one replica migrates at a time


def migrate_sqlite(conn: sqlite3.Connection) -> int:
    """Bring the database to the newest version; returns that version."""
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
        conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    return len(MIGRATIONS)


def migrate_postgres(conn: PgConnection) -> int:
    """The same steps on PostgreSQL, each in its own transaction, under an advisory lock (replicas
    starting together: the first migrates, the others wait and find nothing left to do)."""
    conn.execute("BEGIN")
    conn.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
    conn.executescript("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    current = int(row[0] or 0)
    for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
        conn.executescript(ddl_for_postgres(script))
        conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
    conn.execute("COMMIT")
    return len(MIGRATIONS)
