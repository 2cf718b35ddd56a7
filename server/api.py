"""The JSON HTTP API (SPEC "HTTP API"): auth, shows, questions, actions, rundown, ingest, log."""

from __future__ import annotations

import secrets
from typing import Any

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from schemas import Action, IngestBatch, Message, QuestionIn, ShowCreate, ShowPatch

from . import exports
from .auth import SESSION_COOKIE
from .errors import Invalid, NotFound
from .store.base import QuestionFilter
from .web import JSON, bearer, efir, int_param, path_int, read_model, require


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class RundownOrder(BaseModel):
    order: list[int] = Field(max_length=5_000)


async def login(request: Request) -> Response:
    body = await read_model(request, Login)
    app = efir(request)
    session_id, who = await app.auth.login(body.username, body.password)
    response = JSON({"username": who.username, "role": who.role, "csrf_token": who.csrf})
    response.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="strict",
                        secure=app.settings.secure_cookies, path="/")
    return response


async def logout(request: Request) -> Response:
    app = efir(request)
    who = await require(request, "shows.read")
    if who.session_hash:
        await app.store.delete_session(who.session_hash)
    response = JSON({"ok": True})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def me(request: Request) -> Response:
    who = await require(request, "shows.read")
    return JSON({"username": who.username, "role": who.role, "csrf_token": who.csrf})


async def shows(request: Request) -> Response:
    app = efir(request)
    if request.method == "POST":
        who = await require(request, "shows.write")
        body = await read_model(request, ShowCreate)
        show = await app.store.create_show(body.model_dump(mode="json"), who.username)
        return JSON(show, status_code=201)
    await require(request, "shows.read")
    return JSON(await app.store.list_shows())


async def show(request: Request) -> Response:
    app = efir(request)
    show_id = path_int(request, "show_id")
    if request.method == "PATCH":
        who = await require(request, "shows.write")
        body = await read_model(request, ShowPatch)
        return JSON(await app.store.update_show(show_id, body.model_dump(mode="json", exclude_unset=True),
                                                who.username))
    await require(request, "shows.read")
    found = await app.store.get_show(show_id)
    if found is None:
        raise NotFound(f"show {show_id} not found")
    return JSON(found)


async def questions(request: Request) -> Response:
    app = efir(request)
    show_id = path_int(request, "show_id")
    if request.method == "POST":
        who = await require(request, "questions.create")
        await _show_exists(request, show_id)
        body = await read_model(request, QuestionIn)
        return JSON(await _enter(request, show_id, body, who.username), status_code=201)
    await require(request, "questions.read")
    await _show_exists(request, show_id)
    p = request.query_params
    flt = QuestionFilter(status=p.get("status"), channel=p.get("channel"), topic=p.get("topic"),
                         district=p.get("district"), lang=p.get("lang"), q=p.get("q") or None,
                         after=int_param(p.get("after"), "after"),
                         limit=int_param(p.get("limit"), "limit", 100, lo=1, hi=1000) or 100)
    return JSON(await app.store.list_questions(show_id, flt))


async def _show_exists(request: Request, show_id: int) -> None:
    if await efir(request).store.get_show(show_id) is None:
        raise NotFound(f"show {show_id} not found")


async def _enter(request: Request, show_id: int, body: QuestionIn, actor: str) -> dict[str, Any]:
    """A question typed in by the phone desk: the same triage as every channel, then commit."""
    app = efir(request)
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
    return question


async def question(request: Request) -> Response:
    await require(request, "questions.read")
    question_id = path_int(request, "question_id")
    found = await efir(request).store.get_question(question_id)
    if found is None:
        raise NotFound(f"question {question_id} not found")
    return JSON(found)


async def action(request: Request) -> Response:
    who = await require(request, "questions.read")
    body = await read_model(request, Action)
    result = await efir(request).perform(who, path_int(request, "question_id"), body, None)
    return JSON(result)


async def rundown(request: Request) -> Response:
    who = await require(request, "rundown.write")
    show_id = path_int(request, "show_id")
    body = await read_model(request, RundownOrder)
    order = await efir(request).store.set_rundown(show_id, body.order, who.username)
    return JSON({"order": order})


async def ingest(request: Request) -> Response:
    app = efir(request)
    token = await app.auth.token(bearer(request), "ingest")
    batch = await read_model(request, IngestBatch)
    outcome = await app.intake.accept(batch.messages, f"ingest:{token.label or token.id}", show_id=token.show_id)
    for m in batch.messages:
        app.metrics.ingested.labels(m.channel, "received").inc()
    return JSON({"accepted": outcome.accepted, "duplicates": outcome.duplicates, "ids": outcome.ids})


async def log(request: Request) -> Response:
    await require(request, "log.read")
    show_id = path_int(request, "show_id")
    p = request.query_params
    after = int_param(p.get("after"), "after", 0) or 0
    limit = int_param(p.get("limit"), "limit", 1000, lo=1, hi=10_000) or 1000
    return JSON(await efir(request).store.log(show_id, after, limit))


async def export(request: Request) -> Response:
    who = await require(request, "export")
    show_id = path_int(request, "show_id")
    fmt = request.path_params["fmt"]
    if fmt not in exports.FORMATS:
        raise Invalid(f"export format must be one of {', '.join(exports.FORMATS)}", field="format")
    app = efir(request)
    await _show_exists(request, show_id)
    await app.store.record("exported", who.username, {"format": fmt}, show_id)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return StreamingResponse(exports.stream(app.store, show_id, fmt), media_type=media, headers={
        "content-disposition": f'attachment; filename="efir-show-{show_id}.{fmt}"'})


async def healthz(request: Request) -> Response:
    return JSON({"ok": True})


async def metrics(request: Request) -> Response:
    from .metrics import CONTENT_TYPE_LATEST

    app = efir(request)
    app.refresh_gauges()
    return Response(app.metrics.render(), media_type=CONTENT_TYPE_LATEST)


def routes() -> list[Route]:
    return [
        Route("/healthz", healthz),
        Route("/metrics", metrics),
        Route("/api/auth/login", login, methods=["POST"]),
        Route("/api/auth/logout", logout, methods=["POST"]),
        Route("/api/auth/me", me),
        Route("/api/shows", shows, methods=["GET", "POST"]),
        Route("/api/shows/{show_id}", show, methods=["GET", "PATCH"]),
        Route("/api/shows/{show_id}/questions", questions, methods=["GET", "POST"]),
        Route("/api/shows/{show_id}/rundown", rundown, methods=["PUT"]),
        Route("/api/shows/{show_id}/log", log),
        Route("/api/shows/{show_id}/export.{fmt:str}", export),
        Route("/api/questions/{question_id}", question),
        Route("/api/questions/{question_id}/actions", action, methods=["POST"]),
        Route("/api/ingest", ingest, methods=["POST"]),
    ]

