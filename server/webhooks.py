"""Platform webhooks (WhatsApp, Instagram, Telegram, SMS), the workers' withdrawal intake and the web form.

Every webhook checks its secret over the raw body before parsing, commits through `Intake.accept`
and answers 200 only after the commit returned: a 200 is Meta's and Telegram's signal to forget
the delivery, so it must never come before the messages are durable.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections import deque
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ingest import instagram, sms, telegram, whatsapp
from ingest import web as webform
from ingest.batch import Batch, DeadLetter, Withdrawal
from ingest.signature import same_secret, valid
from schemas import Channel

from . import bot, deadletters
from .errors import BadRequest, EfirError, Forbidden, Invalid, NotFound, TooMany, Unauthorized
from .web import JSON, bearer, body_bytes, efir, parse_json, path_int

if TYPE_CHECKING:
    from .app import Efir

log = logging.getLogger("efir.webhooks")


async def commit(app: Efir, batch: Batch, actor: str, show_id: int | None = None) -> dict[str, int]:
    """Store the batch's questions, withdrawals and dead letters, and answer its bot commands; returns once
    all of it is durable."""
    accepted = duplicates = 0
    if batch.messages:
        outcome = await app.intake.accept(batch.messages, actor, show_id=show_id, raw=batch.raw)
        accepted, duplicates = outcome.accepted, outcome.duplicates
        for m in batch.messages:
            app.metrics.ingested.labels(m.channel, "received").inc()
    for w in batch.withdrawals:
        await app.store.withdraw(w.channel, w.external_id, w.reason, actor, show_id)
    await deadletters.keep(app, batch.dead, actor)
    await bot.answer(app, batch.commands, actor)
    if actor.startswith(("webhook:", "web")):
        channel = batch.messages[0].channel if batch.messages else actor.removeprefix("webhook:")
        newest = max((m.sent_at for m in batch.messages if m.sent_at), default=None)
        app.webhooks.delivered(channel, len(batch.messages), len(batch.dead), newest)
    if batch:
        log.info("%s: %d accepted, %d duplicates, %d withdrawn, %d commands, %d dead letters", actor, accepted,
                 duplicates, len(batch.withdrawals), len(batch.commands), len(batch.dead))
    return {"accepted": accepted, "duplicates": duplicates, "withdrawn": len(batch.withdrawals),
            "ignored": batch.ignored, "commands": len(batch.commands), "dead_letters": len(batch.dead)}


def unreadable(channel: Channel, raw: bytes, exc: EfirError) -> Batch:
    """A signed delivery whose body cannot be read: kept whole as a dead letter and answered 200, or the
    platform would re-send it for days (Meta) or hold back every later update behind it (Telegram)."""
    out = Batch()
    out.dead.append(DeadLetter(channel, exc.message[:300], raw))
    return out


# -- WhatsApp and Instagram (Meta) ---------------------------------------------------------------

async def meta_handshake(request: Request) -> Response:
    p = request.query_params
    mode = p.get("hub.mode") or p.get("hub_mode")
    token = p.get("hub.verify_token") or p.get("hub_verify_token")
    challenge = p.get("hub.challenge") or p.get("hub_challenge") or ""
    if mode != "subscribe" or not same_secret(efir(request).settings.whatsapp_verify_token, token):
        raise Forbidden("verify token does not match", code="bad_verify_token")
    return PlainTextResponse(challenge)  # echoed exactly, never JSON-encoded


async def meta_notification(request: Request) -> Response:
    app = efir(request)
    raw = await body_bytes(request)
    header = request.headers.get("x-hub-signature-256")
    if header is None:
        raise Unauthorized("X-Hub-Signature-256 is missing", code="bad_signature")
    if not valid(app.settings.whatsapp_app_secret, raw, header):
        raise Forbidden("X-Hub-Signature-256 does not match the body", code="bad_signature")
    try:
        payload = parse_json(raw)
    except BadRequest as exc:
        return JSON({"ok": True, **await commit(app, unreadable("whatsapp", raw, exc), "webhook:whatsapp")})
    if isinstance(payload, dict) and payload.get("object") == "instagram":
        return JSON({"ok": True, **await commit(app, instagram.parse(payload), "webhook:instagram")})
    return JSON({"ok": True, **await commit(app, whatsapp.parse(payload), "webhook:whatsapp")})


# -- Telegram --------------------------------------------------------------------------------------

async def telegram_update(request: Request) -> Response:
    app = efir(request)
    if not same_secret(app.settings.telegram_webhook_secret,
                       request.headers.get("x-telegram-bot-api-secret-token")):
        raise Forbidden("X-Telegram-Bot-Api-Secret-Token does not match", code="bad_signature")
    raw = await body_bytes(request)
    try:
        update = parse_json(raw)
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            raise BadRequest("expected one Telegram Update object", code="invalid_update")
    except BadRequest as exc:
        return JSON({"ok": True, **await commit(app, unreadable("telegram", raw, exc), "webhook:telegram")})
    return JSON({"ok": True, **await commit(app, telegram.parse_update(update), "webhook:telegram")})


REPLAY_WINDOW = 300  # seconds either side of now a signed SMS timestamp may be


def fresh(stamp: str, now: float | None = None) -> bool:
    """A gateway that sends `X-Timestamp` (unix seconds) signs `<timestamp>.<body>`: an old delivery replayed
    with its valid signature is refused."""
    try:
        return abs((now if now is not None else time.time()) - int(stamp)) <= REPLAY_WINDOW
    except ValueError:
        return False


# -- SMS gateway -------------------------------------------------------------------------------------

async def sms_delivery(request: Request) -> Response:
    app = efir(request)
    raw = await body_bytes(request)
    header = request.headers.get(sms.SIGNATURE_HEADER)
    if header is None:
        raise Unauthorized("X-Signature is missing", code="bad_signature")
    stamp = request.headers.get("x-timestamp")
    signed = raw if stamp is None else stamp.encode() + b"." + raw
    if not valid(app.settings.sms_secret, signed, header):
        raise Forbidden("X-Signature does not match the body", code="bad_signature")
    if stamp is not None and not fresh(stamp):
        raise Forbidden(f"X-Timestamp is outside the {REPLAY_WINDOW}-second window (a replay?)", code="stale")
    try:
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            payload: object = dict(parse_qsl(_utf8(raw), keep_blank_values=True))
        else:
            payload = parse_json(raw)
    except BadRequest as exc:
        return JSON({"ok": True, **await commit(app, unreadable("sms", raw, exc), "webhook:sms")})
    return JSON({"ok": True, **await commit(app, sms.parse(payload), "webhook:sms")})


def _utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"body is not valid UTF-8 (byte {exc.start})", code="invalid_encoding") from None


# -- withdrawals from ingest workers ------------------------------------------------------------------

async def withdrawals(request: Request) -> Response:
    """`POST /api/ingest/withdrawals {"withdrawals": [{channel, external_id, reason}]}`, ingest token."""
    app = efir(request)
    token = await app.auth.token(bearer(request), "ingest")
    body = parse_json(await body_bytes(request))
    items = body.get("withdrawals") if isinstance(body, dict) else None
    if not isinstance(items, list) or len(items) > 1000:
        raise Invalid("withdrawals must be a list of at most 1000 items", field="withdrawals")
    batch = Batch()
    for item in items:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item.get(k)
                                                 for k in ("channel", "external_id", "reason")):
            raise Invalid("each withdrawal needs channel, external_id and reason", field="withdrawals")
        batch.withdrawals.append(Withdrawal(item["channel"], item["external_id"][:500], item["reason"][:40]))
    return JSON(await commit(app, batch, f"ingest:{token.label or token.id}", token.show_id))


# -- the public web form --------------------------------------------------------------------------------

class RateLimit:
    """At most `count` submissions per client address in any `window` seconds."""

    def __init__(self, count: int = 5, window: float = 600.0) -> None:
        self.count, self.window = count, window
        self._seen: dict[str, deque[float]] = {}

    def allow(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if len(self._seen) > 50_000:
            self._seen.clear()  # bounded memory under a flood of addresses
        hits = self._seen.setdefault(client, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.count:
            return False
        hits.append(now)
        return True


_limits: weakref.WeakKeyDictionary[Efir, RateLimit] = weakref.WeakKeyDictionary()


def rate_limit(app: Efir) -> RateLimit:
    return _limits.setdefault(app, RateLimit())


async def ask(request: Request) -> Response:
    app = efir(request)
    show_id = path_int(request, "show_id")
    show = await app.store.get_show(show_id)
    if show is None or show["status"] == "ended":
        raise NotFound(f"show {show_id} is not taking questions")
    if request.method == "GET":
        sent = request.query_params.get("sent") == "1"
        return HTMLResponse(ask_page(show_id, str(show["title"]), sent=sent), headers=_no_store())
    client = request.client.host if request.client else "unknown"
    if not rate_limit(app).allow(client):
        raise TooMany("too many questions from this address; try again in a few minutes")
    fields = dict(parse_qsl(_utf8(await body_bytes(request)), keep_blank_values=True))
    if webform.is_bot(fields):
        return RedirectResponse(f"/ask/{show_id}?sent=1", status_code=303)  # looks the same to the bot
    try:
        message = webform.form_message(fields)
    except webform.BadForm as exc:
        return HTMLResponse(ask_page(show_id, str(show["title"]), error=str(exc)), status_code=422,
                            headers=_no_store())
    batch = Batch()
    batch.add(message)
    await commit(app, batch, "web", show_id=show_id)
    return RedirectResponse(f"/ask/{show_id}?sent=1", status_code=303)


def _no_store() -> dict[str, str]:
    return {"Cache-Control": "no-store"}


_ERRORS = {
    "question_short": "Сұрақ тым қысқа · Вопрос слишком короткий",
    "question_long": "Сұрақ тым ұзын (2000 таңбаға дейін) · Вопрос слишком длинный (до 2000 знаков)",
    "phone_invalid": "Телефон нөмірі қате · Неверный номер телефона",
}


def ask_page(show_id: int, title: str, *, sent: bool = False, error: str | None = None) -> str:
    """The residents' page. It shows the show's title and fixed text only, never anything a viewer sent."""
    notice = ""
    if sent:
        notice = '<p class="ok" role="status">Рақмет! Сұрағыңыз жіберілді. · Спасибо! Вопрос отправлен.</p>'
    if error:
        notice = f'<p class="error" role="alert">{escape(_ERRORS.get(error, "Қате · Ошибка"))}</p>'
    return f"""<!doctype html>
