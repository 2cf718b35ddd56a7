"""Triage quality and speed on the labelled set (tests/data/triage_labelled.jsonl).

    .venv/bin/python bench/triage_quality.py [--errors] [--rounds N] [--dedupe N,N] [--dedupe-memory N]

Prints per-field accuracy (lang, topic, district), precision/recall of the flags (pii, profanity,
garbled) and of topic/district when one is predicted, the share of damaged texts repaired back to
the original, then the speed of `Pipeline.triage` on typical 100-200 character messages and the cost of
`DedupeIndex.match` + `add` per message in shows of 1,000 and 200,000 questions (and, asked for, the index's
bytes per question). tests/test_triage_quality.py holds the accuracy floor.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import timeit
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.triage import DedupeIndex, Pipeline, Triage

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "data" / "triage_labelled.jsonl"


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, expected: bool, predicted: bool) -> None:
        self.tp += expected and predicted
        self.fp += predicted and not expected
        self.fn += expected and not predicted

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    rows: int = 0
    correct: dict[str, int] = field(default_factory=lambda: {"lang": 0, "topic": 0, "district": 0})
    scored: dict[str, int] = field(default_factory=lambda: {"lang": 0, "topic": 0, "district": 0})
    flags: dict[str, Counts] = field(
        default_factory=lambda: {f: Counts() for f in ("pii", "profanity", "garbled")}
    )
    labelled: dict[str, Counts] = field(default_factory=lambda: {"topic": Counts(), "district": Counts()})
    repaired: int = 0
    damaged: int = 0
    errors: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.scored[name] if self.scored[name] else 0.0


def load(path: Path = LABELLED) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


DONT_CARE = "*"  # a label not scored: topic and district of a text damaged beyond repair


def _expected_topic(row: dict[str, Any]) -> str | None:
    """The set's topic label, a message with words and no topic (thanks, an insult, an advert) read as
    `other`: the pipeline gives every readable message a topic, `other` when none fits."""
    if row["topic"] is None and any(c.isalpha() for c in row.get("clean") or row["text"]):
        return "other"
    return row["topic"]  # type: ignore[no-any-return]


def _score_row(report: Report, row: dict[str, Any], got: Triage) -> None:
    row = {**row, "topic": _expected_topic(row)}
    for name in ("lang", "topic", "district"):
        if row[name] == DONT_CARE:
            continue
        report.scored[name] += 1
        ok = getattr(got, name) == row[name]
        report.correct[name] += ok
        if not ok:
            report.errors.append(f"{name}: want {row[name]!r} got {getattr(got, name)!r}: {row['text'][:90]}")
    for name, counts in report.labelled.items():
        predicted, expected = getattr(got, name), row[name]
        if expected == DONT_CARE:
            continue
        counts.tp += predicted is not None and predicted == expected
        counts.fp += predicted is not None and predicted != expected
        counts.fn += expected is not None and predicted != expected
    for name, counts in report.flags.items():
        counts.add(bool(row[name]), name in got.flags)
        if bool(row[name]) != (name in got.flags):
            report.errors.append(f"{name}: want {row[name]} got {got.flags}: {row['text'][:90]}")
    if "clean" in row:
        report.damaged += 1
        report.repaired += got.text == " ".join(row["clean"].split())


def evaluate(rows: Sequence[dict[str, Any]]) -> Report:
    pipeline = Pipeline()
    report = Report(rows=len(rows))
    for i, row in enumerate(rows):
        # every row from its own author, far apart in time: floods are measured elsewhere
        _score_row(report, row, pipeline.triage(row["text"], author_key=f"bench:{i}", at=i * 1000.0))
    return report


def print_report(report: Report, show_errors: bool) -> None:
    print(f"labelled rows: {report.rows}")
    for name in ("lang", "topic", "district"):
        print(f"  {name:<9} accuracy {report.accuracy(name):.3f}")
    for name, counts in {**report.labelled, **report.flags}.items():
        print(
            f"  {name:<9} precision {counts.precision:.3f}  recall {counts.recall:.3f}"
            f"  (tp {counts.tp}, fp {counts.fp}, fn {counts.fn})"
        )
    print(f"  repaired  {report.repaired}/{report.damaged} damaged texts back to the original")
    if show_errors:
        print("\n".join(report.errors))


def typical(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Clean labelled texts, each joined with the next ones until it is 100-200 characters long."""
    clean = [r["text"] for r in rows if "damage" not in r]
    texts = []
    for i, text in enumerate(clean):
        j = i + 1
        while len(text) < 100:
            text = f"{text} {clean[j % len(clean)]}"
            j += 1
        texts.append(text[:200])
    return texts


def time_triage(texts: Sequence[str], rounds: int) -> tuple[float, float]:
    """(wall, CPU) µs per `Pipeline.triage` call: medians over `rounds` passes after a warm-up pass.

    CPU time (this process only) is the figure to compare when other work shares the machine.
    """
    pipeline = Pipeline()
    for i, text in enumerate(texts):
        pipeline.triage(text, author_key=f"warm:{i}", at=float(i))
    wall, cpu = [], []
    n = 0
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        for text in texts:
            n += 1
            pipeline.triage(text, author_key=f"a:{n % 5000}", at=1e6 + n * 0.05)
        cpu.append((time.process_time() - start_cpu) / len(texts) * 1e6)
        wall.append((time.perf_counter() - start) / len(texts) * 1e6)
    return statistics.median(wall), statistics.median(cpu)


