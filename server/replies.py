"""The producer's handlers for reply-back: per-show switch and outbox view, editable templates, opt-outs.
Sending is `server/outbox.py`; routes and guards are in `server/api.py`'s table."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from schemas import Channel

from .auth import Principal
from .errors import NotFound
from .web import JSON, efir, path_int, read_model


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RepliesSwitch(Strict):
    enabled: bool


class Template(Strict):
    kind: Literal["answered", "resolved"]
    lang: Literal["kk", "ru"]
    text: str = Field(min_length=1, max_length=1000)


class OptOut(Strict):
    channel: Channel
    address: str = Field(min_length=1, max_length=200)


def _who(who: Principal | None) -> Principal:
    assert who is not None, "guarded endpoint reached without a principal"
    return who


async def _show_id(request: Request) -> int:
    show_id = path_int(request, "show_id")
    if await efir(request).store.get_show(show_id) is None:
        raise NotFound(f"show {show_id} not found")
    return show_id


async def show_replies(request: Request, _: Principal | None) -> Response:
    show_id = await _show_id(request)
    store = efir(request).store
    return JSON({"enabled": await store.replies_enabled(show_id), "replies": await store.replies(show_id)})


async def switch_replies(request: Request, who: Principal | None) -> Response:
    show_id = await _show_id(request)
    body = await read_model(request, RepliesSwitch)
    return JSON({"enabled": await efir(request).store.set_replies_enabled(show_id, body.enabled, _who(who).username)})


async def get_templates(request: Request, _: Principal | None) -> Response:
    return JSON(await efir(request).store.reply_templates())


async def put_template(request: Request, who: Principal | None) -> Response:
    body = await read_model(request, Template)
    return JSON(await efir(request).store.set_reply_template(body.kind, body.lang, body.text, _who(who).username))


async def opt_out(request: Request, who: Principal | None) -> Response:
    body = await read_model(request, OptOut)
    skipped = await efir(request).store.opt_out(body.channel, body.address.strip(), _who(who).username)
    return JSON({"ok": True, "skipped": skipped})
