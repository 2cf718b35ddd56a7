"""The independent triage evaluation set (`tests/data/triage_eval.jsonl`) is what it claims to be.

These tests check the SET, not the pipeline: size, language mix, coverage of topics and districts,
duplicate groups and near misses, that every labelled IIN and card is valid (and every decoy is not),
that PII labels agree with an independent extraction, that every mojibake row re-corrupts from its
clean text, and that the file is exactly what its generator writes. The last test only checks that
`bench.triage_eval.evaluate` runs and returns every metric; it asserts no quality threshold.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections import Counter
from typing import Any

import ftfy
import pytest

from bench.triage_eval import DEFAULT_SET, EMAIL, METRICS, evaluate, generator, lang_bucket, load, pii_items

ROWS = load(DEFAULT_SET)
GEN = generator()
MIX = {"ru": 45.0, "kk": 35.0, "mixed": 10.0, "kk-latin": 5.0, "en": 5.0}
FIELDS = {"id", "text", "lang", "topic", "district", "pii", "profanity", "spam", "dup_group", "garbled"}


def _text(row: dict[str, Any]) -> str:
    return str(row.get("clean") or row["text"])


def test_size_and_fields() -> None:
    assert len(ROWS) >= 400
    assert len({r["id"] for r in ROWS}) == len(ROWS)
    for r in ROWS:
        assert set(r) >= FIELDS, r
        assert r["lang"] in GEN.LANGS
        assert r["topic"] in GEN.TOPICS
        assert r["district"] is None or r["district"] in GEN.DISTRICTS
        assert set(r["pii"]) <= {"phone", "iin", "email", "card"}
        assert isinstance(r["profanity"], bool) and isinstance(r["spam"], bool) and isinstance(r["garbled"], bool)
        assert ("clean" in r) == ("mojibake" in r)


def test_file_is_what_the_generator_writes() -> None:
    assert GEN.build() == ROWS


def test_language_mix_within_five_points() -> None:
    counts = Counter(lang_bucket(r) for r in ROWS)
    for kind, want in MIX.items():
        share = 100.0 * counts[kind] / len(ROWS)
        assert abs(share - want) <= 5.0, (kind, share, want)


@pytest.mark.parametrize("topic", GEN.TOPICS)
def test_every_topic_at_least_ten(topic: str) -> None:
    assert sum(r["topic"] == topic for r in ROWS) >= 10


@pytest.mark.parametrize("district", GEN.DISTRICTS)
def test_every_district_at_least_ten(district: str) -> None:
    assert sum(r["district"] == district for r in ROWS) >= 10


def test_rows_without_district() -> None:
    assert sum(r["district"] is None for r in ROWS) >= 80


def test_duplicate_groups_and_near_misses() -> None:
    groups = Counter(r["dup_group"] for r in ROWS if r["dup_group"])
    assert len(groups) >= 20
    assert all(2 <= n <= 6 for n in groups.values()), groups
    near = [r for r in ROWS if r.get("near_miss_of")]
    assert len(near) >= 20
    for r in near:
        assert r["near_miss_of"] in groups
        assert r["dup_group"] != r["near_miss_of"], r
    # one group's members agree on what they ask about
    for g in groups:
        members = [r for r in ROWS if r["dup_group"] == g]
        assert len({(r["topic"], r["district"]) for r in members}) == 1, g


def test_iins_valid_and_decoys_not() -> None:
    labelled = [r for r in ROWS if "iin" in r["pii"]]
    assert len(labelled) >= 5
    for r in ROWS:
        runs = re.findall(r"(?<!\d)\d{12}(?!\d)", _text(r))
        valid = [x for x in runs if GEN.iin_valid(x)]
        if "iin" in r["pii"]:
            assert valid, r
            for x in valid:
                assert GEN.iin_check_digit(x[:11]) == int(x[11])
        else:
            assert not valid, r
    # the set carries at least one 12-digit decoy with a plausible date and a wrong check digit
    decoys = [x for r in ROWS if "iin" not in r["pii"] for x in re.findall(r"(?<!\d)\d{12}(?!\d)", _text(r))]
    assert any(GEN.iin_date_ok(x) and not GEN.iin_valid(x) for x in decoys)


def test_cards_pass_luhn_and_decoys_do_not() -> None:
    labelled = [r for r in ROWS if "card" in r["pii"]]
    assert len(labelled) >= 4
    for r in labelled:
        cards = [d for kind, d, _ in pii_items(_text(r)) if kind == "card"]
        assert cards and all(GEN.luhn_ok(c) for c in cards), r
    for r in ROWS:
        if "card" not in r["pii"]:
            for run in re.findall(r"(?<!\d)\d{16}(?!\d)", _text(r)):
                assert not GEN.luhn_ok(run), r


def test_pii_labels_agree_with_independent_extraction() -> None:
    for r in ROWS:
        text = _text(r)
        found = {kind for kind, _, _ in pii_items(text)} | ({"email"} if EMAIL.search(text) else set())
        assert found == set(r["pii"]), (r["id"], found, r["pii"])
    kinds = Counter(k for r in ROWS for k in r["pii"])
    assert kinds["phone"] >= 10 and kinds["email"] >= 3


def test_mojibake_rows_recorrupt_from_clean() -> None:
    moj = [r for r in ROWS if "mojibake" in r]
    assert len(moj) >= 25
    assert sum(r["garbled"] for r in ROWS) >= 8
    for r in moj:
        assert GEN.CORRUPT[r["mojibake"]](r["clean"]) == r["text"], r["id"]
        assert r["garbled"] == (r["mojibake"] in GEN.LOSSY)
    assert {r["mojibake"] for r in moj} >= {"utf8>cp1251", "utf8>latin1", "cp1251>koi8r", "utf8>koi8r"}


def test_repairable_mojibake_keeps_every_byte_and_lossy_does_not() -> None:
    for r in ROWS:
        if "mojibake" not in r:
            continue
        if r["garbled"]:
            attempts = {ftfy.fix_text(r["text"])}
            for repair in GEN.REPAIR.values():
                with contextlib.suppress(UnicodeError, ValueError):
                    attempts.add(repair(r["text"]))
            assert r["clean"] not in attempts, r["id"]
        else:
            assert GEN.REPAIR[r["mojibake"]](r["text"]) == r["clean"], r["id"]


def test_only_mojibake_rows_are_garbled() -> None:
    assert all("mojibake" in r for r in ROWS if r["garbled"])


def test_profanity_spam_and_lookalikes_present() -> None:
    assert sum(r["profanity"] for r in ROWS) >= 15
    assert sum(r["spam"] for r in ROWS) >= 10
    innocent = ("оскорблять", "команда", "психолог", "хлеб", "сукн", "бал ", "застрахуйте", "корабля")
    clean_texts = " ".join(_text(r).lower() for r in ROWS if not r["profanity"])
    for word in innocent:
        assert word in clean_texts, word


def test_evaluate_runs_and_returns_every_metric() -> None:
    metrics = evaluate(DEFAULT_SET)
    assert set(metrics) == set(METRICS)
    for name, value in metrics.items():
        assert isinstance(value, float) and math.isfinite(value), name
    assert metrics["rows"] == len(ROWS)
