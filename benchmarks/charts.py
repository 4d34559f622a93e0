"""Time to open the Charts screen (headless Pilot) at two history sizes."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from benchmarks.journal_factory import write_journal
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from rejection_tui.ui.screens.charts import ChartsScreen


async def open_charts_once(path: Path) -> float:
    """Seconds from pressing g until the first chart has been drawn."""
    with Journal.open(path) as journal:
        app = RejectionApp(journal)
        app.animation_level = "none"
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            started = time.perf_counter()
            await pilot.press("g")
            screen = app.screen
            assert isinstance(screen, ChartsScreen)
            while not screen.plot.size.width or "┌" not in str(screen.plot.render()):
                await pilot.pause()
            await pilot.pause()
            return time.perf_counter() - started


def measure(work: Path, sizes: tuple[int, ...], rounds: int) -> dict[int, list[float]]:
    """Seconds to open Charts per size and round, the sizes interleaved."""
    paths = {n: write_journal(work / f"charts-{n}.json", n) for n in sizes}
    asyncio.run(open_charts_once(paths[sizes[0]]))  # warm-up: imports, caches
    samples: dict[int, list[float]] = {n: [] for n in sizes}
    for _ in range(rounds):
        for n in sizes:  # interleaved, so drift hits both alike
            samples[n].append(asyncio.run(open_charts_once(paths[n])))
    return samples
