"""Passwords (argon2id), server-side sessions with a CSRF secret, hashed bearer tokens."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .errors import Forbidden, Invalid, Unauthorized
from .roles import ROLES, allowed
from .store.base import SessionRecord, Store, TokenRecord

SESSION_COOKIE = "efir_session"
CSRF_HEADER = "x-csrf-token"
MIN_PASSWORD = 8

_hasher = PasswordHasher()
_dummy_hash: list[str] = []  # hashed on first use: verifying unknown users costs as much as known ones


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"password must be at least {MIN_PASSWORD} characters", field="password")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if password_hash is None and not _dummy_hash:
        _dummy_hash.append(_hasher.hash("efir-timing-equaliser"))
    try:
        return _hasher.verify(password_hash or _dummy_hash[0], password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def token_hash(secret: str) -> str:
    """Tokens are 256-bit random secrets: a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class Principal:
    username: str
    role: str
    csrf: str | None = None
    session_hash: str | None = None

    def require(self, permission: str) -> None:
        if not allowed(self.role, permission):
            raise Forbidden(f"role {self.role} may not {permission}")


class Auth:
    def __init__(self, store: Store, idle_seconds: float) -> None:
        self.store = store
        self.idle_seconds = idle_seconds

    async def login(self, username: str, password: str) -> tuple[str, Principal]:
        user = await self.store.get_user(username)
        ok = await asyncio.to_thread(verify_password, user.password_hash if user else None, password)
        if user is None or not ok or user.disabled:
            await self.store.record("login_failed", username[:100], {})
            raise Unauthorized("wrong username or password")
        session_id, csrf = new_secret(), new_secret()
        await self.store.create_session(token_hash(session_id), user.username, csrf, time.time())
        await self.store.record("login", user.username, {"role": user.role})
        return session_id, Principal(user.username, user.role, csrf, token_hash(session_id))

    async def session(self, session_id: str | None) -> Principal | None:
        if not session_id:
            return None
        record: SessionRecord | None = await self.store.get_session(token_hash(session_id), time.time(),
                                                                    self.idle_seconds)
        if record is None:
            return None
        return Principal(record.username, record.role, record.csrf, token_hash(session_id))

    async def token(self, secret: str | None, kind: str) -> TokenRecord:
        if not secret:
            raise Unauthorized(f"a {kind} token is required")
        record = await self.store.find_token(token_hash(secret))
        if record is None or record.kind != kind:
            raise Unauthorized(f"invalid {kind} token")
        return record


def check_csrf(principal: Principal, header: str | None) -> None:
    if principal.csrf is None:
        return
    if not header or not hmac.compare_digest(header, principal.csrf):
        raise Forbidden("missing or wrong X-CSRF-Token (it comes with the login response)", code="csrf")


def check_role(role: str) -> str:
    if role not in ROLES:
        raise Invalid(f"unknown role {role!r}; one of {', '.join(ROLES)}", field="role")
    return role
