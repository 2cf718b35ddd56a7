"""Sample the server with py-spy during a phase and sum the samples per function.

py-spy is not a dependency: `pip install py-spy` to get a profile; without it the run goes on
and the report says so. Samples are non-blocking (the server is not paused), at 100 Hz, every
thread (the event loop, the SQLite writer, the triage and reader pools); idle threads are left out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

OURS = ("server/", "ingest/", "schemas/")  # inclusive shares are listed for Efir's own functions
FRAME = re.compile(r"^(?P<fn>.*?) \((?P<file>[^:()]*)(?::\d+)?\)$")


def py_spy() -> str | None:
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


class Profiler:
    def __init__(self, workdir: Path) -> None:
        self.out = workdir / "profile.txt"
        self.proc: subprocess.Popen[bytes] | None = None
        self.error: str | None = None

    def start(self, pid: int, seconds: float) -> None:
        exe = py_spy()
        if exe is None:
            self.error = "py-spy not installed"
            return
        self.proc = subprocess.Popen([exe, "record", "-p", str(pid), "-d", str(max(1, int(seconds))), "-r", "100",
                                      "--nonblocking", "-f", "raw", "-o", str(self.out)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def finish(self, top: int = 25) -> dict[str, Any]:
        if self.proc is None:
            return {"error": self.error}
        try:
            _, err = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return {"error": "py-spy did not finish"}
        if not self.out.exists():
            return {"error": err.decode(errors="replace").strip()[-300:]}
        return summarise(self.out.read_text(), top) | {"raw": str(self.out)}


def _name(frame: str) -> str:
    m = FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m["file"]
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{m['fn']} ({path})"


def summarise(collapsed: str, top: int = 25) -> dict[str, Any]:
    """Self and inclusive sample shares per function, from py-spy's collapsed ("raw") output."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [_name(f) for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        total += n
        own[frames[-1]] += n
        for name in set(frames):
            inclusive[name] += n

    def share(counter: Counter[str]) -> list[dict[str, Any]]:
        return [{"function": k, "pct": round(100 * v / total, 1)} for k, v in counter.most_common(top)]

    ours = Counter({k: v for k, v in inclusive.items() if k.rpartition(" (")[2].startswith(OURS)})
    return {"samples": total, "self": share(own), "inclusive": share(ours)}
