"""The JSON HTTP API (SPEC "HTTP API"), declared as one table: method, path, handler, and the
permission that guards it. The guard comes from the table, never from the handler, and the
route × role tests are generated from the same table."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from ingest.batch import is_question
from schemas import Action, Id, IngestBatch, Message, QuestionIn, ShowCreate, ShowPatch

from . import bot, deadletters, exports, health, producer, replies, roles, webhooks
from .auth import SESSION_COOKIE, Principal
from .errors import Invalid, NotFound
from .store.base import QuestionFilter
from .web import JSON, bearer, client_address, efir, int_param, path_int, read_model, require

PUBLIC = "public"  # no session: login, health, metrics
SESSION = "session"  # any signed-in user
TOKEN = "token"  # a bearer token of the endpoint's own kind, checked by the handler

Handler = Callable[[Request, Principal | None], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    permission: str


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class RundownOrder(BaseModel):
    order: list[Id] = Field(max_length=5_000)


def _who(who: Principal | None) -> Principal:
    assert who is not None, "guarded endpoint reached without a principal"
    return who


async def login(request: Request, _: Principal | None) -> Response:
    body = await read_model(request, Login)
    app = efir(request)
    session_id, who = await app.auth.login(body.username, body.password, client_address(request))
    response = JSON(_account(who))
    response.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="strict",
                        secure=app.settings.secure_cookies, path="/")
    return response


async def logout(request: Request, who: Principal | None) -> Response:
    if _who(who).session_hash:
        await efir(request).store.delete_session(_who(who).session_hash or "")
    response = JSON({"ok": True})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def me(request: Request, who: Principal | None) -> Response:
    return JSON(_account(_who(who)))


def _account(who: Principal) -> dict[str, Any]:
    """The signed-in user as the pages need it: the role's landing page and the pages it may use."""
    return {"username": who.username, "role": who.role, "csrf_token": who.csrf, "home": roles.home(who.role),
            "pages": list(roles.PAGES.get(who.role, ()))}


async def list_shows(request: Request, _: Principal | None) -> Response:
    return JSON(await efir(request).store.list_shows())


async def create_show(request: Request, who: Principal | None) -> Response:
    body = await read_model(request, ShowCreate)
    return JSON(await efir(request).store.create_show(body.model_dump(mode="json"), _who(who).username),
                status_code=201)


async def get_show(request: Request, _: Principal | None) -> Response:
    return JSON(await _show(request, path_int(request, "show_id")))


async def patch_show(request: Request, who: Principal | None) -> Response:
    show_id = path_int(request, "show_id")
    body = await read_model(request, ShowPatch)
    return JSON(await efir(request).store.update_show(show_id, body.model_dump(mode="json", exclude_unset=True),
                                                      _who(who).username))


async def _show(request: Request, show_id: int) -> dict[str, Any]:
    found = await efir(request).store.get_show(show_id)
    if found is None:
        raise NotFound(f"show {show_id} not found")
    return found


async def list_questions(request: Request, _: Principal | None) -> Response:
    show_id = path_int(request, "show_id")
    await _show(request, show_id)
    p = request.query_params
    flt = QuestionFilter(status=p.get("status"), channel=p.get("channel"), topic=p.get("topic"),
                         district=p.get("district"), lang=p.get("lang"), q=p.get("q") or None,
                         after=int_param(p.get("after"), "after"),
                         limit=int_param(p.get("limit"), "limit", 100, lo=1, hi=1000) or 100)
    return JSON(await efir(request).store.list_questions(show_id, flt))


async def enter_question(request: Request, who: Principal | None) -> Response:
    """A question typed in by the phone desk: the same triage as every channel, then commit."""
    show_id = path_int(request, "show_id")
    await _show(request, show_id)
    body = await read_model(request, QuestionIn)
    app = efir(request)
    actor = _who(who).username
    message = Message(channel=body.channel, external_id=f"desk-{secrets.token_hex(8)}", author=body.author,
                      text=body.text)
    outcome = await app.intake.accept([message], actor, show_id=show_id)
    question = await app.store.get_question(outcome.ids[0])
    assert question is not None
    tags = {k: v for k, v in (("topic", body.topic), ("district", body.district), ("addressee", body.addressee))
            if v}
    if tags:
        question = await app.store.act(question["id"], Action(action="tag", version=question["version"], **tags),
                                       actor)
    return JSON(question, status_code=201)


async def get_question(request: Request, _: Principal | None) -> Response:
    question_id = path_int(request, "question_id")
    found = await efir(request).store.get_question(question_id)
    if found is None:
        raise NotFound(f"question {question_id} not found")
    return JSON(found)


