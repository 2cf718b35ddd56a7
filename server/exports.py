"""Exports of a show's questions, streamed page by page so a 200,000-question show stays in constant memory."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import orjson

from .store.base import Store

FORMATS = ("csv", "json")
CSV_FIELDS = ("id", "channel", "external_id", "received_at", "status", "reason", "lang", "topic", "district",
              "addressee", "cluster_id", "asked_count", "flags", "author_name", "text_original", "text",
              "on_air_offset", "merged_into")


def csv_row(q: dict[str, Any]) -> list[Any]:
    flat = {**q, "author_name": q["author"].get("name"), "flags": " ".join(q["flags"])}
    return [flat.get(name) if flat.get(name) is not None else "" for name in CSV_FIELDS]


async def stream(store: Store, show_id: int, fmt: str) -> AsyncIterator[bytes]:
    """CSV is UTF-8 with a BOM so spreadsheet programs read Cyrillic and Kazakh letters right."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(CSV_FIELDS)
        yield ("\ufeff" + buf.getvalue()).encode()
        async for q in store.export_questions(show_id):
            buf.seek(0)
            buf.truncate()
            writer.writerow(csv_row(q))
            yield buf.getvalue().encode()
        return
    yield b'{"show_id":' + str(show_id).encode() + b',"questions":['
    first = True
    async for q in store.export_questions(show_id):
        q = {**q, "author": {k: v for k, v in q["author"].items() if k != "contact"}}
        yield (b"" if first else b",") + orjson.dumps(q)
        first = False
    yield b"]}"
