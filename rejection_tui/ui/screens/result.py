"""The short result card after rating an attempt."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from rejection_tui.ui.screens.base import PassingModal
from rejection_tui.ui.text import plain


class ResultScreen(PassingModal):
    """Closes on enter, escape or space; a section key closes it and goes there."""

    BINDINGS = [Binding("escape,enter,space", "close", "Close", id="result.close")]

    def __init__(self, message: str, *, forecast: str | None = None) -> None:
        """``forecast``: one sentence on how the person's forecast of a no changed, if they gave one."""
        super().__init__()
        self.message = message
        self.forecast = forecast

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="result"):
            yield Label("[b]Saved[/]", id="result-title")
            text = self.message if self.forecast is None else f"{self.message}\n\n{self.forecast}"
            yield Static(plain(text), id="result-message")
            yield Label("[dim]enter to close[/]")

    def action_close(self) -> None:
        self.dismiss(None)
