"""The benchmark runs (one small round) as part of the suite, so it never rots."""

from __future__ import annotations

import pytest

from benchmarks.__main__ import main


def test_benchmark_smoke_run_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "| Charts open, 100 attempts |" in out
    assert "| ratio 1,000 / 100 |" in out
