"""`make bench`: measure, print a table, write benchmarks/RESULTS.md.

    python -m benchmarks [--rounds N] [--quick]

Every comparison is measured in the same run, the contenders interleaved,
and medians reported.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from benchmarks import charts, save, startup

RESULTS = Path(__file__).with_name("RESULTS.md")


def machine() -> str:
    packages = ", ".join(f"{p} {version(p)}" for p in ("textual", "textual-plotext", "plotext", "tinydb"))
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}; {packages}"


def verdict(ratio: float, target: float) -> str:
    return "met" if ratio <= target else "**missed**"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small sizes, one round: a smoke test")
    args = parser.parse_args(argv)
    quick = args.quick
    rounds = 1 if quick else args.rounds
    start_sizes = (100,) if quick else (100, 1_000, 10_000)
    save_sizes = (100,) if quick else (1_000, 10_000)
    chart_sizes = (100, 1_000) if quick else (100, 10_000)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bare, ours = startup.measure(work, start_sizes, rounds)
        empty_bare, empty = startup.measure(work, (0,), rounds) if not quick else (bare, {0: ours[100]})
        saves = save.measure(work, save_sizes, max(rounds * 4, 5))
        chart_times = charts.measure(work, chart_sizes, rounds)

    rows = ["| measure | ours | yardstick | ratio | target | verdict |", "|---|---|---|---|---|---|"]
    bare_s = startup.median_seconds(bare)
    for n in start_sizes:
        mine = startup.median_seconds(ours[n])
        judged = verdict(mine / bare_s, 1.4) if n == 10_000 else ""
        rows.append(
            f"| start-up to the Dashboard, {n:,} attempts | {ms(mine)} | bare Textual app {ms(bare_s)} "
            f"| {mine / bare_s:.2f}× | ≤ 1.4× at 10,000 | {judged} |"
        )
    for n, (mine, floor) in saves.items():
        rows.append(
            f"| save one rated attempt, {n:,} attempts | {ms(mine)} | json.dumps + write + fsync + replace "
            f"{ms(floor)} | {mine / floor:.2f}× | ≤ 1.5× | {verdict(mine / floor, 1.5)} |"
        )
    small, large = chart_sizes
    ratio = chart_times[large] / chart_times[small]
    rows.append(
        f"| open Charts, {large:,} attempts | {ms(chart_times[large])} | {small:,} attempts "
        f"{ms(chart_times[small])} | {ratio:.2f}× | ≤ 1.5× | {verdict(ratio, 1.5)} |"
    )
    big = max(start_sizes)
    rss_big, rss_empty = startup.median_rss(ours[big]) / 1024, startup.median_rss(empty[0]) / 1024
    rows.append(
        f"| peak memory, {big:,} attempts | {rss_big:.0f} MiB | empty journal {rss_empty:.0f} MiB "
        f"| {rss_big / rss_empty:.2f}× | ≤ 1.3× | {verdict(rss_big / rss_empty, 1.3)} |"
    )
    rows.append(
        f"| peak memory, bare Textual app | {startup.median_rss(empty_bare) / 1024:.0f} MiB | | | | |"
    )
    heading = f"Machine: {machine()}. Medians of {rounds} interleaved round(s)."
    text = f"# Benchmark results\n\n{heading}\n\n" + "\n".join(rows) + "\n"
    print(text)
    if not quick:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"written to {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
