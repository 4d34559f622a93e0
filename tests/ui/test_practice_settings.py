"""Pauses and thresholds (issue 16, items 5 and 6): the settings screen, and the Ladder showing them."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Input, Label, OptionList

from rejection_tui.domain.models import Outcome
from rejection_tui.domain.pauses import Pause
from rejection_tui.domain.programs import CALENDAR_MARKS, Program, ProgramKind
from rejection_tui.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from rejection_tui.ui.screens.confirm import ConfirmScreen
from rejection_tui.ui.screens.ladder import LadderScreen
from rejection_tui.ui.screens.practice_settings import PracticeSettingsScreen, ThresholdField
from tests.conftest import NOW, done
from tests.ui.conftest import AppFactory, type_text, wait_until
from tests.ui.test_ladder import LIB, a_ladder, text

TODAY = NOW.date()


def settings_on_disk(path: Path) -> dict[str, Any]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return {doc["key"]: doc["value"] for doc in document.get("settings", {}).values()}


def pause_error(app: RejectionApp) -> Label:
    return app.screen.query_one("#pause-error", Label)


def threshold_box(app: RejectionApp, name: str) -> Input:
    return app.screen.query_one(f"#threshold-{name}", ThresholdField).input


def first_rung_calm_twice(journal: Journal) -> None:
    """The first rung felt at 25 on two days: mastered by the default thresholds (30 or less)."""
    a_ladder(journal)
    journal.add_attempt(done(LIB["ask-the-time"], after=25, at=NOW - timedelta(days=1)))
    journal.add_attempt(done(LIB["ask-the-time"], after=25, at=NOW))


async def open_settings(pilot: Any, app: RejectionApp) -> PracticeSettingsScreen:
    await pilot.press("l", "b")
    await wait_until(pilot, lambda: isinstance(app.screen, PracticeSettingsScreen))
    screen = app.screen
    assert isinstance(screen, PracticeSettingsScreen)
    await wait_until(pilot, lambda: screen._initial is not None)  # the form knows its starting values
    return screen


async def test_a_stricter_threshold_changes_the_ladders_advice_and_defaults_bring_it_back(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=first_rung_calm_twice)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        assert text(app, "#ladder-coaching").startswith("Next: Ask a passer-by for directions")
        screen = await open_settings(pilot, app)
        # Each threshold shows its default and why.
        field = app.screen.query_one("#threshold-calm_fear", ThresholdField)
        assert field.question == "Calm enough: felt fear at most (default 30)"
        assert "mild on the 0–100 scale" in str(field.query_one(".why").render())
        assert any("a therapist, they can adjust them" in str(s.render()) for s in app.screen.query(".note"))
        threshold_box(app, "calm_fear").value = "20"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "thresholds" in settings_on_disk(journal_path))
        assert settings_on_disk(journal_path)["thresholds"] == {"calm_fear": 20}
        await wait_until(pilot, lambda: not screen.saving)
        await pilot.press("escape")  # saved: nothing to lose, so no question
        await wait_until(pilot, lambda: isinstance(app.screen, LadderScreen))
        coaching = text(app, "#ladder-coaching")
        assert coaching.startswith("Now: Ask a stranger for the time") and "repeat it" in coaching
        # The defaults, put back and saved: the rung counts as mastered again.
        screen = await open_settings(pilot, app)
        assert threshold_box(app, "calm_fear").value == "20"
        await pilot.press("ctrl+r")
        assert threshold_box(app, "calm_fear").value == "30"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: settings_on_disk(journal_path)["thresholds"] == {})
        await wait_until(pilot, lambda: not screen.saving)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LadderScreen))
        assert text(app, "#ladder-coaching").startswith("Next: Ask a passer-by for directions")
    assert app.journal.thresholds() == DEFAULT_THRESHOLDS


async def test_a_threshold_out_of_range_is_named_beside_it_and_nothing_is_saved(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=a_ladder)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot, app)
        before = journal_path.read_bytes()
        threshold_box(app, "calm_fear").value = "80"
        threshold_box(app, "easy_rate").value = "half"
        await pilot.pause()
        errors = {
            f.threshold: str(f.query_one(".error", Label).render())
            for f in app.screen.query(ThresholdField)
            if f.query_one(".error", Label).display
        }
        assert errors == {
            "calm_fear": "Calm enough: felt fear at most must be a whole number from 0 to 50",
            "easy_rate": 'Too easy: fewer than this % "no" must be a number from 0 to 49',
        }
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: any(n.title == "Please check the thresholds" for n in app._notifications)
        )
        assert isinstance(app.screen, PracticeSettingsScreen)
        # A fraction where a share may have one is fine; a count must stay whole.
        threshold_box(app, "easy_rate").value = "35.5"
        threshold_box(app, "calm_days").value = "2.5"
        await pilot.pause()
        assert not app.screen.query_one("#threshold-easy_rate .error", Label).display
        assert app.screen.query_one("#threshold-calm_days .error", Label).display
    assert journal_path.read_bytes() == before


async def test_add_a_pause_see_it_on_the_ladder_and_remove_it_after_a_question(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=a_ladder)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_settings(pilot, app)
        listing = app.screen.query_one("#pause-list", OptionList)
        assert "No pauses" in str(listing.get_option_at_index(0).prompt)
        assert app.screen.query_one("#pause-start", Input).value == TODAY.isoformat()  # starting today
        app.screen.query_one("#pause-end", Input).focus()
        await type_text(pilot, (TODAY + timedelta(days=3)).isoformat())
        app.screen.query_one("#pause-reason", Input).value = "a cold [b]"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "pauses" in settings_on_disk(journal_path))
        assert settings_on_disk(journal_path)["pauses"] == [
            {"start": "2026-11-20", "end": "2026-11-23", "reason": "a cold [b]"}
        ]
        await wait_until(pilot, lambda: not screen.saving)
        assert str(listing.get_option_at_index(0).prompt) == (
            "Fri 20 Nov 2026 to Mon 23 Nov 2026 · 4 days · now · a cold [b]"
        )
        assert app.screen.query_one("#pause-end", Input).value == ""  # ready for another
        assert any(n.title == "Pause added" for n in app._notifications)
        await pilot.press("escape")  # the boxes are as they started: no question
        await wait_until(pilot, lambda: isinstance(app.screen, LadderScreen))
        program = text(app, "#ladder-program")
        assert "Paused until Mon 23 Nov (a cold [b]): your weekly goal, programs and streak wait" in program
        assert (
            "none this week as it is paused" not in program
            and "2 this week as part of it is paused" in program
        )
        # Removing asks first; "keep it" keeps it.
        screen = await open_settings(pilot, app)
        listing = app.screen.query_one("#pause-list", OptionList)
        listing.focus()
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, PracticeSettingsScreen))
        assert len(settings_on_disk(journal_path)["pauses"]) == 1
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: settings_on_disk(journal_path)["pauses"] == [])
        await wait_until(pilot, lambda: not screen.saving)
        assert "No pauses" in str(listing.get_option_at_index(0).prompt)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LadderScreen))
        assert "Paused" not in text(app, "#ladder-program")


async def test_a_bad_date_or_an_overlap_is_said_under_the_boxes_and_nothing_is_saved(
    make_app: AppFactory, journal_path: Path
) -> None:
    def a_trip_ahead(journal: Journal) -> None:
        a_ladder(journal)
        journal.set_pauses([Pause(TODAY + timedelta(days=10), TODAY + timedelta(days=14), "trip")])

    app = make_app(setup=a_trip_ahead)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot, app)
        before = journal_path.read_bytes()
        end = app.screen.query_one("#pause-end", Input)
        for typed, said in (
            ("2026-13-01", "The last day must be a date written as YYYY-MM-DD, for example 2026-12-24"),
            ("2026-11-19", "A pause ends on or after the day it starts"),
            ("2026-12-01", "This overlaps your pause from Mon 30 Nov to Fri 04 Dec; change that one instead"),
            ("2028-01-01", "A pause lasts at most 366 days"),
        ):
            end.value = typed
            await pilot.pause()
            await pilot.press("ctrl+n")
            await wait_until(pilot, lambda said=said: said in str(pause_error(app).render()))  # type: ignore[misc]
            assert pause_error(app).display
        end.value = ""
        app.screen.query_one("#pause-start", Input).value = "next monday"
        await pilot.pause()  # (as typing would: the boxes' changes land before the key)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: "The first day must be a date" in str(pause_error(app).render()))
        assert isinstance(app.screen, PracticeSettingsScreen)
        assert journal_path.read_bytes() == before
        # Leaving with something typed asks first, as every form does.
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, LadderScreen))
    assert journal_path.read_bytes() == before


async def test_a_pause_that_cannot_be_saved_keeps_what_was_typed(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=a_ladder)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot, app)
        # Another program puts a newer version's journal in its place: the save is refused.
        external = journal_path.read_bytes().replace(b'"schema_version": 2', b'"schema_version": 99')
        journal_path.write_bytes(external)
        os.utime(journal_path, ns=(5, 5))
        app.screen.query_one("#pause-end", Input).value = (TODAY + timedelta(days=2)).isoformat()
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: any(n.title == "Not saved" for n in app._notifications))
        assert isinstance(app.screen, PracticeSettingsScreen)
        assert app.screen.query_one("#pause-end", Input).value == (TODAY + timedelta(days=2)).isoformat()
        assert "No pauses" in str(
            app.screen.query_one("#pause-list", OptionList).get_option_at_index(0).prompt
        )
    assert journal_path.read_bytes() == external


async def test_the_program_calendar_marks_paused_days_and_the_streak_waits(make_app: AppFactory) -> None:
    def program_with_a_pause(journal: Journal) -> None:
        a_ladder(journal)
        start = TODAY - timedelta(days=5)
        journal.set_program(Program(ProgramKind.DAYS_30, start))
        for days_ago in (5, 4):
            journal.add_attempt(
                done(LIB["ask-the-time"], outcome=Outcome.REJECTED, at=NOW - timedelta(days=days_ago))
            )
        journal.set_pauses([Pause(TODAY - timedelta(days=3), TODAY - timedelta(days=1), "flu")])

    app = make_app(setup=program_with_a_pause)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        program = text(app, "#ladder-program")
        marks = [CALENDAR_MARKS[s] for s in ("done", "done", "paused", "paused", "paused", "today", "ahead")]
        assert " ".join(marks) in program
        assert "30-day challenge: day 3 / 30, 2 rejection days, 3 days paused" in program
        assert f"{CALENDAR_MARKS['paused']} paused" in program  # the legend names the mark
        assert "streak 2 days" in program  # the flu did not end it
        # The key is in the Ladder's footer.
        footer_keys = [
            b.binding.key for b in app.screen.active_bindings.values() if b.binding.id == "practice_settings"
        ]
        assert footer_keys == ["b"]


async def test_thresholds_stored_by_a_therapist_by_hand_fill_the_boxes(make_app: AppFactory) -> None:
    def adjusted(journal: Journal) -> None:
        journal.set_thresholds(Thresholds(calm_fear=25, backed_out_in_a_row=3, easy_rate=33.5))

    app = make_app(setup=adjusted)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot, app)
        assert threshold_box(app, "calm_fear").value == "25"
        assert threshold_box(app, "backed_out_in_a_row").value == "3"
        assert threshold_box(app, "easy_rate").value == "33.5"
        assert threshold_box(app, "calm_days").value == "2"  # the default
