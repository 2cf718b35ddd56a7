"""`python -m bench.triage_eval [FILE] [--errors N] [--half even|odd|A|B]`: triage scored on a labelled set.

Two sets: `tests/data/triage_blind.jsonl` (727 messages written from a brief by writers who never saw the code
or its word lists, see `triage_blind.md`; half A for tuning, half B held out) and the older
`tests/data/triage_eval.jsonl` (570, written by `tests/data/make_triage_eval.py`; the default FILE). A set is
run through the public API only: `Pipeline().triage`, `air_text` and one
`DedupeIndex` fed in file order. Prints a table (with the targets beside each figure, for reading
only: nothing here asserts them) and, with `--errors N`, up to N wrong rows per metric.

Scoring rules:
* language, topic and district are scored on rows whose text is readable (`garbled: false`): a lossy
  message carries no information to score; PII, profanity, spam and duplicates on every row;
* topic macro-F1 is the mean F1 of the 15 slugs; a row given no topic (None) counts as wrong, and a second
  figure reads "no topic" as `other`;
* a row is PII-positive when its `pii` list is non-empty, predicted positive when the `pii` flag is set;
  `pii_air_leaks` counts rows whose `air_text` still shows a digit run (4+ digits) of a phone, IIN or card;
* duplicate pairs: two rows of one `dup_group` are a positive pair; a predicted pair is two rows given
  the same cluster by the index (a row `match`ed to nothing opens its own cluster; a row flagged spam is
  never clustered, as in the store: a copy-paste campaign must not look like a question many people ask);
* garbled: recall on `garbled: true` rows, and a count of `garbled` flags on every other row (clean text
  and repairable mojibake); `mojibake_repaired` is the share of repairable mojibake rows whose repaired
  text equals the clean text (whitespace normalised);
* cost: wall time of `Pipeline.triage` per message (a warm-up pass first), median and p99 in µs.

`--half even|odd` scores only the rows at even (0, 2, 4, …) or odd 0-based positions of the file; in a set
whose rows carry a `half` field (the blind set: "A" or "B", a duplicate group and its hard negatives always
in one), `--half A|B` scores the rows of that half. Every row is still triaged and deduplicated in file order
(floods and clusters as in the whole run), only the counting keeps the half (a duplicate pair counts when
both rows are in it). Tune on one half, report the other as held out.

Rows may also carry `variety` (ru, kk, kk_latin, mixed, en: how the text is written) and `author`. With
`variety`, `dup_cross_recall` is the recall on positive pairs written in two different varieties. With
`author`, floods are counted per author and the rows arrive 5 s apart (a show's hour), else each row has
an author of its own and arrives an hour after the last.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT / "tests" / "data" / "triage_eval.jsonl"
GENERATOR = ROOT / "tests" / "data" / "make_triage_eval.py"

TOPICS = [
    "roads", "water", "heating", "gas", "electricity", "public_transport", "housing", "yards_landscaping",
    "schools_kindergartens", "health", "land_plots", "ecology", "social_payments", "safety", "other",
]

# metric -> (label, target or ""): the targets of the cross-language triage work, met on the held-out half of
# the blind set (tests/test_triage_blind.py asserts them)
METRICS: dict[str, tuple[str, str]] = {
    "rows": ("rows in the set", ""),
    "lang_accuracy": ("language accuracy", ">= 0.97"),
    "pii_recall": ("PII recall (rows)", "1.0"),
    "pii_precision": ("PII precision (rows)", ">= 0.95"),
    "pii_air_leaks": ("rows whose air text shows PII digits", "0"),
    "topic_macro_f1": ("topic macro-F1", ">= 0.88"),
    "topic_macro_f1_none_as_other": ("topic macro-F1, no topic counted as other", ""),
    "district_accuracy": ("district accuracy", ">= 0.95"),
    "dup_pair_precision": ("duplicate-pair precision", ">= 0.85"),
    "dup_pair_recall": ("duplicate-pair recall", ""),
    "dup_pair_f1": ("duplicate-pair F1", ">= 0.85"),
    "dup_cross_recall": ("duplicate-pair recall across varieties", ">= 0.80"),
    "dup_suggested": ("missed pairs suggested instead", ""),
    "profanity_f1": ("profanity F1", ">= 0.92"),
    "spam_f1": ("spam F1", ">= 0.92"),
    "garbled_recall": ("garbled recall", ">= 0.9"),
    "false_garbled": ("false `garbled` flags (rows)", "0"),
    "mojibake_repaired": ("repairable mojibake repaired exactly", ""),
    "median_us": ("triage median µs/message", "<= 200"),
    "p99_us": ("triage p99 µs/message", ""),
    "dedupe_median_us": ("dedupe match+add median µs/message", ""),
}


@cache
def generator() -> ModuleType:
    """The set's generator module: IIN check digit, Luhn and the mojibake corruptions live there."""
    spec = importlib.util.spec_from_file_location("make_triage_eval", GENERATOR)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_triage_eval", mod)
    spec.loader.exec_module(mod)
    return mod


