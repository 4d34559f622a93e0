"""`make bench`: measure, print a table, write benchmarks/RESULTS.md.

    python -m benchmarks [--rounds N] [--quick]

Every comparison is measured in the same run, the contenders interleaved,
and medians reported with their spread: for a ratio, the lowest and highest
of its rounds (each round's figure against that round's yardstick). The
machine is shared, so the load average before and after the run is stated
too, and start-up also reports the CPU time the app used (less moved by a
busy machine than the wall clock, which is what the targets judge).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from benchmarks import away, charts, save, sealing, startup
from benchmarks.terminal import Launch

RESULTS = Path(__file__).with_name("RESULTS.md")

# Issue 12's targets: start-up against the bare app by history size, peak memory
# against the empty journal, saves against the floor, Charts against 100 attempts.
START_TARGETS = {0: 1.25, 100: 1.25, 1_000: 1.25, 10_000: 1.4, 50_000: 2.0}
MEMORY_TARGETS = {10_000: 1.25, 50_000: 2.0}
SAVE_TARGET = 1.5
CHART_TARGETS = {1_000: 1.5, 10_000: 1.5, 50_000: 2.0}
# Issue 13: a shell prompt showing what waits to be rated must cost under 30 ms.
SNIPPET_TARGET_MS = 30.0


def machine() -> str:
    packages = ", ".join(
        f"{p} {version(p)}" for p in ("textual", "textual-plotext", "plotext", "tinydb", "msgspec")
    )
    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}; {packages}"


def verdict(ratio: float, target: float | None) -> str:
    if target is None:
        return ""
    return "met" if ratio <= target else "**missed**"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def spread(values: Sequence[float], unit: str = "ms") -> str:
    low, high = min(values), max(values)
    if unit == "ms":
        return f"{low * 1000:,.0f}–{high * 1000:,.0f} ms"
    return f"{low:.2f}–{high:.2f}×"


def target_text(target: float | None, what: str) -> str:
    return f"≤ {target:g}× {what}" if target is not None else ""


def row(measure: str, ours: str, yardstick: str, ratio: float, ratios: Sequence[float], target: float | None,
        what: str) -> str:  # fmt: skip
    return (
        f"| {measure} | {ours} | {yardstick} | {ratio:.2f}× | {spread(ratios, 'x')} "
        f"| {target_text(target, what)} | {verdict(ratio, target)} |"
    )


def startup_rows(bare: list[Launch], ours: dict[int, list[Launch]]) -> list[str]:
    rows = []
    bare_s = statistics.median(x.seconds for x in bare)
    bare_cpu = statistics.median(x.cpu_seconds for x in bare)
    for n, launches in ours.items():
        mine = statistics.median(x.seconds for x in launches)
        cpu = statistics.median(x.cpu_seconds for x in launches)
        ratios = [x.seconds / b.seconds for x, b in zip(launches, bare, strict=True)]
        rows.append(
            row(
                f"start-up to the Dashboard, {n:,} attempts",
                f"{ms(mine)} ({spread([x.seconds for x in launches])}; CPU {ms(cpu)})",
                f"bare Textual app {ms(bare_s)} (CPU {ms(bare_cpu)})",
                mine / bare_s,
                ratios,
                START_TARGETS.get(n),
                "the bare app",
            )
        )
    return rows


def memory_rows(bare: list[Launch], ours: dict[int, list[Launch]], empty: list[Launch]) -> list[str]:
    def mib(launches: list[Launch]) -> float:
        return statistics.median(x.peak_rss_kib for x in launches) / 1024

    rows = []
    empty_mib = mib(empty)
    for n, launches in ours.items():
        if n == 0:
            continue
        ratios = [x.peak_rss_kib / e.peak_rss_kib for x, e in zip(launches, empty, strict=True)]
        rows.append(
            row(
                f"peak memory, {n:,} attempts",
                f"{mib(launches):.0f} MiB",
                f"empty journal {empty_mib:.0f} MiB",
                mib(launches) / empty_mib,
                ratios,
                MEMORY_TARGETS.get(n),
                "the empty journal",
            )
        )
    rows.append(f"| peak memory, bare Textual app | {mib(bare):.0f} MiB | | | | | |")
    return rows


def save_rows(saves: dict[int, tuple[list[float], list[float]]]) -> list[str]:
    rows = []
    for n, (mine, floor) in saves.items():
        ours_s, floor_s = statistics.median(mine), statistics.median(floor)
        rows.append(
            row(
                f"save one rated attempt, {n:,} attempts",
                f"{ms(ours_s)} ({spread(mine)})",
                f"json.dumps + write + fsync + replace {ms(floor_s)}",
                ours_s / floor_s,
                [m / f for m, f in zip(mine, floor, strict=True)],
                SAVE_TARGET,
                "the floor",
            )
        )
    return rows


def chart_rows(chart_times: dict[int, list[float]]) -> list[str]:
    small, *larger = chart_times
    base = statistics.median(chart_times[small])
    rows = []
    for n in larger:
        mine = statistics.median(chart_times[n])
        ratios = [m / b for m, b in zip(chart_times[n], chart_times[small], strict=True)]
        rows.append(
            row(
                f"open Charts, {n:,} attempts",
                f"{ms(mine)} ({spread(chart_times[n])})",
                f"{small:,} attempts {ms(base)}",
                mine / base,
                ratios,
                CHART_TARGETS.get(n),
                f"{small:,} attempts",
            )
        )
    return rows


def away_rows(times: dict[str, list[float]], size: int) -> list[str]:
    pending, python, snippet = (statistics.median(times[k]) for k in ("pending", "python", "snippet"))
    ratios = [p / b for p, b in zip(times["pending"], times["python"], strict=True)]
    met = "met" if snippet * 1000 < SNIPPET_TARGET_MS else "**missed**"
    return [
        f"| `pending --count`, {size:,} attempts | {ms(pending)} ({spread(times['pending'])}) "
        f"| `python -c pass` {ms(python)} | {pending / python:.2f}× | {spread(ratios, 'x')} | | |",
        f"| shell-prompt snippet (status file) | {snippet * 1000:.2f} ms "
        f"({min(times['snippet']) * 1000:.2f}–{max(times['snippet']) * 1000:.2f} ms) "
        f"| | | | < {SNIPPET_TARGET_MS:g} ms | {met} |",
    ]


def sealing_rows(
    times: dict[str, list[float]], sizes: tuple[int, ...], starts: dict[str, list[float]], start_size: int
) -> list[str]:
    unlock = statistics.median(times["unlock"])
    rows = [f"| unlock an encrypted journal (scrypt) | {ms(unlock)} ({spread(times['unlock'])}) | | | | | |"]
    plain, sealed = statistics.median(starts["plain"]), statistics.median(starts["sealed"])
    ratios = [s / p for s, p in zip(starts["sealed"], starts["plain"], strict=True)]
    extra = sealed - plain
    rows.append(
        f"| start-up to the Dashboard, {start_size:,} attempts, encrypted | {ms(sealed)} "
        f"({spread(starts['sealed'])}) | plain {ms(plain)} | {sealed / plain:.2f}× | {spread(ratios, 'x')} "
        f"| plain + the unlock | {ms(extra)} more; the unlock alone {ms(unlock)} |"
    )
    for n in sizes:
        plain, sealed = times[f"save-plain-{n}"], times[f"save-sealed-{n}"]
        ratios = [s / p for s, p in zip(sealed, plain, strict=True)]
        rows.append(
            f"| save one rated attempt, encrypted, {n:,} attempts | {ms(statistics.median(sealed))} "
            f"({spread(sealed)}) | plain {ms(statistics.median(plain))} "
            f"| {statistics.median(sealed) / statistics.median(plain):.2f}× | {spread(ratios, 'x')} | | |"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="small sizes, one round: a smoke test")
    args = parser.parse_args(argv)
    quick = args.quick
    rounds = 1 if quick else args.rounds
    start_sizes = (0, 100) if quick else (0, 1_000, 10_000, 50_000)
    save_sizes = (100,) if quick else (1_000, 10_000, 50_000)
    chart_sizes = (100, 1_000) if quick else (100, 10_000, 50_000)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bare, ours = startup.measure(work, start_sizes, rounds)
        saves = save.measure(work, save_sizes, max(rounds * 2, 5))
        chart_times = charts.measure(work, chart_sizes, rounds)
        away_size = 100 if quick else 10_000
        away_times = away.measure(work, away_size, rounds)
        seal_sizes = (100,) if quick else (1_000, 10_000)
        seal_times = sealing.measure(work, seal_sizes, max(rounds * 2, 5))
        seal_start_size = 100 if quick else 1_000
        seal_starts = sealing.startup(work, seal_start_size, rounds)
    load_after = os.getloadavg()

    header = "| measure | ours (spread) | yardstick | ratio | ratio's spread | target | verdict |"
    rows = [header, "|---|---|---|---|---|---|---|"]
    rows += startup_rows(bare, ours)
    rows += memory_rows(bare, ours, ours[0])
    rows += save_rows(saves)
    rows += chart_rows(chart_times)
    rows += away_rows(away_times, away_size)
    rows += sealing_rows(seal_times, seal_sizes, seal_starts, seal_start_size)
    heading = (
        f"Machine: {machine()}. Medians of {rounds} interleaved round(s) "
        f"({max(rounds * 2, 5)} for saves); spreads are the lowest and highest round. "
        "rejection_tui's bytecode is compiled first, as an install does. "
        f"Load average (1 min) {load_before[0]:.2f} before the run, {load_after[0]:.2f} after."
    )
    text = f"# Benchmark results\n\n{heading}\n\n" + "\n".join(rows) + "\n"
    print(text)
    if not quick:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"written to {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
