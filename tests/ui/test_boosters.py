"""Keeping the gains on the Dashboard: the maintenance plan offered once, then the due booster."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from rejection_tui.domain.ladder import Ladder, Rung
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.maintenance import (
    MAINTENANCE_SETTING,
    StoredPlan,
    finished_practice,
    maintenance_card,
    read_plan,
)
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.domain.pauses import Pause
from rejection_tui.domain.programs import Program, ProgramKind, program_progress
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.screens.dashboard import DashboardScreen
from rejection_tui.ui.screens.maintenance_dialogs import MaintenanceOfferScreen, ReRateScreen, levels_phrase
from tests.conftest import NOW
from tests.ui.clocked import ClockedApp, clocked_apps
from tests.ui.conftest import type_text, wait_until


@pytest.fixture
def clocked_app(journal_path: Path) -> Iterator[ClockedApp]:
    yield from clocked_apps(journal_path)


LIB = {c.id: c for c in builtin_challenges()}
LOW = LIB["ask-the-time"]
TOP = next(c for c in builtin_challenges() if c.level == 3)


def calm(challenge: Any, at: datetime, outcome: Outcome = Outcome.ACCEPTED) -> Attempt:
    """A calm ask (felt fear 20): two on different days master a rung."""
    return Attempt.plan(challenge, fear_before=50, p_rejection=50, now=at - timedelta(hours=1)).rate(
        fear_after=20, outcome=outcome, now=at
    )


def mastered_ladder(journal: Journal) -> None:
    """A two-rung ladder, its top rung mastered two days before the clock's today."""
    journal.save_ladder(Ladder((Rung.of(LOW, 30), Rung.of(TOP, 55)), 1))
    for days in (6, 5):
        journal.add_attempt(calm(LOW, NOW - timedelta(days=days)))
    for days in (3, 2):
        journal.add_attempt(calm(TOP, NOW - timedelta(days=days)))


def card(app: Any) -> str:
    widget = app.screen.query_one("#gains-card", Static)
    return " ".join(str(widget.render()).split()) if widget.display else ""


def setting(path: Path) -> Any:
    """The maintenance setting as it is on disk."""
    settings = json.loads(path.read_text(encoding="utf-8")).get("settings", {}).values()
    return next(doc["value"] for doc in settings if doc.get("key") == MAINTENANCE_SETTING)


async def test_a_mastered_ladder_offers_the_plan_and_accepting_starts_it(
    clocked_app: ClockedApp, journal_path: Path
) -> None:
    app, clock = clocked_app(setup=mastered_ladder)
    async with app.run_test(size=(80, 24)) as pilot:
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        assert "you've finished your ladder" in card(app) and "m to see the plan" in card(app)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MaintenanceOfferScreen))
        offer = " ".join(str(app.screen.query_one("#maintenance-offer").render()).split())
        assert "about 1, 2, 4 and 8 weeks" in offer
        assert f"An ask at level {LOW.level} or {TOP.level} counts." in str(
            app.screen.query_one(".hint").render()
        )
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.journal.get_setting(MAINTENANCE_SETTING), dict))
        await dashboard.settled()
        assert app.journal.get_setting(MAINTENANCE_SETTING) == {
            "for": f"ladder:{TOP.id}",
            "accepted": True,
            "since": NOW.date().isoformat(),
            "levels": sorted({LOW.level, TOP.level}),
        }
        # Nothing due yet: a quiet line with the first booster's date, no second offer.
        await wait_until(pilot, lambda: "next booster ask around" in card(app))
        assert f"{NOW.date() + timedelta(weeks=1):%a %d %b}" in card(app)
        assert "finished" not in card(app)
        # A week later the first booster is due.
        clock.now = NOW + timedelta(weeks=1)
        dashboard.refresh_data()
        assert "booster 1 of 4 is ready" in card(app) and "n to plan one" in card(app)
        # An ask at a mastered level that day does it: nothing due until the next one.
        app.journal.add_attempt(calm(LOW, clock.now))
        dashboard.refresh_data()
        assert "booster" not in card(app) or "next booster ask around" in card(app)
        assert f"{NOW.date() + timedelta(weeks=2):%a %d %b}" in card(app)
        clock.now = NOW + timedelta(weeks=2, days=3)
        dashboard.refresh_data()
        assert "booster 2 of 4 is ready (since" in card(app)
    assert setting(journal_path)["accepted"] is True  # on disk, not only in memory


