"""The Starlette application: routes and lifespan; the pieces are wired once here."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ingest.triage import DedupeIndex, Pipeline
from schemas import Action

from . import api, live, openapi, pages, webhooks
from .auth import Auth, Principal
from .cues import CUE_KINDS, CueBoard
from .errors import EfirError, Forbidden
from .health import WebhookBoard
from .hub import Hub, MemoryBackend, backend_for
from .intake import Intake
from .metrics import Metrics
from .roles import may_act
from .settings import Settings
from .store import SQLStore, open_store
from .store.base import LiveEvent, Question, Store
from .store.pg import PostgresStore
from .tasks import cancel_all
from .triage_pool import TriagePool
from .web import JSON, error_response

log = logging.getLogger("efir")


class Efir:
    """Everything one server holds; reachable from requests as `request.app.state.efir`."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        from .air import rundown_view

        self.settings = settings
        self.metrics = Metrics()
        options: dict[str, Any] = ({"replica": settings.replica or None,
                                    "replica_timeout": settings.replica_timeout_seconds} if settings.postgres else {})
        self.store: Store = store or open_store(settings.db, clusterer=DedupeIndex(),
                                                observe=self.metrics.observe_commit, **options)
        self.replica: str = getattr(self.store, "replica", "local")  # desk connection ids: `replica:conn`
        self.hub = Hub(self.store.air_state, rundown_view, settings.client_queue)
        self.backend: MemoryBackend = backend_for(settings.hub, self.hub)
        if isinstance(self.store, SQLStore):
            self.store.set_on_commit(self._committed)
        if isinstance(self.store, PostgresStore):  # another replica's desk came or went
            self.store.on_presence = lambda show_id: asyncio.ensure_future(self.announce_presence(show_id, False))
        self.auth = Auth(self.store, settings.session_idle_minutes * 60, settings.session_absolute_hours * 3600)
        pool = TriagePool(settings.triage_workers) if settings.triage_workers > 0 else None
        self.intake = Intake(self.store, Pipeline(), pool)
        self.background: list[Any] = []
        self.cues = CueBoard()  # producer → host cues on the prompter stream
        self.webhooks = WebhookBoard()  # what this server saw of each webhook channel

    def _committed(self, events: list[LiveEvent]) -> None:
        """Committed events, in seq order: to the desks and prompters, and the producer's cues to the board."""
        self.backend.publish(events)
        for ev in events:
            if ev.kind in CUE_KINDS:
                self.cues.apply(ev)

    async def perform(self, who: Principal, question_id: int, action: Action, conn_id: str | None) -> Question:
        """Every moderation action, from HTTP or WebSocket, passes the role table here."""
        if not may_act(who.role, action.action, action.previous):
            self.metrics.actions.labels(action.action, "forbidden").inc()
            raise Forbidden(f"role {who.role} may not {action.action}")
        try:
            question = await self.store.act(question_id, action, who.username, conn_id)
        except EfirError as exc:
            self.metrics.actions.labels(action.action, exc.code).inc()
            raise
        self.metrics.actions.labels(action.action, "ok").inc()
        if action.action in ("claim", "release") and question.get("show_id") is not None:
            await self.announce_presence(int(question["show_id"]))
        return question

    async def presence(self, show_id: int) -> list[dict[str, Any]]:
        """Who has a desk open on the show (on any server of the database) and what each has claimed."""
        claims = await self.store.claims(show_id)
        return [{"user": user, "role": role, "connections": n, "claims": claims.get(user, [])}
                for user, role, n in await self.store.desk_presence(show_id)]

    async def announce_presence(self, show_id: int, tell_others: bool = True) -> None:
        import orjson

        desks = self.hub.desks(show_id)
        if desks:
            frame = orjson.dumps({"type": "presence", "users": await self.presence(show_id)}).decode()
            for client in desks:
                client.set_presence(frame)
        if tell_others:
            await self.store.presence_changed(show_id)

    def refresh_gauges(self) -> None:
        self.metrics.clients.labels("desk").set(self.hub.desk_count())
        self.metrics.clients.labels("prompter").set(self.hub.prompter_count())
        pending = getattr(self.store, "pending_writes", 0)
        self.metrics.queue_depth.set(pending)

    async def start(self) -> None:
        await self.store.open()
        self.webhooks.seed(await self.store.newest_messages())
        # the language detector loads its models on first use (about a second): not during the show
        if self.intake.pool is not None:
            await self.intake.pool.start()
        else:
            await asyncio.to_thread(self.intake.pipeline.triage, "Шымбулак жолы қашан ашылады?")
        if self.settings.retention_days > 0:
            from .retention import run_periodically

            self.background.append(asyncio.create_task(run_periodically(
                self.store, self.settings.retention_days, self.settings.purge_interval_minutes)))
        from . import outbox  # reply-back to viewers: queued from the log, sent at most once

        self.background.append(asyncio.create_task(outbox.run(self.store, self.settings)))

    async def stop(self) -> None:
        await cancel_all(self.background)
        if self.intake.pool is not None:
            await self.intake.pool.stop()
        await self.hub.close()
        await self.store.close()


CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}")


class SecurityHeaders:
    """Headers every response carries: a CSP with no inline script; only the prompter may be
    framed (broadcast software embeds it), by the origins `EFIR_PROMPTER_FRAME_ANCESTORS` names."""

    def __init__(self, app: ASGIApp, prompter_ancestors: str = "'self'") -> None:
        self.app = app
        self.csp = CSP.format(ancestors="'none'").encode()
        self.prompter_csp = CSP.format(ancestors=prompter_ancestors).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        csp = self.prompter_csp if scope["path"].startswith("/prompter/") else self.csp

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-content-type-options", b"nosniff"),
                                      (b"referrer-policy", b"same-origin"), (b"content-security-policy", csp)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _efir_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EfirError)
    return error_response(exc)


async def _not_found(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    detail = getattr(exc, "detail", "not found")
    code = {404: "not_found", 405: "method_not_allowed"}.get(status, "http_error")
    return JSON({"error": {"code": code, "message": str(detail)}}, status_code=status)


async def _crash(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSON({"error": {"code": "internal", "message": "internal error"}}, status_code=500)


def create_app(settings: Settings | None = None, store: Store | None = None) -> Starlette:
    efir = Efir(settings or Settings(), store)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await efir.start()
        if efir.settings.demo:
            from . import demo

            await demo.start(efir)
        try:
            yield
        finally:
            await efir.stop()

    app = Starlette(
        routes=[*api.routes(), *live.routes(), *webhooks.routes(), *openapi.routes(), *pages.routes()],
        middleware=[Middleware(SecurityHeaders, prompter_ancestors=efir.settings.prompter_frame_ancestors)],
        exception_handlers={EfirError: _efir_error, 404: _not_found, 405: _not_found, Exception: _crash},
        lifespan=lifespan,
    )
    app.state.efir = efir
    return app
