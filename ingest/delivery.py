"""Delivery of a worker's batches to the server's `POST /api/ingest`, retried until acknowledged.

The server answers only after the batch is committed and dedupes by (channel, external_id), so a
retry after a lost answer is always safe. Withdrawals go to `POST /api/ingest/withdrawals`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from schemas import MAX_BATCH

from .batch import Batch

log = logging.getLogger("efir.ingest")
Sleep = Callable[[float], Awaitable[None]]


class DeliveryRefused(Exception):
    """The server said no for good (bad token, invalid batch): retrying would not help."""


class Delivery:
    def __init__(self, server: str, token: str, client: httpx.AsyncClient, *, base_wait: float = 0.5,
                 max_wait: float = 60.0, sleep: Sleep = asyncio.sleep) -> None:
        self.server = server.rstrip("/")
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}
        self.base_wait, self.max_wait, self.sleep = base_wait, max_wait, sleep
        self.attempts = 0  # every POST tried, for the progress line and tests

    async def deliver(self, batch: Batch) -> tuple[int, int]:
        """(accepted, duplicates) once every chunk and the withdrawals are committed."""
        accepted = duplicates = 0
        for start in range(0, len(batch.messages), MAX_BATCH):
            chunk = batch.messages[start:start + MAX_BATCH]
            body = {"messages": [m.model_dump(mode="json", exclude_none=True) for m in chunk]}
            result = await self.call("POST", "/api/ingest", body)
            accepted += int(result.get("accepted", 0))
            duplicates += int(result.get("duplicates", 0))
        if batch.withdrawals:
            items = [{"channel": w.channel, "external_id": w.external_id, "reason": w.reason}
                     for w in batch.withdrawals]
            for start in range(0, len(items), MAX_BATCH):
                await self.call("POST", "/api/ingest/withdrawals", {"withdrawals": items[start:start + MAX_BATCH]})
        return accepted, duplicates

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """One request to the server, retried with backoff until it answers (a 4xx other than 429 is final)."""
        failures = 0
        while True:
            self.attempts += 1
            try:
                r = await self.client.request(method, self.server + path, json=body, headers=self.headers)
            except httpx.TransportError as exc:
                reason, retry_after = f"server unreachable ({type(exc).__name__})", None
            else:
                if r.status_code == 200:
                    result: dict[str, Any] = r.json()
                    return result
                if r.status_code != 429 and r.status_code < 500:
                    raise DeliveryRefused(f"{r.status_code} {_error_code(r)}")
                reason, retry_after = f"server answered {r.status_code}", _retry_after(r)
            wait = min(self.max_wait, self.base_wait * 2 ** failures)
            failures += 1
            log.warning("delivery: %s; retrying in %.1fs", reason, max(wait, retry_after or 0))
            await self.sleep(max(wait, retry_after or 0))


def _error_code(r: httpx.Response) -> str:
    try:
        return str(r.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return "error"


def _retry_after(r: httpx.Response) -> float | None:
    value = r.headers.get("retry-after", "")
    return float(value) if value.replace(".", "", 1).isdigit() else None
