"""Accuracy floor on the labelled set tests/data/triage_labelled.jsonl (see bench/triage_quality.py).

The floors sit a little under what the pipeline measures today, so a change that makes triage
worse fails here; raise them when it gets better.
"""

from bench.triage_quality import Report, evaluate, load

FLOORS = {"lang": 0.95, "topic": 0.93, "district": 0.95}


def _report() -> Report:
    rows = load()
    assert len(rows) >= 300
    return evaluate(rows)


def test_labelled_set_accuracy() -> None:
    report = _report()
    for field, floor in FLOORS.items():
        assert report.accuracy(field) >= floor, (field, report.accuracy(field), report.errors)
    assert report.flags["pii"].precision == 1.0
    assert report.flags["pii"].recall >= 0.95
    assert report.flags["profanity"].precision == 1.0
    assert report.flags["profanity"].recall >= 0.9
    assert report.flags["garbled"].precision >= 0.9
    assert report.flags["garbled"].recall >= 0.9
    assert report.repaired >= 0.9 * report.damaged


def test_held_out_rows_accuracy() -> None:
    """The rows written after the lexicons were tuned: the honest estimate of new messages."""
    holdout = [r for r in load() if r.get("split") == "holdout"]
    assert len(holdout) >= 40
    report = evaluate(holdout)
    for field, floor in {"lang": 0.93, "topic": 0.9, "district": 0.93}.items():
        assert report.accuracy(field) >= floor, (field, report.accuracy(field), report.errors)


def test_labelled_set_covers_the_languages_and_damage() -> None:
    rows = load()
    langs = {r["lang"] for r in rows}
    assert {"kk", "ru", "mixed", "en", "unknown"} <= langs
    assert sum("damage" in r for r in rows) >= 30
