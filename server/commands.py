"""`efir`: a thin command line; every subcommand calls into the packages and holds no logic."""

from __future__ import annotations

import argparse
import asyncio
import gc
import getpass
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .errors import EfirError
from .roles import ROLES
from .settings import Settings
from .store import SQLiteStore, SQLStore, open_store

T = TypeVar("T")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="efir", description="Efir — live-broadcast Q&A moderation desk")
    p.add_argument("--db", help="SQLite path or postgresql:// URL (default: $EFIR_DB or ./efir.db)")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--db", dest="serve_db", help="SQLite path or postgresql:// URL")
    serve.add_argument("--demo", action="store_true", help="seed a live show, demo users and a synthetic feed")
    serve.add_argument("--log-level", default="info")

    user = sub.add_parser("user", help="manage users").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="add a user (or reset an existing one's role and password)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    passwd = user.add_parser("passwd", help="change a password (signs the user out everywhere)")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true")
    user.add_parser("list", help="list users")
    for verb, text in (("disable", "disable a user and sign them out everywhere"), ("enable", "enable a user again")):
        user.add_parser(verb, help=text).add_argument("name")

    token = sub.add_parser("token", help="ingest and prompter tokens").add_subparsers(dest="token_command",
                                                                                      required=True)
    create = token.add_parser("create", help="create a token; the secret is printed once, stored hashed")
    create.add_argument("--kind", required=True, choices=("ingest", "prompter"))
    create.add_argument("--show", type=int, help="limit the token to one show")
    create.add_argument("--label")
    token.add_parser("list", help="list tokens (never their secrets)")
    revoke = token.add_parser("revoke", help="revoke a token by id")
    revoke.add_argument("id", type=int)

    export = sub.add_parser("export", help="export a show's questions")
    export.add_argument("show_id", type=int)
    export.add_argument("--format", required=True, choices=("csv", "json"))
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    export.add_argument("--what", default="questions", choices=("questions", "log", "followups"),
                        help="the show's questions (default), its post-show log, or its follow-up cases")

    from ingest.cli import register

    register(sub)

    purge = sub.add_parser("purge", help="remove personal data older than EFIR_RETENTION_DAYS")
    purge.add_argument("--dry-run", action="store_true", help="count what would be purged, change nothing")
    purge.add_argument("--days", type=int, help="retention in days (default: EFIR_RETENTION_DAYS)")

    backup = sub.add_parser("backup", help="online backup of the SQLite file")
    backup.add_argument("path")

    evaluate = sub.add_parser("eval-triage", help="score the triage pipeline per stage against a labelled file")
    evaluate.add_argument("path", help="JSON lines: text with lang, topic, district, pii, profanity, spam, "
                                       "dup_group, garbled labels (as tests/data/triage_eval.jsonl)")
    evaluate.add_argument("--errors", type=int, default=0, metavar="N", help="print up to N wrong rows per stage")
    evaluate.add_argument("--json", action="store_true", help="the figures as JSON")
    evaluate.add_argument("--half", choices=("even", "odd", "A", "B"),
                          help="score only the rows at even or odd positions, or those of half A or B")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    db = getattr(args, "serve_db", None) or args.db
    if db:
        settings.db = db
    try:
        if args.command == "serve":
            return _serve(args, settings)
        if args.command == "ingest":
            from ingest.cli import run

            return run(args)
        if args.command == "eval-triage":
            from bench.triage_eval import main as evaluate

            if not Path(args.path).is_file():
                raise EfirError(f"{args.path}: no such file")
            return evaluate([args.path, "--errors", str(args.errors), *(["--json"] if args.json else []),
                             *(["--half", args.half] if args.half else [])])
        return _run(settings, _COMMANDS[args.command], args)
    except EfirError as exc:
        print(f"efir: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


GC_THRESHOLDS = (50_000, 20, 100)  # CPython's default: (700, 10, 10)


def _few_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives each thread that allocates its own malloc arena (up to 8 per core) and memory freed in one
    is not reused by another: with the writer, the readers and the loop's worker threads that fragmented the
    server's memory (peak RSS on the 200,000-question show 327 MB with the default, 311 MB with 2). Set
    before the threads start, as `MALLOC_ARENA_MAX=2` would; elsewhere than glibc, nothing to do."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from .app import create_app

    if args.host:
        settings.host = args.host
    if args.port:
        settings.port = args.port
    if args.demo:
        settings.demo = True
    print(f"efir: serving {settings.db_label} on http://{settings.host}:{settings.port}", flush=True)
    from .logs import setup

    # A full collection scans every live object: with a show's questions in memory it took 130-260 ms, 26
    # times in a 3-minute benchmark, and every desk and prompter waited through each. Young objects are
    # still collected often; the whole heap only after many more allocations (bench/README.md).
    gc.set_threshold(*GC_THRESHOLDS)
    _few_malloc_arenas()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, ws="websockets-sansio",
                loop="uvloop", http="httptools", log_level=args.log_level, access_log=False,
                timeout_graceful_shutdown=5, log_config=setup(args.log_level),
                # desk frames are shared by every desk; compressing them once per connection cost more CPU
                # than everything else together (bench/README.md), and desks sit on the studio network
                ws_per_message_deflate=False)
    return 0


