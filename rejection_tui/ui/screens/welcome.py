"""The one-time welcome on a journal with nothing in it yet."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from rejection_tui.ui import styles
from rejection_tui.ui.text import plain, styled


class WelcomeScreen(ModalScreen[str | None]):
    """Dismissed with the app action to run next: every key it names works from here."""

    CSS_PATH = styles.DIALOGS
    BINDINGS = [
        Binding("escape,enter,space", "dismiss(None)", "Start", id="welcome.start"),
        Binding("n", "dismiss('new_attempt')", "Plan a first attempt", id="welcome.new"),
        Binding("c", "dismiss(\"go('challenges')\")", "Challenges", id="welcome.challenges"),
        Binding("q", "app.quit", "Quit", id="welcome.quit"),
    ]

    def __init__(self, journal_path: Path) -> None:
        super().__init__()
        self.journal_path = journal_path

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="welcome"):
            # The text scrolls on a short terminal; the keys below stay in view.
            with VerticalScroll(id="welcome-body"):
                yield Label("[b]Welcome to rejection-tui[/]")
                yield Static(
                    'Rejection therapy means collecting small, deliberate "no"s so the fear of them '
                    "shrinks. Before each ask you write down what you expect; afterwards you record "
                    "what really happened. Over time you'll see the fear beforehand is usually bigger "
                    "than the moment itself.\n\n"
                    "This is a self-help tool, not therapy: if anxiety feels overwhelming, "
                    "a professional can help.",
                    id="welcome-text",
                )
                yield Static(
                    plain(f"Your journal stays on this computer: {self.journal_path}"), id="welcome-path"
                )
            yield Static(
                styled("To begin: [b]n[/] plans your first attempt, [b]c[/] shows all challenges."),
                id="welcome-keys",
            )
            yield Label("[dim]enter to start · q to quit[/]")