_CANDIDATE = re.compile(r"\+?\d[\d \t\-().]{8,24}\d")


def pii_items(text: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(kind, digits, span) of every phone, IIN and card number in `text`, found independently of the pipeline."""
    gen = generator()
    out = []
    for m in _CANDIDATE.finditer(text):
        raw = m.group()
        digits = re.sub(r"\D", "", raw)
        if len(digits) == 11 and digits[0] in "78" and digits[1] == "7":
            out.append(("phone", digits, m.span()))
        elif len(digits) == 12 and gen.iin_valid(digits):
            out.append(("iin", digits, m.span()))
        elif 13 <= len(digits) <= 19 and gen.luhn_ok(digits) and not re.search(r"[.:]", raw):
            out.append(("card", digits, m.span()))
    return out


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _digit_runs(text: str) -> list[str]:
    """Digit runs, joining digits split by spaces, dashes, brackets or dots (how numbers are written)."""
    return [re.sub(r"\D", "", m.group()) for m in re.finditer(r"\d(?:[\d \-().]*\d)?", text)]


def air_leaks(text: str, air: str) -> list[str]:
    """Digit runs of 4+ digits in `air` that belong to a phone/IIN/card of `text` and to nothing else there."""
    items = pii_items(text)
    if not items:
        return []
    rest = text
    for _, _, (a, b) in sorted(items, key=lambda it: -it[2][0]):
        rest = rest[:a] + " # " + rest[b:]
    legit = _digit_runs(rest)
    leaks = []
    for run in _digit_runs(air):
        for i in range(len(run)):
            for j in range(len(run), i + 3, -1):
                piece = run[i:j]
                if any(piece in d for _, d, _ in items) and not any(piece in x for x in legit):
                    leaks.append(piece)
                    break
            else:
                continue
            break
    return leaks


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _norm_ws(s: str) -> str:
    return " ".join(s.split())


def _quantile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return 0.0
    k = min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))
    return xs[k]


@dataclass
class Result:
    metrics: dict[str, float]
    errors: dict[str, list[str]] = field(default_factory=dict)
    by_lang: dict[str, tuple[int, int]] = field(default_factory=dict)


def load(path: Path | str = DEFAULT_SET) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def lang_bucket(row: dict[str, Any]) -> str:
    """ru, kk, kk-latin, mixed, en or unknown: the set's language mix (Kazakh in Latin script apart)."""
    text = row.get("clean") or row["text"]
    if row["lang"] == "kk" and not re.search(r"[\u0400-\u04ff]", text):
        return "kk-latin"
    return str(row["lang"])


HALVES = ("even", "odd", "A", "B")


def in_half(index: int, half: str | None, row: dict[str, Any] | None = None) -> bool:
    """Whether the row at 0-based `index` belongs to `half`: "even" or "odd" by position, "A" or "B" by
    the row's own `half` field; None: every row."""
    if half is None:
        return True
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}, not {half!r}")
    if half in ("A", "B"):
        if row is None or "half" not in row:
            raise ValueError(f"half {half!r} needs rows with a `half` field")
        return bool(row["half"] == half)
    return index % 2 == HALVES.index(half)


def variety(row: dict[str, Any]) -> str:
    """How a row is written: its `variety` label, else its language bucket."""
    return str(row.get("variety") or lang_bucket(row)).replace("-", "_")


