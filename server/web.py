"""Request parsing and responses shared by every route: size caps, strict JSON, clear errors."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from schemas import MAX_ID

from .auth import SESSION_COOKIE, Principal, check_csrf
from .errors import BadRequest, EfirError, Forbidden, Invalid, TooLarge, Unauthorized, UnsupportedMedia

if TYPE_CHECKING:
    from .app import Efir

M = TypeVar("M", bound=BaseModel)


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def error_response(exc: EfirError) -> JSON:
    headers = {"Retry-After": str(exc.extra["retry_after"])} if "retry_after" in exc.extra else None
    return JSON(exc.body(), status_code=exc.status, headers=headers)


def efir(conn: HTTPConnection) -> Efir:
    app: Efir = conn.app.state.efir
    return app


async def body_bytes(request: Request) -> bytes:
    limit = efir(request).settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"body over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(raw: bytes) -> Any:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"body is not valid UTF-8 (byte {exc.start})", code="invalid_encoding") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"malformed JSON: {exc}", code="invalid_json") from None
    return without_nul(data) if b"\\u0000" in raw else data


def without_nul(data: Any) -> Any:
    """U+0000 taken out of every string: it carries nothing a reader sees, and PostgreSQL text cannot hold it,
    so both databases store the same text."""
    if isinstance(data, str):
        return data.replace("\x00", "")
    if isinstance(data, list):
        return [without_nul(v) for v in data]
    if isinstance(data, dict):
        return {without_nul(k): without_nul(v) for k, v in data.items()}
    return data


_FIELD_PART = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}|\d{1,6}")


def field_path(loc: tuple[int | str, ...], default: str = "body") -> str:
    """A validation error's location as `a.b.0`, made only of names the models could have: an unknown key a
    client sent (`extra="forbid"`) is named `?`, so an error never echoes what the client wrote."""
    parts = [str(p) if _FIELD_PART.fullmatch(str(p)) else "?" for p in loc[:8]]
    return ".".join(parts) or default


def validation_error(exc: ValidationError, default: str = "body") -> Invalid:
    """A 422 naming the fields and the rule broken, never quoting the input."""
    errors = exc.errors(include_input=False, include_url=False)
    where = field_path(errors[0]["loc"], default)
    details = [{"field": field_path(e["loc"], default), "message": e["msg"][:200]} for e in errors[:20]]
    return Invalid(f"{where}: {errors[0]['msg'][:200]}", field=where, details=details)


def validate(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc) from None


async def read_model(request: Request, model: type[M]) -> M:
    """The body as `model`. Only `application/json` is read: a cross-site HTML form cannot send it."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedMedia(f"send JSON with Content-Type: application/json, not {content_type or 'nothing'}")
    return validate(model, parse_json(await body_bytes(request)))


async def worker_batch(request: Request, model: type[M]) -> tuple[Efir, str, M]:
    """What an ingest worker posts: the app, the worker's name as an actor ("ingest:<label>") once its token
    is checked, and the body read as `model`."""
    app = efir(request)
    token = await app.auth.token(bearer(request), "ingest")
    return app, f"ingest:{token.label or token.id}", await read_model(request, model)


async def principal(conn: HTTPConnection) -> Principal | None:
    return await efir(conn).auth.session(conn.cookies.get(SESSION_COOKIE))


async def require(request: Request, permission: str | None) -> Principal:
    """The signed-in user, holding `permission` (None: any role). Cookie writes must come from an
    allowed origin and carry the CSRF token the login returned."""
    who = await principal(request)
    if who is None:
        raise Unauthorized("sign in first")
    if permission is not None:
        who.require(permission)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        same_origin(request, efir(request).settings.origins)
        check_csrf(who, request.headers.get("x-csrf-token"))
    return who


def client_address(conn: HTTPConnection) -> str:
    return conn.client.host if conn.client else "unknown"


def bearer(conn: HTTPConnection) -> str | None:
    header = conn.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def int_param(value: str | None, name: str, default: int | None = None, *, lo: int = 0,
              hi: int | None = None) -> int | None:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise Invalid(f"{name} must be a whole number", field=name) from None
    if number < lo:
        raise Invalid(f"{name} must be ≥ {lo}", field=name)
    if number > MAX_ID:
        raise Invalid(f"{name} is out of range", field=name)
    return min(number, hi) if hi is not None else number


def path_int(request: Request, name: str) -> int:
    value = int_param(request.path_params.get(name), name)
    if value is None:
        raise Invalid(f"{name} is required", field=name)
    return value


def same_origin(conn: HTTPConnection, allowed: list[str]) -> None:
    origin = conn.headers.get("origin")
    if origin is None:
        return  # non-browser clients send none; browsers always do on WebSockets
    host = conn.headers.get("host", "")
    own = {f"http://{host}", f"https://{host}"}
    if origin.rstrip("/") not in own and origin.rstrip("/") not in allowed:
        raise Forbidden(f"origin {origin} is not allowed", code="bad_origin")
