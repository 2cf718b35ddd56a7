"""Fill a show with questions before the server starts, through the server's own store code.

    python -m bench.seed --db PATH|postgresql://… --show ID --count 200000

Rows go in through the store's own `ingest` (`server.store.open_store`: SQLite or PostgreSQL, whichever
the server runs on; the same INSERTs and `received` events as live ingest), in jobs of 1,000. Triage
runs once per template rather than once per question — at ~0.4 ms a message it would take longer than
the whole benchmark — and the seeded numbers (100000–999999) never meet the live feed's (1–99999), so
live messages do not cluster with seeded ones and the two runs see the same live traffic. The server's
warm-up (near-duplicate index) then reads them all at start, as after a restart in the middle of a big
show.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time

from ingest.triage import Pipeline, priority
from server.store import open_store
from server.store.base import NewQuestion

from .feed import CHANNELS, NAMES, TEMPLATES

JOB = 1_000


def questions(show_id: int, count: int, seed: int = 11) -> list[list[NewQuestion]]:
    pipeline = Pipeline()
    triaged = [pipeline.triage(t.format(n=123456)) for t in TEMPLATES]
    rng = random.Random(seed)
    jobs: list[list[NewQuestion]] = []
    for start in range(0, count, JOB):
        job = []
        for i in range(start, min(count, start + JOB)):
            k = rng.randrange(len(TEMPLATES))
            text = TEMPLATES[k].format(n=rng.randrange(100_000, 1_000_000))
            t = triaged[k]
            who = rng.randrange(50_000)
            job.append(NewQuestion(
                show_id=show_id, channel=CHANNELS[who % len(CHANNELS)], external_id=f"seed-{i}",
                author_name=f"{NAMES[who % len(NAMES)]} {who}", author_handle=f"@viewer{who}", author_contact=None,
                text_original=text, text=text, lang=t.lang, flags=t.flags, topic=t.topic, district=t.district,
                priority=priority(1, 0.0, False, t.flags), sent_at="2026-11-22T20:00:00+06:00"))
        jobs.append(job)
    return jobs


async def seed(db: str, show_id: int, count: int) -> float:
    started = time.perf_counter()
    store = open_store(db, server=False)
    await store.open()
    try:
        for job in questions(show_id, count):
            await store.ingest(job, "bench-seed")
    finally:
        await store.close()
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.seed", description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True, help="SQLite path or postgresql:// URL")
    p.add_argument("--show", type=int, required=True)
    p.add_argument("--count", type=int, default=200_000)
    args = p.parse_args(argv)
    seconds = asyncio.run(seed(args.db, args.show, args.count))
    print(f"seeded {args.count} questions into show {args.show} in {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
