"""The producer's reads and writes in SQL: segments, the post-show log, the report, the follow-up board,
live counters. Plain SQL on the domain tables (window functions and `FILTER` work in PostgreSQL too); the
SQLite spellings `julianday`, `json_extract` and `group_concat` are rewritten for PostgreSQL by
`dbapi.to_postgres`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import orjson

from schemas import Action

from .. import desk
from ..air import safe_text
from ..errors import Conflict, Invalid, NotFound
from . import questions_tx
from .base import FollowUpFilter, LogFilter, Question
from .dbapi import Conn
from .rows import QUESTION_COLUMNS, now_iso, question_from_row
from .writer import Tx

SEGMENT_COLUMNS = "id, show_id, position, guest, title, planned_minutes, started_at, ended_at"
REPORT_DIMENSIONS = ("channel", "topic", "district", "lang", "status")
OPEN_RESOLUTIONS = ("needs_time",)  # a case with no resolution, or one that needs time, is still open


# -- segments -------------------------------------------------------------------------------------

def _segment(r: tuple[Any, ...]) -> dict[str, Any]:
    return {"id": r[0], "show_id": r[1], "position": r[2], "guest": r[3], "title": r[4], "planned_minutes": r[5],
            "started_at": r[6], "ended_at": r[7], "current": r[6] is not None and r[7] is None}


def segments(conn: Conn, show_id: int) -> list[dict[str, Any]]:
    return [_segment(r) for r in conn.execute(
        f"SELECT {SEGMENT_COLUMNS} FROM segments WHERE show_id = ? ORDER BY position, id", (show_id,))]


def load_show(conn: Conn, show_id: int) -> dict[str, Any]:
    show = questions_tx.show_by_id(conn, show_id)
    if show is None:
        raise NotFound(f"show {show_id} not found")
    return show


def set_segments(t: Tx, show_id: int, plan: list[dict[str, Any]], actor: str) -> list[dict[str, Any]]:
    """Replace the show's segment plan; a segment given with its `id` keeps its air times."""
    show = load_show(t.conn, show_id)
    guests = {g["name"] for g in show["guests"]}
    for item in plan:
        if item["guest"] not in guests:
            raise Invalid(f"{item['guest']!r} is not a guest of show {show_id}", field="segments")
    kept = {s["id"]: s for s in segments(t.conn, show_id)}
    t.conn.execute("DELETE FROM segments WHERE show_id = ?", (show_id,))
    for position, item in enumerate(plan):
        old = kept.get(item.get("id") or -1, {})
        values = (show_id, position, item["guest"], item.get("title"), item.get("planned_minutes"),
                  old.get("started_at"), old.get("ended_at"))
        if old:  # the same segment, re-planned: it keeps its id (and air times)
            t.conn.execute("INSERT INTO segments (id, show_id, position, guest, title, planned_minutes, started_at, "
                           "ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (old["id"], *values))
        else:
            t.conn.execute("INSERT INTO segments (show_id, position, guest, title, planned_minutes, started_at, "
                           "ended_at) VALUES (?, ?, ?, ?, ?, ?, ?)", values)
    result = segments(t.conn, show_id)
    _show_event(t, show, "segments_set", actor, {"segments": [s["id"] for s in result]})
    return result


def start_segment(t: Tx, show_id: int, segment_id: int, actor: str) -> dict[str, Any]:
    """Make a segment current (ending the previous one) and put its guest's questions first in the rundown."""
    show = load_show(t.conn, show_id)
    segment = next((s for s in segments(t.conn, show_id) if s["id"] == segment_id), None)
    if segment is None:
        raise NotFound(f"segment {segment_id} of show {show_id} not found")
    if show["status"] != "live":
        raise Conflict(f"show {show_id} is {show['status']}: start it first", code="invalid_transition")
    now = now_iso()
    t.conn.execute("UPDATE segments SET ended_at = ? WHERE show_id = ? AND started_at IS NOT NULL "
                   "AND ended_at IS NULL AND id != ?", (now, show_id, segment_id))
    t.conn.execute("UPDATE segments SET started_at = coalesce(started_at, ?), ended_at = NULL WHERE id = ?",
                   (now, segment_id))
    guest = next(g for g in show["guests"] if g["name"] == segment["guest"])
    order = guest_first(t.conn, show_id, guest)
    questions_tx.set_rundown(t, show_id, order, actor)
    show = load_show(t.conn, show_id)  # now with this segment as the current one, for every desk
    _show_event(t, show, "segment_started", actor,
                {"segment_id": segment_id, "guest": guest["name"], "title": segment["title"]})
    return {**segment, "started_at": segment["started_at"] or now, "ended_at": None, "current": True}


def current_segment(conn: Conn, show_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {SEGMENT_COLUMNS} FROM segments WHERE show_id = ? AND started_at IS NOT NULL "
                       "AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1", (show_id,)).fetchone()
    return _segment(row) if row else None


is_guests = desk.is_guests


def guest_first(conn: Conn, show_id: int, guest: dict[str, Any]) -> list[int]:
    """The rundown with the guest's questions moved to the front, each group keeping its air order."""
    rows = conn.execute("SELECT id, addressee, district FROM questions WHERE show_id = ? AND rundown_pos IS NOT "
                        "NULL ORDER BY rundown_pos, id", (show_id,)).fetchall()
    theirs = [r[0] for r in rows if is_guests({"addressee": r[1], "district": r[2]}, guest)]
    return theirs + [r[0] for r in rows if r[0] not in set(theirs)]


def _show_event(t: Tx, show: dict[str, Any], kind: str, actor: str, payload: dict[str, Any]) -> None:
    questions_tx.show_event(t, show, kind, actor, payload)


# -- post-show log --------------------------------------------------------------------------------

def offset_text(seconds: float | None) -> str | None:
    """`00:14:32` from the show's start (negative before it), to find the moment in the recording."""
    if seconds is None:
        return None
    whole = int(abs(seconds))
    sign = "-" if seconds < 0 and whole else ""
    return f"{sign}{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def log(conn: Conn, show_id: int, flt: LogFilter) -> list[dict[str, Any]]:
    where: list[str] = ["e.show_id = ?", "e.seq > ?"]
    args: list[object] = [show_id, flt.after]
    if flt.kinds:
        where.append(f"e.kind IN ({','.join('?' * len(flt.kinds))})")
        args += flt.kinds
    if flt.skip:
        where.append(f"e.kind NOT IN ({','.join('?' * len(flt.skip))})")
        args += flt.skip
    if flt.actor:
        where.append("e.actor = ?")
        args.append(flt.actor)
    if flt.question_id is not None:
        where.append("e.question_id = ?")
        args.append(flt.question_id)
    rows = conn.execute(
        "SELECT e.seq, e.at, e.kind, e.actor, e.question_id, e.payload, "
        "(julianday(e.at) - julianday(s.started_at)) * 86400.0, q.channel, q.text_original "
        "FROM events e JOIN shows s ON s.id = e.show_id LEFT JOIN questions q ON q.id = e.question_id "
        f"WHERE {' AND '.join(where)} ORDER BY e.seq LIMIT ?", (*args, flt.limit))
    return [_log_entry(r) for r in rows]


def _log_entry(r: tuple[Any, ...]) -> dict[str, Any]:
    payload = orjson.loads(r[5]) if r[5] else {}
    before, after = payload.get("before") or {}, payload.get("after") or {}
    entry: dict[str, Any] = {
        "seq": r[0], "at": r[1], "kind": r[2], "actor": r[3], "question_id": r[4],
        "offset_seconds": round(r[6], 3) if r[6] is not None else None, "offset": offset_text(r[6]),
        "action": payload.get("action"), "channel": r[7], "text_original": r[8],
        "changes": {k: v for k, v in after.items() if k not in ("rundown_pos", "text")},
    }
    if "text" in after:  # who edited what before it aired: the text before and after this edit
        entry["text_before"], entry["text_after"] = before.get("text"), after["text"]
    if r[4] is None or "after" not in payload:  # show events, outbox events: their payload is the detail
        entry["changes"] = {k: v for k, v in payload.items() if k not in ("before", "after")}
    return entry


def aired(conn: Conn, show_id: int) -> list[dict[str, Any]]:
    """Every question that went on air: original, edited and aired text side by side, and who edited it. The
    aired text is what the prompter showed last (kept in the event that put it there), masked as it was read."""
    rows = conn.execute(
        "SELECT q.id, q.on_air_offset, q.channel, q.text_original, q.text, q.status, q.topic, q.district, "
        "(SELECT group_concat(DISTINCT e.actor) FROM events e WHERE e.question_id = q.id AND e.kind = 'edited'), "
        "(SELECT json_extract(e.payload, '$.air_text') FROM events e WHERE e.question_id = q.id "
        " AND e.kind IN ('on_air', 'edited') AND json_extract(e.payload, '$.air_text') IS NOT NULL "
        " ORDER BY e.seq DESC LIMIT 1), q.lang "
        "FROM questions q WHERE q.show_id = ? AND q.on_air_offset IS NOT NULL ORDER BY q.on_air_offset, q.id",
        (show_id,))
    return [{"id": r[0], "offset_seconds": r[1], "offset": offset_text(r[1]), "channel": r[2],
             "text_original": r[3], "text": r[4], "air_text": r[9] if r[9] is not None else safe_text(r[4], r[10]),
             "status": r[5], "topic": r[6], "district": r[7],
             "edited": r[3] != r[4], "edited_by": sorted(r[8].split(",")) if r[8] else []} for r in rows]


# -- report ---------------------------------------------------------------------------------------

def report(conn: Conn, show_id: int) -> dict[str, Any]:
    show = load_show(conn, show_id)
    out: dict[str, Any] = {"show": show}
    for dim in REPORT_DIMENSIONS:
        out[f"by_{dim}"] = {(k if k is not None else ""): n for k, n in conn.execute(
            f"SELECT {dim}, count(*) FROM questions WHERE show_id = ? GROUP BY {dim} ORDER BY count(*) DESC, {dim}",
            (show_id,))}
    out["totals"] = _totals(conn, show_id)
    out["resolutions"] = {k or "open": n for k, n in conn.execute(
        "SELECT json_extract(follow_up, '$.resolution'), count(*) FROM questions WHERE show_id = ? "
        "AND status = 'follow_up' GROUP BY 1 ORDER BY 1", (show_id,))}
    out["time_to_air"] = _time_to_air(conn, show_id)
    out["moderators"] = _moderators(conn, show_id)
    return out


_TOTALS = {
    "questions": "count(*)",
    "asked": "coalesce(sum(asked_count) FILTER (WHERE status != 'merged'), 0)",
    # each question that went on air, by how it left the air last: answered, to follow-up, or skipped back to
    # the rundown and never aired again
    "answered_on_air": "count(*) FILTER (WHERE status = 'answered' AND on_air_offset IS NOT NULL)",
    "skipped": "count(*) FILTER (WHERE status IN ('new', 'approved') AND on_air_offset IS NOT NULL)",
    "follow_up_on_air": "count(*) FILTER (WHERE status = 'follow_up' AND on_air_offset IS NOT NULL)",
    "follow_up": "count(*) FILTER (WHERE status = 'follow_up')",
    "rejected": "count(*) FILTER (WHERE status = 'rejected')",
    "merged": "count(*) FILTER (WHERE status = 'merged')",
    "not_reached": "count(*) FILTER (WHERE status IN ('new', 'approved') AND on_air_offset IS NULL)",
}


def _totals(conn: Conn, show_id: int) -> dict[str, int]:
    row = conn.execute(f"SELECT {', '.join(_TOTALS.values())} FROM questions WHERE show_id = ?", (show_id,)).fetchone()
    return {name: int(n) for name, n in zip(_TOTALS, row, strict=True)}


def _time_to_air(conn: Conn, show_id: int) -> dict[str, Any]:
    """Median and p90 (nearest rank) seconds from arrival to the question's first on-air moment."""
    median, p90, n = conn.execute(
        "WITH aired AS (SELECT q.id, (julianday(min(e.at)) - julianday(q.received_at)) * 86400.0 AS secs "
        "  FROM questions q JOIN events e ON e.question_id = q.id AND e.kind = 'on_air' "
        "  WHERE q.show_id = ? AND q.on_air_offset IS NOT NULL GROUP BY q.id, q.received_at), "
        "ranked AS (SELECT secs, row_number() OVER (ORDER BY secs) AS rn, count(*) OVER () AS n FROM aired) "
        "SELECT (SELECT avg(secs) FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2)), "
        "(SELECT secs FROM ranked WHERE rn = (9 * n + 9) / 10), (SELECT count(*) FROM aired)",
        (show_id,)).fetchone()
    return {"count": n, "median_seconds": _round(median), "p90_seconds": _round(p90)}


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _moderators(conn: Conn, show_id: int) -> list[dict[str, Any]]:
    """Actions per person (one action = one event group) and what they were, over the show's events."""
    rows = conn.execute(
        "SELECT actor, count(DISTINCT grp), count(*) FILTER (WHERE kind = 'approved'), "
        "count(*) FILTER (WHERE kind = 'rejected'), count(*) FILTER (WHERE kind = 'merged'), "
        "count(*) FILTER (WHERE kind = 'edited'), count(*) FILTER (WHERE kind = 'tagged'), "
        "count(*) FILTER (WHERE kind = 'on_air'), count(*) FILTER (WHERE kind = 'follow_up'), min(at), max(at) "
        "FROM events WHERE show_id = ? AND question_id IS NOT NULL AND grp IS NOT NULL "
        "GROUP BY actor ORDER BY count(DISTINCT grp) DESC, actor", (show_id,))
    names = ("actions", "approved", "rejected", "merged", "edited", "tagged", "on_air", "follow_up")
    return [{"actor": r[0], **dict(zip(names, r[1:9], strict=True)), "first_at": r[9], "last_at": r[10]}
            for r in rows]


# -- live counters --------------------------------------------------------------------------------

def counters(conn: Conn, show_id: int, since: str) -> dict[str, Any]:
    per_minute: dict[str, dict[str, int]] = {}
    for channel, minute, n in conn.execute(
            "SELECT channel, substr(received_at, 1, 16), count(*) FROM questions WHERE show_id = ? "
            "AND received_at >= ? GROUP BY 1, 2 ORDER BY 2", (show_id, since)):
        per_minute.setdefault(channel, {})[minute] = n
    total, new, approved, aired_n, follow = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE status = 'new'), count(*) FILTER (WHERE status = 'approved'), "
        "count(*) FILTER (WHERE on_air_offset IS NOT NULL), count(*) FILTER (WHERE status = 'follow_up') "
        "FROM questions WHERE show_id = ?", (show_id,)).fetchone()
    return {"since": since, "per_minute": per_minute, "total": total, "queue": new, "approved": approved,
            "aired": aired_n, "follow_up": follow, "segment": current_segment(conn, show_id)}


