"""Charts: every chart and range with empty, one-point and full journals."""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from textual.widgets import Static

from benchmarks.journal_factory import sample_attempts
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Outcome, Status
from rejection_tui.domain.stats import Range, forecast_triples, replay_series
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.screens.charts import (
    CHARTS,
    ChartsScreen,
    count_ticks,
    fitting_labels,
)
from tests.conftest import NOW, done
from tests.ui.conftest import AppFactory, written
from tests.ui.test_hostile_text import rendered_lines

SIZES = [(80, 24), (60, 20)]


def with_attempts(count: int) -> Any:
    def setup(journal: Journal) -> None:
        for attempt in sample_attempts(count):
            journal.add_attempt(attempt)

    return setup


def message(app: Any) -> str:
    widget = app.screen.query_one("#chart-message", Static)
    return str(widget.render()) if widget.display else ""


def note(app: Any) -> str:
    widget = app.screen.query_one("#chart-note", Static)
    return str(widget.render()) if widget.display else ""


def title(app: Any) -> str:
    return str(app.screen.query_one("#chart-title", Static).render())


def plot_rows(screen: ChartsScreen) -> list[str]:
    """The plot as drawn at its size on screen, row by row."""
    return str(screen.plot.render()).splitlines()


def x_tick_row(rows: list[str]) -> str:
    """The row of x tick labels: the one under the bottom frame."""
    bottom = next(i for i, row in enumerate(rows) if "└" in row)
    return rows[bottom + 1]


def y_tick_labels(rows: list[str]) -> tuple[list[str], list[str]]:
    """The tick labels on the left and right axes."""
    left = [m.group(1) for row in rows if (m := re.match(r"^\s*([-\d.]+)[┤├]", row))]
    right = [m.group(1) for row in rows if (m := re.search(r"[┤├]([-\d.]+)\s*$", row))]
    return left, right


def footer_text(app: Any) -> str:
    return rendered_lines(app)[-1].text


def six_weeks_long_ago(journal: Journal) -> None:
    """Six weeks of practice, three asks a week, that stopped 20 weeks before the clock's today."""
    for day in range(0, 42, 2):
        journal.add_attempt(done(TIME, at=NOW - timedelta(weeks=20, days=day)))


TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")
BY_LEVEL = {c.level: c for c in builtin_challenges()}


def every_level_and_band(journal: Journal) -> None:
    """Rated asks at all ten levels and in all five prediction bands, some levels with 2-digit counts."""
    for level in range(1, 11):
        for i in range(12 if level in (3, 10) else 2):
            attempt = Attempt.plan(
                BY_LEVEL[level], fear_before=60, p_rejection=(level * 10 + i * 7) % 101, now=NOW
            ).rate(fear_after=30, outcome=Outcome.REJECTED if i % 2 else Outcome.ACCEPTED, now=NOW)
            journal.add_attempt(attempt)


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
                if number in (1, 6, 7) or count == 0:
                    # No chart from zero or one point: a sentence instead.
                    assert message(app), (number, count)
                    assert not screen.plot.display


def with_day_after_answers(count: int) -> Any:
    """``count`` sample attempts, every rated one with a day-after answer and a new forecast."""

    def setup(journal: Journal) -> None:
        for i, attempt in enumerate(sample_attempts(count)):
            if attempt.status == Status.DONE:
                attempt = replace(attempt, replay=(i * 37) % 101, p_rejection_next=(i * 13) % 101)
            journal.add_attempt(attempt)

    return setup


async def test_every_chart_draws_with_a_real_history(make_app: AppFactory) -> None:
    app = make_app(setup=with_day_after_answers(150))
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
            legend = {
                1: "expected",
                2: "expected",
                3: "goal",
                4: "rejection rate",
                5: "predicted",
                6: "felt",
                7: "gone over it",
            }
            assert "┌" in rendered and legend[number] in note(app), number
            for _ in Range:
                await pilot.press("t")
                seen_ranges.add(screen.span)
                assert message(app) == ""
        assert seen_ranges == set(Range)
        await pilot.press("right")
        assert screen.chart == 1  # wraps around from the last


