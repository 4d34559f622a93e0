"""The benchmark runs (small sizes, one round) as part of the suite, so it never rots."""

from __future__ import annotations

import pytest

from benchmarks.__main__ import main


def test_benchmark_smoke_run_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quick"]) == 0
    out = capsys.readouterr().out
    for row in ("| start-up to the Dashboard, 100 attempts |", "| save one rated attempt, 100 attempts |",
                "| open Charts, 1,000 attempts |", "| peak memory, 100 attempts |",
                "| `pending --count`, 100 attempts |", "| shell-prompt snippet (status file) |",
                "| unlock an encrypted journal (scrypt) |", "| save one rated attempt, encrypted, 100 attempts |"):  # fmt: skip
        assert row in out
