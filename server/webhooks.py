"""Platform webhooks (WhatsApp, Instagram, Telegram, SMS) and the public web form."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    return []
