"""The day-after question on the Dashboard: once, only the next day, skippable; kind lines when high."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Label, Static

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.domain.replay import SELF_COMPASSION_LINES
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from rejection_tui.ui.screens.dashboard import DashboardScreen
from rejection_tui.ui.screens.replay import ReplayScreen, SelfCompassionScreen, replay_value
from tests.conftest import NOW
from tests.ui.clocked import ClockedApp, clocked_apps
from tests.ui.conftest import saved_attempts, type_text, wait_until

LIB = {c.id: c for c in builtin_challenges()}
TIME = LIB["ask-the-time"]
OTHER = next(c for c in builtin_challenges() if c.id != TIME.id)


@pytest.fixture
def clocked_app(journal_path: Path) -> Iterator[ClockedApp]:
    yield from clocked_apps(journal_path)


def rated(challenge: Any = TIME, *, at: datetime, outcome: Outcome = Outcome.REJECTED) -> Attempt:
    return Attempt.plan(challenge, fear_before=60, p_rejection=50, now=at - timedelta(hours=1)).rate(
        fear_after=40, outcome=outcome, now=at
    )


def one_yesterday(journal: Journal) -> None:
    journal.add_attempt(rated(at=NOW - timedelta(days=1)))


def card(app: RejectionApp) -> str:
    widget = app.screen.query_one("#replay-card", Static)
    return " ".join(str(widget.render()).split()) if widget.display else ""


def stored(path: Path) -> dict[str, Any]:
    (only,) = saved_attempts(path)
    return only


async def test_the_question_shows_only_on_the_day_after(clocked_app: ClockedApp) -> None:
    # Rated late in the evening: the next local day starts in a few hours, not 24 hours later.
    late = NOW.replace(hour=23, minute=30)
    app, clock = clocked_app(now=late, setup=lambda j: j.add_attempt(rated(at=late)))
    async with app.run_test(size=(80, 24)) as pilot:
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        assert card(app) == ""  # the same day: not yet
        await pilot.press("o")  # nothing due: a sentence, no dialog
        await pilot.pause()
        assert not isinstance(app.screen, ReplayScreen)
        clock.now = late + timedelta(hours=1)  # 00:30, the next day
        dashboard.refresh_data()
        assert "how much have you gone over it since?" in card(app)
        assert TIME.title in card(app) and "o to answer or skip" in card(app)
        clock.now = late + timedelta(days=1, hours=1)  # the day after that: the moment has passed
        dashboard.refresh_data()
        assert card(app) == ""


async def test_an_answer_is_saved_and_never_asked_again(clocked_app: ClockedApp, journal_path: Path) -> None:
    app, clock = clocked_app(setup=one_yesterday)
    async with app.run_test(size=(80, 24)) as pilot:
        assert TIME.title in card(app)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await type_text(pilot, "30")
        await pilot.press("enter")
        await wait_until(pilot, lambda: stored(journal_path).get("replay") == 30)
        assert "replay_skipped" not in stored(journal_path) and "replay_note" not in stored(journal_path)
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await pilot.pause()
        assert not isinstance(app.screen, SelfCompassionScreen)  # 30 is not high: no extra step
        assert card(app) == ""
        clock.now += timedelta(minutes=5)
        app.screen.refresh_data()  # type: ignore[attr-defined]
        assert card(app) == ""
    # Opened again the same day: still not asked.
    app, _ = clocked_app()
    async with app.run_test(size=(80, 24)):
        assert card(app) == ""


async def test_skipping_is_kept_and_never_asked_again(clocked_app: ClockedApp, journal_path: Path) -> None:
    app, _ = clocked_app(setup=one_yesterday)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await pilot.press("tab", "enter")  # from the answer to "Skip this one"
        await wait_until(pilot, lambda: stored(journal_path).get("replay_skipped") is True)
        assert "replay" not in stored(journal_path)
        await wait_until(pilot, lambda: card(app) == "")
    app, _ = clocked_app()
    async with app.run_test(size=(80, 24)):
        assert card(app) == ""


async def test_not_now_saves_nothing_and_the_card_stays(clocked_app: ClockedApp, journal_path: Path) -> None:
    app, _ = clocked_app(setup=one_yesterday)
    before = stored(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await app.screen.settled()  # type: ignore[attr-defined]
        assert stored(journal_path) == before
        assert TIME.title in card(app)


async def test_a_number_out_of_range_is_explained_not_saved(
    clocked_app: ClockedApp, journal_path: Path
) -> None:
    app, _ = clocked_app(setup=one_yesterday)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await pilot.press("enter")  # nothing typed
        error = app.screen.query_one("#replay-error", Label)
        assert error.display and "0 to 100" in str(error.render())
        await type_text(pilot, "150")
        await pilot.press("enter")
        assert isinstance(app.screen, ReplayScreen)
        assert error.display and "100" in str(error.render())
        assert "replay" not in stored(journal_path)


def test_replay_value_reads_whole_numbers_from_0_to_100() -> None:
    assert replay_value(" 0 ") == (0, None)
    assert replay_value("100") == (100, None)
    for bad in ("", "101", "x", "-1"):
        value, error = replay_value(bad)
        assert value is None and error


async def test_a_high_answer_offers_the_kind_lines_and_keeps_the_note(
    clocked_app: ClockedApp, journal_path: Path
) -> None:
    app, _ = clocked_app(setup=one_yesterday)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await type_text(pilot, "80")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SelfCompassionScreen))
        assert stored(journal_path).get("replay") == 80  # saved before the lines, whatever comes next
        shown = " ".join(str(label.render()) for label in app.screen.query(".compassion-line"))
        for line in SELF_COMPASSION_LINES:
            assert line in " ".join(shown.split())
        assert isinstance(app.screen.focused, Input)
        await type_text(pilot, "I tried [b]and[/] that counts")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: stored(journal_path).get("replay_note") == "I tried [b]and[/] that counts"
        )
        assert stored(journal_path)["replay"] == 80
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen) and card(app) == "")


async def test_the_kind_lines_can_be_closed_without_a_note(
    clocked_app: ClockedApp, journal_path: Path
) -> None:
    app, _ = clocked_app(setup=one_yesterday)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await type_text(pilot, "50")  # the threshold itself counts as high
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SelfCompassionScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await app.screen.settled()  # type: ignore[attr-defined]
        assert stored(journal_path)["replay"] == 50 and "replay_note" not in stored(journal_path)


async def test_two_asks_yesterday_are_asked_about_one_at_a_time_oldest_first(
    clocked_app: ClockedApp, journal_path: Path
) -> None:
    def two(journal: Journal) -> None:
        journal.add_attempt(rated(OTHER, at=NOW - timedelta(days=1, hours=2)))
        journal.add_attempt(rated(TIME, at=NOW - timedelta(days=1), outcome=Outcome.NOT_ASKED))

    app, _ = clocked_app(setup=two)
    async with app.run_test(size=(100, 30)) as pilot:
        assert OTHER.title in card(app) and TIME.title not in card(app)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await type_text(pilot, "10")
        await pilot.press("enter")
        # "Didn't ask" can be gone over just as much: it is asked about next.
        await wait_until(pilot, lambda: TIME.title in card(app))
        answers = {a["challenge_id"]: a.get("replay") for a in saved_attempts(journal_path)}
        assert answers == {OTHER.id: 10, TIME.id: None}


async def test_a_title_with_markup_is_shown_as_written(clocked_app: ClockedApp) -> None:
    from dataclasses import replace

    odd = replace(TIME, id="custom-odd", title="Ask [b]loudly[/] [@click=app.quit]", source="custom")

    def setup(journal: Journal) -> None:
        journal.add_attempt(rated(odd, at=NOW - timedelta(days=1)))

    app, _ = clocked_app(setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        assert "Ask [b]loudly[/] [@click=app.quit]" in card(app)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        ask = str(app.screen.query_one("#replay-ask", Label).render())
        assert "Ask [b]loudly[/] [@click=app.quit]" in ask


async def test_escape_never_drops_what_was_typed(clocked_app: ClockedApp, journal_path: Path) -> None:
    """Found by the review walk: escape dropped a typed number and a typed kind sentence."""
    from rejection_tui.ui.screens.confirm import ConfirmScreen

    app, _ = clocked_app(setup=one_yesterday)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await type_text(pilot, "80")
        await pilot.press("escape")  # asks first
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")  # keep it
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        assert app.screen.query_one("#replay-input", Input).value == "80"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SelfCompassionScreen))
        await type_text(pilot, "Kind [b]me[/]")
        await pilot.press("escape")  # closes, keeping the sentence
        await wait_until(pilot, lambda: stored(journal_path).get("replay_note") == "Kind [b]me[/]")
        assert stored(journal_path)["replay"] == 80
