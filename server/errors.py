"""Errors as values of one small hierarchy; `code` reaches the API unchanged.

    EfirError
     ├── BadRequest      400 bad_request / invalid_json / invalid_encoding
     ├── Unauthorized    401 unauthorized
     ├── Forbidden       403 forbidden / csrf
     ├── NotFound        404 not_found
     ├── Conflict        409 conflict (carries the current question) / claimed / invalid_transition / on_air_busy
     ├── TooLarge        413 too_large
     ├── UnsupportedMedia 415 unsupported_media_type
     ├── Invalid         422 invalid (names the field)
     └── TooMany         429 rate_limited / locked
"""

from __future__ import annotations

from typing import Any


class EfirError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.extra = extra

    def body(self) -> dict[str, Any]:
        """`{"error": {code, message, field…}}`; a conflict also carries the current `question`."""
        details = {k: v for k, v in self.extra.items() if k != "question"}
        body: dict[str, Any] = {"error": {"code": self.code, "message": self.message, **details}}
        if "question" in self.extra:
            body["question"] = self.extra["question"]
        return body


class BadRequest(EfirError):
    status, code = 400, "bad_request"


class Unauthorized(EfirError):
    status, code = 401, "unauthorized"


class Forbidden(EfirError):
    status, code = 403, "forbidden"


class NotFound(EfirError):
    status, code = 404, "not_found"


class Conflict(EfirError):
    status, code = 409, "conflict"


class TooLarge(EfirError):
    status, code = 413, "too_large"


class UnsupportedMedia(EfirError):
    status, code = 415, "unsupported_media_type"


class Invalid(EfirError):
    status, code = 422, "invalid"


class TooMany(EfirError):
    status, code = 429, "rate_limited"
