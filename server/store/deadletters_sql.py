"""Dead letters in SQL: what a channel could not read or validate, kept raw with the reason.

A dead letter is stored once per channel and content (`key` = channel + SHA-256 of the raw bytes): a
worker that re-reads a mailbox after a restart, or a platform that re-sends the same webhook, counts it
again (`seen`) instead of storing it twice. States: `open` (waiting for a fix) → `retried` (read again,
its questions stored) or back to `open` with the new reason when the retry failed too. Retention deletes
dead letters received before the cutoff whatever their state: they hold viewers' raw messages.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import orjson

from . import questions_tx
from .base import DeadLetterIn
from .dbapi import Conn
from .rows import now_iso
from .writer import Tx

LIST_COLUMNS = "id, channel, source, reason, size, state, seen, attempts, outcome, received_at, updated_at"


def key(channel: str, raw: bytes) -> str:
    return f"{channel}:{hashlib.sha256(raw).hexdigest()}"


def encode(raw: bytes) -> tuple[str, str]:
    """(stored text, encoding): UTF-8 text as it is (readable in the database), anything else as base64."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode("ascii"), "base64"
    return (text, "utf-8") if "\x00" not in text else (base64.b64encode(raw).decode("ascii"), "base64")


def decode(stored: str, encoding: str) -> bytes:
    return base64.b64decode(stored) if encoding == "base64" else stored.encode("utf-8")


def add(t: Tx, items: list[DeadLetterIn], actor: str) -> list[tuple[int, bool]]:
    """Store each item (or count it again if already stored); (id, new) per item, in order."""
    out = []
    now = now_iso()
    for item in items:
        text, encoding = encode(item.raw)
        row = t.conn.execute(
            "INSERT INTO dead_letters (key, channel, source, reason, raw, raw_encoding, size, received_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET seen = dead_letters.seen + 1, "
            "updated_at = excluded.updated_at RETURNING id, seen",
            (key(item.channel, item.raw), item.channel, item.source[:200], item.reason[:500], text, encoding,
             len(item.raw), now, now)).fetchone()
        new = int(row[1]) == 1
        if new:
            payload = {"dead_letter": int(row[0]), "channel": item.channel, "reason": item.reason[:500]}
            questions_tx.append_event(t, None, None, "dead_letter", actor, now, payload)
        out.append((int(row[0]), new))
    return out


def listing(conn: Conn, state: str | None, channel: str | None, after: int, limit: int) -> list[dict[str, Any]]:
    where: list[str] = ["id > ?"]
    params: list[object] = [after]
    for column, value in (("state", state), ("channel", channel)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    rows = conn.execute(f"SELECT {LIST_COLUMNS} FROM dead_letters WHERE {' AND '.join(where)} ORDER BY id LIMIT ?",
                        (*params, limit)).fetchall()
    return [_row(r) for r in rows]


def one(conn: Conn, dead_letter_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {LIST_COLUMNS}, raw, raw_encoding FROM dead_letters WHERE id = ?",
                       (dead_letter_id,)).fetchone()
    if row is None:
        return None
    found = _row(row[:-2])
    found["raw"] = decode(row[-2], row[-1])
    return found


def finish(t: Tx, dead_letter_id: int, ok: bool, outcome: dict[str, Any], actor: str) -> None:
    """Record a retry: `retried` with what it became, or still `open` with the reason it failed again."""
    now = now_iso()
    if ok:
        t.conn.execute("UPDATE dead_letters SET state = 'retried', attempts = attempts + 1, outcome = ?, "
                       "updated_at = ? WHERE id = ?", (orjson.dumps(outcome).decode(), now, dead_letter_id))
    else:
        t.conn.execute("UPDATE dead_letters SET attempts = attempts + 1, reason = ?, outcome = ?, updated_at = ? "
                       "WHERE id = ?", (str(outcome.get("reason", ""))[:500], orjson.dumps(outcome).decode(), now,
                                        dead_letter_id))
    questions_tx.append_event(t, None, None, "dead_letter_retried", actor, now,
                              {"dead_letter": dead_letter_id, "ok": ok, **outcome})


def open_counts(conn: Conn) -> dict[str, int]:
    return {str(channel): int(n) for channel, n in conn.execute(
        "SELECT channel, count(*) FROM dead_letters WHERE state = 'open' GROUP BY channel")}


def purge(t: Tx, cutoff: str, dry_run: bool) -> int:
    count = int(t.conn.execute("SELECT count(*) FROM dead_letters WHERE received_at < ?", (cutoff,)).fetchone()[0])
    if count and not dry_run:
        t.conn.execute("DELETE FROM dead_letters WHERE received_at < ?", (cutoff,))
    return count


def _row(r: Any) -> dict[str, Any]:
    found = dict(zip([c.strip() for c in LIST_COLUMNS.split(",")], r, strict=True))
    found["outcome"] = orjson.loads(found["outcome"]) if found["outcome"] else None
    return found
