"""YouTube `liveChatMessages.list` responses → messages (CHANNELS.md §3).

Text comes from `textMessageDetails.messageText`, a Super Chat's from `superChatDetails.userComment`
(never the server-composed `displayMessage`); deletions and retractions withdraw the question.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from schemas import Author, Message

from .batch import Batch, Withdrawal, clip
from .quarantine import guarded

TERMINAL = frozenset({"liveChatEnded", "liveChatDisabled", "liveChatNotFound", "forbidden"})
SLOW_DOWN = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
QUOTA = frozenset({"quotaExceeded", "dailyLimitExceeded"})


def parse(response: Any) -> Batch:
    out = Batch()
    items = response.get("items") if isinstance(response, dict) else None
    for item in items or []:
        if isinstance(item, dict) and isinstance(item.get("snippet"), dict):
            guarded(out, "youtube", item, partial(_read, item, out))
    return out


def _read(item: dict[str, Any], out: Batch) -> None:
    snippet: dict[str, Any] = item["snippet"]
    kind = snippet.get("type")
    if kind == "messageDeletedEvent":
        gone = (snippet.get("messageDeletedDetails") or {}).get("deletedMessageId")
        if gone:
            out.withdrawals.append(Withdrawal("youtube", str(gone), "deleted"))
        return
    if kind == "messageRetractedEvent":
        gone = (snippet.get("messageRetractedDetails") or {}).get("retractedMessageId")
        if gone:
            out.withdrawals.append(Withdrawal("youtube", str(gone), "retracted"))
        return
    if kind == "textMessageEvent":
        text = (snippet.get("textMessageDetails") or {}).get("messageText") or snippet.get("displayMessage")
    elif kind == "superChatEvent":
        text = (snippet.get("superChatDetails") or {}).get("userComment")
    else:
        return  # stickers, memberships, polls, bans: nothing to ask
    if not text or not item.get("id"):
        return
    details = item.get("authorDetails") or {}
    author = Author(name=details.get("displayName"),
                    handle=details.get("channelId") or snippet.get("authorChannelId"))
    out.add(Message(channel="youtube", external_id=str(item["id"]), author=author, text=clip(str(text)),
                    sent_at=_when(snippet.get("publishedAt"))), item)


def error_reason(body: Any) -> str | None:
    """`error.errors[0].reason` of a Google API error body: the only reliable way to tell 403s apart."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    for detail in error.get("errors") or []:
        if isinstance(detail, dict) and detail.get("reason"):
            return str(detail["reason"])
    status = error.get("status")
    return str(status) if status else None


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
