"""Every app action as a command-palette command."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from rejection_tui.ui.app import RejectionApp

# (title, help, action): the same actions the keys run.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Dashboard", "Home: next step, this week, recent attempts", "go('dashboard')"),
    ("Challenges", "Browse the graded library, add your own", "go('challenges')"),
    ("New attempt", "Plan an attempt: rate your fear before", "new_attempt"),
    ("Rate a planned attempt", "Record how it went: rate after", "rate"),
    ("History", "Every attempt: filter, edit, delete", "go('history')"),
    ("Charts", "Expected against felt fear over time", "go('charts')"),
    ("Ladder", "Your personal fear ladder", "go('ladder')"),
    ("Help", "How to practise, and every key", "go('help')"),
    ("Export as CSV", "Every attempt, for a spreadsheet (saved beside your journal)", "export('csv')"),
    ("Export as JSON", "Every attempt, every field (saved beside your journal)", "export('json')"),
    (
        "Export as Markdown report",
        "A readable report to share with a therapist (saved beside your journal)",
        "export('markdown')",
    ),
    ("Quit", "Leave rejection-tui (everything is already saved)", "quit"),
)


class RejectionCommands(Provider):
    @property
    def rt(self) -> RejectionApp:
        return self.app  # type: ignore[return-value]

    async def discover(self) -> Hits:
        for title, help_text, action in COMMANDS:
            yield DiscoveryHit(title, partial(self.rt.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), partial(self.rt.run_action, action), help=help_text
                )
