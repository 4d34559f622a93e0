"""The Textual application: sections as modes, forms pushed on top."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.theme import Theme

from rejection_tui.domain.models import Attempt, Challenge, Status, now_local
from rejection_tui.domain.validation import ValidationError
from rejection_tui.storage.errors import JournalError
from rejection_tui.storage.journal import Journal, NotFound
from rejection_tui.ui.commands import RejectionCommands
from rejection_tui.ui.screens.base import FormScreen
from rejection_tui.ui.sections import SECTIONS, section

T = TypeVar("T")


class RejectionApp(App[None]):
    TITLE = "rejection-tui"
    CSS_PATH = Path(__file__).parent / "styles" / "app.tcss"
    MODES = {mode: section(mode) for mode in SECTIONS}
    DEFAULT_MODE = "dashboard"
    COMMANDS = App.COMMANDS | {RejectionCommands}
    BINDINGS = [
        Binding("d", "go('dashboard')", "Home", id="dashboard", show=False),
        Binding("c", "go('challenges')", "Challenges", id="challenges", show=False),
        Binding("n", "new_attempt", "New", id="new_attempt"),
        Binding("r", "rate", "Rate", id="rate"),
        Binding("h", "go('history')", "History", id="history", show=False),
        Binding("g", "go('charts')", "Charts", id="charts", show=False),
        Binding("l", "go('ladder')", "Ladder", id="ladder", show=False),
        Binding("question_mark,f1", "go('help')", "Help", id="help", key_display="?"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, journal: Journal, *, clock: Callable[[], datetime] = now_local) -> None:
        super().__init__()
        self.journal = journal
        self.clock = clock

    # -- start-up -----------------------------------------------------------

    def on_mount(self) -> None:
        saved_theme = self.journal.get_setting("theme")
        if isinstance(saved_theme, str) and saved_theme in self.available_themes:
            self.theme = saved_theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if not self.journal.get_setting("welcomed"):
            from rejection_tui.ui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(self.journal.path), lambda _: self._welcomed())

    def _welcomed(self) -> None:
        self.persist(lambda j: j.set_setting("welcomed", True))

    def _remember_theme(self, theme: Theme) -> None:
        if self.journal.get_setting("theme") != theme.name:
            self.persist(lambda j: j.set_setting("theme", theme.name))

    # -- saving -------------------------------------------------------------

    def persist(self, change: Callable[[Journal], T]) -> T | None:
        """Run one change on the journal; on failure tell the person and return None.

        The app keeps running and the form that asked keeps what was typed.
        """
        try:
            return change(self.journal)
        except (JournalError, ValidationError, NotFound) as error:
            self._report(error)
        return None

    def _report(self, error: Exception) -> None:
        if isinstance(error, JournalError):
            self.notify(error.message, title="Not saved", severity="error", timeout=15)
        elif isinstance(error, ValidationError):
            self.notify("\n".join(error.messages), title="Not saved", severity="error", timeout=10)
        else:
            self.notify("That entry no longer exists.", title="Not saved", severity="warning")

    async def persist_off_loop(self, change: Callable[[Journal], T]) -> T | None:
        """Like :meth:`persist`, but the write runs in a thread so the UI never
        freezes on a long journal; the screen says it is saving meanwhile."""
        screen = self.screen
        previous = screen.sub_title
        screen.sub_title = "Saving…"
        try:
            return await asyncio.to_thread(change, self.journal)
        except (JournalError, ValidationError, NotFound) as error:
            self._report(error)  # back on the event loop: safe to notify
            return None
        finally:
            screen.sub_title = previous

    # -- navigation ---------------------------------------------------------

    def action_go(self, mode: str) -> None:
        if isinstance(self.screen, FormScreen):
            self.screen.leave(then=lambda: self._switch(mode))
            return
        self._switch(mode)

    def _switch(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_new_attempt(self) -> None:
        challenge: Challenge | None = getattr(self.screen, "highlighted_challenge", None)
        if challenge is not None:
            self.open_before(challenge)
            return
        from rejection_tui.ui.screens.pickers import ChallengePicker

        self.push_screen(ChallengePicker(self.journal), self._picked_challenge)

    def _picked_challenge(self, challenge: Challenge | None) -> None:
        if challenge is not None:
            self.open_before(challenge)

    def open_before(self, challenge: Challenge, attempt: Attempt | None = None) -> None:
        from rejection_tui.ui.screens.before import BeforeScreen

        if isinstance(self.screen, FormScreen):
            return
        self.push_screen(BeforeScreen(challenge, attempt))

    def action_rate(self) -> None:
        if isinstance(self.screen, FormScreen):
            return
        highlighted: Attempt | None = getattr(self.screen, "highlighted_attempt", None)
        if highlighted is not None and highlighted.status == Status.PLANNED:
            self.open_after(highlighted)
            return
        planned = self.journal.list_attempts(Status.PLANNED)
        if not planned:
            self.notify("Nothing is waiting to be rated. Press n to plan an attempt first.")
        elif len(planned) == 1:
            self.open_after(planned[0])
        else:
            from rejection_tui.ui.screens.pickers import PlannedPicker

            self.push_screen(PlannedPicker(planned), self._picked_planned)

    def _picked_planned(self, attempt: Attempt | None) -> None:
        if attempt is not None:
            self.open_after(attempt)

    def open_after(self, attempt: Attempt, *, edit: bool = False) -> None:
        from rejection_tui.ui.screens.after import AfterScreen

        self.push_screen(AfterScreen(attempt, edit=edit))

    def action_export(self, fmt: str) -> None:
        """Write an export beside the journal, owner-only, and say where."""
        from rejection_tui.storage.files import atomic_write, ensure_dir
        from rejection_tui.storage.formats import export_path, render

        attempts = self.journal.list_attempts()
        text = render(fmt, attempts, self.journal.summary(self.clock()))
        target = export_path(self.journal.path, fmt, self.clock().date())
        try:
            ensure_dir(target.parent)
            atomic_write(target, text.encode("utf-8"))
        except OSError as error:
            self.notify(
                f"Could not write {target}: {error.strerror or error}", title="Not exported", severity="error"
            )
            return
        self.notify(
            f"{len(attempts)} attempts written to {target}. It is not encrypted: keep it somewhere private.",
            title="Exported",
            timeout=10,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A dialog (welcome, confirm, picker, prompt) is answered first: going
        # elsewhere underneath it would leave it stranded on another section.
        if action in ("go", "new_attempt", "rate", "export") and isinstance(self.screen, ModalScreen):
            return False
        # New/Rate make no sense while a form is already open: hide them.
        return not (action in ("new_attempt", "rate") and isinstance(self.screen, FormScreen))

    def key_hints(self) -> list[tuple[str, str]]:
        """(key, description) for every app key, for the Help screen."""
        hints: list[tuple[str, str]] = []
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            keys = binding.key.replace("question_mark", "?").replace(",", " / ")
            hints.append((keys, binding.description))
        return hints
