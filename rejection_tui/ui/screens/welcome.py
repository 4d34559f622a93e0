"""The one-time welcome on first run."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class WelcomeScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,space", "dismiss(None)", "Start")]

    def __init__(self, journal_path: Path) -> None:
        super().__init__()
        self.journal_path = journal_path

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="welcome"):
            yield Label("[b]Welcome to rejection-tui[/]")
            yield Static(
                'Rejection therapy means collecting small, deliberate "no"s so the fear of them shrinks. '
                "Before each ask you write down what you expect; afterwards you record what really "
                "happened. Over time you'll see the fear beforehand is usually bigger "
                "than the moment itself.\n\n"
                "This is a self-help tool, not therapy: if anxiety feels overwhelming, "
                "a professional can help.\n\n"
                f"Your journal stays on this computer: {self.journal_path}\n\n"
                "To begin: [b]n[/] plans your first attempt, [b]c[/] shows all challenges.",
                id="welcome-text",
            )
            yield Label("[dim]enter to start[/]")