def _variant(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) > 3 and rng.random() < 0.5:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 4:
            j = rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j + 1 :]  # a typo: one letter dropped
    return " ".join(words).lower() if rng.random() < 0.5 else " ".join(words)


def time_dedupe(rows: Sequence[dict[str, Any]], size: int, timed: int = 2000) -> tuple[dict[str, float], int]:
    """The cost of `DedupeIndex.match` then `add` for one message (the pair the store calls in its write
    transaction) in a show already holding `size` questions: labelled texts with typos, case changes and,
    for a third of them, a house number, plus the load generator's templates (bench/feed.py) with their
    own numbers. Returns (CPU µs per message: median, p90, p99, mean; clusters) over `timed` messages."""
    from bench.feed import TEMPLATES

    rng = random.Random(7)
    base = [r["text"] for r in rows if "damage" not in r]

    def text() -> str:
        if rng.random() < 0.4:
            return rng.choice(TEMPLATES).format(n=rng.randrange(1, 100_000))
        return f"{_variant(rng.choice(base), rng)} {rng.choice(['', '', f'дом {rng.randrange(1, 300)}'])}".strip()

    index = DedupeIndex()
    clusters = 0
    cost: list[float] = []
    clock = time.thread_time_ns
    for qid in range(1, size + timed + 1):
        message = text()
        start = clock()
        found = index.match(1, message)
        index.add(1, qid, message, found if found is not None else qid)
        if qid > size:
            cost.append((clock() - start) / 1000)
        clusters += found is None
    cost.sort()
    figures = {
        "median": statistics.median(cost),
        "p90": cost[int(0.9 * (len(cost) - 1))],
        "p99": cost[int(0.99 * (len(cost) - 1))],
        "mean": statistics.fmean(cost),
    }
    return figures, clusters


def dedupe_memory(rows: Sequence[dict[str, Any]], size: int) -> float:
    """Bytes (tracemalloc) per question a show of `size` questions adds, word caches warmed first."""
    import gc
    import tracemalloc

    rng = random.Random(11)
    base = [r["text"] for r in rows if "damage" not in r]
    texts = [f"{_variant(rng.choice(base), rng)} дом {rng.randrange(1, 300)}" for _ in range(size)]
    warm = DedupeIndex()
    for qid, message in enumerate(texts[:2000], 1):
        warm.add(2, qid, message, qid)
    del warm
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = DedupeIndex()
    for qid, message in enumerate(texts, 1):
        found = index.match(1, message)
        index.add(1, qid, message, found if found is not None else qid)
    index.match(2, "")  # let go of the last message's analysis
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return grown / size


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--errors", action="store_true", help="list every wrong field")
    parser.add_argument("--rounds", type=int, default=20, help="timing passes over the typical messages")
    parser.add_argument(
        "--dedupe", default="1000,200000", help="show sizes to time the dedupe index at, comma-separated ('': skip)"
    )
    parser.add_argument(
        "--dedupe-memory", type=int, default=0, metavar="N", help="also measure bytes per question in a show of N"
    )
    args = parser.parse_args(argv)
    rows = load()
    print_report(evaluate(rows), args.errors)
    holdout = [r for r in rows if r.get("split") == "holdout"]
    if holdout:
        print("\nheld-out rows only (written after the lexicons were tuned, never tuned on):")
        print_report(evaluate(holdout), args.errors)
    texts = typical(rows)
    mean_len = statistics.mean(len(t) for t in texts)
    reference = timeit.timeit("sum(range(1000))", number=2000) / 2000 * 1e6
    print(
        f"\nthis machine now: sum(range(1000)) takes {reference:.1f} µs (about 10 µs on an idle desktop CPU)"
    )
    wall, cpu = time_triage(texts, args.rounds)
    print(
        f"triage: {wall:.1f} µs per message wall clock, {cpu:.1f} µs CPU ({1e6 / cpu:,.0f} messages/s "
        f"per core); {len(texts)} typical messages of {mean_len:.0f} characters, "
        f"median of {args.rounds} passes"
    )
    # the ratio moves far less than the raw figure when other work shares the two cores
    print(f"        = {cpu / reference:.1f} x sum(range(1000)) measured alongside")
    for size in [int(s) for s in args.dedupe.split(",") if s.strip()]:
        figures, clusters = time_dedupe(rows, size)
        median, p90, p99, mean = (figures[k] for k in ("median", "p90", "p99", "mean"))
        print(
            f"dedupe: show of {size:,} questions ({clusters:,} clusters): match+add CPU per message median "
            f"{median:.1f} µs, p90 {p90:.1f}, p99 {p99:.1f}, mean {mean:.1f} "
            f"(median = {median / reference:.1f} x sum(range(1000)))"
        )
    if args.dedupe_memory:
        print(f"dedupe: {dedupe_memory(rows, args.dedupe_memory):.0f} bytes per indexed question "
              f"(tracemalloc, a show of {args.dedupe_memory:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
