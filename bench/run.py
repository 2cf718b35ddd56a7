"""The benchmark run: the bare baseline, Efir on an empty show, Efir on a seeded show, then the report.

`store` picks the database Efir runs on: a fresh SQLite file per server, or PostgreSQL (a fresh
`efir_bench_<pid>` database for the run, one schema per server; bench/pgdb.py). The bare baseline is
SQLite whichever store Efir uses: it is the reference for the stack, not for the database."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .agents import ROOT, AudienceProcess, Loaders, start_loaders
from .clients import ClientSpec
from .load import LoadSpec
from .pgdb import BenchDatabase, cpu_between
from .proc import cpu_percent, load_average, machine_busy, peak_rss, peak_rss_of_children
from .profile import Profiler
from .target import Bare, Efir, ServerProcess


@dataclass(frozen=True)
class Plan:
    desks: int = 20
    prompters: int = 200
    rate: float = 1_000.0  # the fixed rate of the latency phases, messages/s
    max_seconds: float = 10.0
    paced_seconds: float = 10.0
    loaders: int = 2  # processes flat out; the paced phases use one
    conns: int = 3  # connections per loader
    batch: int = 200  # messages per batch flat out
    paced_batch: int = 20  # messages per batch at the fixed rate (50 batches/s at 1,000/s)
    actions_per_s: float = 4.0  # approve + on_air cycles per second by desk 0
    # the stalled-desk comparison: windows at the fixed rate, all desks reading and one desk stalled in turn
    stall_pairs: int = 3
    stall_seconds: float = 5.0
    seeded: int = 200_000
    snapshot_probes: int = 0  # extra fresh connects timed on the big show (the first desk is always timed)
    deflate: bool = True  # desks offer permessage-deflate, as browsers do
    soak_minutes: float = 0.0
    soak_rate: float = 300.0
    profile: bool = False
    max_messages: int = 2_000_000  # a bound on every loader, whatever the duration


STARTUP_S = 1.5  # loader processes start this long before their phase does (Python start-up, imports)
DEFAULT = Plan()
QUICK = Plan(max_seconds=4.0, paced_seconds=4.0, seeded=20_000, stall_pairs=2, stall_seconds=3.0)
STORES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


@dataclass
class Bench:
    plan: Plan
    workdir: Path
    log: Any = print
    store: str = "sqlite"  # what Efir runs on: "sqlite" or "postgres"
    keep_database: bool = False  # leave the PostgreSQL database in place after the run (--keep)
    database: BenchDatabase | None = None  # the PostgreSQL leg's database, while the run holds it

    # -- phases --------------------------------------------------------------------------------

    def loads(self, port: int, prefix: str, token: str | None, paced: bool, seconds: float) -> list[LoadSpec]:
        p = self.plan
        if paced:
            return [LoadSpec(port=port, prefix=prefix, token=token, rate=p.rate, batch=p.paced_batch, conns=16,
                             duration=seconds, max_messages=p.max_messages)]
        return [LoadSpec(port=port, prefix=f"{prefix}{i}", token=token, rate=0, batch=p.batch, conns=p.conns,
                         duration=seconds, max_messages=p.max_messages // p.loaders, seed=7 + i)
                for i in range(p.loaders)]

    def phase(self, name: str, server: ServerProcess, audience: AudienceProcess, loads: list[LoadSpec],
              mode: str, actions: float, profiler: Profiler | None = None) -> dict[str, Any]:
        self.log(f"  {name}: {'flat out' if loads[0].rate == 0 else f'{loads[0].rate:.0f} msg/s'}, "
                 f"{loads[0].duration:.0f} s …")
        start_at = time.time() + STARTUP_S
        loads = [replace(spec, start_at=start_at) for spec in loads]
        loaders = start_loaders(loads)
        time.sleep(max(0.0, start_at - time.time()))
        audience.ask({"cmd": "start", "mode": mode, "actions_per_s": actions})
        database = self.database if server.name == "efir" else None  # the bare baseline does not use it
        s0, w0, a0, m0 = server.usage(), server.workers_usage(), audience.usage(), machine_busy()
        d0 = database.cpu() if database is not None else {}
        if profiler is not None:
            profiler.start(server.pid, loads[0].duration)
        results, loader_cpu = loaders.wait()
        s1, w1, a1, m1 = server.usage(), server.workers_usage(), audience.usage(), machine_busy()
        d1 = database.cpu() if database is not None else {}
        db_cpu = cpu_between(d0, d1)
        window = audience.ask({"cmd": "stop"})
        elapsed = max(float(r.get("elapsed_s", 0)) for r in results) or 1.0
        messages = sum(int(r.get("accepted", 0)) + int(r.get("duplicates", 0)) for r in results)
        out = {
            "name": name,
            "ingest_msgs_per_s": round(messages / elapsed, 1),
            "messages": messages,
            "ingest_errors": sum(int(r.get("errors", 0)) for r in results),
            "first_error": next((r["first_error"] for r in results if r.get("first_error")), None),
            "behind_s": max(float(r.get("behind_s", 0)) for r in results),
            "ack_ms": max((r.get("ack_ms", {}) for r in results), key=lambda s: float(s.get("p99", 0))),
            "server_cpu_pct": cpu_percent(s0, s1),
            "server_rss_mb": round(s1.rss_mb, 1),
            # the server's child processes: Efir's triage workers (their CPU is not in server_cpu_pct)
            "workers_cpu_pct": cpu_percent(w0, w1),
            "workers_rss_mb": round(w1.rss_mb, 1),
            "audience_cpu_pct": cpu_percent(a0, a1),
            "loaders_cpu_pct": round(100 * loader_cpu / (s1.at - s0.at), 1),
            # PostgreSQL's backends of the bench database + its background processes (SQLite: in the server)
            "db_cpu_pct": round(100 * db_cpu / (s1.at - s0.at), 1) if database is not None else None,
            # everything else on the machine (other users' work): the figures are only as good as this is low
            "others_cpu_pct": round(100 * ((m1[1] - m0[1]) - (s1.cpu_s - s0.cpu_s) - (w1.cpu_s - w0.cpu_s)
                                           - (a1.cpu_s - a0.cpu_s)
                                           - loader_cpu - db_cpu) / (m1[0] - m0[0]), 1),
            "load_average": load_average(),
            **window,
        }
        db = f", database CPU {out['db_cpu_pct']}%" if database is not None else ""
        self.log(f"    {out['ingest_msgs_per_s']:.0f} msg/s, server CPU {out['server_cpu_pct']}%"
                 f" + workers {out['workers_cpu_pct']}%{db}, "
                 f"other processes {out['others_cpu_pct']}%, "
                 f"desk p99 {out['commit_to_desk_ms'].get('p99', '-')} ms, errors {out['ingest_errors']}")
        return out

    def warm_up(self, port: int, token: str | None) -> None:
        """A few batches before measuring: the triage models load on first use."""
        Loaders([LoadSpec(port=port, prefix="warm", token=token, batch=100, conns=1, duration=30,
                          max_messages=500)]).wait()

    def audience(self, port: int, desk_path: str, cookies: list[str], prompter_path: str | None) -> AudienceProcess:
        spec = ClientSpec(port=port, desk_path=desk_path, cookies=cookies, prompter_path=prompter_path,
                          prompters=self.plan.prompters if prompter_path else 0, compression=self.plan.deflate)
        return AudienceProcess(spec)

    # -- the servers ---------------------------------------------------------------------------

    def bare(self) -> dict[str, Any]:
        p = self.plan
        self.log("bare baseline")
        target = Bare(self.workdir / "bare")
        server = target.start()
        audience = self.audience(target.port, "/ws", [""] * p.desks, None)
        try:
            out: dict[str, Any] = {"idle_rss_mb": round(server.usage().rss_mb, 1)}
            self.warm_up(target.port, None)
            out["max"] = self.phase("bare, flat out", server, audience,
                                    self.loads(target.port, "bm", None, False, p.max_seconds), "count", 0)
            out["paced"] = self.phase(f"bare, {p.rate:.0f} msg/s", server, audience,
                                      self.loads(target.port, "bp", None, True, p.paced_seconds), "latency", 0)
            out["peak_rss_mb"] = round(peak_rss(server.pid), 1)
            return out
        finally:
            audience.close()
            target.stop()

    def efir_target(self, name: str, seeded: int) -> tuple[Efir, dict[str, Any]]:
        url = self.database.schema(name) if self.database is not None else ""
        target = Efir(self.workdir / name, self.plan.desks, url=url)
        info: dict[str, Any] = {"store": self.store}
        target.prepare()
        target.start()
        target.create_show()
        if seeded:
            target.stop()
            started = time.monotonic()
            subprocess.run([sys.executable, "-m", "bench.seed", "--db", target.db, "--show",
                            str(target.show_id), "--count", str(seeded)], cwd=ROOT, check=True, timeout=600,
                           stdout=subprocess.DEVNULL)
            info["seed_s"] = round(time.monotonic() - started, 1)
            if self.database is not None:
                started = time.monotonic()
                self.database.vacuum()
                info["vacuum_analyze_s"] = round(time.monotonic() - started, 1)
            info["seeded_by"] = (f"bench.seed: {STORES[self.store]} store's ingest (open_store) in a separate "
                                 "process before the server starts")
            server = target.start()
            info["server_start_s"] = round(server.started_s, 2)
        target.sign_in_desks()
        return target, info

    def efir(self, name: str, seeded: int, stalled: bool) -> dict[str, Any]:
        p = self.plan
        on = f" on {STORES[self.store]}"
        self.log(f"efir{on}, {seeded:,} questions in the show" if seeded else f"efir{on}, empty show")
        target, out = self.efir_target(name, seeded)
        assert target.server is not None
        server = target.server
        show = target.show_id
        audience = self.audience(target.port, f"/ws/desk?show={show}", target.cookies[:p.desks],
                                 f"/prompter/{show}/events?key={target.prompter_token}")
        try:
            out["questions_seeded"] = seeded
            out["first_snapshot_ms"] = audience.ready.get("first_snapshot_ms")
            out["snapshot_bytes"] = audience.ready.get("first_snapshot_bytes")
            out["idle_rss_mb"] = round(server.usage().rss_mb, 1)
            out["workers_idle_rss_mb"] = round(server.workers_usage().rss_mb, 1)
            self.warm_up(target.port, target.ingest_token)
            if seeded and p.snapshot_probes:
                out["snapshot"] = audience.ask({"cmd": "snapshot", "count": p.snapshot_probes}, timeout=300)
            profiler = Profiler(self.workdir / name) if p.profile and not seeded else None
            out["max"] = self.phase(f"{name}, flat out", server, audience,
                                    self.loads(target.port, f"{name}m", target.ingest_token, False, p.max_seconds),
                                    "count", p.actions_per_s / 2, profiler)
            if profiler is not None:
                out["profile"] = profiler.finish()
            out["paced"] = self.phase(f"{name}, {p.rate:.0f} msg/s", server, audience,
                                      self.loads(target.port, f"{name}p", target.ingest_token, True, p.paced_seconds),
                                      "latency", p.actions_per_s)
            if stalled:
                out.update(self.stall_comparison(name, target, server, audience))
            if p.soak_minutes > 0 and not seeded:
                out["soak"] = self.soak(target, server, audience)
            out["peak_rss_mb"] = round(peak_rss(server.pid), 1)
            out["workers_peak_rss_mb"] = round(peak_rss_of_children(server.pid), 1)
            out["peak_rss_total_mb"] = round(out["peak_rss_mb"] + out["workers_peak_rss_mb"], 1)
            return out
        finally:
            audience.close()
            target.stop()

    def stall_comparison(self, name: str, target: Efir, server: ServerProcess,
                         audience: AudienceProcess) -> dict[str, Any]:
        """Windows at the fixed rate in turn: all desks reading, then one more desk stalled, `stall_pairs` times.
        Each pair runs at the same load on nearly the same show, so drift (the show grows) and one window's
        hiccup weigh less than in a single before/after pair; the figure compares the median p99s."""
        p = self.plan
        calm: list[dict[str, Any]] = []
        stalled: list[dict[str, Any]] = []
        for i in range(max(1, p.stall_pairs)):
            label = f"{name}, {p.rate:.0f} msg/s"
            loads = self.loads(target.port, f"{name}c{i}-", target.ingest_token, True, p.stall_seconds)
            calm.append(self.phase(f"{label}, all desks reading ({i + 1})", server, audience, loads, "latency",
                                   p.actions_per_s))
            stall = audience.ask({"cmd": "stall"})
            loads = self.loads(target.port, f"{name}s{i}-", target.ingest_token, True, p.stall_seconds)
            stalled.append({**self.phase(f"{label}, one desk stalled ({i + 1})", server, audience, loads, "latency",
                                         p.actions_per_s), "stall": stall})
            audience.ask({"cmd": "unstall"})

        def p99s(windows: list[dict[str, Any]], key: str) -> list[float]:
            return [float(w[key]["p99"]) for w in windows if w.get(key, {}).get("p99") is not None]

        compare: dict[str, Any] = {}
        for key in ("commit_to_desk_ms", "action_to_prompter_ms"):
            a, b = p99s(calm, key), p99s(stalled, key)
            ma, mb = (statistics.median(a) if a else None), (statistics.median(b) if b else None)
            compare[key] = {"calm_p99": a, "stalled_p99": b, "calm_median": ma, "stalled_median": mb,
                            "change": round(mb / ma - 1, 3) if ma and mb is not None else None}
        # `stalled` keeps the shape of a phase (the last stalled window) with the medians in place of its p99s
        last = {**stalled[-1]}
        for key in ("commit_to_desk_ms", "action_to_prompter_ms"):
            if compare[key]["stalled_median"] is not None:
                last[key] = {**last.get(key, {}), "p99": compare[key]["stalled_median"]}
        return {"stall_windows": {"calm": calm, "stalled": stalled}, "stall_compare": compare, "stalled": last}

    def soak(self, target: Efir, server: ServerProcess, audience: AudienceProcess) -> dict[str, Any]:
        """Minute-long windows at `soak_rate`; a desk stalls and is dropped in each (connection churn)."""
        p = self.plan
        windows = max(1, round(p.soak_minutes))
        seconds = p.soak_minutes * 60 / windows
        samples: list[dict[str, Any]] = []
        self.log(f"  soak: {p.soak_minutes:g} min at {p.soak_rate:.0f} msg/s, {windows} windows")
        soak_plan = replace(p, rate=p.soak_rate)
        for i in range(windows):
            audience.ask({"cmd": "stall"})
            loads = replace(self, plan=soak_plan).loads(target.port, f"soak{i}-", target.ingest_token, True, seconds)
            window = self.phase(f"soak window {i + 1}/{windows}", server, audience, loads, "latency", 1.0)
            audience.ask({"cmd": "unstall"})
            samples.append({"minute": round((i + 1) * seconds / 60, 2), "rss_mb": window["server_rss_mb"],
                            "messages": window["messages"], "p99_ms": window["commit_to_desk_ms"].get("p99")})
        return {"rate": p.soak_rate, "windows": samples}

    # -- all -----------------------------------------------------------------------------------

    def run(self, bare: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole run on `store`; `bare` reuses a baseline measured earlier in the same invocation."""
        began = time.monotonic()
        report: dict[str, Any] = {"meta": meta(self.plan)}
        report["meta"]["store"] = self.store
        report["meta"]["load_average_before"] = load_average()
        report["meta"]["bare_store"] = "sqlite"
        report["meta"]["triage_workers"] = int(os.environ.get("EFIR_TRIAGE_WORKERS", "1"))
        if self.store == "postgres":  # first: an unreachable server fails the run before anything is measured
            database = BenchDatabase()
            self.log(f"PostgreSQL: creating {database.name} on {database.label.rsplit('/', 1)[0]}")
            database.create()
            self.database = database
            report["meta"]["database"] = database.label
        else:
            report["meta"]["database"] = "a fresh SQLite file per server in the work directory"
        try:
            if self.database is not None:
                report["meta"]["postgres"] = self.database.settings()
            if bare is None:
                report["bare"] = self.bare()
            else:
                report["bare"] = bare
                report["meta"]["bare_reused"] = True
            report["efir_empty"] = self.efir("empty", 0, stalled=True)
            if self.plan.seeded:
                report["efir_seeded"] = self.efir("seeded", self.plan.seeded, stalled=False)
        finally:
            if self.database is not None:
                if self.keep_database:
                    self.log(f"PostgreSQL: kept {self.database.name} (--keep); drop it with "
                             f"DROP DATABASE {self.database.name}")
                else:
                    self.database.drop()
                    report["meta"]["database_dropped"] = True
                self.database = None
        report["meta"]["wall_s"] = round(time.monotonic() - began, 1)
        report["meta"]["load_average_after"] = load_average()
        return report


def meta(plan: Plan) -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(["python -m bench", *sys.argv[1:]]),
        "cores": _cmd(["nproc"]),
        "memory": _cmd(["free", "-h"]),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "plan": asdict(plan),
    }


def _cmd(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False).stdout.strip()
    except OSError:
        return "?"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    except OSError:
        return "?"


def workdir(keep: bool) -> Path:
    path = Path(tempfile.mkdtemp(prefix="efir-bench-"))
    if not keep:
        import atexit

        atexit.register(shutil.rmtree, path, True)
    return path
