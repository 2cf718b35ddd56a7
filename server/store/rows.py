"""Row ↔ JSON mapping. Questions travel as plain dicts shaped like `schemas.Question`:
a snapshot of 200,000 questions must not build 200,000 pydantic models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from ..air import AIR_STATUSES, safe_text

QUESTION_COLUMNS = (
    "id, show_id, channel, external_id, author_name, author_handle, author_contact, text_original, text, "
    "lang, flags, topic, district, addressee, cluster_id, asked_count, priority, status, reason, "
    "merged_into, starred, rundown_pos, follow_up, media, version, received_at, sent_at, updated_at, "
    "transitions, on_air_offset, cluster_reason, suggested, dismissed"
)
JSON_FIELDS = frozenset({"follow_up", "cluster_reason", "suggested", "dismissed"})  # stored as JSON text
# an empty `suggested` or `dismissed` (most questions'), one shared object: a 200,000-question snapshot would
# otherwise hold 400,000 empty lists; JSON writes it as []
_NONE: tuple[()] = ()

Question = dict[str, Any]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def question_from_row(r: Any) -> Question:
    return {
        "id": r[0],
        "show_id": r[1],
        "channel": r[2],
        "external_id": r[3],
        "author": {"name": r[4], "handle": r[5], "contact": r[6]},
        "text_original": r[7],
        "text": r[8],
        "lang": r[9],
        "flags": r[10].split(",") if r[10] else [],
        "topic": r[11],
        "district": r[12],
        "addressee": r[13],
        "cluster_id": r[14] if r[14] is not None else r[0],
        "asked_count": r[15],
        "priority": r[16],
        "status": r[17],
        "reason": r[18],
        "merged_into": r[19],
        "starred": bool(r[20]),
        "rundown_pos": r[21],
        "follow_up": orjson.loads(r[22]) if r[22] else None,
        "media": orjson.loads(r[23]) if r[23] else None,
        "version": r[24],
        "received_at": r[25],
        "sent_at": r[26],
        "updated_at": r[27],
        "transitions": orjson.loads(r[28]) if r[28] else {},
        "on_air_offset": r[29],
        "cluster_reason": orjson.loads(r[30]) if r[30] else None,
        "suggested": orjson.loads(r[31]) if r[31] else _NONE,
        "dismissed": orjson.loads(r[32]) if r[32] else _NONE,
        "air_text": safe_text(r[8], r[9]) if r[17] in AIR_STATUSES else None,  # the rundown and the air only
    }


def column_value(field: str, value: Any) -> Any:
    """How a question field is stored in its column."""
    if field in JSON_FIELDS:
        return orjson.dumps(value).decode() if value is not None else None
    if field == "starred":
        return 1 if value else 0
    if field == "flags":
        return ",".join(value)
    return value


def show_from_row(r: Any) -> dict[str, Any]:
    return {
        "id": r[0],
        "title": r[1],
        "starts_at": r[2],
        "ends_at": r[3],
        "status": r[4],
        "guests": orjson.loads(r[5]) if r[5] else [],
        "started_at": r[6],
        "ended_at": r[7],
        "created_at": r[8],
    }


SHOW_COLUMNS = "id, title, starts_at, ends_at, status, guests, started_at, ended_at, created_at"
