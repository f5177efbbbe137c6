"""The benchmark scripts still run: bench/run.py --smoke (tiny sizes, one repeat) end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MEASURED = ("a", "b", "c", "d", "e", "f")


def test_bench_smoke(tmp_path: Path) -> None:
    pytest.importorskip("pypandoc")
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--json", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| target | measured | met |" in proc.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    for scenario in MEASURED:
        rows = data["scenarios"].get(scenario)
        assert rows, f"no results for scenario {scenario}"
        for row in rows:
            assert row["ours"]["median_s"] > 0, row
            assert row["ours"]["peak_rss_mb"] > 0, row
            assert row["baseline"]["median_s"] > 0, row
            assert row["ratio"] > 0, row
    assert [s["words"] for s in data["scaling"]] == sorted(s["words"] for s in data["scaling"])
    assert len(data["scaling"]) == 4
    outcome = data["merge_outcome"]
    assert outcome["contributions"] == 4
    assert outcome["kinds"] == {"revised-draft": 2, "word-revisions": 2}
    assert outcome["commits"] == 4, outcome  # one attributed commit per merged contribution
    assert {s["met"] for s in data["summary"]} <= {"yes", "no"}
    assert any(s["target"].startswith("c:") for s in data["summary"])
