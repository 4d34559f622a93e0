"""The Textual application."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from rejection_tui.storage.journal import Journal


class DashboardScreen(Screen[None]):
    TITLE = "Dashboard"

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="dashboard"):
            yield Static(f"Journal: {self.journal.path}", id="journal-path")
            yield Static(f"Attempts recorded: {self.journal.count_attempts()}", id="attempt-count")
        yield Footer()


class RejectionApp(App[None]):
    TITLE = "rejection-tui"
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen(self.journal))
