"""Start-up in a real terminal against a bare Textual app, and peak memory."""

from __future__ import annotations

import compileall
import statistics
import sys
from pathlib import Path

import rejection_tui
from benchmarks.journal_factory import write_journal
from benchmarks.terminal import Launch, launch

BARE = Path(__file__).with_name("bare_app.py")


def program() -> str:
    return str(Path(sys.executable).with_name("rejection-tui"))


def compile_bytecode() -> None:
    """Compile rejection_tui's bytecode, as installing it does.

    Textual (the bare app's code too) is installed with its bytecode; a
    working tree has none until Python writes it, which it never does where
    PYTHONDONTWRITEBYTECODE is set (as on the machines this project runs on):
    every launch would then compile our code from source (~40 ms here), a
    cost no installed copy pays.
    """
    compileall.compile_dir(Path(rejection_tui.__file__).parent, quiet=1)


def measure(work: Path, sizes: tuple[int, ...], rounds: int) -> tuple[list[Launch], dict[int, list[Launch]]]:
    """Interleaved launches: the bare app, then ours at each size, each round."""
    compile_bytecode()
    paths = {n: write_journal(work / f"start-{n}.json", n) for n in sizes}
    launch([sys.executable, str(BARE)], "bare app ready")  # warm the disk cache
    bare: list[Launch] = []
    ours: dict[int, list[Launch]] = {n: [] for n in sizes}
    for _ in range(rounds):
        bare.append(launch([sys.executable, str(BARE)], "bare app ready"))
        for n in sizes:
            # "this week" is dashboard content computed from the whole history.
            ours[n].append(launch([program(), "--db", str(paths[n])], "this week"))
    return bare, ours


def median_seconds(launches: list[Launch]) -> float:
    return statistics.median(x.seconds for x in launches)


def median_rss(launches: list[Launch]) -> float:
    return statistics.median(x.peak_rss_kib for x in launches)
