"""Telegram `getUpdates` long polling (CHANNELS.md §2.1, §2.3).

The offset saved after a delivery is `last update_id + 1`; sending it on the next call is what
confirms the updates to Telegram, so an update is forgotten upstream only after we committed it.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

import httpx

from schemas import Message

from .. import telegram
from ..batch import Batch
from ..worker import Cursor, Poll, UpstreamError
from . import json_body

_KNOWN_TEXTS = 5_000  # texts remembered to tell a real edit from a silent one


class TelegramSource:
    def __init__(self, token: str, client: httpx.AsyncClient, *, api_base: str = "https://api.telegram.org",
                 timeout: int = 30, limit: int = 100, conflict_wait: float = 10.0) -> None:
        self._url = f"{api_base.rstrip('/')}/bot{token}/getUpdates"  # holds the token: never log it
        self.client, self.timeout, self.limit, self.conflict_wait = client, timeout, limit, conflict_wait
        self.name = f"telegram:{token.split(':', 1)[0]}"  # the bot id, not the secret half
        self._known: OrderedDict[str, str] = OrderedDict()

    async def poll(self, cursor: Cursor) -> Poll:
        params: dict[str, str | int] = {"timeout": self.timeout, "limit": self.limit,
                                        "allowed_updates": json.dumps(list(telegram.ALLOWED_UPDATES))}
        if cursor.get("offset"):
            params["offset"] = int(cursor["offset"])
        try:
            r = await self.client.get(self._url, params=params, timeout=self.timeout + 15)
        except httpx.TransportError as exc:
            raise UpstreamError(f"Telegram unreachable ({type(exc).__name__})") from None
        body = json_body(r)
        if not isinstance(body, dict) or body.get("ok") is not True:
            raise self._error(r.status_code, body if isinstance(body, dict) else {})
        updates = [u for u in body.get("result") or []
                   if isinstance(u, dict) and isinstance(u.get("update_id"), int)]
        batch = Batch()
        for update in updates:  # one by one: an edit later in the same response compares with this one
            part = telegram.parse_update(update, self._known)
            self._remember(part.messages)
            batch.extend(part)
        offset = max((u["update_id"] for u in updates), default=None)
        return Poll(batch, {"offset": offset + 1} if offset is not None else dict(cursor))

    def _error(self, status: int, body: dict[str, Any]) -> UpstreamError:
        code = body.get("error_code") if isinstance(body.get("error_code"), int) else status
        description = str(body.get("description") or "")[:200]
        params: dict[str, Any] = body["parameters"] if isinstance(body.get("parameters"), dict) else {}
        retry_after = params.get("retry_after")
        if code == 429:
            wait = float(retry_after) if isinstance(retry_after, int | float) else None
            return UpstreamError(f"429 rate limited, retry after {wait}s", retry_after=wait)
        if code == 409:
            return UpstreamError("409 conflict: another getUpdates poller or a webhook uses this bot",
                                 retry_after=self.conflict_wait)
        if code in (401, 403, 404):
            return UpstreamError(f"{code} {description or 'bot token refused'}", terminal=True)
        return UpstreamError(f"{code} {description}".strip())

    def _remember(self, messages: list[Message]) -> None:
        for m in messages:
            key = ":".join(m.external_id.split(":")[:2])  # an edit's text is now the message's text
            self._known[key] = m.text
            self._known.move_to_end(key)
        while len(self._known) > _KNOWN_TEXTS:
            self._known.popitem(last=False)

    async def aclose(self) -> None:
        return None
