"""Channel health: for every channel (each webhook, each ingest worker) its last message, its lag, its error
rate and its open dead letters, and one state for the producer's strip and `/metrics`:

    red    a worker silent for `EFIR_CHANNEL_SILENT_SECONDS`, or whose last poll failed; dead letters waiting
           on the channel; deliveries failing (more than a fifth in the last hour)
    amber  during a live show, no message for `EFIR_CHANNEL_QUIET_MINUTES`
    green  otherwise

Workers send a heartbeat with their progress figures (`PUT /api/ingest/heartbeats/{name}`, stored, so any
server of the database sees it); webhooks are counted by the server they reach (`WebhookBoard`, per server,
started from the newest stored message of each channel).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response

from schemas import Channel

from .auth import Principal
from .errors import Invalid
from .web import JSON, bearer, efir, int_param, read_model

if TYPE_CHECKING:
    from .app import Efir

WINDOW = 3600.0  # seconds of deliveries an error rate is taken over
FAILING_RATE = 0.2
STATE_LEVEL = {"green": 0, "amber": 1, "red": 2}


@dataclass(slots=True)
class WebhookChannel:
    last_message_at: float | None = None
    lag: float | None = None
    deliveries: deque[tuple[float, bool]] = field(default_factory=lambda: deque(maxlen=10_000))

    def error_rate(self, now: float) -> float:
        recent = [ok for at, ok in self.deliveries if at > now - WINDOW]
        return round(sum(not ok for ok in recent) / len(recent), 3) if recent else 0.0


class WebhookBoard:
    """What this server saw of each webhook channel: the newest message and how deliveries went."""

    def __init__(self) -> None:
        self.channels: dict[str, WebhookChannel] = {}

    def seed(self, newest: dict[str, tuple[str, str | None]]) -> None:
        for channel, (received, sent) in newest.items():
            entry = self.channels.setdefault(channel, WebhookChannel())
            entry.last_message_at = _epoch(received)
            entry.lag = _lag(received, sent)

    def delivered(self, channel: str, messages: int, failed: int, newest_sent: datetime | None) -> None:
        now = time.time()
        entry = self.channels.setdefault(channel, WebhookChannel())
        entry.deliveries.append((now, failed == 0))
        if messages:
            entry.last_message_at = now
            entry.lag = max(0.0, now - newest_sent.timestamp()) if newest_sent else None


WEBHOOK_CHANNELS = ("whatsapp", "instagram", "telegram", "sms", "web")


def configured_webhooks(app: Efir) -> set[str]:
    s = app.settings
    return {c for c, on in (("whatsapp", s.whatsapp_app_secret), ("instagram", s.whatsapp_app_secret),
                            ("telegram", s.telegram_webhook_secret), ("sms", s.sms_secret)) if on}


def state(row: dict[str, Any], now: float, live: bool, quiet_minutes: float, silent_seconds: float) -> tuple[str, str]:
    """(green|amber|red, why) for one channel's figures."""
    if row["kind"] == "worker" and (row["seen_ago"] is None or row["seen_ago"] > silent_seconds):
        return "red", "silent"
    if row.get("failing"):
        return "red", "failing"
    if row["dead_letters"]:
        return "red", "dead_letters"
    if row["error_rate"] > FAILING_RATE:
        return "red", "errors"
    last = row["last_message_at"]
    if live and (last is None or now - _epoch(last) > quiet_minutes * 60):
        return "amber", "quiet"
    return "green", "ok"


