"""Instagram `live_comments` webhook payloads → messages (CHANNELS.md §4.3).

Two shapes exist: Facebook-Login apps get `entry[].changes[] {field, value}`; Business-Login apps
get `field` and `value` directly on the entry. Both are read.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from schemas import Author, Message

from .batch import Batch, clip, from_unix
from .quarantine import guarded

FIELDS = {"live_comments", "comments"}


def parse(payload: Any) -> Batch:
    out = Batch()
    if not isinstance(payload, dict) or payload.get("object") != "instagram":
        return out
    for entry in payload.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        changes: list[Any] = entry["changes"] if isinstance(entry.get("changes"), list) else [entry]
        for change in changes:
            if not isinstance(change, dict) or change.get("field") not in FIELDS:
                continue
            if isinstance(change.get("value"), dict):
                guarded(out, "instagram", {"time": entry.get("time"), "changes": [change]},
                        partial(_read_comment, change["value"], entry.get("time"), out))
    return out.sorted()


def _read_comment(value: dict[str, Any], time: Any, out: Batch) -> None:
    comment_id = value.get("id")
    if not comment_id:
        return
    sender = value.get("from") if isinstance(value.get("from"), dict) else {}
    assert isinstance(sender, dict)
    username = sender.get("username")
    author = Author(name=username, handle=f"@{username}" if username else None)
    out.add(Message(channel="instagram", external_id=str(comment_id), author=author,
                    text=clip(str(value.get("text") or "")), sent_at=from_unix(time)), value)
