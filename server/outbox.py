"""Reply-back: sends the outbox's replies to viewers on the channel they used, in their language.

The store keeps the state machine (`store/outbox_sql.py`); this module only talks to the platforms and
classifies what happened, because "never sent twice" depends on knowing whether a failed send might
still have been delivered:

    refused before delivery (connection refused, HTTP 429/5xx, SMTP 4xx) → retry with backoff
    refused for good (HTTP 4xx, SMTP 5xx, bad address)                     → failed
    no answer after the request went out (timeout, dropped connection)     → uncertain, never resent

WhatsApp: a free-form text inside the 24-hour customer-service window (since the viewer's last message),
an approved template outside it. Telegram: `sendMessage` to the chat, as a reply to their message.
E-mail: SMTP (`EFIR_SMTP_URL`, e.g. `smtp://127.0.0.1:2525?from=efir@example.kz`).
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from .settings import Settings
from .store.base import Store

log = logging.getLogger("efir.outbox")

GRAPH_VERSION = "v21.0"
WINDOW = timedelta(hours=24)
IDLE_POLL = 5.0  # seconds between passes when no channel can send: only the cursor moves
TEMPLATES = {"answered": "efir_question_answered", "resolved": "efir_question_resolved"}
SUBJECTS = {"ru": "Ваш вопрос в эфире", "kk": "Эфирдегі сұрағыңыз"}


class SendError(Exception):
    """A send that did not go through; `outcome` is retry, failed or uncertain."""

    outcome = "failed"


class Retry(SendError):
    outcome = "retry"


class Uncertain(SendError):
    outcome = "uncertain"


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="milliseconds")


def _http_outcome(response: httpx.Response) -> None:
    if response.status_code == 429 or response.status_code >= 500:
        raise Retry(f"HTTP {response.status_code}: {response.text[:200]}")
    if response.status_code >= 400:
        raise SendError(f"HTTP {response.status_code}: {response.text[:200]}")


class Senders:
    def __init__(self, settings: Settings, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.client = client

    @property
    def channels(self) -> tuple[str, ...]:
        """The channels replies can go out on: those with their credentials or server configured."""
        s = self.settings
        configured = {"telegram": bool(s.telegram_bot_token), "email": bool(urlsplit(s.smtp_url).hostname),
                      "whatsapp": bool(s.whatsapp_token and s.whatsapp_phone_number_id)}
        return tuple(channel for channel, ok in configured.items() if ok)

    async def send(self, reply: dict[str, Any]) -> str:
        channel = reply["channel"]
        if channel == "telegram":
            return await self.telegram(reply)
        if channel == "whatsapp":
            return await self.whatsapp(reply)
        if channel == "email":
            return await asyncio.to_thread(self.email, reply)
        raise SendError(f"no replies on {channel}")

    async def _post(self, url: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> dict[str, Any]:
        try:
            response = await self.client.post(url, json=body, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise Retry(f"cannot connect: {exc}") from None  # nothing left this machine
        except httpx.HTTPError as exc:
            raise Uncertain(f"no answer: {type(exc).__name__}") from None
        _http_outcome(response)
        try:
            data: dict[str, Any] = response.json()
        except ValueError:
            raise Uncertain("the platform's answer was not JSON") from None
        return data

    async def telegram(self, reply: dict[str, Any]) -> str:
        token = self.settings.telegram_bot_token
        if not token:
            raise SendError("EFIR_TELEGRAM_BOT_TOKEN is not set")
        data = await self._post(f"{self.settings.telegram_api_base.rstrip('/')}/bot{token}/sendMessage",
                                {"chat_id": reply["recipient"], "text": reply["text"]})
        if not data.get("ok"):
            raise SendError(str(data.get("description") or "not ok"))
        return str((data.get("result") or {}).get("message_id", ""))

    def whatsapp_body(self, reply: dict[str, Any], now: datetime) -> dict[str, Any]:
        to = "".join(ch for ch in str(reply["recipient"]) if ch.isdigit())
        last = reply.get("last_inbound")
        if last and now - datetime.fromisoformat(last) < WINDOW:
            return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "text",
                    "text": {"preview_url": False, "body": reply["text"]}}
        # outside the customer-service window only an approved template may be sent
        return {"messaging_product": "whatsapp", "to": to, "type": "template", "template": {
            "name": TEMPLATES[reply["kind"]], "language": {"code": reply["lang"]},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": reply["text"]}]}]}}

    async def whatsapp(self, reply: dict[str, Any]) -> str:
        s = self.settings
        if not (s.whatsapp_token and s.whatsapp_phone_number_id):
            raise SendError("EFIR_WHATSAPP_TOKEN / EFIR_WHATSAPP_PHONE_NUMBER_ID are not set")
        data = await self._post(f"{s.graph_api_base.rstrip('/')}/{GRAPH_VERSION}/{s.whatsapp_phone_number_id}/messages",
                                self.whatsapp_body(reply, _now()), {"Authorization": f"Bearer {s.whatsapp_token}"})
        messages = data.get("messages") or [{}]
        return str(messages[0].get("id", ""))

    def email(self, reply: dict[str, Any]) -> str:
        url = urlsplit(self.settings.smtp_url)
        if not url.hostname:
            raise SendError("EFIR_SMTP_URL is not set")
        sender = parse_qs(url.query).get("from", ["efir@localhost"])[0]
        message = EmailMessage()
        message["From"], message["To"] = sender, reply["recipient"]
        message["Subject"] = SUBJECTS.get(reply["lang"], SUBJECTS["ru"])
        message["Message-ID"] = f"<efir-reply-{reply['key'].replace(':', '-')}@{url.hostname}>"
        message.set_content(reply["text"])
        try:
            with smtplib.SMTP(url.hostname, url.port or 25, timeout=10) as smtp:
                smtp.send_message(message)
        except (ConnectionRefusedError, smtplib.SMTPConnectError) as exc:
            raise Retry(f"SMTP: {exc}") from None
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                raise Retry(f"SMTP {exc.smtp_code}") from None
            raise SendError(f"SMTP {exc.smtp_code}") from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendError(f"SMTP refused {list(exc.recipients)}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise Uncertain(f"SMTP: {type(exc).__name__}") from None
        return str(message["Message-ID"])


class Outbox:
    """Queues replies from the log and sends what is due; one per server."""

    def __init__(self, store: Store, senders: Senders, settings: Settings) -> None:
        self.store, self.senders = store, senders
        self.backoff = settings.reply_backoff_seconds
        self.max_attempts = settings.reply_max_attempts
        self.poll = settings.reply_poll_seconds

    async def run(self) -> None:
        await self.store.recover_replies()
        while True:
            try:
                await self.tick()
            except Exception:  # a bad row or a store hiccup must not stop replies for good
                log.exception("outbox tick failed")
            await asyncio.sleep(self.poll if self.senders.channels else IDLE_POLL)

    async def tick(self) -> None:
        now = _iso(_now())
        await self.store.enqueue_replies(now, self.senders.channels)
        for reply in await self.store.due_replies(now, 50):
            await self.deliver(reply["id"])

    async def deliver(self, reply_id: int) -> None:
        reply = await self.store.claim_reply(reply_id, _iso(_now()))
        if reply is None:
            return
        try:
            provider_id = await self.senders.send(reply)
        except SendError as exc:
            outcome = exc.outcome
            if outcome == "retry" and reply["attempts"] >= self.max_attempts:
                outcome = "failed"
            delay = min(3600.0, self.backoff * 2 ** (reply["attempts"] - 1))
            next_at = _iso(_now() + timedelta(seconds=delay)) if outcome == "retry" else None
            await self.store.finish_reply(reply_id, outcome, error=str(exc)[:500], next_at=next_at)
            return
        await self.store.finish_reply(reply_id, "sent", provider_id=provider_id or None)


async def run(store: Store, settings: Settings) -> None:
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0)) as client:
        await Outbox(store, Senders(settings, client), settings).run()
