"""Saves in workers: keys pressed while a write is under way are never lost or misdirected.

Each test holds a journal write open with a gate, presses keys meanwhile,
then opens the gate and checks both the screen and the file on disk.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.screens.after import AfterScreen
from rejection_tui.ui.screens.before import BeforeScreen
from tests.conftest import NOW, done, planned
from tests.ui.conftest import AppFactory, saved_attempts, type_text, wait_until
from tests.ui.test_ladder import a_ladder

TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")


class Gate:
    """Holds every call of one Journal method until opened."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.calls = 0

    def wrap(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def held(journal: Journal, *args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            assert self.opened.wait(10), "the test never opened the gate"
            return real(journal, *args, **kwargs)

        return held


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], Gate]]:
    made: list[Gate] = []

    def hold(method: str) -> Gate:
        held = Gate()
        monkeypatch.setattr(Journal, method, held.wrap(getattr(Journal, method)))
        made.append(held)
        return held

    yield hold
    for held in made:
        held.opened.set()


async def test_escape_during_a_save_waits_for_it_and_loses_nothing(
    make_app: AppFactory, journal_path: Path, gate: Callable[[str], Gate]
) -> None:
    held = gate("add_attempt")
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        app.open_before(TIME)
        await pilot.pause()
        await type_text(pilot, "60")
        await pilot.press("tab")
        await type_text(pilot, "40")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: held.calls == 1)
        await pilot.press("escape")  # pressed while "Saving…"
        held.opened.set()
        await wait_until(pilot, lambda: not isinstance(app.screen, BeforeScreen))
        await pilot.pause()
        assert app.current_mode == "dashboard" and app.screen.id != "confirm"
    assert [a["fear_before"] for a in saved_attempts(journal_path)] == [60]


async def test_a_section_key_during_a_save_goes_there_once_saved(
    make_app: AppFactory, journal_path: Path, gate: Callable[[str], Gate]
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(planned(TIME, fear=70)))
    held = gate("update_attempt")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        await type_text(pilot, "30")
        await pilot.press("tab", "enter", "ctrl+s")  # focus on the outcome radios, not a text box
        await wait_until(pilot, lambda: held.calls == 1)
        await pilot.press("h")
        held.opened.set()
        await wait_until(pilot, lambda: app.current_mode == "history")
        assert not isinstance(app.screen, AfterScreen)
    assert [(a["status"], a["fear_after"]) for a in saved_attempts(journal_path)] == [("done", 30)]


async def test_q_during_a_save_quits_once_it_is_saved(
    make_app: AppFactory, journal_path: Path, gate: Callable[[str], Gate]
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(planned(TIME, fear=70)))
    held = gate("update_attempt")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        await type_text(pilot, "30")
        await pilot.press("tab", "enter", "ctrl+s")
        await wait_until(pilot, lambda: held.calls == 1)
        await pilot.press("q")
        held.opened.set()
        await wait_until(pilot, lambda: not app.is_running)
    assert [(a["status"], a["fear_after"]) for a in saved_attempts(journal_path)] == [("done", 30)]


async def test_undo_pressed_while_the_delete_is_written_restores_it(
    make_app: AppFactory, journal_path: Path, gate: Callable[[str], Gate]
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(done(TIME, at=NOW)))
    held = gate("delete_attempt")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h", "x", "y")
        await wait_until(pilot, lambda: held.calls == 1)
        await pilot.press("u")  # before the delete has landed
        held.opened.set()
        await wait_until(pilot, lambda: any(n.message == "Restored." for n in app._notifications))
        assert len(saved_attempts(journal_path)) == 1 and app.screen.highlighted_attempt is not None


async def test_two_quick_ladder_moves_are_two_moves(
    make_app: AppFactory, journal_path: Path, gate: Callable[[str], Gate]
) -> None:
    app = make_app(setup=a_ladder)
    held = gate("save_ladder")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("l")
        before = [r.challenge_id for r in app.journal.ladder().rungs]
        await pilot.press("shift+down")
        await wait_until(pilot, lambda: held.calls == 1)
        await pilot.press("shift+down")  # the first move is not written yet
        held.opened.set()
        await wait_until(pilot, lambda: held.calls == 2)
        await pilot.pause()

        def saved_order() -> list[str]:
            ladder = json.loads(journal_path.read_text(encoding="utf-8"))["ladder"]
            return [r["challenge_id"] for r in next(iter(ladder.values()))["rungs"]]

        await wait_until(pilot, lambda: saved_order() == [before[1], before[2], before[0], *before[3:]])
