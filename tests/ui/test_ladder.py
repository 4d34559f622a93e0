"""Building, reordering and climbing a ladder; programs and rest days."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from itertools import pairwise
from pathlib import Path
from random import Random
from typing import Any

from textual._compositor import LayoutUpdate
from textual.strip import Strip
from textual.widgets import DataTable, Input, Markdown, Static
from textual.widgets.data_table import ColumnKey

from rejection_tui.domain.ladder import Ladder, Rung
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Outcome
from rejection_tui.domain.programs import Program, ProgramKind
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from rejection_tui.ui.screens.before import BeforeScreen
from rejection_tui.ui.screens.dashboard import DashboardScreen
from rejection_tui.ui.screens.help import HelpScreen
from rejection_tui.ui.screens.ladder import LadderScreen
from rejection_tui.ui.screens.pickers import ChallengePicker
from rejection_tui.ui.screens.prompt import PromptScreen
from rejection_tui.ui.screens.starter import StarterLadderScreen
from rejection_tui.ui.widgets.fields import ScoreField
from tests.conftest import NOW, done
from tests.ui.conftest import AppFactory, type_text, wait_until

LIB = {c.id: c for c in builtin_challenges()}
FEARS = [30, 35, 40, 45, 50, 55, 60, 65, 70, 80]
RUNG_IDS = ["ask-the-time", "ask-directions", "free-sample", "photo-of-me", "better-price",
            "eat-alone", "borrow-phone", "give-opinion", "ask-upgrade", "walk-along"]  # fmt: skip


def saved(path: Path, table: str) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8")).get(table, {}).values())


def a_ladder(journal: Journal) -> None:
    journal.save_ladder(Ladder(tuple(Rung.of(LIB[i], f) for i, f in zip(RUNG_IDS, FEARS, strict=True)), 0))


def text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def notices(app: RejectionApp) -> list[str]:
    return [n.message for n in app._notifications]


def screen_text(app: RejectionApp) -> str:
    """What the terminal shows, line by line."""
    update = app.screen._compositor.render_update(full=True)
    assert isinstance(update, LayoutUpdate)
    return "\n".join(Strip.join(line).text for line in update.strips)


async def test_build_a_starter_ladder_from_my_own_ratings(make_app: AppFactory, journal_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        assert isinstance(app.screen, LadderScreen) and app.screen.title == "Ladder"
        assert "No ladder yet" in text(app, "#ladder-coaching")
        await pilot.press("s")
        assert isinstance(app.screen, StarterLadderScreen)
        await type_text(pilot, "10")  # too calm to teach much: left out
        fields = list(app.screen.query(ScoreField))
        for field, fear in zip(fields[1:], [25, 30, 35, 40, 50, 55, 60, 70, 75, 85, 95], strict=True):
            field.input.value = str(fear)
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, LadderScreen)
        rungs = saved(journal_path, "ladder")[0]["rungs"]
        assert len(rungs) == 10 and [r["expected_fear"] for r in rungs] == sorted(
            r["expected_fear"] for r in rungs
        )
        assert rungs[0]["expected_fear"] == 25
        assert app.screen.query_one(DataTable).row_count == 10
        # What was left out of the person's own ratings is said, by name.
        built = next(n for n in notices(app) if n.startswith("Your ladder has 10 rungs"))
        calm = StarterLadderScreen().choices[0].title
        assert f"Left out 1 ask rated below 20, calm enough already: “{calm}” (10)." in built
        assert "Left out 1 more ask to keep the steps even: " in built


async def test_reorder_warns_and_add_with_picker_and_fear(make_app: AppFactory, journal_path: Path) -> None:
    app = make_app(setup=a_ladder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        assert not app.screen.query_one("#ladder-warnings").display
        await pilot.press("shift+down")
        order = [r["challenge_id"] for r in saved(journal_path, "ladder")[0]["rungs"]]
        assert order[:2] == ["ask-directions", "ask-the-time"]
        assert "out of order" in text(app, "#ladder-warnings")
        assert app.screen.query_one(DataTable).cursor_row == 1
        await pilot.press("shift+up")
        assert [r["challenge_id"] for r in saved(journal_path, "ladder")[0]["rungs"]][:2] == [
            "ask-the-time",
            "ask-directions",
        ]

        await pilot.press("a")
        await type_text(pilot, "raise")
        await pilot.press("enter")
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, "150")
        await pilot.press("enter")
        assert isinstance(app.screen, PromptScreen)  # refused: reason shown
        assert "Expected fear must be a whole number" in str(
            app.screen.query_one("#prompt-error", Static).render()
        )
        app.screen.query_one(Input).value = "90"
        await pilot.press("enter")
        rungs = saved(journal_path, "ladder")[0]["rungs"]
        assert rungs[-1]["challenge_id"] == "ask-for-raise" and rungs[-1]["expected_fear"] == 90

        await pilot.press("x", "y")
        assert len(saved(journal_path, "ladder")[0]["rungs"]) == 10


async def test_mastery_brings_the_next_rung_to_the_dashboard_and_starting_it_climbs(
    make_app: AppFactory, journal_path: Path
) -> None:
    def mastered_first(journal: Journal) -> None:
        a_ladder(journal)
        journal.add_attempt(done(LIB["ask-the-time"], after=20, at=NOW - timedelta(days=1)))
        journal.add_attempt(done(LIB["ask-the-time"], after=25, at=NOW))

    app = make_app(setup=mastered_first)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        suggestion = text(app, "#suggestion")
        assert "next: Ask a passer-by for directions" in suggestion
        assert "different days. Ready for the next rung." in suggestion
        await pilot.press("enter")  # starting the suggested rung makes it the current one
        await wait_until(pilot, lambda: isinstance(app.screen, BeforeScreen))
        assert isinstance(app.screen, BeforeScreen) and app.screen.challenge.id == "ask-directions"
        assert saved(journal_path, "ladder")[0]["current"] == 1
        await pilot.press("escape", "l")
        statuses = [str(s) for s in app.screen.query_one(DataTable).get_column("status")]
        assert statuses[:2] == ["✓ mastered", "▶ current"]
        await pilot.press("d")
        suggestion = text(app, "#suggestion")
        assert "rung 2 of 10" in suggestion and "give it a first try" in suggestion


async def test_weekly_goal_program_and_rest_day(make_app: AppFactory, journal_path: Path) -> None:
    app = make_app(setup=a_ladder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "w")
        app.screen.query_one(Input).value = "15"
        await pilot.press("enter")
        assert isinstance(app.screen, PromptScreen)  # 15 is too many
        app.screen.query_one(Input).value = "5"
        await pilot.press("enter")
        await pilot.press("p")
        await type_text(pilot, "30")
        await pilot.press("enter")
        await pilot.press("z", "enter")  # tomorrow, as offered
        settings = {d["key"]: d["value"] for d in saved(journal_path, "settings")}
        assert settings["weekly_goal"] == 5
        assert settings["program"] == {"kind": "30-day", "started_on": NOW.date().isoformat()}
        assert settings["rest_days"] == [(NOW.date() + timedelta(days=1)).isoformat()]
        program = text(app, "#ladder-program")
        assert "30-day challenge: day 1 / 30" in program and "Weekly goal 5" in program
        await pilot.press("d")
        assert "30-day challenge" in text(app, "#suggestion")


def test_ladder_snapshot(make_app: AppFactory, snap_compare: Any) -> None:
    def setup(journal: Journal) -> None:
        a_ladder(journal)
        journal.add_attempt(done(LIB["ask-the-time"], after=20, at=NOW - timedelta(days=1)))

    assert snap_compare(make_app(setup=setup), press=["l"], terminal_size=(100, 30))


def test_ladder_snapshot_at_60x20(make_app: AppFactory, snap_compare: Any) -> None:
    # A phone over SSH: the rung column shrinks (titles end in …), Fear and Status stay whole.
    def setup(journal: Journal) -> None:
        a_ladder(journal)
        for days_ago in (1, 2):
            journal.add_attempt(done(LIB["ask-the-time"], after=20, at=NOW - timedelta(days=days_ago)))
        journal.add_attempt(done(LIB["free-sample"], after=50, at=NOW))

    assert snap_compare(make_app(setup=setup), press=["l"], terminal_size=(60, 20))


async def test_surprise_me_varies_never_repeats_and_works_from_home_the_ladder_and_the_palette(
    make_app: AppFactory,
) -> None:
    app = make_app(setup=a_ladder)
    app.rng = Random(3)
    picks: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        # On Home the footer is full at 80 columns: the next-step card names u instead.
        assert "u" in app.screen.active_bindings
        assert "u surprise me" in str(app.screen.query_one("#suggestion", Static).render())
        for key in ("u", "u", "u", "l", "u", "u"):
            if key == "l":
                await pilot.press("l")
                continue
            await pilot.press(key)
            await wait_until(pilot, lambda: isinstance(app.screen, BeforeScreen))
            assert isinstance(app.screen, BeforeScreen)
            picks.append(app.screen.challenge.id)
            assert app.screen.challenge.level <= LIB["ask-the-time"].level
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, BeforeScreen))
        assert all(a != b for a, b in pairwise(picks))  # never the same twice running
        assert len(set(picks)) >= 3  # it varies
        assert any("Varied practice" in n for n in notices(app))
        await pilot.press("ctrl+p")
        await type_text(pilot, "surprise me")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BeforeScreen))
        assert isinstance(app.screen, BeforeScreen) and app.screen.challenge.id != picks[-1]


async def test_too_easy_shows_on_the_dashboard_without_a_ladder(make_app: AppFactory) -> None:
    def a_week_of_yes(journal: Journal) -> None:
        # 14 asks this week, a single "no" among the last ten, and no ladder.
        for i in range(14):
            outcome = Outcome.REJECTED if i == 2 else Outcome.ACCEPTED
            journal.add_attempt(done(LIB["ask-the-time"], outcome=outcome, at=NOW - timedelta(hours=6 * i)))

    app = make_app(setup=a_week_of_yes)
    async with app.run_test(size=(100, 30)):
        assert not app.journal.ladder().rungs
        assert "hearing yes a lot (10 % no in your last 10 asks)" in text(app, "#suggestion")


async def test_edit_a_rungs_expected_fear(make_app: AppFactory, journal_path: Path) -> None:
    app = make_app(setup=a_ladder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "down", "e")
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "35"  # what it was
        app.screen.query_one(Input).value = "101"
        await pilot.press("enter")
        assert isinstance(app.screen, PromptScreen)  # refused, with the reason
        app.screen.query_one(Input).value = "42"
        await pilot.press("enter")
        await wait_until(pilot, lambda: saved(journal_path, "ladder")[0]["rungs"][1]["expected_fear"] == 42)
        assert isinstance(app.screen, LadderScreen)
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(1)[2]) == "42" and table.cursor_row == 1


async def test_a_challenge_already_on_the_ladder_is_refused_before_its_fear_is_asked(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=a_ladder)
    async with app.run_test(size=(100, 30)) as pilot:
        before = journal_path.read_bytes()
        await pilot.press("l", "a")
        assert isinstance(app.screen, ChallengePicker)
        await type_text(pilot, "directions")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LadderScreen))
        assert not isinstance(app.screen, PromptScreen)
        assert any("already on your ladder" in n for n in notices(app))
        assert journal_path.read_bytes() == before

    def full(journal: Journal) -> None:
        others = [c for c in builtin_challenges() if c.id not in RUNG_IDS][:5]
        rungs = [Rung.of(LIB[i], f) for i, f in zip(RUNG_IDS, FEARS, strict=True)]
        rungs += [Rung.of(c, 85 + n) for n, c in enumerate(others)]
        journal.save_ladder(Ladder(tuple(rungs), 0))

    app = make_app(setup=full)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "a")
        assert isinstance(app.screen, LadderScreen)  # no picker: 15 rungs is the most
        assert any("at most 15 rungs" in n for n in notices(app))


async def test_the_ladder_fits_sixty_columns(make_app: AppFactory) -> None:
    app = make_app(setup=a_ladder)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("l")
        table = app.screen.query_one(DataTable)
        await wait_until(pilot, lambda: table.virtual_size.width <= table.scrollable_content_region.width)
        shown = screen_text(app)
        assert "▶ current" in shown and "Status" in shown
        await pilot.resize_terminal(100, 30)
        # Wider: the rung column grows.
        await wait_until(pilot, lambda: table.columns[ColumnKey("title")].width > 50)
        assert table.virtual_size.width <= table.scrollable_content_region.width


async def test_help_reads_the_ladder_keys_cleanly(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        source = app.screen.query_one(Markdown).source
        row = next(line for line in source.splitlines() if line.startswith("| Ladder |"))
        assert row.startswith(
            "| Ladder | `a` Add a rung · `x / del` Remove the rung · `shift+↑ / K` Move up · "
            "`shift+↓ / J` Move down · `⏎` Make it the current step · `e` Change the rung's expected fear"
        )
        assert "⇧↑↓" not in row and "delete" not in row
        home = next(line for line in source.splitlines() if line.startswith("| Dashboard |"))
        assert "`u` Surprise me" in home


async def test_one_rejection_day_and_one_day_are_singular(make_app: AppFactory) -> None:
    def one_day(journal: Journal) -> None:
        a_ladder(journal)
        journal.add_attempt(done(LIB["ask-the-time"], outcome=Outcome.REJECTED, at=NOW))
        journal.set_program(Program(ProgramKind.DAYS_30, NOW.date()))

    app = make_app(setup=one_day)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        program = text(app, "#ladder-program")
        assert "day 1 / 30, 1 rejection day " in program and "1 rejection days" not in program
        assert "streak 1 day\n" in program
        await pilot.press("d")
        assert text(app, "#suggestion").endswith("30-day challenge: day 1 / 30, 1 rejection day")


async def test_after_not_saved_the_ladder_shows_the_saved_weekly_goal(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=a_ladder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "w")
        # Another program puts a newer version's journal in its place: the save is refused.
        external = journal_path.read_bytes().replace(b'"schema_version": 2', b'"schema_version": 99')
        journal_path.write_bytes(external)
        os.utime(journal_path, ns=(5, 5))
        app.screen.query_one(Input).value = "5"
        await pilot.press("enter")
        await wait_until(pilot, lambda: any(n.title == "Not saved" for n in app._notifications))
        await pilot.press("d", "l")  # coming back re-reads the journal
        assert "Weekly goal 3 " in text(app, "#ladder-program")
        assert app.journal.weekly_goal() == 3
        await pilot.press("d")
        assert text(app, "#week").endswith("/ 3\nthis week")
    assert journal_path.read_bytes() == external


async def test_surprise_me_suggests_the_channel_practised_least_once_asks_are_tagged(
    make_app: AppFactory,
) -> None:
    from dataclasses import replace

    def tagged(journal: Journal) -> None:
        a_ladder(journal)
        for tag in ("in person", "message"):
            attempt = done(LIB[RUNG_IDS[0]], at=NOW - timedelta(days=1))
            journal.add_attempt(replace(attempt, contexts=(tag,)))

    app = make_app(setup=tagged)
    app.rng = Random(3)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("u")
        await wait_until(pilot, lambda: any("Something different" in n for n in notices(app)))
        assert any("Maybe by phone this time?" in n for n in notices(app))