@pytest.mark.parametrize("chart", [3, 4])
async def test_an_empty_range_says_so_and_that_t_widens_it(make_app: AppFactory, chart: int) -> None:
    # Before: chart 3 drew only the goal line, chart 4 empty axes from -1.00 to 1.00.
    app = make_app(setup=six_weeks_long_ago)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", str(chart))
        screen = app.screen
        assert isinstance(screen, ChartsScreen) and screen.span == Range.MONTHS_3
        said = " ".join(message(app).split())
        assert "Nothing rated in the last 3 months." in said
        assert "Your 21 rated attempts are from 24/05/2026 to 03/07/2026" in said
        assert "press t to widen the range to the last year." in said
        assert not screen.plot.display
        await pilot.press("t")
        assert message(app) == "" and screen.plot.display
        assert "last year" in title(app)


async def test_all_time_spans_the_practice_and_uses_the_width(make_app: AppFactory) -> None:
    # Before: the axis ran on to today, so six weeks took a sixth of the width.
    app = make_app(setup=six_weeks_long_ago)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "3", "t", "t")
        screen = app.screen
        assert isinstance(screen, ChartsScreen) and screen.span == Range.ALL
        assert "all time" in title(app)
        rows = plot_rows(screen)
        base = next(i for i, row in enumerate(rows) if "└" in row) - 1  # the lowest row of bars
        assert rows[base].count("█") >= 0.6 * len(rows[base])
        assert x_tick_row(rows).split()[0] == "18/05/2026"  # the first practice week, not a year ago


@pytest.mark.parametrize("size", SIZES)
async def test_counts_are_drawn_with_whole_number_ticks(make_app: AppFactory, size: tuple[int, int]) -> None:
    # Before: "2.7", "4.17", "0.33" on axes that count attempts.
    app = make_app(setup=with_attempts(150))
    async with app.run_test(size=size) as pilot:
        await pilot.press("g")
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        for chart in (3, 4):
            await pilot.press(str(chart))
            for _ in Range:
                left, right = y_tick_labels(plot_rows(screen))
                assert left and all(label.isdigit() for label in left), (chart, screen.span, left)
                assert left[-1] == "0"  # counts never go below zero
                if chart == 4:
                    assert set(right) <= {"0", "25", "50", "75", "100"} and "100" in right
                await pilot.press("t")


def test_count_ticks_are_whole_and_bounded() -> None:
    assert count_ticks(0, 6) == [0, 1]
    assert count_ticks(3, 6) == [0, 1, 2, 3]
    assert count_ticks(16, 6) == [0, 5, 10, 15, 20]
    assert count_ticks(4.17, 3) == [0, 5]
    assert count_ticks(7, 2) == [0, 10]
    for top in (0.33, 1, 9.5, 42, 137, 5000):
        for most in (2, 4, 6):
            ticks = count_ticks(top, most)
            assert len(ticks) <= most and ticks[-1] >= top and ticks[0] == 0


def test_labels_fall_back_to_the_short_ones_that_fit() -> None:
    full, short = ["L1 (19×)", "L10 (3×)"], ["L1", "L10"]
    assert fitting_labels([full, short], 10) == 0
    assert fitting_labels([full, short], 9) == 1
    assert fitting_labels([full, short], 2) == 1  # the last one, whatever the room


async def test_outcomes_legend_names_each_series_once_without_axis_markers(make_app: AppFactory) -> None:
    # Before: plotext's own legend read "L ·· didn't ask" and "⅃ ** rejection rate %".
    app = make_app(setup=with_attempts(150))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "4")
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        legend = note(app)
        entries = ["██ rejected", "▒▒ accepted", "░░ partly", "·· didn't ask", "** rejection rate", "-- 50 %"]
        for entry in entries:
            assert legend.count(entry) == 1, entry
        drawn = "\n".join(plot_rows(screen))
        assert "didn't ask" not in drawn and "⅃" not in drawn and " L " not in drawn


@pytest.mark.parametrize("size", SIZES)
async def test_every_level_and_every_band_is_labelled(make_app: AppFactory, size: tuple[int, int]) -> None:
    # Before: chart 2 labelled 7 of 10 levels at 80×24 and chart 5's top band had no label.
    app = make_app(setup=every_level_and_band)
    async with app.run_test(size=size) as pilot:
        await pilot.press("g", "2")
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        ticks = x_tick_row(plot_rows(screen))
        assert re.findall(r"\bL(\d+)\b", ticks) == [str(n) for n in range(1, 11)], ticks
        if "×" not in ticks:  # the counts moved above the chart
            assert "L3 12× · L4 2×" in note(app) and "L10 12×" in note(app)
        await pilot.press("5")
        ticks = x_tick_row(plot_rows(screen))
        bands = ["0–20", "20–40", "40–60", "60–80", "80–100"]
        assert re.findall(r"\d+–\d+", ticks) == bands, ticks