def _run(settings: Settings, command: Callable[[SQLStore, argparse.Namespace], Awaitable[int]],
         args: argparse.Namespace) -> int:
    async def run() -> int:
        store = open_store(settings.db, server=False)
        await store.open()
        try:
            return await command(store, args)
        finally:
            await store.close()

    return asyncio.run(run())


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise EfirError("no password on standard input")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise EfirError("no terminal to ask for a password: use --password-stdin")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise EfirError("the passwords differ")
    return first


async def _user(store: SQLStore, args: argparse.Namespace) -> int:
    from .auth import hash_password

    if args.user_command == "list":
        for u in await store.list_users():
            print(f"{u.username}\t{u.role}\t{'disabled' if u.disabled else 'active'}\t{u.created_at}")
        return 0
    if args.user_command in ("disable", "enable"):
        await store.set_disabled(args.name, args.user_command == "disable", "cli")
        print(f"user {args.name} {args.user_command}d" + ("; their sessions are signed out"
                                                          if args.user_command == "disable" else ""))
        return 0
    password = hash_password(_password(args), args.name)
    if args.user_command == "add":
        await store.add_user(args.name, args.role, password)
        print(f"user {args.name} ({args.role}) saved")
    else:
        await store.set_password(args.name, password)
        print(f"password of {args.name} changed; their sessions are signed out")
    return 0


async def _token(store: SQLStore, args: argparse.Namespace) -> int:
    from .auth import new_secret, token_hash

    if args.token_command == "list":
        for t in await store.list_tokens():
            state = f"revoked {t.revoked_at}" if t.revoked_at else "active"
            print(f"{t.id}\t{t.kind}\tshow={t.show_id or '*'}\t{t.label or ''}\t{t.created_at}\t{state}")
        return 0
    if args.token_command == "revoke":
        if not await store.revoke_token(args.id):
            raise EfirError(f"no active token {args.id}")
        print(f"token {args.id} revoked")
        return 0
    secret = new_secret()
    token_id = await store.create_token(args.kind, token_hash(secret), args.show, args.label)
    scope = f" for show {args.show}" if args.show else ""
    print(f"{args.kind} token {token_id}{scope} created; the secret is shown once:", file=sys.stderr)
    print(secret)
    return 0


async def _export(store: SQLStore, args: argparse.Namespace) -> int:
    from .exports import stream, stream_followups, stream_log
    from .schedule import today
    from .store.base import FollowUpFilter

    if await store.get_show(args.show_id) is None:
        raise EfirError(f"show {args.show_id} not found")
    what = getattr(args, "what", "questions")
    chunks = (stream_log(store, args.show_id, args.format) if what == "log"
              else stream_followups(store, FollowUpFilter(show_id=args.show_id), args.format, today())
              if what == "followups" else stream(store, args.show_id, args.format))
    out: Any = open(args.output, "wb") if args.output else sys.stdout.buffer  # noqa: SIM115
    size = 0
    try:
        async for chunk in chunks:  # 64 KiB chunks, a page of rows at a time
            out.write(chunk)
            size += len(chunk)
            if args.output:
                print(f"\r{size / 2**20:.1f} MB…", end="", file=sys.stderr, flush=True)
    finally:
        if args.output:
            out.close()
    await store.record("exported", "cli", {"format": args.format, "what": what}, args.show_id)
    if args.output:
        print(f"\rexported show {args.show_id} to {args.output}", file=sys.stderr)
    return 0


async def _purge(store: SQLStore, args: argparse.Namespace) -> int:
    from .retention import cutoff

    days = args.days if args.days is not None else Settings().retention_days
    report = await store.purge(cutoff(days), args.dry_run, "cli")
    verb = "would purge" if args.dry_run else "purged"
    shows = ", ".join(map(str, report.shows)) or "none"
    print(f"{verb} personal data of {report.questions} questions (shows: {shows}; before {report.cutoff})")
    return 0


async def _backup(store: SQLStore, args: argparse.Namespace) -> int:
    if not isinstance(store, SQLiteStore):
        raise EfirError("`efir backup` copies a SQLite file; back up PostgreSQL with pg_dump")
    target = Path(args.path)
    if target.exists():
        raise EfirError(f"{target} exists; choose a new file")
    await store.backup(str(target))
    print(f"backed up {store.path} to {target} ({target.stat().st_size} bytes)")
    return 0


_COMMANDS: dict[str, Callable[[SQLStore, argparse.Namespace], Awaitable[int]]] = {
    "user": _user, "token": _token, "export": _export, "backup": _backup, "purge": _purge,
}

