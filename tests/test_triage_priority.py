"""Priority: monotone in every argument."""

import itertools

import pytest

from ingest.triage import priority

ASKED = [0, 1, 2, 3, 5, 10, 50, 200, 10_000]
AGES = [0.0, 1.0, 30.0, 60.0, 300.0, 600.0, 1800.0, 3600.0]
FLAG_SETS = [
    (),
    ("pii",),
    ("link",),
    ("garbled",),
    ("profanity",),
    ("spam",),
    ("spam", "profanity", "garbled"),
]


def test_more_asks_rank_higher() -> None:
    for age, addressed, flags in itertools.product(AGES, (False, True), FLAG_SETS):
        values = [priority(n, age, addressed, flags) for n in ASKED[1:]]
        assert values == sorted(values) and len(set(values)) == len(values)


def test_fresher_ranks_higher() -> None:
    for asked, addressed, flags in itertools.product(ASKED, (False, True), FLAG_SETS):
        values = [priority(asked, age, addressed, flags) for age in AGES]
        assert values == sorted(values, reverse=True) and len(set(values)) == len(values)


def test_addressee_on_show_ranks_higher() -> None:
    for asked, age, flags in itertools.product(ASKED, AGES, FLAG_SETS):
        assert priority(asked, age, True, flags) > priority(asked, age, False, flags)


@pytest.mark.parametrize("flag", ["spam", "profanity", "garbled"])
def test_bad_flags_rank_lower(flag: str) -> None:
    for asked, age, addressed in itertools.product(ASKED, AGES, (False, True)):
        assert priority(asked, age, addressed, [flag]) < priority(asked, age, addressed, [])
        assert priority(asked, age, addressed, ["pii", flag]) <= priority(asked, age, addressed, ["pii"])


def test_adding_a_flag_never_raises() -> None:
    for a, b in itertools.combinations(FLAG_SETS, 2):
        if set(a) <= set(b):
            assert priority(3, 60.0, False, b) <= priority(3, 60.0, False, a)


def test_odd_inputs() -> None:
    assert priority(1, -5.0, False, []) == priority(1, 0.0, False, [])  # clock skew
    assert priority(1, float("inf"), False, []) < priority(1, 0.0, False, [])
    assert priority(1, 0.0, False, ["spam", "spam"]) == priority(1, 0.0, False, ["spam"])
    assert isinstance(priority(1, 0.0, False, iter(["pii"])), float)
