"""YouTube `liveChatMessages.list` polling (CHANNELS.md §3).

Errors are told apart by `error.errors[].reason`, never by the HTTP status: a 403 can mean the chat
ended (finished), chat disabled (stop), too fast (slow down) or out of quota (wait for the reset
at midnight Pacific time).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from .. import youtube
from ..worker import Cursor, Poll, UpstreamError
from . import json_body

PACIFIC = ZoneInfo("America/Los_Angeles")


def seconds_to_quota_reset(now: datetime | None = None) -> float:
    """Daily quota resets at midnight Pacific time."""
    local = (now or datetime.now(PACIFIC)).astimezone(PACIFIC)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1.0, (midnight - local).total_seconds())


class YouTubeSource:
    def __init__(self, live_chat_id: str, client: httpx.AsyncClient, *,
                 api_base: str = "https://www.googleapis.com", api_key: str | None = None,
                 oauth_token: str | None = None, max_results: int = 2000, min_interval: float = 1.0,
                 quota_wait: Callable[[], float] = seconds_to_quota_reset) -> None:
        self.name = f"youtube:{live_chat_id}"
        self._url = f"{api_base.rstrip('/')}/youtube/v3/liveChat/messages"
        self.live_chat_id, self.client = live_chat_id, client
        self.api_key, self.max_results, self.min_interval = api_key, max_results, min_interval
        self._headers = {"Authorization": f"Bearer {oauth_token}"} if oauth_token else {}
        self.quota_wait = quota_wait
        self.interval = min_interval  # the platform's last pollingIntervalMillis

    async def poll(self, cursor: Cursor) -> Poll:
        params: dict[str, str | int] = {"liveChatId": self.live_chat_id, "part": "id,snippet,authorDetails",
                                        "maxResults": self.max_results}
        if cursor.get("page_token"):
            params["pageToken"] = str(cursor["page_token"])
        if self.api_key:
            params["key"] = self.api_key
        try:
            r = await self.client.get(self._url, params=params, headers=self._headers, timeout=30)
        except httpx.TransportError as exc:
            raise UpstreamError(f"YouTube unreachable ({type(exc).__name__})") from None
        body = json_body(r)
        if r.status_code >= 400 or not isinstance(body, dict):
            raise self._error(r.status_code, body)
        millis = body.get("pollingIntervalMillis")
        if isinstance(millis, int | float):
            self.interval = max(self.min_interval, millis / 1000)
        token = body.get("nextPageToken") or cursor.get("page_token")
        done = bool(body.get("offlineAt")) and not body.get("items")
        next_cursor = {"page_token": token} if token else {}
        return Poll(youtube.parse(body), next_cursor, wait=self.interval, done=done)

    def _error(self, status: int, body: Any) -> UpstreamError:
        reason = youtube.error_reason(body) or str(status)
        if reason == "liveChatEnded":
            return UpstreamError("the live chat has ended", finished=True)
        if reason in youtube.TERMINAL:
            return UpstreamError(f"{status} {reason}", terminal=True)
        if reason in youtube.SLOW_DOWN:
            return UpstreamError(f"{status} {reason}: slowing down", retry_after=max(self.interval, 1.0))
        if reason in youtube.QUOTA:
            wait = self.quota_wait()
            return UpstreamError(f"{status} {reason}: waiting for the daily reset", retry_after=wait)
        return UpstreamError(f"{status} {reason}")

    async def aclose(self) -> None:
        return None
