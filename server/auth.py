"""Passwords (argon2id), server-side sessions with a CSRF secret, hashed bearer tokens."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from collections import deque
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .errors import Forbidden, Invalid, TooMany, Unauthorized
from .roles import ROLES, allowed
from .store.base import SessionRecord, Store, TokenRecord

SESSION_COOKIE = "efir_session"
CSRF_HEADER = "x-csrf-token"
MIN_PASSWORD = 8
TOUCH_SECONDS = 60  # how stale a session's last-seen time may get before it is written again
MAX_PASSWORD = 256

_hasher = PasswordHasher()
_dummy_hash: list[str] = []  # hashed on first use: verifying unknown users costs as much as known ones


COMMON = frozenset({"password", "password1", "12345678", "123456789", "1234567890", "qwertyui", "qwerty123",
                    "11111111", "iloveyou", "admin123", "letmein1", "abcd1234", "пароль123", "йцукенгш"})


def check_password(password: str, username: str = "") -> None:
    """Length, not the username, not one repeated character, not a well-known password."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"password must be at least {MIN_PASSWORD} characters", field="password")
    if len(password) > MAX_PASSWORD:
        raise Invalid(f"password must be at most {MAX_PASSWORD} characters", field="password")
    lowered = password.lower()
    if username and username.lower() in lowered:
        raise Invalid("password must not contain the username", field="password")
    if len(set(password)) < 4 or lowered in COMMON:
        raise Invalid("password is too easy to guess", field="password")


def hash_password(password: str, username: str = "") -> str:
    check_password(password, username)
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


class LoginGuard:
    """Failed sign-ins counted per account and per client address in a sliding window; past the
    limit, that account (or address) is locked until the window has passed."""

    def __init__(self, per_account: int = 5, per_address: int = 20, window: float = 15 * 60) -> None:
        self.per_account, self.per_address, self.window = per_account, per_address, window
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def check(self, username: str, address: str, now: float) -> None:
        for key, limit in ((f"user:{username.lower()}", self.per_account), (f"addr:{address}", self.per_address)):
            times = self._recent(key, now)
            if len(times) >= limit:
                wait = max(1, int((times[0] + self.window - now) / 60 + 0.999))
                raise TooMany(f"too many failed sign-ins; try again in {wait} min", code="locked",
                              retry_after=int(times[0] + self.window - now) + 1)

    def failed(self, username: str, address: str, now: float) -> None:
        for key in (f"user:{username.lower()}", f"addr:{address}"):
            self._recent(key, now).append(now)
        if len(self._failures) > 100_000:  # bounded: forget the quietest keys
            for key in [k for k, v in self._failures.items() if not v][:50_000]:
                del self._failures[key]

    def succeeded(self, username: str, address: str) -> None:
        self._failures.pop(f"user:{username.lower()}", None)
        attempts = self._failures.get(f"addr:{address}")
        if attempts:
            attempts.pop()  # this attempt was counted up front; it was no failure


class Auth:
    def __init__(self, store: Store, idle_seconds: float, absolute_seconds: float = 16 * 3600) -> None:
        self.store = store
        self.idle_seconds = idle_seconds
        self.absolute_seconds = absolute_seconds
        self.guard = LoginGuard()

    async def login(self, username: str, password: str, address: str = "unknown") -> tuple[str, Principal]:
        now = time.time()
        self.guard.check(username, address, now)
        # counted before the slow check, so parallel guesses cannot all slip past the limit
        self.guard.failed(username, address, now)
        user = await self.store.get_user(username)
        ok = await asyncio.to_thread(verify_password, user.password_hash if user else None, password)
        if user is None or not ok or user.disabled:
            await self.store.record("login_failed", username[:100], {"address": address})
            raise Unauthorized("wrong username or password")
        self.guard.succeeded(username, address)
        session_id, csrf = new_secret(), new_secret()
        await self.store.create_session(token_hash(session_id), user.username, csrf, time.time())
        await self.store.record("login", user.username, {"role": user.role})
        return session_id, Principal(user.username, user.role, csrf, token_hash(session_id))

    async def session(self, session_id: str | None) -> Principal | None:
        if not session_id:
            return None
        now = time.time()
        record: SessionRecord | None = await self.store.get_session(token_hash(session_id), now,
                                                                    self.idle_seconds)
        if record is None or now - record.created_at > self.absolute_seconds:
            return None
        if now - record.seen_at > TOUCH_SECONDS:  # idle means unused: a working moderator stays signed in
            await self.store.touch_session(token_hash(session_id), now)
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
