"""Pilot helpers: an app on a tmp journal, with a frozen clock and no animation."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from tests.conftest import NOW

AppFactory = Callable[..., RejectionApp]


@pytest.fixture
def make_app(journal_path: Path) -> Iterator[AppFactory]:
    opened: list[Journal] = []

    def factory(*, welcomed: bool = True, setup: Callable[[Journal], Any] | None = None) -> RejectionApp:
        for journal in opened:
            journal.close()
        journal = Journal.open(journal_path, clock=lambda: NOW)
        opened.append(journal)
        if welcomed and not journal.get_setting("welcomed"):
            journal.set_setting("welcomed", True)
        if setup:
            setup(journal)
        app = RejectionApp(journal, clock=lambda: NOW)
        app.animation_level = "none"
        return app

    yield factory
    for journal in opened:
        journal.close()


def saved_attempts(path: Path) -> list[dict[str, Any]]:
    """What is really on disk, not what the app holds in memory."""
    return list(json.loads(path.read_text(encoding="utf-8")).get("attempts", {}).values())


async def type_text(pilot: Pilot[Any], text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], *, attempts: int = 300) -> None:
    """Poll a condition between short pauses (for work done in workers)."""
    for _ in range(attempts):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition never became true")


def written(folder: Path) -> list[Path]:
    """The finished files in ``folder``: not a ``.…tmp`` file an export is still writing."""
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []
