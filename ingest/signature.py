"""HMAC checks for signed webhooks, always over the raw request bytes and in constant time."""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, raw: bytes) -> str:
    """`sha256=<lowercase hex>`, as Meta's `X-Hub-Signature-256` and the SMS gateway send it."""
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def valid(secret: str, raw: bytes, header: str | None) -> bool:
    """True when `header` is the HMAC-SHA256 of exactly these bytes. An empty secret never validates."""
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(secret, raw).encode(), header.strip().lower().encode())


def same_secret(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a shared secret header (Telegram's secret token)."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