async def action(request: Request, who: Principal | None) -> Response:
    body = await read_model(request, Action)
    return JSON(await efir(request).perform(_who(who), path_int(request, "question_id"), body, None))


async def rundown(request: Request, who: Principal | None) -> Response:
    show_id = path_int(request, "show_id")
    body = await read_model(request, RundownOrder)
    return JSON({"order": await efir(request).store.set_rundown(show_id, body.order, _who(who).username)})


async def ingest(request: Request, _: Principal | None) -> Response:
    app = efir(request)
    token = await app.auth.token(bearer(request), "ingest")
    batch = await read_model(request, IngestBatch)
    kept = [m for m in batch.messages if is_question(m)]  # the rule every channel follows: no blank cards
    for m in batch.messages:
        app.metrics.ingested.labels(m.channel, "received" if is_question(m) else "ignored").inc()
    if not kept:
        return JSON({"accepted": 0, "duplicates": 0, "ids": [], "ignored": len(batch.messages)})
    outcome = await app.intake.accept(kept, f"ingest:{token.label or token.id}", show_id=token.show_id)
    return JSON({"accepted": outcome.accepted, "duplicates": outcome.duplicates, "ids": outcome.ids,
                 "ignored": len(batch.messages) - len(kept)})


async def withdrawals(request: Request, _: Principal | None) -> Response:
    return await webhooks.withdrawals(request)


class CursorBody(BaseModel):
    cursor: dict[str, Any]


async def get_cursor(request: Request, _: Principal | None) -> Response:
    """A worker's saved cursor (`{"cursor": null}` before its first save); ingest token."""
    app = efir(request)
    await app.auth.token(bearer(request), "ingest")
    name = request.path_params["name"]
    return JSON({"name": name, "cursor": await app.store.get_cursor(name)})


async def put_cursor(request: Request, _: Principal | None) -> Response:
    """Save a worker's cursor once the batch it follows is acknowledged; ingest token."""
    app = efir(request)
    token = await app.auth.token(bearer(request), "ingest")
    name = request.path_params["name"]
    if len(name) > 200:
        raise Invalid("cursor name is at most 200 characters", field="name")
    body = await read_model(request, CursorBody)
    if len(orjson.dumps(body.cursor)) > 16_384:
        raise Invalid("cursor is at most 16 KiB of JSON", field="cursor")
    await app.store.set_cursor(name, body.cursor, f"ingest:{token.label or token.id}")
    return JSON({"name": name, "cursor": body.cursor})


async def log(request: Request, _: Principal | None) -> Response:
    show_id = path_int(request, "show_id")
    p = request.query_params
    after = int_param(p.get("after"), "after", 0) or 0
    limit = int_param(p.get("limit"), "limit", 1000, lo=1, hi=10_000) or 1000
    return JSON(await efir(request).store.log(show_id, after, limit))


async def export(request: Request, who: Principal | None) -> Response:
    show_id = path_int(request, "show_id")
    fmt = request.path_params["fmt"]
    if fmt not in exports.FORMATS:
        raise Invalid(f"export format must be one of {', '.join(exports.FORMATS)}", field="format")
    app = efir(request)
    await _show(request, show_id)
    await app.store.record("exported", _who(who).username, {"format": fmt}, show_id)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return StreamingResponse(exports.stream(app.store, show_id, fmt), media_type=media, headers={
        "content-disposition": f'attachment; filename="efir-show-{show_id}.{fmt}"'})


async def healthz(request: Request, _: Principal | None) -> Response:
    return JSON({"ok": True})


async def metrics(request: Request, _: Principal | None) -> Response:
    from .metrics import CONTENT_TYPE_LATEST

    app = efir(request)
    app.refresh_gauges()
    for channel, count in (await app.store.open_dead_letters()).items():
        app.metrics.dead_letters_open.labels(channel).set(count)
    await health.export_metrics(app)
    return Response(app.metrics.render(), media_type=CONTENT_TYPE_LATEST)


