"""A seeded storm of keys through the whole app: nothing escapes, the journal stays valid."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import some_history

KEYMAP = ["d", "c", "n", "r", "h", "g", "l", "question_mark", "escape", "ctrl+p", "ctrl+s", "ctrl+r"]
MOVES = ["tab", "shift+tab", "enter", "space", "up", "down", "left", "right", "plus", "minus", "backspace"]
SCREEN_KEYS = ["a", "e", "x", "u", "s", "t", "p", "y", "z", "w", "slash", "1", "2", "3", "4", "5", "6"]
KEYS = KEYMAP * 3 + MOVES * 3 + SCREEN_KEYS + list("0123456789") + list("bfijkmov")


async def test_a_thousand_random_keys(
    make_app: AppFactory, journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The palette can reach "Quit" or "Save screenshot" by fuzzy match: keep
    # the app running, and any screenshot out of the working tree.
    monkeypatch.chdir(tmp_path)
    quits: list[bool] = []

    async def no_quit(self: RejectionApp) -> None:
        quits.append(True)

    monkeypatch.setattr(RejectionApp, "action_quit", no_quit)
    rng = random.Random(20261126)
    presses = [rng.choice(KEYS) for _ in range(1000)]
    app = make_app(setup=some_history)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in presses:
            await pilot.press(key)
        assert app.is_running  # q is not in the storm; nothing crashed the app
    app.journal.close()
    with Journal.open(journal_path) as journal:
        assert not journal.unreadable
        journal.ladder().validated()
        assert journal.count_attempts() >= 1
