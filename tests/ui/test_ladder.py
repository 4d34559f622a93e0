"""Building, reordering and climbing a ladder; programs and rest days."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, Static

from rejection_tui.domain.ladder import Ladder, Rung
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.screens.before import BeforeScreen
from rejection_tui.ui.screens.dashboard import DashboardScreen
from rejection_tui.ui.screens.ladder import LadderScreen
from rejection_tui.ui.screens.prompt import PromptScreen
from rejection_tui.ui.screens.starter import StarterLadderScreen
from rejection_tui.ui.widgets.fields import ScoreField
from tests.conftest import NOW, done
from tests.ui.conftest import AppFactory, type_text

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


async def test_mastery_brings_the_next_rung_to_the_dashboard(make_app: AppFactory) -> None:
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
        await pilot.press("enter")
        assert isinstance(app.screen, BeforeScreen) and app.screen.challenge.id == "ask-directions"
        await pilot.press("escape", "l")
        assert "✓" not in str(app.screen.query_one(DataTable).get_row_at(0)[3])  # still current
        await pilot.press("down", "enter")
        assert app.journal.ladder().current == 1


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


async def test_surprise_me_opens_a_challenge_from_a_quiet_category(make_app: AppFactory) -> None:
    app = make_app(setup=a_ladder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "u")
        assert isinstance(app.screen, BeforeScreen)
        assert app.screen.challenge.level <= LIB["ask-the-time"].level
        assert any("Varied practice" in n.message for n in app._notifications)
