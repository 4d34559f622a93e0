"""Charts: every chart and range with empty, one-point and full journals."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from textual.widgets import Static

from benchmarks.journal_factory import sample_attempts
from rejection_tui.domain.stats import Range
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.screens.charts import CHARTS, ChartsScreen
from tests.ui.conftest import AppFactory


def with_attempts(count: int) -> Any:
    def setup(journal: Journal) -> None:
        for attempt in sample_attempts(count):
            journal.add_attempt(attempt)

    return setup


def message(app: Any) -> str:
    widget = app.screen.query_one("#chart-message", Static)
    return str(widget.render()) if widget.display else ""


@pytest.mark.parametrize("count", [0, 1, 3])
async def test_every_chart_and_range_with_little_data_explains_itself(
    make_app: AppFactory, count: int
) -> None:
    # sample_attempts leaves the newest two planned: 0, 0 and 1 rated attempts.
    app = make_app(setup=with_attempts(count))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        screen = app.screen
        assert isinstance(screen, ChartsScreen) and screen.title == "Charts"
        for number in CHARTS:
            await pilot.press(str(number))
            for _ in Range:
                await pilot.press("t")
                assert screen.chart == number
                if number in (1, 6) or count == 0:
                    # No chart from zero or one point: a sentence instead.
                    assert message(app), (number, count)
                    assert not screen.plot.display


async def test_every_chart_draws_with_a_real_history(make_app: AppFactory) -> None:
    app = make_app(setup=with_attempts(150))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("g")
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        seen_ranges = set()
        for number in CHARTS:
            await pilot.press(str(number))
            await pilot.pause()
            assert message(app) == "", number
            assert screen.plot.display
            rendered = str(screen.plot.render())
            legend = {1: "expected", 2: "expected", 3: "goal", 4: "rejection rate", 5: "predicted", 6: "felt"}
            assert "┌" in rendered and legend[number] in rendered, number
            for _ in Range:
                await pilot.press("t")
                seen_ranges.add(screen.span)
                assert message(app) == ""
        assert seen_ranges == set(Range)
        await pilot.press("right")
        assert screen.chart == 1  # wraps around from 6


async def test_charts_library_loads_only_when_charts_open(make_app: AppFactory) -> None:
    for name in [m for m in sys.modules if m.startswith(("textual_plotext", "plotext"))]:
        del sys.modules[name]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert "textual_plotext" not in sys.modules
        await pilot.press("g")
        assert "textual_plotext" in sys.modules


async def test_pick_a_challenge_for_chart_six(make_app: AppFactory) -> None:
    app = make_app(setup=with_attempts(60))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g", "6", "p")
        from rejection_tui.ui.screens.pickers import PractisedPicker

        assert isinstance(app.screen, PractisedPicker)
        await pilot.press("down", "enter")
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        assert screen.challenge_id is not None
        note = str(screen.query_one("#chart-note", Static).render())
        title = screen.journal.find_challenge(screen.challenge_id)
        assert title is not None and title.title in note


def test_charts_snapshot(make_app: AppFactory, snap_compare: Any) -> None:
    assert snap_compare(make_app(setup=with_attempts(80)), press=["g"], terminal_size=(100, 30))


async def test_export_from_the_palette_writes_owner_only_beside_the_journal(make_app: AppFactory) -> None:
    import stat

    from tests.ui.conftest import type_text, wait_until

    app = make_app(setup=with_attempts(10))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "Export as CSV")
        from textual.widgets import OptionList

        results = app.screen.query_one(OptionList)
        await wait_until(pilot, lambda: results.option_count > 0)
        await pilot.press("enter")
        folder = app.journal.path.parent / "exports"
        await wait_until(pilot, lambda: folder.exists() and any(folder.iterdir()))
        [written] = list(folder.iterdir())
        assert written.suffix == ".csv" and stat.S_IMODE(written.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert len(written.read_text(encoding="utf-8").splitlines()) == 11
        assert any("not encrypted" in n.message for n in app._notifications)