<html lang="kk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Сұрақ қою · Задать вопрос — {escape(title)}</title>
<link rel="stylesheet" href="/ui/ask.css">
</head>
<body>
<main>
<h1>{escape(title)}</h1>
<p>Эфирге сұрағыңызды жіберіңіз · Задайте вопрос в прямой эфир</p>
{notice}
<form method="post" action="/ask/{show_id}">
<input type="hidden" name="token" value="{webform.new_token()}">
<label for="question">Сұрақ · Вопрос</label>
<textarea id="question" name="question" required minlength="{webform.MIN_TEXT}"
 maxlength="{webform.MAX_FORM_TEXT}" rows="6"></textarea>
<label for="name">Атыңыз · Имя (міндетті емес · необязательно)</label>
<input id="name" name="name" maxlength="{webform.MAX_NAME}" autocomplete="given-name">
<label for="phone">Телефон (эфирде көрсетілмейді · не показывается в эфире)</label>
<input id="phone" name="phone" type="tel" maxlength="20" autocomplete="tel">
<div class="hp" aria-hidden="true"><label for="website">Website</label>
<input id="website" name="{webform.HONEYPOT}" tabindex="-1" autocomplete="off"></div>
<button type="submit">Жіберу · Отправить</button>
</form>
</main>
</body>
</html>
"""


def routes() -> list[BaseRoute]:
    return [
        Route("/webhooks/whatsapp", meta_handshake, methods=["GET"]),
        Route("/webhooks/whatsapp", meta_notification, methods=["POST"]),
        Route("/webhooks/telegram", telegram_update, methods=["POST"]),
        Route("/webhooks/sms", sms_delivery, methods=["POST"]),
        Route("/ask/{show_id}", ask, methods=["GET", "POST"]),
    ]
