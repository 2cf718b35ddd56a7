"""`efir serve --demo` as a subprocess for the tests: started on a database file, its printed logins read."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx


def demo(db: Path, port: int, rate: int = 5, workers: int = 0) -> tuple[subprocess.Popen[str], str]:
    """The demo server on `db` at `port` (`rate` questions a second, `workers` triage processes), once it answers,
    and what it printed up to its prompter link (the logins)."""
    env = {**os.environ, "EFIR_DB": str(db), "EFIR_DEMO_RATE": str(rate), "EFIR_TRIAGE_WORKERS": str(workers)}
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--demo", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    lines: list[str] = []
    assert proc.stdout is not None
    while not any("prompter" in line for line in lines):
        line = proc.stdout.readline()
        assert line, "".join(lines)
        lines.append(line)
    deadline = time.monotonic() + 20  # the logins are printed as the server starts, before it listens
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"http://127.0.0.1:{port}/healthz").is_success:
                break
        time.sleep(0.1)
    return proc, "".join(lines)


def stop(proc: subprocess.Popen[str]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(15)
