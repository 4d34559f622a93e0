"""Apps on a tmp journal with a clock the test moves (the Dashboard reads it on every refresh)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from tests.conftest import NOW


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


ClockedApp = Callable[..., tuple[RejectionApp, Clock]]


def clocked_apps(journal_path: Path) -> Iterator[ClockedApp]:
    """The body of a fixture: ``factory(now=..., setup=...)`` gives an app and its clock; a second
    call closes the first journal; every journal is closed at the end."""
    opened: list[Journal] = []

    def factory(
        *, now: datetime = NOW, setup: Callable[[Journal], Any] | None = None
    ) -> tuple[RejectionApp, Clock]:
        for journal in opened:
            journal.close()
        clock = Clock(now)
        journal = Journal.open(journal_path, clock=clock)
        opened.append(journal)
        journal.set_setting("welcomed", True)
        if setup:
            setup(journal)
        app = RejectionApp(journal, clock=clock)
        app.animation_level = "none"
        return app, clock

    yield factory
    for journal in opened:
        journal.close()
