"""The app and the conflict copies a sync tool leaves beside the journal (issue 15).

At start the copies are merged as the journal opens and a one-screen summary
shows over the first frame; while the app runs, a copy that appears is merged
within a poll (a second) and summed up the same way; a copy that cannot be
merged is said once, and left as it is.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual._compositor import LayoutUpdate
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Label, Static

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.storage.backups import merged_dir
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from rejection_tui.ui.screens.dashboard import DashboardScreen
from rejection_tui.ui.screens.merged import MergedScreen
from tests.conftest import NOW, planned
from tests.sync.histories import diverge
from tests.ui.conftest import AppFactory, wait_until

SYNCTHING = "journal.sync-conflict-20261127-101010-ABCDEFG.json"
TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")
DIRECTIONS = next(c for c in builtin_challenges() if c.id == "ask-directions")
CLOSE_HINT = "enter or escape to close"


def other_device_copy(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str = SYNCTHING
) -> Path:
    """The journal as it is now, changed on another device (one more planned ask, for the
    way to the station), then put beside it under ``name`` in one rename, as a sync tool does."""
    other = tmp_path / "other-device" / "journal.json"
    other.parent.mkdir(exist_ok=True)
    shutil.copy2(journal, other)
    with monkeypatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-other"))  # its own device id
        with Journal.open(other, clock=lambda: NOW) as theirs:
            theirs.add_attempt(planned(DIRECTIONS, worry="they walk on"))
    staged = tmp_path / "other-device" / name  # the same file system: the rename is atomic
    other.rename(staged)
    copy = journal.parent / name
    os.replace(staged, copy)
    return copy


def start_journal(journal: Path) -> None:
    with Journal.open(journal, clock=lambda: NOW) as mine:
        mine.set_setting("welcomed", True)
        mine.add_attempt(planned(TIME, worry="they ignore me"))


def said(app: RejectionApp) -> str:
    """Everything the current screen says, as plain text (every Static and Label, unwrapped)."""
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


def summary_shown(app: RejectionApp) -> bool:
    """The summary is on top, composed (its text is there to read)."""
    return isinstance(app.screen, MergedScreen) and CLOSE_HINT in said(app) and "• " in said(app)


def dashboard_planned(app: RejectionApp) -> str:
    dashboard = next(s for s in app.screen_stack if isinstance(s, DashboardScreen))
    return str(dashboard.query_one("#planned", Static).render())


def screen_text(app: RejectionApp) -> str:
    """What the terminal shows, line by line."""
    update = app.screen._compositor.render_update(full=True)
    assert isinstance(update, LayoutUpdate)
    return "\n".join(Strip.join(line).text for line in update.strips)


async def within(pilot: Pilot[Any], seconds: float, condition: Callable[[], bool]) -> float:
    """Wait until ``condition`` holds, at most ``seconds``; how long it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"not within {seconds} s")
        await pilot.pause(0.02)
    return time.monotonic() - start


async def test_a_copy_beside_the_journal_at_start_is_merged_and_summed_up_over_the_first_frame(
    make_app: AppFactory, journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start_journal(journal_path)
    copy = other_device_copy(journal_path, tmp_path, monkeypatch)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: summary_shown(app))
        text = said(app)
        assert "Merged from another device" in text
        assert f"Merged {SYNCTHING}. 1 attempt added." in text
        assert f"The copy was moved to {merged_dir(journal_path)}." in text
        # The Dashboard is beneath: the summary came after the first frame, over it.
        assert isinstance(app.screen_stack[-2], DashboardScreen)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        planned_now = dashboard_planned(app)
        assert DIRECTIONS.title in planned_now and TIME.title in planned_now
    assert not copy.exists() and (merged_dir(journal_path) / SYNCTHING).is_file()


async def test_a_copy_that_appears_while_the_app_runs_is_merged_within_two_seconds(
    make_app: AppFactory, journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start_journal(journal_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: TIME.title in dashboard_planned(app))
        assert DIRECTIONS.title not in dashboard_planned(app)
        copy = other_device_copy(journal_path, tmp_path, monkeypatch)
        await within(pilot, 2.0, lambda: summary_shown(app))
        assert f"Merged {SYNCTHING}. 1 attempt added." in said(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert DIRECTIONS.title in dashboard_planned(app)
        assert len(app.journal.list_attempts()) == 2
    assert not copy.exists()


async def test_the_dashboard_beneath_the_summary_already_shows_what_was_merged(
    make_app: AppFactory, journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary says "1 attempt added" over the dimmed Dashboard: that Dashboard lists it too
    (``RejectionApp._merge_copies`` means to refresh the section it merged under)."""
    start_journal(journal_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: TIME.title in dashboard_planned(app))
        other_device_copy(journal_path, tmp_path, monkeypatch)
        await within(pilot, 2.0, lambda: summary_shown(app))
        await pilot.pause()
        assert DIRECTIONS.title in dashboard_planned(app)


async def test_a_bad_copy_is_said_once_and_left_as_it_is(make_app: AppFactory, journal_path: Path) -> None:
    start_journal(journal_path)
    copy = journal_path.parent / SYNCTHING
    content = b'{"meta": {"1": {"schema_version": 2}}, "attempts": {"1": {"id": "a"'  # cut short
    copy.write_bytes(content)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: summary_shown(app))
        text = said(app)
        assert "A copy of your journal was not merged" in text
        assert f"{SYNCTHING} was not merged: it cannot be read" in text
        assert "It is left where it is, unchanged:" in text
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        for _ in range(3):  # the poll comes round (once a second): nothing is said again
            app.check_inbox()
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any(isinstance(screen, MergedScreen) for screen in app.screen_stack)
    assert copy.read_bytes() == content
    assert not merged_dir(journal_path).exists()


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_the_summary_fits_the_terminal_and_shows_names_as_written(
    make_app: AppFactory, journal_path: Path, size: tuple[int, int]
) -> None:
    # A long report (every kind of change, the older-versions path) and a name that reads as markup.
    name = "journal ([b]Sam's conflicted copy 2026-11-27).json"
    journal_path.parent.mkdir(parents=True, exist_ok=True)
    diverge(journal_path.parent, name)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: summary_shown(app))
        await pilot.pause()
        text = said(app)
        assert f"Merged {name}." in text  # "[b]" shown, not taken as bold
        assert "The versions not kept are saved in" in text
        screen = Region(0, 0, *size)
        dialog = app.screen.query_one("#dialog")
        assert screen.contains_region(dialog.region), (dialog.region, size)
        hint = next(label for label in app.screen.query(Label) if CLOSE_HINT in str(label.render()))
        assert hint.region.height >= 1 and dialog.region.contains_region(hint.region)
        shown = screen_text(app)
        assert CLOSE_HINT in shown and "Merged from another device" in shown
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen))
