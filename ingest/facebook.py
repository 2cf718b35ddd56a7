"""Facebook Graph API `/{live-video-id}/comments` pages → messages (CHANNELS.md §4.1).

`from` may be missing (no Page token, or a private profile); the full `{video}_{comment}` id is the key.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from schemas import Author, Media, Message

from .batch import Batch, clip
from .quarantine import guarded

FIELDS = "id,message,from{id,name},created_time,attachment"
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80001})
TERMINAL_CODES = frozenset({100, 102, 190, 200, 10})


def parse(page: Any) -> Batch:
    out = Batch()
    data = page.get("data") if isinstance(page, dict) else None
    for comment in data or []:
        if isinstance(comment, dict) and comment.get("id"):
            guarded(out, "facebook", comment, partial(_read, comment, out))
    return out.sorted()


def _read(comment: dict[str, Any], out: Batch) -> None:
    sender = comment.get("from") if isinstance(comment.get("from"), dict) else {}
    assert isinstance(sender, dict)
    author = Author(name=sender.get("name"), handle=f"fb:{sender['id']}" if sender.get("id") else None)
    text = clip(str(comment.get("message") or ""))
    media = None
    attachment = comment.get("attachment")
    if isinstance(attachment, dict):
        target = attachment.get("target") if isinstance(attachment.get("target"), dict) else {}
        kind = "sticker" if attachment.get("type") == "sticker" else "image"
        media = Media(kind=kind, id=str((target or {}).get("id") or comment["id"]))
    if not text and media is None:
        return
    out.add(Message(channel="facebook", external_id=str(comment["id"]), author=author, text=text,
                    sent_at=_when(comment.get("created_time")), media=media), comment)


def after_cursor(page: Any) -> str | None:
    paging = page.get("paging") if isinstance(page, dict) else None
    cursors = paging.get("cursors") if isinstance(paging, dict) else None
    after = cursors.get("after") if isinstance(cursors, dict) else None
    return str(after) if after else None


def has_next(page: Any) -> bool:
    paging = page.get("paging") if isinstance(page, dict) else None
    return isinstance(paging, dict) and bool(paging.get("next"))


def error_code(body: Any) -> int | None:
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, int) else None


def _when(value: Any) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z")  # `+0000`, no colon
    except ValueError:
        return None
