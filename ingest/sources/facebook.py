"""Facebook Graph API `/{live-video-id}/comments` polling (CHANNELS.md §4.1).

Chronological order with the `after` cursor: the last page's cursor is kept and asked again, so
new comments come after it. Errors are told apart by `error.code` (4, 17, 32, 613: throttled).
"""

from __future__ import annotations

from typing import Any

import httpx

from .. import facebook
from ..worker import Cursor, Poll, UpstreamError
from . import json_body


class FacebookSource:
    def __init__(self, live_video_id: str, access_token: str, client: httpx.AsyncClient, *,
                 api_base: str = "https://graph.facebook.com", version: str = "v26.0", interval: float = 2.0,
                 throttle_wait: float = 60.0, since: int | None = None, limit: int = 100) -> None:
        self.name = f"facebook:{live_video_id}"
        self._url = f"{api_base.rstrip('/')}/{version}/{live_video_id}/comments"
        self._token, self.client = access_token, client
        self.interval, self.throttle_wait, self.since, self.limit = interval, throttle_wait, since, limit

    async def poll(self, cursor: Cursor) -> Poll:
        params: dict[str, str | int] = {
            "fields": facebook.FIELDS, "order": "chronological", "filter": "stream",
            "live_filter": "no_filter", "limit": self.limit, "access_token": self._token,
        }
        if cursor.get("after"):
            params["after"] = str(cursor["after"])
        elif self.since is not None:
            params["since"] = self.since
        try:
            r = await self.client.get(self._url, params=params, timeout=30)
        except httpx.TransportError as exc:
            raise UpstreamError(f"Graph API unreachable ({type(exc).__name__})") from None
        body = json_body(r)
        if r.status_code >= 400 or not isinstance(body, dict) or "error" in body:
            raise self._error(r.status_code, body)
        after = facebook.after_cursor(body) or cursor.get("after")
        wait = 0.0 if facebook.has_next(body) else self.interval
        return Poll(facebook.parse(body), {"after": after} if after else {}, wait=wait)

    def _error(self, status: int, body: Any) -> UpstreamError:
        code = facebook.error_code(body)
        message = str(((body or {}).get("error") or {}).get("message") or status)[:200]
        if code in facebook.RATE_LIMIT_CODES:
            return UpstreamError(f"throttled (#{code})", retry_after=self.throttle_wait)
        if code in facebook.TERMINAL_CODES:
            return UpstreamError(f"refused (#{code}) {message}", terminal=True)
        return UpstreamError(f"{status} (#{code}) {message}")

    async def aclose(self) -> None:
        return None
