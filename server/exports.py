"""Exports of a show's questions, streamed page by page so a 200,000-question show stays in constant memory."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson

from .store.base import FollowUpFilter, LogFilter, Store, pages
from .store.producer_sql import mark_overdue

FORMATS = ("csv", "json")
EXPORT_PAGE = 2_000  # log entries / cases read per query while streaming
CSV_FIELDS = ("id", "channel", "external_id", "received_at", "status", "reason", "lang", "topic", "district",
              "addressee", "cluster_id", "asked_count", "flags", "author_name", "text_original", "text",
              "on_air_offset", "merged_into", "cluster_reason", "suggested")


def reason_text(reason: dict[str, Any] | None) -> str:
    """Why a question joined its cluster, for a spreadsheet: "place: Шанырак 2; words: горячей воды"."""
    if not reason:
        return ""
    parts = ["same text"] if reason.get("same_text") else []
    parts += [f"{key}: {' '.join(map(str, reason[key]))}" for key in ("place", "problem", "words") if reason.get(key)]
    return "; ".join(parts)


def csv_row(q: dict[str, Any]) -> list[Any]:
    flat = {**q, "author_name": q["author"].get("name"), "flags": " ".join(q["flags"]),
            "cluster_reason": reason_text(q.get("cluster_reason")),
            "suggested": " ".join(str(s["id"]) for s in q.get("suggested") or [])}
    return [flat.get(name) if flat.get(name) is not None else "" for name in CSV_FIELDS]


CHUNK = 64 * 1024  # bytes gathered before a chunk goes out: few sends, still constant memory


async def stream(store: Store, show_id: int, fmt: str) -> AsyncIterator[bytes]:
    """CSV is UTF-8 with a BOM so spreadsheet programs read Cyrillic and Kazakh letters right."""
    if fmt == "csv":
        async for chunk in _csv(_questions(store, show_id, csv_row), CSV_FIELDS):
            yield chunk
        return
    async for chunk in _json(_questions(store, show_id, _public), b'{"show_id":%d,"questions":[' % show_id):
        yield chunk


def _public(q: dict[str, Any]) -> dict[str, Any]:
    return {**q, "author": {k: v for k, v in q["author"].items() if k != "contact"}}


async def _questions(store: Store, show_id: int, shape: Callable[[dict[str, Any]], Any]) -> AsyncIterator[Any]:
    async for q in store.export_questions(show_id):
        yield shape(q)


async def _csv(rows: AsyncIterator[list[Any]], fields: tuple[str, ...]) -> AsyncIterator[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    buf.write("\ufeff")
    writer.writerow(fields)
    async for row in rows:
        writer.writerow(row)
        if buf.tell() >= CHUNK:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


async def _json(items: AsyncIterator[Any], head: bytes) -> AsyncIterator[bytes]:
    parts, size, first = [head], len(head), True
    async for item in items:
        encoded = orjson.dumps(item)
        parts.append(encoded if first else b"," + encoded)
        size += len(encoded) + 1
        first = False
        if size >= CHUNK:
            yield b"".join(parts)
            parts, size = [], 0
    parts.append(b"]}")
    yield b"".join(parts)


# -- the post-show log and the follow-up board, streamed the same way ------------------------------

LOG_FIELDS = ("seq", "at", "offset", "kind", "actor", "question_id", "action", "channel", "text_before",
              "text_after", "text_original", "changes")
FOLLOWUP_FIELDS = ("id", "show_id", "show_title", "channel", "received_at", "topic", "district", "text",
                   "assignee", "due", "resolution", "note", "overdue")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode() if value else ""
    return value


def _log_pages(store: Store, show_id: int) -> AsyncIterator[dict[str, Any]]:
    return pages(lambda after: store.show_log(show_id, LogFilter(after=after, limit=EXPORT_PAGE)), "seq", EXPORT_PAGE)


def followup_row(case: dict[str, Any]) -> dict[str, Any]:
    follow = case.get("follow_up") or {}
    return {**{k: case.get(k) for k in ("id", "show_id", "show_title", "channel", "received_at", "topic",
                                         "district", "text", "overdue")},
            **{k: follow.get(k) for k in ("assignee", "due", "resolution", "note")}}


async def _followup_pages(store: Store, flt: FollowUpFilter, today: str) -> AsyncIterator[dict[str, Any]]:
    flt.limit, flt.after = EXPORT_PAGE, 0
    while True:
        page = mark_overdue(await store.followups(flt), today)
        for case in page:
            yield followup_row(case)
        if len(page) < EXPORT_PAGE:
            return
        flt.after = page[-1]["id"]


async def _table(rows: AsyncIterator[dict[str, Any]], fields: tuple[str, ...], fmt: str,
                 head: bytes) -> AsyncIterator[bytes]:
    """Rows as CSV (BOM, header) or as a JSON object `head…]}`, a page of rows in memory at a time."""
    if fmt == "csv":
        async for chunk in _csv(_cells(rows, fields), fields):
            yield chunk
        return
    async for chunk in _json(rows, head):
        yield chunk


async def _cells(rows: AsyncIterator[dict[str, Any]], fields: tuple[str, ...]) -> AsyncIterator[list[Any]]:
    async for row in rows:
        yield [_cell(row.get(name)) for name in fields]


def stream_log(store: Store, show_id: int, fmt: str) -> AsyncIterator[bytes]:
    return _table(_log_pages(store, show_id), LOG_FIELDS, fmt, b'{"show_id":%d,"log":[' % show_id)


def stream_followups(store: Store, flt: FollowUpFilter, fmt: str, today: str) -> AsyncIterator[bytes]:
    return _table(_followup_pages(store, flt, today), FOLLOWUP_FIELDS, fmt, b'{"followups":[')