def run(path: Path | str = DEFAULT_SET, half: str | None = None) -> Result:
    from ingest.triage import DedupeIndex, Pipeline, air_text

    rows = load(path)
    for row in rows:
        row.setdefault("garbled", False)
    kept = [i for i in range(len(rows)) if in_half(i, half, rows[i])]
    t0 = 1_700_000_000.0
    authored = all("author" in row for row in rows)
    gap = 5.0 if authored else 3600.0

    def triage_all(pipe: Any) -> tuple[list[Any], list[float]]:
        out, cost = [], []
        for i, row in enumerate(rows):
            start = time.perf_counter_ns()
            author = f"eval-{row['author']}" if authored else f"eval-{row['id']}"
            tri = pipe.triage(row["text"], author_key=author, at=t0 + gap * i)
            cost.append((time.perf_counter_ns() - start) / 1000.0)
            out.append(tri)
        return out, cost

    triage_all(Pipeline())  # warm-up: imports, detector models, caches
    results, cost = triage_all(Pipeline())

    err: dict[str, list[str]] = defaultdict(list)

    def show(row: dict[str, Any], what: str) -> str:
        return f"{row['id']} {what} | {(row.get('clean') or row['text'])[:110]!r}"

    readable = [i for i in kept if not rows[i]["garbled"]]

    # language
    ok_lang = 0
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i in readable:
        row, tri = rows[i], results[i]
        hit = tri.lang == row["lang"]
        ok_lang += hit
        b = by_lang[lang_bucket(row)]
        b[0] += hit
        b[1] += 1
        if not hit:
            err["lang"].append(show(row, f"want {row['lang']} got {tri.lang}"))

    # PII
    tp = fp = fn = 0
    leaks = 0
    for row, tri in ((rows[i], results[i]) for i in kept):
        want, got = bool(row["pii"]), "pii" in tri.flags
        tp += want and got
        fp += got and not want
        fn += want and not got
        if want != got:
            err["pii"].append(show(row, f"want {row['pii'] or 'none'} got {'pii' if got else 'none'}"))
        if row["pii"]:
            air = air_text(tri.text)
            leaked = air_leaks(row.get("clean") or row["text"], air)
            leaked += [e for e in EMAIL.findall(row.get("clean") or row["text"]) if e in air]
            if leaked:
                leaks += 1
                err["pii_air"].append(f"{row['id']} leaks {leaked} | air: {air[:110]!r}")
    pii_p, pii_r, _ = _f1(tp, fp, fn)

    # topic: strictly by slug (SPEC lists `other` as a slug), and again reading "no topic" as `other`
    def topic_f1(none_as: str | None) -> float:
        per: dict[str, list[int]] = {t: [0, 0, 0] for t in TOPICS}
        for i in readable:
            row, tri = rows[i], results[i]
            want, got = row["topic"], tri.topic if tri.topic is not None else none_as
            if want == got:
                per[want][0] += 1
            else:
                per[want][2] += 1
                if got in per:
                    per[got][1] += 1
                if none_as is None:
                    err["topic"].append(show(row, f"want {want} got {got}"))
        return statistics.fmean(_f1(*per[t])[2] for t in TOPICS)

    topic_strict, topic_lenient = topic_f1(None), topic_f1("other")

    # district
    ok_d = 0
    for i in readable:
        row, tri = rows[i], results[i]
        if tri.district == row["district"]:
            ok_d += 1
        else:
            err["district"].append(show(row, f"want {row['district']} got {tri.district}"))

    # duplicates: one index, file order
    index = DedupeIndex()
    cluster: list[int] = []
    suggested: list[set[int]] = []  # the clusters suggested to each row (below the automatic threshold)
    dcost: list[float] = []
    for qid, tri in enumerate(results, 1):
        if "spam" in tri.flags:  # as the store does: spam never joins nor heads a cluster
            cluster.append(qid)
            suggested.append(set())
            dcost.append(-1.0)  # not timed
            continue
        start = time.perf_counter_ns()
        found = index.find(1, tri.text)
        cid = found.cluster if found.cluster is not None else qid
        index.add(1, qid, tri.text, cid)
        dcost.append((time.perf_counter_ns() - start) / 1000.0)
        cluster.append(cid)
        suggested.append({s.cluster for s in found.suggestions})
    dtp = dfp = dfn = 0
    cross = [0, 0]  # positive pairs across varieties: found, all
    hinted = 0  # missed positive pairs whose later row was suggested the earlier one's cluster
    for i, j in combinations(kept, 2):
        ga, gb = rows[i]["dup_group"], rows[j]["dup_group"]
        want = ga is not None and ga == gb
        got = cluster[i] == cluster[j]
        if want and variety(rows[i]) != variety(rows[j]):
            cross[0] += got
            cross[1] += 1
        if want and got:
            dtp += 1
        elif got:
            dfp += 1
            err["dup_false_pair"].append(
                f"{rows[i]['id']}+{rows[j]['id']} ({ga}/{gb}) | {rows[i]['text'][:60]!r} ~ {rows[j]['text'][:60]!r}")
        elif want:
            dfn += 1
            hinted += cluster[i] in suggested[j]
            err["dup_missed_pair"].append(
                f"{rows[i]['id']}+{rows[j]['id']} ({ga}) | {rows[i]['text'][:60]!r} ~ {rows[j]['text'][:60]!r}")
    dup_p, dup_r, dup_f = _f1(dtp, dfp, dfn)

    # profanity, spam
    def flag_f1(label: str, flag: str) -> float:
        t = f_ = n = 0
        for row, tri in ((rows[i], results[i]) for i in kept):
            want, got = bool(row[label]), flag in tri.flags
            t += want and got
            f_ += got and not want
            n += want and not got
            if want != got:
                err[flag].append(show(row, f"want {want} got {got}"))
        return _f1(t, f_, n)[2]

    prof_f1 = flag_f1("profanity", "profanity")
    spam_f1 = flag_f1("spam", "spam")

    # garbled, repair
    g_rows = [i for i in kept if rows[i]["garbled"]]
    g_hit = sum("garbled" in results[i].flags for i in g_rows)
    false_g = 0
    for i in readable:
        if "garbled" in results[i].flags:
            false_g += 1
            err["garbled"].append(show(rows[i], "flagged garbled, is readable"))
    for i in g_rows:
        if "garbled" not in results[i].flags:
            err["garbled"].append(show(rows[i], f"lossy, not flagged; repaired to {results[i].text[:60]!r}"))
    moj = [i for i in readable if "clean" in rows[i]]
    repaired = 0
    for i in moj:
        if _norm_ws(results[i].text) == _norm_ws(rows[i]["clean"]):
            repaired += 1
        else:
            err["repair"].append(f"{rows[i]['id']} ({rows[i]['mojibake']}) got {results[i].text[:80]!r}")

    metrics = {
        "rows": float(len(kept)),
        "lang_accuracy": ok_lang / len(readable),
        "pii_recall": pii_r,
        "pii_precision": pii_p,
        "pii_air_leaks": float(leaks),
        "topic_macro_f1": topic_strict,
        "topic_macro_f1_none_as_other": topic_lenient,
        "district_accuracy": ok_d / len(readable),
        "dup_pair_precision": dup_p,
        "dup_pair_recall": dup_r,
        "dup_pair_f1": dup_f,
        "dup_cross_recall": cross[0] / cross[1] if cross[1] else 1.0,
        "dup_suggested": hinted / dfn if dfn else 1.0,
        "profanity_f1": prof_f1,
        "spam_f1": spam_f1,
        "garbled_recall": g_hit / len(g_rows) if g_rows else 1.0,
        "false_garbled": float(false_g),
        "mojibake_repaired": repaired / len(moj) if moj else 1.0,
        "median_us": statistics.median(cost[i] for i in kept),
        "p99_us": _quantile([cost[i] for i in kept], 0.99),
        "dedupe_median_us": statistics.median(dcost[i] for i in kept if dcost[i] >= 0),
    }
    return Result(metrics, dict(err), {k: (v[0], v[1]) for k, v in by_lang.items()})


