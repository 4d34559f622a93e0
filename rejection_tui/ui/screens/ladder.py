"""Ladder (placeholder until the ladder issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from rejection_tui.ui.screens.base import SectionScreen


class LadderScreen(SectionScreen):
    TITLE = "Ladder"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Your personal fear ladder is on its way. Until then, the Dashboard (d) "
            "suggests the next step from the graded library.",
            classes="placeholder",
        )
        yield Footer()
