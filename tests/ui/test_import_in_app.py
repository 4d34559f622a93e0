"""Import inside the app, from the command palette (issue 11, point 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from rejection_tui.domain.ladder import Ladder
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.actions import BY_ID
from rejection_tui.ui.app import RejectionApp
from rejection_tui.ui.screens.dashboard import DashboardScreen
from rejection_tui.ui.screens.prompt import PromptScreen
from tests.conftest import NOW
from tests.storage.test_full_backup import TIME, a_ladder, everything, rich_journal
from tests.ui.conftest import AppFactory, type_text, wait_until


def a_backup(tmp_path: Path, folder: str = "old") -> tuple[Path, Path]:
    """A rich journal and its full backup."""
    source = tmp_path / folder / "journal.json"
    rich_journal(source)
    backup = tmp_path / folder / "backup.json"
    with Journal.open(source, clock=lambda: NOW) as journal:
        backup.write_text(journal.export_text("json", NOW), encoding="utf-8")
    return source, backup


def notices(app: RejectionApp, title: str) -> list[str]:
    return [n.message for n in app._notifications if n.title == title]


async def import_from_the_palette(app: RejectionApp, pilot: Pilot[Any], path: str) -> None:
    await pilot.press("ctrl+p")
    await type_text(pilot, "Import a file")
    options = app.screen.query_one(OptionList)
    await wait_until(pilot, lambda: options.option_count > 0)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
    app.screen.query_one(Input).value = path
    await pilot.press("enter")


def test_the_import_is_a_palette_only_registry_action() -> None:
    action = BY_ID["import"]
    assert (action.action, action.title, action.keys) == ("import_file", "Import a file…", "")


async def test_a_backup_imported_from_the_palette_brings_everything(
    make_app: AppFactory, tmp_path: Path
) -> None:
    source, backup = a_backup(tmp_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await import_from_the_palette(app, pilot, str(backup))
        await wait_until(pilot, lambda: bool(notices(app, "Imported")))
        [message] = notices(app, "Imported")
        assert message.splitlines() == [
            f"From {backup} (4 rows read): 3 added, 0 updated, 0 already there, "
            "1 unreadable entry kept as it was.",
            "Your own challenges: 2 added, 0 updated.",
            "Taken from the file: the ladder (3 rungs), weekly goal, program, rest days, theme, keymap, "
            'the setting "a_later_versions_setting".',
            "The Dashboard lists the entries that cannot be read (!).",
        ]
        with Journal.open(source, clock=lambda: NOW) as original:
            assert everything(app.journal) == everything(original)
        assert app.theme == "gruvbox"  # taken, and in use at once
        assert isinstance(app.screen, DashboardScreen)
        assert "Ladder: rung 2 of 3" in str(app.screen.query_one("#suggestion").render())


async def test_a_bad_file_changes_nothing_and_says_what_is_wrong_as_plain_text(
    make_app: AppFactory, tmp_path: Path, journal_path: Path
) -> None:
    folder = tmp_path / "my [b]files [@click=app.quit]x"
    folder.mkdir()
    bad = folder / "backup.json"
    bad.write_text('{"attempts": [}', encoding="utf-8")
    app = make_app(setup=lambda journal: journal.save_ladder(a_ladder(TIME)))
    before = journal_path.read_bytes()
    async with app.run_test(size=(100, 30)) as pilot:
        await import_from_the_palette(app, pilot, str(bad))
        await wait_until(pilot, lambda: bool(notices(app, "Not imported")))
        assert notices(app, "Not imported") == [
            f"Nothing imported from {bad}: not valid JSON (Expecting value at line 1, column 15)"
        ]
        await import_from_the_palette(app, pilot, str(tmp_path / "nowhere.csv"))
        await wait_until(pilot, lambda: len(notices(app, "Not imported")) == 2)
        assert "Could not read" in notices(app, "Not imported")[1]
    assert journal_path.read_bytes() == before
    assert app.journal.ladder() == a_ladder(TIME) != Ladder()


async def test_the_prompt_starts_in_the_exports_folder_and_expands_a_tilde(
    make_app: AppFactory, tmp_path: Path, journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_backup(tmp_path, folder="home")  # ~/backup.json
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    exports = journal_path.parent / "exports"
    exports.mkdir(parents=True)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "Import a file")
        await wait_until(pilot, lambda: app.screen.query_one(OptionList).option_count > 0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        assert app.screen.query_one(Input).value == f"{exports}/"
        await pilot.press("escape")
        await import_from_the_palette(app, pilot, "~/backup.json")
        await wait_until(pilot, lambda: bool(notices(app, "Imported")))
    assert app.journal.count_attempts() == 3
