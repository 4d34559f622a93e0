"""Every section and every dialog at 80×24, and the main screens at 60×20.

These are the sizes people use: a laptop's default terminal, and a phone
over SSH. Each snapshot was looked at (as a PNG) before it was accepted;
regenerate on purpose with `pytest --snapshot-update` and look again.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from tests.conftest import NOW, planned
from tests.ui.conftest import AppFactory, type_text, wait_until
from tests.ui.test_ladder import a_ladder
from tests.ui.test_screens import some_history

TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")
LAPTOP, PHONE = (80, 24), (60, 20)


async def settle(pilot: Pilot[Any]) -> None:
    """No blinking cursor, and the screen drawn: the same picture every run."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def history_and_ladder(journal: Journal) -> None:
    some_history(journal)
    a_ladder(journal)
    journal.add_attempt(planned(TIME, fear=55, worry="they look annoyed"))


def keys(*pressed: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        for key in pressed:
            await pilot.press(key)
        await settle(pilot)

    return run


async def before_form(pilot: Pilot[Any]) -> None:
    pilot.app.open_before(TIME)  # type: ignore[attr-defined]
    await pilot.pause()
    await type_text(pilot, "70")
    await settle(pilot)


async def after_form(pilot: Pilot[Any]) -> None:
    await pilot.press("r", "enter")  # two planned: the picker, then the newest
    await type_text(pilot, "35")
    await settle(pilot)


async def result_card(pilot: Pilot[Any]) -> None:
    from rejection_tui.ui.screens.result import ResultScreen

    await pilot.press("r", "enter")
    await type_text(pilot, "35")
    await pilot.press("tab", "enter", "ctrl+s")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ResultScreen))
    await settle(pilot)


async def help_over_form(pilot: Pilot[Any]) -> None:
    await before_form(pilot)
    await pilot.press("f1")
    await settle(pilot)


CASES: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "dashboard": keys(),
    "challenges": keys("c", "down"),
    "challenge_form": keys("c", "a"),
    "history": keys("h"),
    "attempt_detail": keys("h", "enter"),
    "delete_question": keys("h", "x"),
    "charts": keys("g"),
    "ladder": keys("l"),
    "weekly_goal_prompt": keys("l", "w"),
    "starter_ladder": keys("l", "s", "y"),
    "help": keys("question_mark"),
    "challenge_picker": keys("n"),
    "planned_picker": keys("r"),
    "before": before_form,
    "after": after_form,
    "result": result_card,
    "help_over_a_form": help_over_form,
}
PHONE_CASES = ("dashboard", "history", "ladder", "before", "after", "challenge_picker", "delete_question")


@pytest.mark.parametrize("case", list(CASES))
def test_at_80x24(case: str, make_app: AppFactory, snap_compare: Any) -> None:
    app = make_app(setup=history_and_ladder)
    assert snap_compare(app, run_before=CASES[case], terminal_size=LAPTOP)


@pytest.mark.parametrize("case", PHONE_CASES)
def test_at_60x20(case: str, make_app: AppFactory, snap_compare: Any) -> None:
    app = make_app(setup=history_and_ladder)
    assert snap_compare(app, run_before=CASES[case], terminal_size=PHONE)


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["80x24", "60x20"])
def test_the_welcome(size: tuple[int, int], snap_compare: Any) -> None:
    # The welcome shows the journal's path: one that is the same in every run.
    folder = Path(tempfile.gettempdir()) / f"rejection-tui-welcome-{size[0]}x{size[1]}"
    shutil.rmtree(folder, ignore_errors=True)
    journal = Journal.open(folder / "journal.json", clock=lambda: NOW)
    try:
        app = RejectionApp(journal, clock=lambda: NOW)
        app.animation_level = "none"
        assert snap_compare(app, run_before=settle, terminal_size=size)
    finally:
        journal.close()
        shutil.rmtree(folder, ignore_errors=True)