# -- follow-up board ------------------------------------------------------------------------------

def _followup_where(flt: FollowUpFilter) -> tuple[str, list[object]]:
    resolution = "json_extract(q.follow_up, '$.resolution')"
    open_case = f"({resolution} IS NULL OR {resolution} IN ({','.join('?' * len(OPEN_RESOLUTIONS))}))"
    where: list[str] = ["q.status = 'follow_up'", "q.id > ?"]
    args: list[object] = [flt.after]
    filters: tuple[tuple[str, object], ...] = (
        ("q.show_id", flt.show_id), ("q.topic", flt.topic), ("q.district", flt.district),
        ("json_extract(q.follow_up, '$.assignee')", flt.assignee))
    for column, value in filters:
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    if flt.resolution == "open":
        where.append(open_case)
        args += OPEN_RESOLUTIONS
    elif flt.resolution:
        where.append(f"{resolution} = ?")
        args.append(flt.resolution)
    if flt.overdue_on:
        where.append(f"{open_case} AND json_extract(q.follow_up, '$.due') < ?")
        args += [*OPEN_RESOLUTIONS, flt.overdue_on]
    return " AND ".join(where), args


def followups(conn: Conn, flt: FollowUpFilter) -> list[dict[str, Any]]:
    where, args = _followup_where(flt)
    columns = ", ".join(f"q.{c.strip()}" for c in QUESTION_COLUMNS.split(","))
    rows = conn.execute(f"SELECT {columns}, s.title, s.starts_at FROM questions q LEFT JOIN shows s "
                        f"ON s.id = q.show_id WHERE {where} ORDER BY q.id LIMIT ?", (*args, flt.limit))
    return [{**question_from_row(r), "show_title": r[-2], "show_starts_at": r[-1]} for r in rows]


