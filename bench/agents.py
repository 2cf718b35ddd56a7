"""The client processes as the orchestrator drives them: the audience (desks + prompters) and the loaders."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import orjson

from .clients import ClientSpec
from .load import LoadSpec
from .proc import Usage, usage

ROOT = Path(__file__).resolve().parents[1]


def _spawn(module: str, spec: dict[str, Any], **kw: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", module, orjson.dumps(spec).decode()], cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, **kw)


class AudienceProcess:
    """`python -m bench.clients`, spoken to one JSON line at a time."""

    def __init__(self, spec: ClientSpec, timeout: float = 120.0) -> None:
        self.proc = _spawn("bench.clients", asdict(spec), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.ready = self._line(timeout)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def usage(self) -> Usage:
        return usage(self.proc.pid)

    def ask(self, command: dict[str, Any], timeout: float = 120.0) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(orjson.dumps(command) + b"\n")
        self.proc.stdin.flush()
        return self._line(timeout)

    def _line(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else b""
        if not line:
            self.close()
            raise RuntimeError(f"the client process gave no answer within {timeout:.0f} s")
        answer: dict[str, Any] = orjson.loads(line)
        return answer

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.write(b'{"cmd":"quit"}\n')
                self.proc.stdin.close()
                self.proc.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(5)


class Loaders:
    """Load generator processes running side by side."""

    def __init__(self, specs: list[LoadSpec]) -> None:
        self.specs = specs
        self.procs = [_spawn("bench.load", asdict(s), stdout=subprocess.PIPE) for s in specs]

    def wait(self) -> tuple[list[dict[str, Any]], float]:
        """Each loader's result, and the CPU seconds they used while loading (start-up left out)."""
        results: list[dict[str, Any]] = []
        deadline = time.monotonic() + max(s.duration for s in self.specs) + 90
        for p in self.procs:
            try:
                out, _ = p.communicate(timeout=max(1.0, deadline - time.monotonic()))
                results.append(orjson.loads(out.strip().splitlines()[-1]) if out.strip() else {"errors": 1})
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                results.append({"errors": 1, "first_error": "loader timed out"})
        return results, sum(float(r.get("cpu_s", 0.0)) for r in results)


def start_loaders(specs: list[LoadSpec]) -> Loaders:
    return Loaders(specs)