@pytest.mark.parametrize("size", SIZES)
async def test_every_chart_fits_the_terminal(make_app: AppFactory, size: tuple[int, int]) -> None:
    app = make_app(setup=with_day_after_answers(150))
    async with app.run_test(size=size) as pilot:
        await pilot.press("g")
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        for chart in CHARTS:
            await pilot.press(str(chart))
            await pilot.pause()
            assert screen.plot.display
            # Title and notes wrap rather than run off the edge, and leave the plot room to read.
            assert screen.plot.region.height >= 10, (chart, screen.plot.region)
            rows = plot_rows(screen)
            assert all(len(row) <= size[0] for row in rows)
            assert x_tick_row(rows).strip(), chart
            name = CHARTS[chart]
            assert name in " ".join(title(app).split()), chart


async def test_the_range_key_is_offered_only_where_it_changes_the_chart(make_app: AppFactory) -> None:
    app = make_app(setup=with_attempts(150))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        for chart in (1, 2, 5, 6, 7):
            await pilot.press(str(chart), "t")
            assert screen.span == Range.MONTHS_3, chart  # t did nothing here, silently or not
            assert "Range" not in footer_text(app) and "last 3 months" not in title(app)
        await pilot.press("3")
        assert "t Range" in footer_text(app) and "last 3 months (t to change)" in title(app)
        await pilot.press("t")
        assert screen.span == Range.YEAR and "last year (t to change)" in title(app)
        await pilot.press("4")  # the same range applies here, and says so
        assert "t Range" in footer_text(app) and "last year (t to change)" in title(app)


async def test_dashboard_gap_says_no_data_rather_than_no_gap(make_app: AppFactory) -> None:
    def label(app: Any) -> str:
        return " ".join(str(app.screen.query_one("#gap-label", Static).render()).split())

    app = make_app(setup=six_weeks_long_ago)  # rated, but not in the last 12 weeks
    async with app.run_test(size=(80, 24)):
        assert "no predicted ask rated in the last 12 weeks" in label(app)
        assert "+0" not in label(app)

    def zero_gap_last_week(journal: Journal) -> None:
        journal.add_attempt(done(TIME, before=60, after=40, at=NOW - timedelta(weeks=2)))
        journal.add_attempt(done(TIME, before=50, after=50, at=NOW - timedelta(weeks=1)))

    app = make_app(setup=zero_gap_last_week)
    async with app.run_test(size=(80, 24)):
        assert "(latest +0)" in label(app)  # felt just as feared: a real gap of 0, not the +20 before


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


def test_charts_snapshot_at_60x20(make_app: AppFactory, snap_compare: Any) -> None:
    # The busiest chart on a phone-sized terminal: two axes, four outcomes, a legend above.
    assert snap_compare(make_app(setup=with_attempts(80)), press=["g", "4"], terminal_size=(60, 20))


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
        await wait_until(pilot, lambda: len(written(folder)) == 1)
        [export] = written(folder)
        assert export.suffix == ".csv" and stat.S_IMODE(export.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert len(export.read_text(encoding="utf-8").splitlines()) == 11
        assert any("not encrypted" in n.message for n in app._notifications)


# -- the forecast of a no across repetitions, and the day-after answers (issue 16) ----------------

OUTCOMES = [Outcome.REJECTED, Outcome.ACCEPTED, Outcome.PARTIAL, Outcome.NOT_ASKED]


def repeated_asks(count: int, *, forecasts: bool = True, replays: bool = True) -> Any:
    """``count`` rated asks of one challenge, two days apart, the forecast of a no falling."""

    def setup(journal: Journal) -> None:
        for i in range(count):
            at = NOW - timedelta(days=2 * (count - i))
            attempt = Attempt.plan(TIME, fear_before=70 - i, p_rejection=80 - 5 * i, now=at).rate(
                fear_after=60 - 2 * i, outcome=OUTCOMES[i % 4], now=at
            )
            journal.add_attempt(
                replace(
                    attempt,
                    p_rejection_next=70 - 5 * i if forecasts else None,
                    replay=90 - 7 * i if replays else None,
                )
            )

    return setup


async def test_chart_six_shows_the_forecast_across_repetitions(make_app: AppFactory) -> None:
    app = make_app(setup=repeated_asks(6))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "6")
        screen = app.screen
        assert isinstance(screen, ChartsScreen) and not screen.forecast
        assert "v Fear/forecast" in footer_text(app) and "v for the forecast" in note(app)
        await pilot.press("v")
        assert screen.forecast and screen.plot.display and message(app) == ""
        legend = " ".join(note(app).split())
        for entry in ("oo before the ask", "++ for next time", "xx what happened"):
            assert entry in legend
        assert "Next time, how likely" not in legend  # every ask has a forecast for next time
        rows = plot_rows(screen)
        drawn = "\n".join(rows)
        assert "o" in drawn and "+" in drawn and "x" in drawn
        assert x_tick_row(rows).split() == ["1", "2", "3", "4", "5", "6"]
        assert y_tick_labels(rows)[0] == ["100", "75", "50", "25", "0"]
        await pilot.press("v")  # back to the fear
        assert not screen.forecast and "felt (after)" in note(app)
        await pilot.press("1")  # v belongs to chart 6 only
        assert "Fear/forecast" not in footer_text(app)