def evaluate(path: Path | str = DEFAULT_SET, half: str | None = None) -> dict[str, float]:
    """Every metric of the table, by name (see METRICS); `half` as in `run`."""
    return run(path, half).metrics


def table(result: Result) -> str:
    lines = [f"| {'metric':<42} | {'value':>9} | {'target':<16} |", f"|{'-' * 44}|{'-' * 11}|{'-' * 18}|"]
    for key, (label, target) in METRICS.items():
        v = result.metrics[key]
        shown = f"{v:.0f}" if key in ("rows", "pii_air_leaks", "false_garbled") or key.endswith("_us") else f"{v:.3f}"
        lines.append(f"| {label:<42} | {shown:>9} | {target:<16} |")
    langs = ", ".join(f"{k} {ok}/{n}" for k, (ok, n) in sorted(result.by_lang.items()))
    lines.append("")
    lines.append(f"language accuracy by kind: {langs}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.triage_eval", description=__doc__.splitlines()[0])
    p.add_argument("path", nargs="?", type=Path, default=DEFAULT_SET, help=f"labelled set (default {DEFAULT_SET})")
    p.add_argument("--errors", type=int, default=0, metavar="N", help="print up to N wrong rows per metric")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON instead of a table")
    p.add_argument("--half", choices=HALVES,
                   help="score only the rows at even or odd 0-based positions, or those of half A or B")
    args = p.parse_args(argv)
    result = run(args.path, args.half)
    if args.json:
        print(json.dumps(result.metrics, indent=2))
    else:
        print(table(result))
    if args.errors:
        for name, rows in result.errors.items():
            print(f"\n## {name}: {len(rows)} wrong")
            for line in rows[: args.errors]:
                print("  " + line)
        counts = Counter({k: len(v) for k, v in result.errors.items()})
        print("\nerrors per metric:", dict(counts.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
