"""Percentiles of latency samples."""

from __future__ import annotations

from collections.abc import Sequence


def percentile(ordered: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank) of an already sorted sequence."""
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return float(ordered[rank - 1])


def summary(samples: Sequence[float]) -> dict[str, float]:
    """n, p50, p95, p99, max and mean of samples (milliseconds in, milliseconds out)."""
    ordered = sorted(samples)
    if not ordered:
        return {"n": 0}
    return {
        "n": len(ordered),
        "p50": round(percentile(ordered, 50), 2),
        "p95": round(percentile(ordered, 95), 2),
        "p99": round(percentile(ordered, 99), 2),
        "max": round(ordered[-1], 2),
        "mean": round(sum(ordered) / len(ordered), 2),
    }
