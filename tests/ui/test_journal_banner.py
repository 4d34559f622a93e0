"""The Dashboard says when the journal is read-only or holds entries it cannot read."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from textual.widgets import Static

from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from rejection_tui.ui.screens.problems import ProblemsScreen
from tests.conftest import NOW
from tests.ui.conftest import wait_until

FIXTURES = Path(__file__).parents[1] / "storage" / "fixtures"


def banner(app: RejectionApp) -> str:
    dashboard = app.screen_stack[0]  # under the welcome, when there is one
    widget = dashboard.query_one("#journal-banner", Static)
    return str(widget.render()) if widget.display else ""


async def test_unreadable_entries_are_named_on_the_dashboard_and_listed(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    shutil.copy(FIXTURES / "journal_bad_records.json", path)
    with Journal.open(path, clock=lambda: NOW) as journal:
        problems = journal.problems()
        assert problems  # the fixture's point
        app = RejectionApp(journal, clock=lambda: NOW)
        async with app.run_test(size=(100, 30)) as pilot:
            assert f"({len(problems)} problem" in banner(app) and "could not be read" in banner(app)
            await pilot.press("exclamation_mark")
            assert isinstance(app.screen, ProblemsScreen)
            assert app.screen.problems == problems
            await pilot.press("escape")
            assert not isinstance(app.screen, ProblemsScreen)


async def test_a_read_only_journal_says_so_and_a_save_is_refused_where_the_person_looks(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.json"
    Journal.open(path, clock=lambda: NOW).close()
    os.chmod(path, 0o400)
    before = path.read_bytes()
    with Journal.open(path, clock=lambda: NOW) as journal:
        assert journal.read_only
        app = RejectionApp(journal, clock=lambda: NOW)
        app.animation_level = "none"
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            assert banner(app).startswith("Read-only:")
            assert any(n.title == "Read-only" for n in app._notifications)
            # The welcome was not saved as seen (nothing the person asked to save),
            # so no failure pops up for it.
            await pilot.press("enter")
            await pilot.pause()
            assert not any(n.title == "Not saved" for n in app._notifications)
            await pilot.press("n", "enter")  # plan the suggested challenge
            for key in "60":
                await pilot.press(key)
            await pilot.press("tab", "4", "0", "ctrl+s")
            await wait_until(pilot, lambda: any(n.title == "Not saved" for n in app._notifications))
    assert path.read_bytes() == before
