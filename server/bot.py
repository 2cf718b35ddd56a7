"""Bot commands viewers send (`/start`, `/help`): never questions. With a Telegram bot token set, `/start`
and `/help` are answered once with a short kk/ru note on how to ask, through the reply-back outbox (one
row per command message: a re-delivered webhook or a worker re-reading its batch never answers twice).
Other commands (`/report`, `/settings`, …) are ignored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response

from ingest.batch import Command
from schemas import Channel

from .auth import Principal
from .web import JSON, worker_batch

if TYPE_CHECKING:
    from .app import Efir

ANSWERED = frozenset({"start", "help"})
HOW_TO_ASK = (
    "Сәлеметсіз бе! Эфирге сұрағыңызды осы чатқа кәдімгі хабарлама етіп жазыңыз: мәтінмен, дауыспен "
    "немесе фотомен. Модераторлар әр хабарды оқиды, ең көп қойылған сұрақтар эфирде беріледі.\n\n"
    "Здравствуйте! Задайте вопрос в эфир обычным сообщением в этот чат: текстом, голосом или фото. "
    "Модераторы читают каждое сообщение, самые частые вопросы прозвучат в эфире."
)


async def answer(app: Efir, commands: Sequence[Command], actor: str) -> int:
    """Queue the answers; returns how many were newly queued."""
    queued = 0
    for command in commands:
        app.metrics.ingested.labels(command.channel, "command").inc()
        if command.channel == "telegram" and command.name in ANSWERED and app.settings.telegram_bot_token:
            queued += await app.store.queue_bot_reply(command.channel, command.external_id, command.chat,
                                                      HOW_TO_ASK, actor)
    return queued


class CommandWire(BaseModel):
    channel: Channel
    external_id: str = Field(min_length=1, max_length=500)
    chat: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=64)


class CommandBatch(BaseModel):
    commands: list[CommandWire] = Field(min_length=1, max_length=1000)


async def from_worker(request: Request, _: Principal | None) -> Response:
    """`POST /api/ingest/commands` (ingest token): the bot commands a worker read."""
    app, actor, body = await worker_batch(request, CommandBatch)
    commands = [Command(c.channel, c.external_id, c.chat, c.name.lower()) for c in body.commands]
    answered = await answer(app, commands, actor)
    return JSON({"commands": len(commands), "answered": answered})
