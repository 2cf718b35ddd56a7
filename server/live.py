"""Live channels: the moderator desk over WebSocket and the host's prompter over SSE."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson
from pydantic import ValidationError
from sse_starlette.sse import EventSourceResponse
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from schemas import ActionFrame

from .auth import SESSION_COOKIE, Principal, token_hash
from .cues import prompter_stream
from .errors import EfirError, Forbidden, NotFound, Unauthorized
from .hub import DeskClient, events_frame
from .tasks import cancel_all
from .web import JSON, bearer, efir, int_param, principal, require, same_origin, validation_error

log = logging.getLogger("efir.live")

REPLAY_LIMIT = 5_000  # a desk further behind than this gets a snapshot instead of a replay
REPLAY_CHUNK = 500
PING_SECONDS = 20.0
TOKEN_RECHECK_SECONDS = 30.0
MAX_CLIENT_ID = 100  # ActionFrame.id's limit: a longer id is not echoed back


def client_id(frame: object) -> str:
    """The client's action id for the ack: echoed only when it is the short string the protocol allows."""
    found = frame.get("id") if isinstance(frame, dict) else None
    return found if isinstance(found, str) and len(found) <= MAX_CLIENT_ID else ""


class DeskSession:
    """One connected desk: a sender draining the client's queue and a receiver taking actions."""

    def __init__(self, ws: WebSocket, who: Principal, show_id: int) -> None:
        self.ws, self.who, self.show_id = ws, who, show_id
        self.app = efir(ws)
        self.conn_id = f"{self.app.replica}:{secrets.token_hex(8)}"
        self.client: DeskClient = self.app.hub.attach(show_id, who.username, who.role, self.conn_id)
        self.send_lock = asyncio.Lock()

    async def send(self, text: str) -> None:
        async with self.send_lock:
            await self.ws.send({"type": "websocket.send", "text": text})

    async def start(self, after: int | None) -> None:
        """Resume from `after` when the log still has every missed event; otherwise a snapshot."""
        if after is not None:
            missed = await self.app.store.events_after(self.show_id, after, REPLAY_LIMIT + 1)
            if len(missed) <= REPLAY_LIMIT and (missed or after <= await self.app.store.max_seq()):
                self.client.last_seq = after
                for i in range(0, len(missed), REPLAY_CHUNK):
                    chunk = missed[i:i + REPLAY_CHUNK]
                    self.client.last_seq = chunk[-1].seq
                    await self.send(events_frame(chunk))
                return
        await self.snapshot()

    async def snapshot(self) -> None:
        snap = await self.app.store.snapshot(self.show_id)
        self.client.last_seq = snap.seq
        presence = await self.app.presence(self.show_id)
        frame = {"type": "snapshot", "seq": snap.seq, "show": snap.show, "questions": snap.questions,
                 "rundown": snap.rundown, "presence": presence, "total": snap.total,
                 "complete": len(snap.questions) == snap.total}
        await self.send(orjson.dumps(frame).decode())

    async def sender(self) -> None:
        client = self.client
        while True:
            await client.wait()
            events = client.take()
            if events is None:
                self.app.metrics.resyncs.inc()
                await self.snapshot()
            elif events:
                await self.send(client.feed.frame(events))
            if client.presence is not None:
                frame, client.presence = client.presence, None
                await self.send(frame)

    async def receiver(self) -> None:
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            raw = message.get("text") or (message.get("bytes") or b"").decode("utf-8", "replace")
            await self.handle(raw)

    async def handle(self, raw: str) -> None:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            await self.send(orjson.dumps({"type": "error", "error": {"code": "invalid_json",
                                                                     "message": "frame is not JSON"}}).decode())
            return
        if isinstance(data, dict) and data.get("type") == "ping":
            await self.send('{"type":"pong"}')
            return
        frame_id = client_id(data)
        if not await self.still_signed_in():
            await self.send(orjson.dumps({"type": "ack", "id": frame_id, "ok": False, "error": {
                "code": "unauthorized", "message": "the session has ended; sign in again"}}).decode())
            await self.ws.close(code=4401, reason="session ended")
            return
        try:
            frame = ActionFrame.model_validate(data)
            question = await self.app.perform(self.who, frame.question_id, frame, self.conn_id)
            ack: dict[str, Any] = {"type": "ack", "id": frame.id, "ok": True, "question": question}
        except ValidationError as exc:
            invalid = validation_error(exc, "frame")
            ack = {"type": "ack", "id": frame_id, "ok": False,
                   "error": {"code": "invalid", "message": invalid.message, "field": invalid.extra["field"]}}
        except EfirError as exc:
            ack = {"type": "ack", "id": frame_id, "ok": False, "error": exc.body()["error"]}
            if "question" in exc.extra:
                ack["question"] = exc.extra["question"]
        await self.send(orjson.dumps(ack).decode())

    async def still_signed_in(self) -> bool:
        """Every action re-checks the session: a user disabled or signed out mid-show acts no more."""
        current = await principal(self.ws)
        return current is not None and current.username == self.who.username and current.role == self.who.role

    async def pinger(self) -> None:
        """Keep-alive, and the session re-checked: a signed-out or disabled user's desk stops receiving."""
        while True:
            await asyncio.sleep(PING_SECONDS)
            if not await self.still_signed_in():
                await self.ws.close(code=4401, reason="session ended")
                return
            await self.send('{"type":"ping"}')


