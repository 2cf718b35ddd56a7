"""The servers under test, each a subprocess on 127.0.0.1 on a fresh database.

`Efir` runs on a fresh SQLite file in its work directory, or on the PostgreSQL URL it is given (a fresh
schema: bench/pgdb.py). It is set up as an operator would: users and tokens with the `efir` CLI against
the new database, `efir serve`, then a producer signs in, creates the show over the API and starts it.
`Bare` is `python -m bench.baseline`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from .proc import Usage, usage, usage_of_children
from .wire import HOST, Connection

PASSWORD = "Bench-pass-2026!"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class ServerProcess:
    def __init__(self, name: str, argv: list[str], port: int, log: Path) -> None:
        self.name, self.argv, self.port, self.log = name, argv, port, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_s = 0.0

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 120.0) -> None:
        began = time.monotonic()
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(self.argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         env={**os.environ, "PYTHONUNBUFFERED": "1"})
        while time.monotonic() - began < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log}")
            if asyncio.run(_healthy(self.port)):
                self.started_s = time.monotonic() - began
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer /healthz in {timeout:.0f} s; see {self.log}")

    def usage(self) -> Usage:
        return usage(self.pid)

    def workers_usage(self) -> Usage:
        """The server's child processes (Efir's triage workers; the bare baseline has none)."""
        return usage_of_children(self.pid)

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None


async def _healthy(port: int) -> bool:
    conn = Connection(port)
    try:
        status, _ = await asyncio.wait_for(conn.request("GET", "/healthz"), 2)
        return status == 200
    except (TimeoutError, OSError, asyncio.IncompleteReadError):
        return False
    finally:
        await conn.close()


@dataclass
class Efir:
    """A fresh Efir: database, accounts, tokens, a live show, and sessions for the desks."""

    workdir: Path
    desks: int
    port: int = field(default_factory=free_port)
    show_id: int = 0
    ingest_token: str = ""
    prompter_token: str = ""
    cookies: list[str] = field(default_factory=list)
    server: ServerProcess | None = None
    url: str = ""  # a postgresql:// URL; empty: a SQLite file in the work directory

    @property
    def db(self) -> str:
        return self.url or str(self.workdir / "efir.db")

    def cli(self, *args: str, stdin: str | None = None) -> str:
        out = subprocess.run([str(BIN / "efir"), "--db", self.db, *args], input=stdin, capture_output=True,
                             text=True, timeout=60, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"efir {' '.join(args)}: {out.stderr.strip()}")
        return out.stdout.strip().splitlines()[-1]

    def prepare(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.cli("user", "add", "producer", "--role", "producer", "--password-stdin", stdin=PASSWORD + "\n")
        self.cli("user", "add", "moderator", "--role", "moderator", "--password-stdin", stdin=PASSWORD + "\n")
        self.ingest_token = self.cli("token", "create", "--kind", "ingest", "--label", "bench")
        self.prompter_token = self.cli("token", "create", "--kind", "prompter", "--label", "bench")

    def start(self) -> ServerProcess:
        argv = [str(BIN / "efir"), "serve", "--host", HOST, "--port", str(self.port), "--db", self.db,
                "--log-level", "warning"]
        self.server = ServerProcess("efir", argv, self.port, self.workdir / "server.log")
        self.server.start()
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def create_show(self) -> int:
        async def go() -> int:
            cookie, csrf = await login(self.port, "producer")
            headers = {"Cookie": cookie, "X-CSRF-Token": csrf, "Origin": f"http://{HOST}:{self.port}",
                       "Content-Type": "application/json"}
            conn = Connection(self.port)
            try:
                status, body = await conn.request("POST", "/api/shows", orjson.dumps(
                    {"title": "Әкім эфирде / Аким в прямом эфире", "starts_at": "2026-11-22T20:00:00+06:00"}), headers)
                if status != 201:
                    raise RuntimeError(f"create show: HTTP {status} {body[:200]!r}")
                show_id = int(orjson.loads(body)["id"])
                status, body = await conn.request("PATCH", f"/api/shows/{show_id}",
                                                  orjson.dumps({"status": "live"}), headers)
                if status != 200:
                    raise RuntimeError(f"start show: HTTP {status} {body[:200]!r}")
                return show_id
            finally:
                await conn.close()

        self.show_id = asyncio.run(go())
        return self.show_id

    def sign_in_desks(self) -> list[str]:
        """One session per desk, all for the one moderator account (a login costs an argon2 check)."""

        async def go() -> list[str]:
            return [(await login(self.port, "moderator"))[0] for _ in range(self.desks + 1)]

        self.cookies = asyncio.run(go())
        return self.cookies


async def login(port: int, username: str) -> tuple[str, str]:
    """(Cookie header value, CSRF token) of a fresh session."""
    conn = Connection(port)
    try:
        reader, writer = await conn._open()
        body = orjson.dumps({"username": username, "password": PASSWORD})
        writer.write((f"POST /api/auth/login HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
        raw = await reader.readuntil(b"\r\n\r\n")
        head = raw.decode("latin-1").split("\r\n")
        if " 200 " not in head[0] + " ":
            raise RuntimeError(f"login {username}: {head[0]}")
        cookie = next(line.split(":", 1)[1].strip().split(";", 1)[0] for line in head
                      if line.lower().startswith("set-cookie:"))
        length = next(int(line.split(":", 1)[1]) for line in head if line.lower().startswith("content-length:"))
        payload = orjson.loads(await reader.readexactly(length))
        return cookie, str(payload["csrf_token"])
    finally:
        with contextlib.suppress(Exception):
            await conn.close()


@dataclass
class Bare:
    workdir: Path
    port: int = field(default_factory=free_port)
    server: ServerProcess | None = None

    def start(self) -> ServerProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "bench.baseline", "--port", str(self.port), "--db", str(self.workdir / "bare.db")]
        self.server = ServerProcess("bare", argv, self.port, self.workdir / "server.log")
        self.server.start()
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
