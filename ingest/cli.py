"""`efir ingest CHANNEL …`: run one ingest worker as its own process."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

import httpx

from .delivery import Delivery
from .worker import Backoff, CursorStore, ServerCursors, ServerHeartbeat, Source, StateFile, Worker

CHANNELS = ("telegram", "youtube", "facebook", "email")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `ingest` subcommand and its channels to the `efir` parser."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--server", required=True, help="the Efir server, e.g. http://127.0.0.1:8000")
    common.add_argument("--token", default=os.environ.get("EFIR_INGEST_TOKEN"),
                        help="ingest token (default: $EFIR_INGEST_TOKEN)")
    common.add_argument("--api-base", help="the platform's API root (a self-hosted or stand-in server)")
    common.add_argument("--state", help="keep the cursor in this local file instead of on the server")
    common.add_argument("--interval", type=float, help="seconds between polls when the platform sets none")
    common.add_argument("--report-every", type=float, default=10.0, help="seconds between progress lines")
    common.add_argument("--heartbeat-every", type=float, default=15.0,
                        help="seconds between heartbeats to the server (its channel health strip)")

    ingest = sub.add_parser("ingest", help="run one ingest worker (telegram, youtube, facebook, email)")
    channels = ingest.add_subparsers(dest="channel", required=True, metavar="CHANNEL")
    tg = channels.add_parser("telegram", parents=[common], help="Telegram getUpdates long polling")
    tg.add_argument("--bot-token", default=os.environ.get("EFIR_TELEGRAM_BOT_TOKEN"),
                    help="default: $EFIR_TELEGRAM_BOT_TOKEN")
    tg.add_argument("--timeout", type=int, default=30, help="long-poll seconds")
    yt = channels.add_parser("youtube", parents=[common], help="YouTube liveChatMessages.list polling")
    yt.add_argument("--live-chat-id", required=True)
    yt.add_argument("--api-key", default=os.environ.get("EFIR_YOUTUBE_API_KEY"))
    yt.add_argument("--oauth-token", default=os.environ.get("EFIR_YOUTUBE_OAUTH_TOKEN"))
    fb = channels.add_parser("facebook", parents=[common], help="Facebook live video comments polling")
    fb.add_argument("--live-video-id", required=True)
    fb.add_argument("--access-token", default=os.environ.get("EFIR_FACEBOOK_PAGE_TOKEN"),
                    help="Page access token (default: $EFIR_FACEBOOK_PAGE_TOKEN)")
    fb.add_argument("--since", type=int, help="Unix time of the first comment to read")
    for name in ("email", "imap"):
        mail = channels.add_parser(name, parents=[common], help="IMAP mailbox")
        mail.add_argument("--host", required=True)
        mail.add_argument("--port", type=int, default=993)
        mail.add_argument("--user", required=True)
        mail.add_argument("--password-file", help="file holding the password (default: $EFIR_IMAP_PASSWORD)")
        mail.add_argument("--mailbox", default="INBOX")
        mail.add_argument("--plain", action="store_true", help="no TLS (a local server only)")


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)  # their request lines carry bot tokens in URLs
    if not args.token:
        raise SystemExit("efir ingest: --token (or $EFIR_INGEST_TOKEN) is required")
    return asyncio.run(_main(args))


async def _main(args: argparse.Namespace) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    channel = "email" if args.channel == "imap" else args.channel
    async with httpx.AsyncClient() as client:
        source = _source(args, channel, client)
        delivery = Delivery(args.server, args.token, client)
        state: CursorStore = StateFile(args.state) if args.state else ServerCursors(delivery)
        worker = Worker(source, delivery, state, backoff=Backoff(),
                        report_every=args.report_every, report=lambda line: print(line, file=sys.stderr),
                        heartbeat=ServerHeartbeat(delivery), heartbeat_every=args.heartbeat_every)
        try:
            return await worker.run(stop)
        finally:
            await source.aclose()


def _source(args: argparse.Namespace, channel: str, client: httpx.AsyncClient) -> Source:
    if channel == "telegram":
        from .sources.telegram import TelegramSource

        if not args.bot_token:
            raise SystemExit("efir ingest telegram: --bot-token (or $EFIR_TELEGRAM_BOT_TOKEN) is required")
        return TelegramSource(args.bot_token, client, api_base=args.api_base or "https://api.telegram.org",
                              timeout=args.timeout)
    if channel == "youtube":
        from .sources.youtube import YouTubeSource

        return YouTubeSource(args.live_chat_id, client, api_base=args.api_base or "https://www.googleapis.com",
                             api_key=args.api_key, oauth_token=args.oauth_token,
                             min_interval=args.interval if args.interval is not None else 1.0)
    if channel == "facebook":
        from .sources.facebook import FacebookSource

        if not args.access_token:
            raise SystemExit("efir ingest facebook: --access-token (or $EFIR_FACEBOOK_PAGE_TOKEN) "
                             "is required")
        return FacebookSource(args.live_video_id, args.access_token, client,
                              api_base=args.api_base or "https://graph.facebook.com", since=args.since,
                              interval=args.interval if args.interval is not None else 2.0)
    from .sources.imap import ImapSource

    password = (Path(args.password_file).read_text(encoding="utf-8").strip() if args.password_file
                else os.environ.get("EFIR_IMAP_PASSWORD", ""))
    return ImapSource(args.host, args.port, args.user, password, mailbox=args.mailbox, tls=not args.plain,
                      interval=args.interval if args.interval is not None else 30.0)