ENDPOINTS: list[Endpoint] = [
    Endpoint("GET", "/healthz", healthz, PUBLIC),
    Endpoint("GET", "/metrics", metrics, PUBLIC),
    Endpoint("POST", "/api/auth/login", login, PUBLIC),
    Endpoint("POST", "/api/auth/logout", logout, SESSION),
    Endpoint("GET", "/api/auth/me", me, SESSION),
    Endpoint("GET", "/api/shows", list_shows, "shows.read"),
    Endpoint("POST", "/api/shows", create_show, "shows.write"),
    Endpoint("GET", "/api/shows/{show_id:int}", get_show, "shows.read"),
    Endpoint("PATCH", "/api/shows/{show_id:int}", patch_show, "shows.write"),
    Endpoint("GET", "/api/shows/{show_id:int}/questions", list_questions, "questions.read"),
    Endpoint("POST", "/api/shows/{show_id:int}/questions", enter_question, "questions.create"),
    Endpoint("PUT", "/api/shows/{show_id:int}/rundown", rundown, "rundown.write"),
    Endpoint("GET", "/api/shows/{show_id:int}/log", log, "log.read"),
    Endpoint("GET", "/api/shows/{show_id:int}/export.{fmt:str}", export, "export"),
    Endpoint("GET", "/api/questions/{question_id:int}", get_question, "questions.read"),
    # each action is checked again against the role table in `Efir.perform`
    Endpoint("POST", "/api/questions/{question_id:int}/actions", action, "questions.read"),
    Endpoint("POST", "/api/ingest", ingest, TOKEN),
    # the producer's workspace (server/producer.py)
    Endpoint("GET", "/api/schedule/slots", producer.slots, "shows.read"),
    Endpoint("POST", "/api/shows/schedule", producer.schedule_shows, "shows.write"),
    Endpoint("GET", "/api/shows/{show_id:int}/segments", producer.get_segments, "shows.read"),
    Endpoint("PUT", "/api/shows/{show_id:int}/segments", producer.put_segments, "shows.write"),
    Endpoint("POST", "/api/shows/{show_id:int}/segment", producer.start_segment, "shows.write"),
    Endpoint("POST", "/api/shows/{show_id:int}/cue", producer.cue, "shows.write"),
    Endpoint("GET", "/api/shows/{show_id:int}/counters", producer.counters, "log.read"),
    Endpoint("GET", "/api/shows/{show_id:int}/timeline", producer.timeline, "log.read"),
    Endpoint("GET", "/api/shows/{show_id:int}/report", producer.report, "log.read"),
    Endpoint("GET", "/api/shows/{show_id:int}/log/export.{fmt:str}", producer.export_log, "export"),
    Endpoint("POST", "/api/shows/{show_id:int}/followups", producer.open_cases, "followups.write"),
    Endpoint("GET", "/api/followups", producer.list_cases, "followups.read"),
    Endpoint("GET", "/api/followups/export.{fmt:str}", producer.export_cases, "export"),
    Endpoint("PATCH", "/api/followups/{question_id:int}", producer.update_case, "followups.write"),
    Endpoint("GET", "/api/followups/{question_id:int}/history", producer.case_history, "followups.read"),
    Endpoint("GET", "/api/shows/{show_id:int}/replies", replies.show_replies, "log.read"),
    Endpoint("PUT", "/api/shows/{show_id:int}/replies", replies.switch_replies, "shows.write"),
    Endpoint("GET", "/api/replies/templates", replies.get_templates, "log.read"),
    Endpoint("PUT", "/api/replies/templates", replies.put_template, "shows.write"),
    Endpoint("POST", "/api/replies/optouts", replies.opt_out, "shows.write"),
    Endpoint("POST", "/api/ingest/withdrawals", withdrawals, TOKEN),
    # `path`: a mailbox worker's name holds a slash (`email:desk@host/INBOX`)
    Endpoint("GET", "/api/ingest/cursors/{name:path}", get_cursor, TOKEN),
    Endpoint("PUT", "/api/ingest/cursors/{name:path}", put_cursor, TOKEN),
    Endpoint("POST", "/api/ingest/dead-letters", deadletters.from_worker, TOKEN),
    Endpoint("POST", "/api/ingest/commands", bot.from_worker, TOKEN),
    Endpoint("PUT", "/api/ingest/heartbeats/{name:path}", health.heartbeat, TOKEN),
    Endpoint("GET", "/api/channels", health.health, "channels.read"),
    # what the channels could not read (server/deadletters.py)
    Endpoint("GET", "/api/dead-letters", deadletters.listing, "channels.read"),
    Endpoint("GET", "/api/dead-letters/{dead_letter_id:int}", deadletters.inspect, "channels.read"),
    Endpoint("POST", "/api/dead-letters/{dead_letter_id:int}/retry", deadletters.retry, "channels.write"),
]


def guarded(endpoint: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        who = None
        if endpoint.permission not in (PUBLIC, TOKEN):
            who = await require(request, None if endpoint.permission == SESSION else endpoint.permission)
        return await endpoint.handler(request, who)

    run.__name__ = endpoint.handler.__name__
    return run


def routes() -> list[Route]:
    return [Route(e.path, guarded(e), methods=[e.method]) for e in ENDPOINTS]
