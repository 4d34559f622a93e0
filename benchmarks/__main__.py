"""`make bench`: measure, print a table, write benchmarks/RESULTS.md.

python -m benchmarks [--rounds N] [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from benchmarks import charts

RESULTS = Path(__file__).with_name("RESULTS.md")


def machine() -> str:
    packages = ", ".join(f"{p} {version(p)}" for p in ("textual", "textual-plotext", "plotext", "tinydb"))
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}; {packages}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small and one round: a smoke test")
    args = parser.parse_args(argv)
    sizes = (100, 1_000) if args.quick else (100, 10_000)
    rounds = 1 if args.quick else args.rounds
    with tempfile.TemporaryDirectory() as tmp:
        chart_times = charts.measure(Path(tmp), sizes, rounds)
    small, large = sizes
    ratio = chart_times[large] / chart_times[small]
    rows = [
        "| measure | value | target | verdict |",
        "|---|---|---|---|",
        f"| Charts open, {small:,} attempts | {chart_times[small] * 1000:.0f} ms | | |",
        f"| Charts open, {large:,} attempts | {chart_times[large] * 1000:.0f} ms | | |",
        f"| ratio {large:,} / {small:,} | {ratio:.2f}× | ≤ 1.5× | {'met' if ratio <= 1.5 else 'MISSED'} |",
    ]
    table = "\n".join(rows)
    heading = f"Machine: {machine()}. Medians of {rounds} interleaved round(s)."
    text = f"# Benchmark results\n\n{heading}\n\n{table}\n"
    print(text)
    if not args.quick:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"written to {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
