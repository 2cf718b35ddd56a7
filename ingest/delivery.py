"""Delivery of a worker's batches to the server's `POST /api/ingest`, retried until acknowledged.

The server answers only after the batch is committed and dedupes by (channel, external_id), so a
retry after a lost answer is always safe. Withdrawals go to `POST /api/ingest/withdrawals`, bot commands
to `POST /api/ingest/commands`, and what could not be read to `POST /api/ingest/dead-letters`. A chunk
the server refuses as invalid (400/422) is sent again one message at a time: the messages it accepts are
stored, and each one it refuses becomes a dead letter with the server's reason, so one bad message never
stops the channel.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from schemas import MAX_BATCH

from .batch import Batch, DeadLetter

log = logging.getLogger("efir.ingest")
Sleep = Callable[[float], Awaitable[None]]


class DeliveryRefused(Exception):
    """The server said no for good (bad token, invalid batch): retrying would not help."""


class Refused(DeliveryRefused):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status, self.reason = status, reason

    @property
    def invalid(self) -> bool:
        """The body was refused (not the token): a message in it is bad."""
        return self.status in (400, 413, 422)


class Delivery:
    def __init__(self, server: str, token: str, client: httpx.AsyncClient, *, base_wait: float = 0.5,
                 max_wait: float = 60.0, sleep: Sleep = asyncio.sleep) -> None:
        self.server = server.rstrip("/")
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}
        self.base_wait, self.max_wait, self.sleep = base_wait, max_wait, sleep
        self.attempts = 0  # every POST tried, for the progress line and tests

    async def deliver(self, batch: Batch) -> tuple[int, int]:
        """(accepted, duplicates) once every chunk, the withdrawals, commands and dead letters are committed.
        Messages the server refuses are added to `batch.dead` (and kept there as dead letters)."""
        accepted = duplicates = 0
        for start in range(0, len(batch.messages), MAX_BATCH):
            chunk = [m.model_dump(mode="json", exclude_none=True) for m in batch.messages[start:start + MAX_BATCH]]
            a, d = await self._messages(chunk, batch)
            accepted, duplicates = accepted + a, duplicates + d
        if batch.commands:
            items = [{"channel": c.channel, "external_id": c.external_id, "chat": c.chat, "name": c.name}
                     for c in batch.commands]
            for start in range(0, len(items), MAX_BATCH):
                await self.call("POST", "/api/ingest/commands", {"commands": items[start:start + MAX_BATCH]})
        if batch.dead:
            for start in range(0, len(batch.dead), 100):  # raw mail can be large: small requests
                await self.call("POST", "/api/ingest/dead-letters", {"dead_letters": [
                    {"channel": d.channel, "reason": d.reason, "source": d.source,
                     "raw": base64.b64encode(d.raw).decode("ascii")} for d in batch.dead[start:start + 100]]})
        if batch.withdrawals:
            items = [{"channel": w.channel, "external_id": w.external_id, "reason": w.reason}
                     for w in batch.withdrawals]
            for start in range(0, len(items), MAX_BATCH):
                await self.call("POST", "/api/ingest/withdrawals", {"withdrawals": items[start:start + MAX_BATCH]})
        return accepted, duplicates

    async def _messages(self, chunk: list[dict[str, Any]], batch: Batch) -> tuple[int, int]:
        try:
            result = await self.call("POST", "/api/ingest", {"messages": chunk})
        except Refused as exc:
            if not exc.invalid:
                raise
            if len(chunk) > 1:  # find the bad ones: each message alone
                results = [await self._messages([m], batch) for m in chunk]
                return sum(r[0] for r in results), sum(r[1] for r in results)
            raw = json.dumps(chunk[0], ensure_ascii=True).encode()
            batch.dead.append(DeadLetter(chunk[0]["channel"], f"refused by the server: {exc.reason}", raw))
            return 0, 0
        return int(result.get("accepted", 0)), int(result.get("duplicates", 0))

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
                    raise Refused(r.status_code, _error_reason(r))
                reason, retry_after = f"server answered {r.status_code}", _retry_after(r)
            wait = min(self.max_wait, self.base_wait * 2 ** failures)
            failures += 1
            log.warning("delivery: %s; retrying in %.1fs", reason, max(wait, retry_after or 0))
            await self.sleep(max(wait, retry_after or 0))


def _error_reason(r: httpx.Response) -> str:
    """`code: message` of the server's error (the server's messages name fields, never quote content)."""
    try:
        error = r.json()["error"]
        return f"{error['code']}: {str(error.get('message', ''))[:200]}"
    except (ValueError, KeyError, TypeError):
        return "error"


def _retry_after(r: httpx.Response) -> float | None:
    value = r.headers.get("retry-after", "")
    return float(value) if value.replace(".", "", 1).isdigit() else None
