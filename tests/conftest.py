"""Fixtures: a real Efir server (uvicorn, loopback, free port) on a fresh database, and clients for it.

Every test that takes `db_url` (directly, or through `settings` / `live`) runs twice: on a fresh SQLite
file and on a fresh PostgreSQL schema (tests/pg.py)."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn

from server.app import Efir, create_app
from server.auth import hash_password, new_secret, token_hash
from server.settings import Settings
from tests.pg import PostgresLeg

T = TypeVar("T")
PASSWORD = "Test-pass-2026!"
# servers started in this process triage in it (a worker process per test server would cost seconds each);
# the worker pool has tests of its own (test_triage_pool.py), and `efir serve` subprocesses use it
os.environ.setdefault("EFIR_TRIAGE_WORKERS", "0")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """A running server; `call` runs a coroutine on the server's own loop (to seed data directly)."""

    url: str
    efir: Efir
    loop: asyncio.AbstractEventLoop
    db: str
    _users: set[str] = field(default_factory=set)

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        """Rows of a read-only query on the server's own database (either kind; `?` placeholders)."""
        store: Any = self.efir.store
        return self.call(store._read(lambda conn: [tuple(r) for r in conn.execute(query, args).fetchall()]))

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def user(self, name: str, role: str) -> str:
        if name not in self._users:
            self.call(self.efir.store.add_user(name, role, hash_password(PASSWORD)))
            self._users.add(name)
        return name

    def token(self, kind: str, show_id: int | None = None) -> str:
        secret = new_secret()
        self.call(self.efir.store.create_token(kind, token_hash(secret), show_id, "test"))
        return secret

    def show(self, title: str = "Akimat Live", live: bool = True, **fields: Any) -> dict[str, Any]:
        show = self.call(self.efir.store.create_show(
            {"title": title, "starts_at": "2026-11-22T20:00:00+06:00", **fields}, "test"))
        if live:
            show = self.call(self.efir.store.update_show(show["id"], {"status": "live"}, "test"))
        return show

    def login(self, name: str, role: str = "moderator") -> Session:
        self.user(name, role)
        client = httpx.Client(base_url=self.url, timeout=10)
        r = client.post("/api/auth/login", json={"username": name, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return Session(client, {"X-CSRF-Token": r.json()["csrf_token"], "Origin": self.url}, self)


@dataclass
class Session:
    client: httpx.Client
    headers: dict[str, str]
    server: LiveServer

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.client.cookies.items())

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.client.get(path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return self.client.post(path, json=json, headers=self.headers, **kw)

    def put(self, path: str, json: Any = None) -> httpx.Response:
        return self.client.put(path, json=json, headers=self.headers)

    def patch(self, path: str, json: Any = None) -> httpx.Response:
        return self.client.patch(path, json=json, headers=self.headers)

    def act(self, question: dict[str, Any], action: str, **fields: Any) -> httpx.Response:
        return self.post(f"/api/questions/{question['id']}/actions",
                         {"action": action, "version": question["version"], **fields})

    def ws_headers(self) -> dict[str, str]:
        return {"Cookie": self.cookie, "Origin": self.server.url}


def run_server(settings: Settings) -> Iterator[LiveServer]:
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=settings.port, ws="websockets-sansio", loop="asyncio",
                            log_level="warning", lifespan="on", ws_per_message_deflate=False)
    server = uvicorn.Server(config)
    holder: dict[str, asyncio.AbstractEventLoop] = {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        holder["loop"] = loop
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.serve())
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{settings.port}", app.state.efir, holder["loop"], settings.db)
    finally:
        server.should_exit = True
        thread.join(15)


@pytest.fixture(scope="session")
def postgres_leg() -> Iterator[PostgresLeg]:
    leg = PostgresLeg()
    yield leg
    leg.drop()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of the run's database."""
    if request.param == "sqlite":
        yield str(tmp_path / "efir.db")
    else:
        leg: PostgresLeg = request.getfixturevalue("postgres_leg")
        yield from leg.schema()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`db_url` for a server a whole module shares."""
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("db") / "efir.db")
    else:
        leg: PostgresLeg = request.getfixturevalue("postgres_leg")
        yield from leg.schema()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(db=db_url, port=free_port(), client_queue=1000)


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    yield from run_server(settings)


def message(i: int, text: str | None = None, channel: str = "telegram", **extra: Any) -> dict[str, Any]:
    return {
        "channel": channel,
        "external_id": f"m-{i}",
        "author": {"name": f"Айгерим {i}", "handle": f"@viewer{i}"},
        "text": text or f"Вопрос {i}: когда починят дорогу на улице Момышулы {i}?",
        "sent_at": "2026-11-22T20:00:00+06:00",
        **extra,
    }
