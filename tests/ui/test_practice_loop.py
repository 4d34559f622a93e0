"""The whole loop, keys only, asserting on the data file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from rejection_tui.ui.screens.after import AfterScreen
from rejection_tui.ui.screens.before import BeforeScreen
from rejection_tui.ui.screens.challenges import ChallengesScreen
from rejection_tui.ui.screens.history import HistoryScreen
from rejection_tui.ui.screens.result import ResultScreen
from tests.ui.conftest import AppFactory, saved_attempts, type_text


async def test_pick_plan_quit_reopen_rate_history_edit_delete_undo(
    make_app: AppFactory, journal_path: Path
) -> None:
    # Pick a challenge and plan it.
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, ChallengesScreen)
        await pilot.press("slash")
        await type_text(pilot, "for the time")
        await pilot.press("enter")  # back to the table
        assert app.screen.highlighted_challenge.id == "ask-the-time"
        await pilot.press("n")
        assert isinstance(app.screen, BeforeScreen) and app.screen.title == "Before"
        await type_text(pilot, "70")
        await pilot.press("tab")
        await type_text(pilot, "60")
        await pilot.press("tab")
        await type_text(pilot, "they ignore me")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ChallengesScreen)
        await pilot.press("q")
    [planned] = saved_attempts(journal_path)
    assert planned["status"] == "planned"
    assert (planned["fear_before"], planned["p_rejection"], planned["worry"]) == (70, 60, "they ignore me")
    assert planned["challenge_id"] == "ask-the-time" and planned["fear_after"] is None

    # Reopen the same file, rate it.
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, AfterScreen) and app.screen.title == "After"
        await type_text(pilot, "30")
        await pilot.press("tab", "enter")  # outcome: first choice, "rejected"
        await pilot.press("tab", "enter")  # feared thing happened: "no"
        await pilot.press("tab")
        await type_text(pilot, "people are kind")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ResultScreen)
        assert app.screen.message == "You expected 70 and felt 30 — 40 points less than you feared."
        await pilot.press("enter")

        [rated] = saved_attempts(journal_path)
        assert (rated["status"], rated["fear_after"], rated["outcome"]) == ("done", 30, "rejected")
        assert rated["worry_happened"] is False and rated["lesson"] == "people are kind"
        assert rated["id"] == planned["id"] and rated["done_at"]

        # History shows it with the right values.
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        assert [str(c) for c in table.get_row_at(0)[1:]] == ["Ask a stranger for the time", "2", "70", "30", "rejected"]

        # Edit: change the felt fear.
        await pilot.press("e")
        assert isinstance(app.screen, AfterScreen) and app.screen.edit
        await pilot.press("tab", "tab", "tab", "tab")  # past the before fields
        assert app.focused is not None and app.focused.parent is not None
        assert app.focused.parent.parent.id == "fear-after"
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "25")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, HistoryScreen)
        assert saved_attempts(journal_path)[0]["fear_after"] == 25
        assert table.get_row_at(0)[4] == "25"

        # Delete with confirmation, then undo.
        await pilot.press("x")
        await pilot.press("y")
        assert saved_attempts(journal_path) == []
        assert table.row_count == 0
        await pilot.press("u")
        [restored] = saved_attempts(journal_path)
        assert restored["id"] == planned["id"] and restored["fear_after"] == 25
        assert table.row_count == 1
