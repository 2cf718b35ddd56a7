"""The benchmark harness runs end to end in a tiny mode and writes a complete report (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_tiny_run_writes_a_complete_report(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--desks", "2", "--prompters", "3", "--seeded", "300",
         "--seconds", "1.5", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=280, check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert "| figure |" in run.stdout
    report = json.loads(out.read_text())

    assert {"meta", "bare", "efir_empty", "efir_seeded", "targets"} <= report.keys()
    assert report["meta"]["cores"] and report["meta"]["memory"]
    for target, phases in (("bare", ("max", "paced")), ("efir_empty", ("max", "paced", "stalled")),
                           ("efir_seeded", ("max", "paced"))):
        for phase in phases:
            figures = report[target][phase]
            assert figures["ingest_errors"] == 0, (target, phase, figures["first_error"])
            assert figures["messages"] > 0 and figures["ingest_msgs_per_s"] > 0, (target, phase)
            assert figures["desk_events"] > 0, (target, phase)
            assert {"server_cpu_pct", "server_rss_mb", "audience_cpu_pct", "loaders_cpu_pct",
                    "desk_frames_per_s"} <= figures.keys()
        assert report[target]["paced"]["commit_to_desk_ms"]["n"] > 0, target
        assert report[target]["paced"]["e2e_ms"]["n"] > 0, target
    empty = report["efir_empty"]["paced"]
    assert empty["actions"] > 0 and empty["action_errors"] == 0
    assert empty["action_to_prompter_ms"]["n"] > 0
    assert empty["prompter_events"] > 0
    assert report["efir_seeded"]["questions_seeded"] == 300
    assert report["efir_seeded"]["first_snapshot_ms"] > 0
    assert len(report["targets"]) == 8 and all("met" in v for v in report["targets"].values())