async def test_declining_is_remembered_and_not_offered_again(
    clocked_app: ClockedApp, journal_path: Path
) -> None:
    app, clock = clocked_app(setup=mastered_ladder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MaintenanceOfferScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: app.journal.get_setting(MAINTENANCE_SETTING) is not None)
        assert app.journal.get_setting(MAINTENANCE_SETTING) == {"for": f"ladder:{TOP.id}", "accepted": False}
        await wait_until(pilot, lambda: card(app) == "")
        clock.now = NOW + timedelta(weeks=1)
        app.screen.refresh_data()  # type: ignore[attr-defined]
        assert card(app) == ""  # no booster either: there is no plan
    app, _ = clocked_app()
    async with app.run_test(size=(80, 24)):
        assert card(app) == ""


async def test_not_now_keeps_the_offer(clocked_app: ClockedApp, journal_path: Path) -> None:
    app, _ = clocked_app(setup=mastered_ladder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MaintenanceOfferScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await app.screen.settled()  # type: ignore[attr-defined]
        assert app.journal.get_setting(MAINTENANCE_SETTING) is None
        assert "you've finished your ladder" in card(app)


async def test_nothing_is_offered_before_anything_is_finished(clocked_app: ClockedApp) -> None:
    def unfinished(journal: Journal) -> None:
        journal.save_ladder(Ladder((Rung.of(LOW, 30), Rung.of(TOP, 55)), 0))
        for days in (3, 2):
            journal.add_attempt(calm(LOW, NOW - timedelta(days=days)))  # the lower rung only

    app, _ = clocked_app(setup=unfinished)
    async with app.run_test(size=(80, 24)) as pilot:
        assert card(app) == ""
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)  # a sentence, no dialog


def thirty_days_done(journal: Journal) -> None:
    start = NOW.date() - timedelta(days=40)
    journal.set_program(Program(ProgramKind.DAYS_30, start))
    for day in range(30):
        at = NOW - timedelta(days=40 - day)
        journal.add_attempt(calm(LOW if day % 2 else TOP, at, Outcome.REJECTED))


async def test_a_finished_program_offers_the_plan(clocked_app: ClockedApp) -> None:
    app, _ = clocked_app(setup=thirty_days_done)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "you've finished your 30-day challenge" in card(app)
        await pilot.press("m", "y")
        start = (NOW.date() - timedelta(days=40)).isoformat()
        await wait_until(
            pilot,
            lambda: (app.journal.get_setting(MAINTENANCE_SETTING) or {}).get("for") == f"30-day:{start}",
        )
        assert app.journal.get_setting(MAINTENANCE_SETTING)["levels"] == sorted({LOW.level, TOP.level})


def test_the_card_follows_the_stored_plan() -> None:
    attempts = [calm(TOP, NOW - timedelta(days=d)) for d in (3, 2)]
    ladder = Ladder((Rung.of(TOP, 50),), 0)
    finished = finished_practice(ladder, None, None, attempts, NOW)
    assert finished is not None and finished.levels == {TOP.level}
    assert finished_practice(ladder, None, None, attempts, NOW, settled=finished.key) is None
    assert maintenance_card(None, finished, attempts, NOW).offer == finished
    declined = StoredPlan(finished.key, False)
    assert read_plan(declined.to_setting()) == declined
    assert maintenance_card(declined, finished, attempts, NOW).offer is None
    # A plan for something else that is over: the newly finished one is offered.
    old = StoredPlan("30-day:2026-01-01", True, date(2026, 1, 1), frozenset({TOP.level}))
    assert read_plan(old.to_setting()) == old
    assert maintenance_card(old, finished, attempts, NOW).offer == finished
    # A running plan shows its booster, never an offer.
    running = StoredPlan("ladder:other", True, NOW.date() - timedelta(weeks=1), frozenset({9}))
    shown = maintenance_card(running, finished, attempts, NOW)
    assert shown.offer is None and shown.booster is not None and shown.booster.number == 1
    # Unreadable settings read as none (the offer comes back rather than a crash).
    for raw in (
        None,
        "yes",
        {"accepted": True},
        {"for": "x", "accepted": True, "since": "soon", "levels": [1]},
    ):
        assert read_plan(raw) is None