async def channels(app: Efir, live: bool) -> list[dict[str, Any]]:
    """Every channel's figures and state, webhooks first, then workers by name."""
    now = time.time()
    dead = await app.store.open_dead_letters()
    rows: list[dict[str, Any]] = []
    # a channel a worker reads (Telegram by getUpdates) is shown by its heartbeat, not as a webhook
    shown = configured_webhooks(app) | ({"web"} & set(app.webhooks.channels))
    for channel in [c for c in WEBHOOK_CHANNELS if c in shown]:
        entry = app.webhooks.channels.get(channel, WebhookChannel())
        rows.append({"name": f"webhook:{channel}", "channel": channel, "kind": "webhook", "seen_ago": None,
                     "last_message_at": _iso(entry.last_message_at), "lag_seconds": _round(entry.lag),
                     "error_rate": entry.error_rate(now), "dead_letters": dead.get(channel, 0), "failing": False})
    for beat in await app.store.heartbeats():
        f = beat["figures"]
        seen = _epoch(beat["seen_at"])
        if now - seen > 86_400 and not f.get("running", True):
            continue  # a worker stopped for good a day ago is not a channel any more
        polls, errors = int(f.get("polls") or 0), int(f.get("errors") or 0)
        rows.append({"name": beat["name"], "channel": beat["channel"], "kind": "worker",
                     "seen_ago": round(now - seen, 1), "last_message_at": f.get("last_message_at"),
                     "lag_seconds": _round(f.get("lag")), "messages": int(f.get("accepted") or 0),
                     "error_rate": round(errors / (polls + errors), 3) if polls + errors else 0.0,
                     "failing": bool(f.get("failing")), "last_error": f.get("last_error"),
                     "dead_letters": dead.get(beat["channel"], 0)})
    s = app.settings
    for row in rows:
        row["state"], row["why"] = state(row, now, live, s.channel_quiet_minutes, s.channel_silent_seconds)
    return rows


async def is_live(app: Efir, show_id: int | None) -> bool:
    if show_id is not None:
        show = await app.store.get_show(show_id)
        return bool(show and show["status"] == "live")
    return any(s["status"] == "live" for s in await app.store.list_shows())


async def health(request: Request, _: Principal | None) -> Response:
    """`GET /api/channels?show=ID`: the strip's figures (the show decides whether quiet is amber)."""
    app = efir(request)
    show_id = int_param(request.query_params.get("show"), "show")
    rows = await channels(app, await is_live(app, show_id))
    return JSON({"quiet_minutes": app.settings.channel_quiet_minutes, "channels": rows})


class Heartbeat(BaseModel):
    channel: Channel
    running: bool = True
    failing: bool = False  # the last poll failed
    polls: int = Field(default=0, ge=0)
    accepted: int = Field(default=0, ge=0)
    duplicates: int = Field(default=0, ge=0)
    ignored: int = Field(default=0, ge=0)
    dead: int = Field(default=0, ge=0)
    errors: int = Field(default=0, ge=0)
    lag: float | None = Field(default=None, ge=0)
    last_message_at: str | None = Field(default=None, max_length=40)
    last_error: str | None = Field(default=None, max_length=300)


async def heartbeat(request: Request, _: Principal | None) -> Response:
    """`PUT /api/ingest/heartbeats/{name}` (ingest token): a worker's progress figures."""
    app = efir(request)
    await app.auth.token(bearer(request), "ingest")
    name = request.path_params["name"]
    if len(name) > 200:
        raise Invalid("heartbeat name is at most 200 characters", field="name")
    beat = await read_model(request, Heartbeat)
    if beat.last_message_at is not None and _epoch(beat.last_message_at) == 0.0:
        raise Invalid("last_message_at must be an ISO 8601 date and time", field="last_message_at")
    await app.store.save_heartbeat(name, beat.channel, beat.model_dump())
    return JSON({"name": name, "ok": True})


async def export_metrics(app: Efir) -> None:
    """The same figures as gauges on `/metrics`."""
    m = app.metrics
    for gauge in (m.channel_state, m.channel_age, m.channel_lag, m.channel_errors):
        gauge.clear()  # a channel gone since the last scrape leaves no stale series
    now = time.time()
    for row in await channels(app, await is_live(app, None)):
        labels = (row["name"], row["channel"])
        m.channel_state.labels(*labels).set(STATE_LEVEL[row["state"]])
        m.channel_errors.labels(*labels).set(row["error_rate"])
        if row["last_message_at"]:
            m.channel_age.labels(*labels).set(round(now - _epoch(row["last_message_at"]), 1))
        if row["lag_seconds"] is not None:
            m.channel_lag.labels(*labels).set(row["lag_seconds"])


def _epoch(value: str | None) -> float:
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return 0.0
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()


def _iso(epoch: float | None) -> str | None:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds") if epoch else None


def _lag(received: str, sent: str | None) -> float | None:
    return max(0.0, _epoch(received) - _epoch(sent)) if sent else None


def _round(value: Any) -> float | None:
    return round(float(value), 1) if isinstance(value, int | float) else None
