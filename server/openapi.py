"""The OpenAPI document at `/openapi.json`, built from the same pydantic models the routes validate with."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from schemas import Action, IngestBatch, IngestResult, Question, QuestionIn, Show, ShowCreate, ShowPatch

from .bot import CommandBatch
from .deadletters import DeadLetterBatch
from .health import Heartbeat
from .web import JSON


class ListOf:
    """A response that is a JSON array of `model`."""

    def __init__(self, model: type[BaseModel]) -> None:
        self.model = model


Body = type[BaseModel] | ListOf | None
CREATED = {("post", "/api/shows"), ("post", "/api/shows/{show_id}/questions")}  # answer 201, not 200

# (method, path, summary, request model, response model, auth)
OPERATIONS: list[tuple[str, str, str, type[BaseModel] | None, Body, str]] = [
    ("get", "/healthz", "Liveness: {\"ok\": true} once the server is ready", None, None, "none"),
    ("get", "/metrics", "Prometheus metrics (text format)", None, None, "none"),
    ("post", "/api/auth/login", "Sign in: sets the session cookie, returns csrf_token", None, None, "none"),
    ("post", "/api/auth/logout", "Sign out", None, None, "session"),
    ("get", "/api/shows", "All shows", None, ListOf(Show), "session"),
    ("post", "/api/shows", "Create a show (producer)", ShowCreate, Show, "session"),
    ("get", "/api/shows/{show_id}", "One show", None, Show, "session"),
    ("patch", "/api/shows/{show_id}", "Start, end, retitle a show or set its guests (producer)", ShowPatch, Show,
     "session"),
    ("get", "/api/shows/{show_id}/questions",
     "Questions oldest first; filters status, channel, topic, district, lang, q; limit ≤ 1000; after=id pages",
     None, ListOf(Question), "session"),
    ("post", "/api/shows/{show_id}/questions", "Enter a question by hand (phone desk, operator+)", QuestionIn,
     Question, "session"),
    ("put", "/api/shows/{show_id}/rundown", "Set the air order of approved questions", None, None, "session"),
    ("get", "/api/shows/{show_id}/log", "The show's event log (producer)", None, None, "session"),
    ("get", "/api/shows/{show_id}/export.csv", "Questions as CSV, UTF-8 with BOM (producer)", None, None, "session"),
    ("get", "/api/shows/{show_id}/export.json", "Questions as JSON (producer)", None, None, "session"),
    ("get", "/api/questions/{question_id}", "One question", None, Question, "session"),
    ("post", "/api/questions/{question_id}/actions", "Moderate: approve, reject, edit, tag, merge, star, queue, "
     "on_air, answered, follow_up, undo, claim, release. Stale version → 409 with the current question",
     Action, Question, "session"),
    ("post", "/api/ingest", "Ingest up to 1,000 messages; answers after commit", IngestBatch, IngestResult,
     "ingest token"),
    ("post", "/api/ingest/withdrawals", "Withdraw questions deleted or edited upstream (ingest token)", None, None,
     "ingest token"),
    ("get", "/api/ingest/cursors/{name}", "A worker's saved cursor (ingest token)", None, None, "ingest token"),
    ("put", "/api/ingest/cursors/{name}", "Save a worker's cursor after its batch was acknowledged (ingest token)",
     None, None, "ingest token"),
    ("post", "/api/ingest/dead-letters", "Keep what a worker could not read, raw (base64) with the reason (ingest "
     "token)", DeadLetterBatch, None, "ingest token"),
    ("post", "/api/ingest/commands", "Bot commands a worker read: /start and /help are answered once (ingest token)",
     CommandBatch, None, "ingest token"),
    ("put", "/api/ingest/heartbeats/{name}", "A worker's progress figures, for channel health (ingest token)",
     Heartbeat, None, "ingest token"),
    ("get", "/api/dead-letters", "Dead letters, oldest first; state=open|retried, channel, after=id, limit ≤ 1000 "
     "(admin, producer)", None, None, "session"),
    ("get", "/api/dead-letters/{dead_letter_id}", "One dead letter with its raw bytes (utf-8 text or base64)", None,
     None, "session"),
    ("post", "/api/dead-letters/{dead_letter_id}/retry", "Read it again with today's adapters; 422 "
     "still_unreadable if it still cannot be read", None, None, "session"),
    ("get", "/api/channels", "Channel health: each webhook and worker, last message, lag, error rate, dead letters, "
     "green/amber/red (show=ID: amber only while it is live)", None, None, "session"),
    ("get", "/prompter/{show_id}/events", "SSE: `rundown` events for the prompter (prompter token, or the session "
     "of an admin, producer, moderator or host); 401 invalid_key for a wrong or revoked key, 403 wrong_show for "
     "another show's", None, None, "prompter token"),
]


def document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for method, path, summary, request, response, auth in OPERATIONS:
        status = "201" if (method, path) in CREATED else "200"
        op: dict[str, Any] = {"summary": summary, "x-auth": auth,
                              "responses": {status: {"description": "Created" if status == "201" else "OK"}}}
        params = [p.strip("{}") for p in path.split("/") if p.startswith("{")]
        if params:
            op["parameters"] = [{"name": p, "in": "path", "required": True,
                                 "schema": {"type": "string" if p == "name" else "integer"}} for p in params]
        if request is not None:
            op["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{request.__name__}"}}}}
            schemas[request.__name__] = request
        if response is not None:
            model = response.model if isinstance(response, ListOf) else response
            ref = {"$ref": f"#/components/schemas/{model.__name__}"}
            op["responses"][status]["content"] = {"application/json": {
                "schema": {"type": "array", "items": ref} if isinstance(response, ListOf) else ref}}
            schemas[model.__name__] = model
        op["responses"]["4XX"] = {"description": '{"error": {"code", "message"}}'}
        paths.setdefault(path, {})[method] = op
    components: dict[str, Any] = {}
    for name, model in schemas.items():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        components[name] = schema
    return {"openapi": "3.1.0", "info": {"title": "Efir", "version": "0.1.0"}, "paths": paths,
            "components": {"schemas": components}}


async def openapi_json(request: Request) -> Response:
    return JSON(document())


def routes() -> list[Route]:
    return [Route("/openapi.json", openapi_json)]