def test_a_program_is_finished_only_when_it_has_ended() -> None:
    program = Program(ProgramKind.DAYS_30, NOW.date() - timedelta(days=10))
    attempts = [calm(LOW, NOW - timedelta(days=d), Outcome.REJECTED) for d in range(10)]
    progress = program_progress(program, attempts, set(), NOW)
    assert finished_practice(Ladder(), program, progress, attempts, NOW) is None


async def test_rerating_mastered_rungs_saves_the_new_fear(clocked_app: ClockedApp) -> None:
    app, _ = clocked_app(setup=mastered_ladder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ReRateScreen))
        fields = list(app.screen.query(Input))
        assert [f.value for f in fields] == ["30", "55"]
        await pilot.press("tab")  # to the top rung's fear
        fields[1].value = ""
        await type_text(pilot, "70")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: [r.expected_fear for r in app.journal.ladder().rungs] == [30, 70])
        assert app.journal.ladder().current == 1


async def test_escape_on_changed_fears_asks_before_dropping_them(clocked_app: ClockedApp) -> None:
    from rejection_tui.ui.screens.confirm import ConfirmScreen

    app, _ = clocked_app(setup=mastered_ladder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ReRateScreen))
        fields = list(app.screen.query(Input))
        fields[0].value = ""
        await type_text(pilot, "45")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")  # keep it
        await wait_until(pilot, lambda: isinstance(app.screen, ReRateScreen))
        assert app.screen.query(Input).first().value == "45"
        await pilot.press("escape", "y")  # now leave, on purpose: nothing saved
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert [r.expected_fear for r in app.journal.ladder().rungs] == [30, 55]


async def test_rerating_says_so_when_nothing_is_mastered(clocked_app: ClockedApp) -> None:
    app, _ = clocked_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_the_dashboard_during_a_pause_says_so_and_the_week_has_no_goal(clocked_app: ClockedApp) -> None:
    # NOW is a Friday; the pause covers the whole Monday–Sunday week, with a reason typed in markup.
    monday = NOW.date() - timedelta(days=NOW.weekday())

    def paused(journal: Journal) -> None:
        journal.set_pauses([Pause(monday, monday + timedelta(days=6), "exams [b]soon[/]")])
        journal.add_attempt(calm(LOW, NOW - timedelta(days=1)))  # practising anyway still counts

    app, clock = clocked_app(setup=paused)
    async with app.run_test(size=(80, 24)):
        pause = app.screen.query_one("#pause-card", Static)
        said = " ".join(str(pause.render()).split())
        assert pause.display and "Paused until" in said and "(exams [b]soon[/])" in said
        week = " ".join(str(app.screen.query_one("#week", Static).render()).split())
        assert week == "1 this week (paused)"
        clock.now = NOW + timedelta(days=7)  # the week after: no pause, the goal is back
        app.screen.refresh_data()  # type: ignore[attr-defined]
        assert not pause.display
        assert "/ 3" in str(app.screen.query_one("#week", Static).render())


def test_levels_are_named_as_a_person_says_them() -> None:
    assert levels_phrase({2}) == "level 2"
    assert levels_phrase({3, 2}) == "level 2 or 3"
    assert levels_phrase([5, 1, 3]) == "level 1, 3 or 5"
