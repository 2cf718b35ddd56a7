"""Pollers for the platforms a worker reads from: each turns one upstream request into a `Poll`."""

from __future__ import annotations

from typing import Any

import httpx

from ..worker import UpstreamError


def json_body(r: httpx.Response) -> Any:
    """The response's JSON, or a retryable error when a proxy answered with HTML or nothing."""
    try:
        return r.json()
    except ValueError:
        raise UpstreamError(f"{r.status_code} with a body that is not JSON") from None
