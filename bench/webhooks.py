"""Webhook throughput: messages/s through signature check, parse, triage and commit, per webhook.

    python -m bench.webhooks [--batches 200] [--per-batch 10]

Each webhook is driven in-process (httpx's ASGI transport: no sockets, so the figure is the
server's own cost) against a fresh SQLite file, one request at a time as a platform delivers them.
WhatsApp batches carry `--per-batch` messages each; Telegram and the web form carry one per request
by their nature; SMS posts a list of `--per-batch`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from ingest.signature import sign
from server.app import create_app
from server.settings import Settings

SECRET, TG_SECRET = "bench-app-secret", "bench_tg-secret"
TEXT = "Сәлеметсіз бе! Когда починят дорогу на Момышулы {n}? 😮"
Request = tuple[str, bytes, dict[str, str]]


def whatsapp(batch: int, per: int) -> Request:
    messages = [
        {
            "from": "77011234567",
            "id": f"wamid.B{batch}.{k}",
            "timestamp": "1749416383",
            "type": "text",
            "text": {"body": TEXT.format(n=batch * per + k)},
        }
        for k in range(per)
    ]
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "1",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"phone_number_id": "1"},
                            "contacts": [{"profile": {"name": "Айгерим"}, "wa_id": "77011234567"}],
                            "messages": messages,
                        },
                    }
                ],
            }
        ],
    }
    body = json.dumps(payload, ensure_ascii=True).encode()
    return (
        "/webhooks/whatsapp",
        body,
        {"X-Hub-Signature-256": sign(SECRET, body), "Content-Type": "application/json"},
    )


def telegram(batch: int, per: int) -> Request:
    update = {
        "update_id": batch,
        "message": {
            "message_id": batch + 1,
            "date": 1717000000,
            "text": TEXT.format(n=batch),
            "from": {"id": 5, "is_bot": False, "first_name": "Ерлан"},
            "chat": {"id": 5, "type": "private"},
        },
    }
    return "/webhooks/telegram", json.dumps(update).encode(), {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}


def sms(batch: int, per: int) -> Request:
    body = json.dumps(
        [
            {"id": f"gw-{batch}-{k}", "from": "87011234567", "text": TEXT.format(n=batch * per + k)}
            for k in range(per)
        ]
    ).encode()
    return "/webhooks/sms", body, {"X-Signature": sign(SECRET, body), "Content-Type": "application/json"}


def web_form(batch: int, per: int) -> Request:
    body = urlencode({"token": f"{batch:032x}", "question": TEXT.format(n=batch)}).encode()
    return "/ask/1", body, {"Content-Type": "application/x-www-form-urlencoded"}


WEBHOOKS: dict[str, tuple[Callable[[int, int], Request], bool]] = {
    "whatsapp": (whatsapp, True),
    "telegram": (telegram, False),
    "sms": (sms, True),
    "web": (web_form, False),
}


async def measure(name: str, batches: int, per: int) -> tuple[int, float]:
    make, batched = WEBHOOKS[name]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            db=str(Path(tmp) / "bench.db"),
            whatsapp_app_secret=SECRET,
            sms_secret=SECRET,
            telegram_webhook_secret=TG_SECRET,
        )
        app = create_app(settings)
        efir: Any = app.state.efir
        await efir.start()
        try:
            show = await efir.store.create_show(
                {"title": "Bench", "starts_at": "2026-11-22T20:00:00+06:00"}, "b"
            )
            await efir.store.update_show(show["id"], {"status": "live"}, "b")
            if name == "web":
                from server import webhooks

                webhooks.rate_limit(efir).count = batches + 1
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                requests = [make(i, per) for i in range(batches)]
                started = time.perf_counter()
                for path, body, headers in requests:
                    r = await client.post(path, content=body, headers=headers)
                    assert r.status_code in (200, 303), (name, r.status_code, r.text[:200])
                elapsed = time.perf_counter() - started
        finally:
            await efir.stop()
    return batches * (per if batched else 1), elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--per-batch", type=int, default=10)
    args = parser.parse_args(argv)
    print(f"{'webhook':<10} {'messages':>9} {'seconds':>8} {'messages/s':>11}")
    for name in WEBHOOKS:
        count, elapsed = asyncio.run(measure(name, args.batches, args.per_batch))
        print(f"{name:<10} {count:>9} {elapsed:>8.2f} {count / elapsed:>11.0f}")


if __name__ == "__main__":
    main()
