"""Personal-data retention: contacts and raw payloads of ended shows are purged after
`EFIR_RETENTION_DAYS`; the server runs the purge periodically, `efir purge` on demand."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from .store.base import Store

log = logging.getLogger("efir.retention")


def cutoff(days: int, now: datetime | None = None) -> str:
    return ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="milliseconds")


async def run_periodically(store: Store, days: int, interval_minutes: int) -> None:
    while True:
        try:
            report = await store.purge(cutoff(days), False, "retention")
            if report.questions:
                log.info("retention purge: %d questions of shows %s", report.questions, report.shows)
        except Exception:
            log.exception("retention purge failed")
        await asyncio.sleep(interval_minutes * 60)
