"""Charts (placeholder until the charts issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from rejection_tui.ui.screens.base import SectionScreen


class ChartsScreen(SectionScreen):
    TITLE = "Charts"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Charts of expected against felt fear are on their way. "
            "Until then, History (h) shows every attempt with both numbers.",
            classes="placeholder",
        )
        yield Footer()