def count_followups(conn: Conn, flt: FollowUpFilter) -> int:
    """The cases matching `flt` past its `after` cursor, however many pages (the board says "500 of N")."""
    where, args = _followup_where(flt)
    return int(conn.execute(f"SELECT count(*) FROM questions q WHERE {where}", args).fetchone()[0])


def mark_overdue(cases: list[dict[str, Any]], today: str) -> list[dict[str, Any]]:
    for case in cases:
        follow = case.get("follow_up") or {}
        due = follow.get("due")
        case["overdue"] = bool(due) and str(due) < today and follow.get("resolution") in (None, *OPEN_RESOLUTIONS)
    return cases


def _unreached_statuses(include_new: bool) -> tuple[str, ...]:
    return ("approved", "new") if include_new else ("approved",)


def count_unreached(conn: Conn, show_id: int, include_new: bool) -> int:
    """How many cases `open_followups` would open now (the producer confirms this number first)."""
    statuses = _unreached_statuses(include_new)
    row = conn.execute(f"SELECT count(*) FROM questions WHERE show_id = ? "
                       f"AND status IN ({','.join('?' * len(statuses))})", (show_id, *statuses)).fetchone()
    return int(row[0])


def open_followups(t: Tx, show_id: int, include_new: bool, due: str | None, actor: str) -> list[int]:
    """Questions the show did not reach (or skipped and never aired again) become follow-up cases through the
    desk's own `follow_up` action (one event each), assigned to the guest whose question it was and due a month
    after the show."""
    show = load_show(t.conn, show_id)
    statuses = _unreached_statuses(include_new)
    rows = t.conn.execute(f"SELECT {QUESTION_COLUMNS} FROM questions WHERE show_id = ? "
                          f"AND status IN ({','.join('?' * len(statuses))}) ORDER BY id", (show_id, *statuses))
    due = due or (date.fromisoformat(show["starts_at"][:10]) + timedelta(days=30)).isoformat()
    opened: list[int] = []
    for q in [question_from_row(r) for r in rows.fetchall()]:
        action = Action(action="follow_up", version=q["version"], assignee=_assignee(q, show), due=due)
        questions_tx.act(t, q["id"], action, actor, None)
        opened.append(q["id"])
    return opened


def _assignee(q: Question, show: dict[str, Any]) -> str | None:
    for guest in show["guests"]:
        if is_guests(q, guest):
            return str(guest.get("department") or guest["name"])
    return q.get("addressee")
