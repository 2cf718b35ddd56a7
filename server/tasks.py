"""Background tasks: stopped together, each awaited so nothing outlives its owner."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable


async def cancel_all(tasks: Iterable[asyncio.Future[object] | asyncio.Task[None]]) -> None:
    """Cancel every task, then wait for each to finish; what they raise on the way out is theirs."""
    tasks = list(tasks)
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(BaseException):
            await task