async def test_the_forecast_view_without_new_forecasts_says_where_they_come_from(
    make_app: AppFactory,
) -> None:
    app = make_app(setup=repeated_asks(4, forecasts=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g", "6", "v")
        screen = app.screen
        assert isinstance(screen, ChartsScreen) and screen.plot.display
        assert "Answer “Next time, how likely is a no?” after an ask" in " ".join(note(app).split())


async def test_the_forecast_view_with_one_repetition_says_what_to_do(make_app: AppFactory) -> None:
    app = make_app(setup=repeated_asks(1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "6", "v")
        screen = app.screen
        assert isinstance(screen, ChartsScreen) and not screen.plot.display
        said = " ".join(message(app).split())
        assert "done once so far" in said and "forecast of a no" in said


async def test_chart_seven_shows_the_day_after_answers_beside_the_felt_fear(make_app: AppFactory) -> None:
    app = make_app(setup=repeated_asks(5))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "7")
        screen = app.screen
        assert isinstance(screen, ChartsScreen) and screen.plot.display and message(app) == ""
        assert "Gone over it" in title(app) and "1–7" in title(app)
        legend = " ".join(note(app).split())
        assert "xx fear felt during the ask" in legend and "** gone over it since, the day after" in legend
        rows = plot_rows(screen)
        assert "*" in "\n".join(rows)
        first = (NOW - timedelta(days=10)).date()
        assert x_tick_row(rows).split()[0] == f"{first:%d/%m}"


@pytest.mark.parametrize("answered", [0, 1])
async def test_chart_seven_without_answers_says_where_they_come_from(
    make_app: AppFactory, answered: int
) -> None:
    def setup(journal: Journal) -> None:
        repeated_asks(3, replays=False)(journal)
        for attempt in journal.list_attempts()[:answered]:
            journal.update_attempt(replace(attempt, replay=40))

    app = make_app(setup=setup)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "7")
        screen = app.screen
        assert isinstance(screen, ChartsScreen) and not screen.plot.display
        said = " ".join(message(app).split())
        assert "the Dashboard asks how much you have gone over it since (o there)" in said
        assert f"Answered so far: {answered}." in said


def test_the_day_after_series_holds_the_latest_answers_oldest_first() -> None:
    attempts = [
        replace(done(TIME, after=50 - i, at=NOW - timedelta(days=10 - i)), replay=i * 10 if i % 2 else None)
        for i in range(10)
    ]
    planned = Attempt.plan(TIME, fear_before=40, p_rejection=50, now=NOW)
    series = replay_series([*attempts, planned], NOW, max_points=3)
    assert series.answered == 5 and series.replay == [50, 70, 90] and series.felt == [45, 43, 41]
    assert series.labels == [f"{(NOW - timedelta(days=d)).date():%d/%m}" for d in (5, 3, 1)]
    assert replay_series(attempts, NOW, max_points=0).replay == [90]


def test_forecast_triples_are_one_challenges_predicted_asks_oldest_first() -> None:
    older = replace(done(TIME, at=NOW - timedelta(days=2)), p_rejection_next=30)
    newer = done(TIME, outcome=Outcome.ACCEPTED, at=NOW)
    retro = replace(done(TIME, at=NOW - timedelta(days=1)), retro=True)
    other = done(BY_LEVEL[5], at=NOW)
    assert forecast_triples([newer, retro, other, older], TIME.id) == [
        (50, 30, Outcome.REJECTED),
        (50, None, Outcome.ACCEPTED),
    ]
