"""`efir serve --demo` fills a live show with Kazakh and Russian questions through the real ingest path."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx

from tests.conftest import free_port
from tests.demo_kit import demo, stop


def test_demo_serves_a_live_show_that_fills_with_questions(tmp_path: Path) -> None:
    port = free_port()
    proc, out = demo(tmp_path / "demo.db", port, rate=40, workers=1)
    try:
        password = re.search(r"moderator\s+password (\S+)", out)
        prompter = re.search(r"prompter\s+(http://\S+)", out)
        assert password and prompter, out
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as c:
            assert c.post("/api/auth/login", json={"username": "moderator", "password": password[1]}).status_code == 200
            show = next(s for s in c.get("/api/shows").json() if s["status"] == "live")
            url = f"/api/shows/{show['id']}/questions"
            deadline = time.monotonic() + 20
            questions: list[dict[str, object]] = []
            while time.monotonic() < deadline and len(questions) < 20:
                time.sleep(0.3)
                questions = c.get(url, params={"limit": 1000}).json()
            assert len(questions) >= 20
            assert len({q["channel"] for q in questions}) >= 3
            assert {"kk", "ru"} <= {q["lang"] for q in questions}
            key = prompter[1].split("key=")[1]
            with c.stream("GET", f"/prompter/{show['id']}/events", params={"key": key}) as sse:
                assert sse.status_code == 200
                first = next(line for line in sse.iter_lines() if line.startswith("data:"))
            assert '"on_air"' in first and '"next"' in first
    finally:
        stop(proc)
