"""`python -m bench [--store sqlite|postgres|both] [--quick] [--soak MIN] [--json PATH] [--profile]`: the benchmark.

The real server (`efir serve`) and the bare baseline (`python -m bench.baseline`) each run as a
subprocess on 127.0.0.1 on a fresh database (Efir: a SQLite file, or with `--store postgres` a fresh
PostgreSQL database on `EFIR_BENCH_POSTGRES`; the baseline: always SQLite); separate client processes
drive them: a process of desks (WebSocket) and prompters (SSE), and ingest load generators. See
bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from .report import compare, markdown, profile_text, soak_verdict, write
from .run import DEFAULT, QUICK, STORES, Bench, workdir

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--store", choices=[*STORES, "both"], default="sqlite",
                   help="what Efir runs on (default sqlite); postgres: a fresh database efir_bench_<pid> on "
                        "$EFIR_BENCH_POSTGRES, dropped after; both: one baseline, then SQLite, then PostgreSQL")
    p.add_argument("--quick", action="store_true", help="short phases and a 20,000-question show (under a minute)")
    p.add_argument("--soak", type=float, default=0.0, metavar="MINUTES",
                   help="also run MINUTES at a steady rate and check the server's memory does not grow")
    p.add_argument("--json", type=Path, default=RESULTS, help=f"where to write the report (default {RESULTS})")
    p.add_argument("--profile", action="store_true", help="sample the server with py-spy while it runs flat out")
    p.add_argument("--desks", type=int, help="moderator WebSockets (default 20)")
    p.add_argument("--prompters", type=int, help="prompter SSE clients (default 200)")
    p.add_argument("--seeded", type=int, help="questions in the big show (default 200,000; 0 skips it)")
    p.add_argument("--seconds", type=float, help="length of each measured phase")
    p.add_argument("--no-deflate", action="store_true",
                   help="desks do not offer permessage-deflate (browsers always do; this shows what it costs)")
    p.add_argument("--triage-workers", type=int, metavar="N",
                   help="EFIR_TRIAGE_WORKERS for Efir (default: the server's own, 1; 0 triages in the server)")
    p.add_argument("--keep", action="store_true",
                   help="keep the work directory (databases, server logs) and the PostgreSQL database")
    args = p.parse_args(argv)

    plan = replace(QUICK if args.quick else DEFAULT, soak_minutes=args.soak, profile=args.profile,
                   deflate=not args.no_deflate)
    for name in ("desks", "prompters", "seeded"):
        if getattr(args, name) is not None:
            plan = replace(plan, **{name: getattr(args, name)})
    if args.seconds:
        plan = replace(plan, max_seconds=args.seconds, paced_seconds=args.seconds)
    if args.triage_workers is not None:  # the servers inherit the environment
        os.environ["EFIR_TRIAGE_WORKERS"] = str(args.triage_workers)
    work = workdir(args.keep)
    print(f"efir bench: work directory {work}", flush=True)
    stores = list(STORES) if args.store == "both" else [args.store]
    runs: list[dict[str, Any]] = []
    for store in stores:
        bench = Bench(plan, work / store if len(stores) > 1 else work, log=lambda s: print(s, flush=True),
                      store=store, keep_database=args.keep)
        runs.append(bench.run(bare=runs[0]["bare"] if runs else None))
        soak_verdict(runs[-1])
    report = runs[0] if len(runs) == 1 else {"meta": {**runs[0]["meta"], "store": "both"},
                                             **dict(zip(stores, runs, strict=True))}
    write(report, args.json)
    for run in runs:
        print()
        print(markdown(run))
        if args.profile:
            print()
            print(profile_text(run))
    if len(runs) == 2:
        print()
        print(compare(runs[0], runs[1]))
    print(f"\nreport written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
