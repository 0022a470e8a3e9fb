"""The benchmark script runs end to end (tiny sizes; speed itself is measured by the script, not here)."""

import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


def test_benchmark_prints_both_pipelines_side_by_side(tmp_path):
    out = tmp_path / "BENCH.md"
    proc = subprocess.run(
        [sys.executable, "bench/benchmark.py", "--sizes", "200", "--out", str(out),
         "--plot", str(tmp_path / "latency.png")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = out.read_text()
    assert "| hit@1 | 1 |" in report  # ours is perfect on the dev set; the naive line follows
    assert "| cold start to first answer (s) |" in report
    assert "| ~200 |" in report
    assert (tmp_path / "latency.png").stat().st_size > 1000
