"""Telegram Bot API stand-in: `getUpdates` with offsets, long-poll timeout, 409 and 429 bodies."""

from __future__ import annotations

import threading
from typing import Any

from . import Reply, Request, StandIn, dumps

TOKEN = "123456:TEST-token_abc"
TOO_MANY = Reply(
    429,
    b'{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5",'
    b'"parameters":{"retry_after":5}}',
)
CONFLICT = Reply(
    409,
    b'{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates '
    b'request; make sure that only one bot instance is running"}',
)
UNAUTHORIZED = Reply(401, b'{"ok":false,"error_code":401,"description":"Unauthorized"}')


class TelegramStandIn(StandIn):
    def __init__(self) -> None:
        super().__init__()
        self.updates: list[dict[str, Any]] = []
        self.confirmed = 0  # updates below this id are forgotten, as on Telegram's side
        self.arrived = threading.Condition()

    def push(self, *updates: dict[str, Any]) -> None:
        with self.arrived:
            self.updates += updates
            self.arrived.notify_all()

    def handle(self, request: Request) -> Reply:
        if request.path != f"/bot{TOKEN}/getUpdates":
            return Reply(404, b'{"ok":false,"error_code":404,"description":"Not Found"}')
        offset = int(request.query.get("offset", "0"))
        limit = int(request.query.get("limit", "100"))
        timeout = float(request.query.get("timeout", "0"))
        with self.arrived:
            if offset:
                self.confirmed = max(self.confirmed, offset)
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if not self.updates and timeout:
                self.arrived.wait(min(timeout, 2.0))
            result = self.updates[:limit]
        return Reply(200, dumps({"ok": True, "result": result}))


def text_update(
    update_id: int,
    message_id: int,
    text: str,
    chat_id: int = -1001234567890,
    user: str = "Айгерим",
    edit_date: int | None = None,
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": message_id,
        "from": {
            "id": 111222333,
            "is_bot": False,
            "first_name": user,
            "username": "aigerim_kz",
            "language_code": "kk",
        },
        "chat": {"id": chat_id, "title": "Шоу: вопросы зрителей", "type": "supergroup"},
        "date": 1717000000 + message_id,
        "text": text,
    }
    if edit_date is not None:
        message["edit_date"] = edit_date
        return {"update_id": update_id, "edited_message": message}
    return {"update_id": update_id, "message": message}
