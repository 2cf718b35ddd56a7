"""The PostgreSQL leg of the suite: skipped with the reason where no server is reachable, a failure in CI."""

from __future__ import annotations

import pytest

from tests.pg import PostgresLeg


def test_an_unreachable_postgres_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    leg = PostgresLeg("postgresql://postgres@127.0.0.1:1/postgres")  # nothing listens on port 1
    assert leg.error is not None and "127.0.0.1:1/postgres not reachable" in leg.error
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not reachable"):
        leg.require()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="the PostgreSQL leg must run in CI"):
        leg.require()
