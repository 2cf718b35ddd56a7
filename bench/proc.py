"""Processes: run a client's event loop on uvloop, and read a process's CPU time and memory from /proc."""

from __future__ import annotations

import os
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run on uvloop, as the server does; the clients should be as cheap as the server is fast."""
    import uvloop

    return uvloop.run(coro)


@dataclass(frozen=True, slots=True)
class Usage:
    at: float  # monotonic seconds
    cpu_s: float  # user + system CPU seconds so far, this process and its waited-for children
    rss_mb: float


def usage(pid: int) -> Usage:
    """CPU seconds and resident memory of `pid` (Linux /proc)."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    # after the command name: state is field 3, utime/stime 14/15, cutime/cstime 16/17 (1-based)
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
    with open(f"/proc/{pid}/statm", "rb") as f:
        rss_pages = int(f.read().split()[1])
    return Usage(time.monotonic(), ticks / TICKS, rss_pages * PAGE / 2**20)


def children(pid: int) -> list[int]:
    """The child processes of `pid` and theirs (the server's triage workers), from /proc."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            with open(f"/proc/{parent}/task/{parent}/children") as f:
                kids = [int(k) for k in f.read().split()]
        except OSError:
            continue
        found.extend(kids)
        todo.extend(kids)
    return found


def usage_of_children(pid: int) -> Usage:
    """CPU seconds and resident memory of the child processes of `pid`, summed (0 when it has none)."""
    cpu = rss = 0.0
    for kid in children(pid):
        try:
            u = usage(kid)
        except OSError:  # it exited between the listing and the reading
            continue
        cpu, rss = cpu + u.cpu_s, rss + u.rss_mb
    return Usage(time.monotonic(), cpu, rss)


def peak_rss_of_children(pid: int) -> float:
    total = 0.0
    for kid in children(pid):
        try:
            total += peak_rss(kid)
        except OSError:
            continue
    return total


def cpu_percent(before: Usage, after: Usage) -> float:
    """Average CPU use between two samples, in percent of one core (200% = both cores of 2)."""
    wall = after.at - before.at
    return round(100 * (after.cpu_s - before.cpu_s) / wall, 1) if wall > 0 else 0.0


def peak_rss(pid: int) -> float:
    """The peak resident memory (VmHWM) of `pid` in MB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def machine_busy() -> tuple[float, float]:
    """(monotonic seconds, busy CPU seconds of the whole machine so far), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return time.monotonic(), (sum(fields[:8]) - idle) / TICKS


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])
