"""The report: ratios and targets computed from the raw figures, a Markdown table, and the JSON file.

    python -m bench.report REPORT.json [OTHER.json]

prints a saved report's table again, or two reports side by side (e.g. the SQLite and the PostgreSQL run).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

Row = tuple[str, str, str, str, str, str]
STORES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def store_name(report: dict[str, Any]) -> str:
    """The store Efir ran on, as people write it (reports from before `--store` were SQLite)."""
    store = _get(report, "meta", "store") or "sqlite"
    return STORES.get(store, str(store))


def _get(d: dict[str, Any] | None, *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def _num(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}"
    return str(value)


def _ratio(a: Any, b: Any) -> float | None:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b:
        return round(a / b, 3)
    return None


def verdicts(report: dict[str, Any]) -> dict[str, Any]:
    """Each SPEC target with the measured value and whether it is met."""
    bare, empty, seeded = report.get("bare"), report.get("efir_empty"), report.get("efir_seeded")
    rate = _get(empty, "max", "ingest_msgs_per_s")
    bare_rate = _get(bare, "max", "ingest_msgs_per_s")
    seeded_rate = _get(seeded, "max", "ingest_msgs_per_s")
    p99 = _get(empty, "paced", "commit_to_desk_ms", "p99")
    prompter = _get(empty, "paced", "action_to_prompter_ms", "p99")
    stalled_p99 = _get(empty, "stalled", "commit_to_desk_ms", "p99")
    snapshot = _get(seeded, "snapshot", "snapshot_ms", "max") or _get(seeded, "first_snapshot_ms")
    # the server and its triage workers together (older reports: the server alone)
    rss = _get(seeded, "peak_rss_total_mb") or _get(seeded, "peak_rss_mb")
    stall_change = (stalled_p99 / p99 - 1) if isinstance(stalled_p99, (int, float)) and p99 else None
    compared = _get(empty, "stall_compare", "commit_to_desk_ms", "change")
    if isinstance(compared, (int, float)):  # windows in turn, medians of their p99s (see bench/README.md)
        stall_change = compared
    seeded_vs_empty = _ratio(seeded_rate, rate)

    def check(value: Any, ok: bool | None, target: str) -> dict[str, Any]:
        return {"value": value, "target": target, "met": ok}

    def known(*values: Any) -> bool:
        return all(isinstance(v, (int, float)) for v in values)

    return {
        "ingest_msgs_per_s": check(rate, rate >= 5_000 if known(rate) else None, "≥ 5,000"),
        "ingest_vs_bare": check(_ratio(rate, bare_rate), _ratio(rate, bare_rate) >= 0.5
                                if known(rate, bare_rate) else None, "≥ 0.5"),
        "commit_to_desk_p99_ms": check(p99, p99 <= 150 if known(p99) else None, "≤ 150 at 1,000 msg/s"),
        "action_to_prompter_p99_ms": check(prompter, prompter <= 50 if known(prompter) else None, "≤ 50"),
        "seeded_ingest_vs_empty": check(seeded_vs_empty, seeded_vs_empty >= 0.8
                                        if seeded_vs_empty is not None else None, "≥ 0.8"),
        "seeded_snapshot_ms": check(snapshot, snapshot <= 1_000 if known(snapshot) else None, "≤ 1,000"),
        "seeded_rss_mb": check(rss, rss <= 400 if known(rss) else None, "≤ 400"),
        "stalled_desk_p99_change": check(None if stall_change is None else round(stall_change, 3),
                                         stall_change <= 0.10 if stall_change is not None else None, "≤ +10%"),
    }


def rows(report: dict[str, Any]) -> list[Row]:
    bare, empty, seeded = report.get("bare"), report.get("efir_empty"), report.get("efir_seeded")
    n = _get(report, "meta", "plan", "seeded") or 0
    rate = _get(report, "meta", "plan", "rate") or 1000

    def row(label: str, path: tuple[str, ...], digits: int = 0, target: str = "", ratio: bool = True,
            in_bare: bool = True) -> Row:
        b = _get(bare, *path) if in_bare else None
        e, s = _get(empty, *path), _get(seeded, *path)
        r = _ratio(e, b) if ratio else None
        return (label, _num(b, digits), _num(e, digits), _num(s, digits),
                "–" if r is None else f"{r:.2f}", target)

    out = [
        row("ingest, flat out (msg/s)", ("max", "ingest_msgs_per_s"), target="≥ 5,000; ≥ 0.5 × bare"),
        row("  server CPU, flat out (% of a core)", ("max", "server_cpu_pct")),
        row("  triage workers CPU, flat out (% of a core)", ("max", "workers_cpu_pct"), in_bare=False, ratio=False),
        row("  database CPU, flat out (% of a core)", ("max", "db_cpu_pct"), in_bare=False, ratio=False),
        row("  server RSS after flat out (MB)", ("max", "server_rss_mb")),
        row("  desk frames/s delivered (all desks)", ("max", "desk_frames_per_s")),
        row("  desk events/s delivered (all desks)", ("max", "desk_events_per_s")),
        row("  prompter events/s delivered", ("max", "prompter_events_per_s"), in_bare=False, ratio=False),
        row("  ingest batch ack p99 (ms)", ("max", "ack_ms", "p99"), 1),
        row("  client CPU: desks+prompters / loaders (%)", ("max", "audience_cpu_pct"), 0, ratio=False),
        row("  other processes' CPU (% of a core; should be ~0)", ("max", "others_cpu_pct"), ratio=False),
        row(f"ingest at {rate:.0f} msg/s (msg/s)", ("paced", "ingest_msgs_per_s")),
        row("  commit → desk frame p50 (ms)", ("paced", "commit_to_desk_ms", "p50"), 1),
        row("  commit → desk frame p95 (ms)", ("paced", "commit_to_desk_ms", "p95"), 1),
        row("  commit → desk frame p99 (ms)", ("paced", "commit_to_desk_ms", "p99"), 1, "≤ 150"),
        row("  loader send → desk frame p99 (ms)", ("paced", "e2e_ms", "p99"), 1),
        row("  server CPU (% of a core)", ("paced", "server_cpu_pct")),
        row("  triage workers CPU (% of a core)", ("paced", "workers_cpu_pct"), in_bare=False, ratio=False),
        row("  database CPU (% of a core)", ("paced", "db_cpu_pct"), in_bare=False, ratio=False),
        row("  other processes' CPU (% of a core; should be ~0)", ("paced", "others_cpu_pct"), ratio=False),
        row("  action → prompter p50 (ms)", ("paced", "action_to_prompter_ms", "p50"), 1, in_bare=False,
            ratio=False),
        row("  action → prompter p99 (ms)", ("paced", "action_to_prompter_ms", "p99"), 1, "≤ 50", in_bare=False,
            ratio=False),
        row("  action ack p99 (ms)", ("paced", "action_ack_ms", "p99"), 1, in_bare=False, ratio=False),
        row("  windows in turn, all desks reading: commit → desk p99, median (ms)",
            ("stall_compare", "commit_to_desk_ms", "calm_median"), 1, in_bare=False, ratio=False),
        row("  windows in turn, one desk stalled: commit → desk p99, median (ms)",
            ("stall_compare", "commit_to_desk_ms", "stalled_median"), 1, "≤ +10% of all reading", in_bare=False,
            ratio=False),
        row("  windows in turn, all desks reading: action → prompter p99, median (ms)",
            ("stall_compare", "action_to_prompter_ms", "calm_median"), 1, in_bare=False, ratio=False),
        row("  windows in turn, one desk stalled: action → prompter p99, median (ms)",
            ("stall_compare", "action_to_prompter_ms", "stalled_median"), 1, in_bare=False, ratio=False),
        row("idle RSS, all clients connected (MB)", ("idle_rss_mb",), 1),
        row("  triage workers' idle RSS (MB)", ("workers_idle_rss_mb",), 1, in_bare=False, ratio=False),
        row("peak RSS, server (MB)", ("peak_rss_mb",), 1),
        row("peak RSS, server + triage workers (MB)", ("peak_rss_total_mb",), 1, f"≤ 400 at {n:,}", in_bare=False,
            ratio=False),
        row("desk snapshot on connect (ms)", ("first_snapshot_ms",), 0, "≤ 1,000", in_bare=False, ratio=False),
        row("desk snapshot, fresh connects, max (ms)", ("snapshot", "snapshot_ms", "max"), 0, "≤ 1,000",
            in_bare=False, ratio=False),
        row("desk snapshot size (bytes)", ("snapshot_bytes",), 0, in_bare=False, ratio=False),
    ]
    # the client CPU row shows both processes in one cell
    fixed: list[Row] = []
    for r in out:
        if r[0].startswith("  client CPU"):
            def both(d: dict[str, Any] | None) -> str:
                a, b = _get(d, "max", "audience_cpu_pct"), _get(d, "max", "loaders_cpu_pct")
                return "–" if a is None else f"{a:.0f} / {b:.0f}"
            r = (r[0], both(bare), both(empty), both(seeded), "–", "")
        fixed.append(r)
    return fixed


def _met(v: dict[str, Any]) -> tuple[str, str]:
    value = v["value"]
    return (_num(value, 3 if isinstance(value, float) and abs(value) < 10 else 0),
            {True: "yes", False: "**no**", None: "–"}[v["met"]])


def store_line(report: dict[str, Any]) -> str:
    database = _get(report, "meta", "database")
    version = _get(report, "meta", "postgres", "server_version")
    where = f" ({database}{f', PostgreSQL {str(version).split()[0]}' if version else ''})" if database else ""
    return f"Efir on **{store_name(report)}**{where}; the bare baseline on SQLite."


def markdown(report: dict[str, Any]) -> str:
    n = _get(report, "meta", "plan", "seeded") or 0
    store = store_name(report)
    head = (f"| figure | bare baseline (SQLite) | Efir on {store}, empty show | Efir on {store}, {n:,} questions "
            "| Efir ÷ bare | target |\n| --- | ---: | ---: | ---: | ---: | --- |\n")
    body = "".join(f"| {' | '.join(r)} |\n" for r in rows(report))
    lines = [store_line(report), "", head + body, "", f"| target ({store}) | measured | met |", "| --- | --- | --- |"]
    for name, v in verdicts(report).items():
        value, met = _met(v)
        lines.append(f"| {name} {v['target']} | {value} | {met} |")
    soak = _get(report, "efir_empty", "soak")
    if soak:
        lines += ["", f"Soak at {soak['rate']:.0f} msg/s: RSS by minute " +
                  ", ".join(f"{w['minute']:g}: {w['rss_mb']:.0f} MB" for w in soak["windows"]),
                  f"verdict: {soak.get('verdict', '–')}"]
    return "\n".join(lines)


def compare(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Two runs side by side (e.g. SQLite and PostgreSQL): each figure for both stores, on both shows."""
    na, nb = store_name(a), store_name(b)
    n = _get(a, "meta", "plan", "seeded") or 0
    m = _get(b, "meta", "plan", "seeded") or 0
    head = (f"| figure | bare baseline (SQLite) | {na}, empty show | {nb}, empty show | {na}, {n:,} questions "
            f"| {nb}, {m:,} questions | {nb} ÷ {na}, empty show | target |\n"
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n")
    lines = []
    for ra, rb in zip(rows(a), rows(b), strict=True):
        ratio = None if ra[0].strip().startswith("other processes") else _ratio(_parse(rb[2]), _parse(ra[2]))
        lines.append(f"| {ra[0]} | {ra[1]} | {ra[2]} | {rb[2]} | {ra[3]} | {rb[3]} | "
                     f"{'–' if ratio is None else f'{ratio:.2f}'} | {ra[5]} |\n")
    out = [head + "".join(lines), "", f"| target | {na} | met | {nb} | met |", "| --- | ---: | --- | ---: | --- |"]
    va, vb = verdicts(a), verdicts(b)
    for name, v in va.items():
        out.append(f"| {name} {v['target']} | {' | '.join(_met(v))} | {' | '.join(_met(vb[name]))} |")
    bare_b = _get(b, "bare", "max", "ingest_msgs_per_s")
    if not _get(b, "meta", "bare_reused") and bare_b is not None:
        out += ["", f"The bare column is the {na} run's baseline; the {nb} run measured its own at "
                f"{_num(bare_b)} msg/s flat out ({_num(_get(a, 'bare', 'max', 'ingest_msgs_per_s'))} in the {na} run)."]
    return "\n".join(out)


def _parse(cell: str) -> float | None:
    try:
        return float(cell.replace(",", ""))
    except ValueError:
        return None


def profile_text(report: dict[str, Any], top: int = 15) -> str:
    prof = _get(report, "efir_empty", "profile")
    if not prof or prof.get("error"):
        return f"profile: {prof.get('error') if prof else 'not taken (use --profile)'}"
    lines = [f"py-spy, Efir flat out, {prof['samples']} samples (all busy threads)", "", "self time:"]
    lines += [f"  {e['pct']:5.1f}%  {e['function']}" for e in prof["self"][:top]]
    lines += ["", "inclusive, Efir's own functions:"]
    lines += [f"  {e['pct']:5.1f}%  {e['function']}" for e in prof["inclusive"][:top]]
    return "\n".join(lines)


def soak_verdict(report: dict[str, Any]) -> None:
    """Memory growth in the soak, per question added, against what a stored question costs anyway."""
    soak = _get(report, "efir_empty", "soak")
    if not soak or len(soak["windows"]) < 2:
        return
    w = soak["windows"]
    first, last = w[0], w[-1]
    added = sum(x["messages"] for x in w[1:])
    growth = last["rss_mb"] - first["rss_mb"]
    per_q = growth * 2**20 / added if added else 0.0
    seeded = report.get("efir_seeded") or {}
    static = None
    if seeded.get("idle_rss_mb") and report.get("efir_empty", {}).get("idle_rss_mb") and seeded.get("questions_seeded"):
        static = (seeded["idle_rss_mb"] - report["efir_empty"]["idle_rss_mb"]) * 2**20 / seeded["questions_seeded"]
    soak["growth_mb"] = round(growth, 1)
    soak["bytes_per_question_added"] = round(per_q, 1)
    soak["bytes_per_seeded_question"] = None if static is None else round(static, 1)
    bound = max(static * 1.5 if static else 0.0, 64.0)
    soak["verdict"] = ("flat" if growth <= max(5.0, 0.02 * first["rss_mb"]) else
                       "grows with the show only" if per_q <= bound else "GROWS beyond the show's data: a leak?")


def write(report: dict[str, Any], path: Path) -> None:
    """One run's report, or (`--store both`) `{"meta", "sqlite": report, "postgres": report}`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for one in (report[k] for k in STORES if k in report) if "bare" not in report else (report,):
        one["targets"] = verdicts(one)
    path.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS))


def load(path: Path) -> list[dict[str, Any]]:
    """The run reports in a report file: one, or both of a `--store both` file."""
    data: dict[str, Any] = orjson.loads(path.read_bytes())
    return [data] if "bare" in data else [data[k] for k in STORES if k in data]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.splitlines()[0])
    p.add_argument("reports", type=Path, nargs="+", help="one or two report files (bench/results/*.json)")
    args = p.parse_args(argv)
    reports = [r for path in args.reports for r in load(path)]
    if len(reports) == 1:
        print(markdown(reports[0]))
    elif len(reports) == 2:
        print(compare(reports[0], reports[1]))
    else:
        p.error("give one or two runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