async def desk(ws: WebSocket) -> None:
    app = efir(ws)
    try:
        same_origin(ws, app.settings.origins)
        who = await principal(ws)
        if who is None:
            raise Unauthorized("sign in first")
        who.require("desk.connect")
        show_id = await _desk_show(ws)
        after = int_param(ws.query_params.get("after"), "after")
    except EfirError as exc:
        await ws.close(code=4000 + exc.status, reason=exc.message[:120])
        return
    await ws.accept()
    session = DeskSession(ws, who, show_id)
    app.metrics.clients.labels("desk").inc()
    tasks: list[asyncio.Task[None]] = []
    try:
        await app.store.join_desk(session.conn_id, show_id, who.username, who.role)
        await session.start(after)
        await app.announce_presence(show_id)
        tasks = [asyncio.create_task(t) for t in (session.sender(), session.receiver(), session.pinger())]
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            error = task.exception()
            if error is not None and not isinstance(error, (WebSocketDisconnect, RuntimeError, OSError)):
                log.error("desk %s of %s ended by an error", session.conn_id, who.username, exc_info=error)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass
    finally:
        await cancel_all(tasks)
        app.hub.detach(session.client)
        app.metrics.clients.labels("desk").dec()
        await app.store.release_connection(session.conn_id)
        await app.announce_presence(show_id)


async def _desk_show(ws: WebSocket) -> int:
    app = efir(ws)
    show_id = int_param(ws.query_params.get("show"), "show")
    if show_id is None:
        show_id = await app.store.route_show()
        if show_id is None:
            raise NotFound("no live or scheduled show; pass ?show=ID")
    if await app.store.get_show(show_id) is None:
        raise NotFound(f"show {show_id} not found")
    return show_id


Still = Callable[[], Awaitable[bool]]


async def prompter_viewer(request: Request, show_id: int) -> tuple[str, Still]:
    """Who reads this show's prompter, and how to tell later that they still may. A prompter key (`?key=` or
    Bearer) is the host screen's credential; without one, a signed-in session whose role may read the prompter
    (the host at the studio tablet needs no key). A wrong or revoked key is told apart from a missing sign-in
    (401 `invalid_key`), and another show's key is 403 `wrong_show`: the page says which, instead of retrying."""
    app = efir(request)
    secret = request.query_params.get("key") or bearer(request)
    if secret:
        try:
            token = await app.auth.token(secret, "prompter")
        except Unauthorized:
            raise Unauthorized("this prompter key is wrong or was revoked", code="invalid_key") from None
        if token.show_id is not None and token.show_id != show_id:
            raise Forbidden("this prompter key is for another show", code="wrong_show")

        async def key_still_valid() -> bool:
            return await app.store.find_token(token_hash(secret)) is not None

        return f"prompter:{token.label or token.id}", key_still_valid
    who = await principal(request)
    if who is None:
        raise Unauthorized("a prompter key or a signed-in session is required")
    who.require("prompter.read")
    session = request.cookies.get(SESSION_COOKIE)

    async def still_signed_in() -> bool:
        return await app.auth.session(session) is not None

    return who.username, still_signed_in


async def prompter_events(request: Request) -> Response:
    app = efir(request)
    show_id = int_param(request.path_params.get("show_id"), "show_id")
    assert show_id is not None
    _, still_allowed = await prompter_viewer(request, show_id)
    if await app.store.get_show(show_id) is None:
        raise NotFound(f"show {show_id} not found")
    channel = app.hub.air(show_id)

    async def stream() -> AsyncIterator[dict[str, Any]]:
        channel.listeners += 1
        app.metrics.clients.labels("prompter").inc()
        try:
            # rundown, and the producer's cues; a revoked key (or an ended session) stops the stream within
            # TOKEN_RECHECK_SECONDS
            async for event in prompter_stream(channel, app.cues, show_id, still_allowed, TOKEN_RECHECK_SECONDS):
                yield event
        finally:
            channel.listeners -= 1
            app.metrics.clients.labels("prompter").dec()

    return EventSourceResponse(stream(), ping=15, headers={"Cache-Control": "no-store"})


async def cue_ack(request: Request) -> Response:
    """The host acknowledges the producer's cue on the prompter (its key, or the host's session)."""
    app = efir(request)
    show_id = int_param(request.path_params.get("show_id"), "show_id")
    cue_id = int_param(request.path_params.get("cue_id"), "cue_id")
    assert show_id is not None and cue_id is not None
    if request.query_params.get("key") or bearer(request):
        actor, _ = await prompter_viewer(request, show_id)
    else:  # a cookie write: from the server's own pages, with the CSRF token
        actor = (await require(request, "prompter.read")).username
    current = app.cues.fresh(show_id)
    if current is None or current.id != cue_id:
        raise NotFound(f"cue {cue_id} is not the show's current cue (already acknowledged or replaced)")
    # committed, the acknowledgement takes the cue off every prompter of the show, on every server
    await app.store.record("cue_acknowledged", actor, {"cue": cue_id}, show_id)
    return JSON({"ok": True, "cue": cue_id})


def routes() -> list[Route | WebSocketRoute]:
    return [
        WebSocketRoute("/ws/desk", desk),
        Route("/prompter/{show_id:int}/events", prompter_events),
        Route("/prompter/{show_id:int}/cue/{cue_id:int}/ack", cue_ack, methods=["POST"]),
    ]

