"""The journal's unreadable entries, listed (they are kept in the file as they are)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from rejection_tui.ui import styles
from rejection_tui.ui.text import lines, plain, styled


class ProblemsScreen(ModalScreen[None]):
    CSS_PATH = styles.DIALOGS
    BINDINGS = [Binding("escape,enter", "dismiss(None)", "Close", id="problems.close")]

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="detail"):
            yield Label(styled("[b]Entries that could not be read[/]"))
            yield VerticalScroll(
                Static(
                    lines(
                        [
                            plain(
                                "They stay in your journal exactly as they are, and travel in JSON "
                                "exports; nothing is dropped. Fix them in the file (or restore a "
                                "backup) and they show up again."
                            ),
                            plain(""),
                            *(plain(f"• {problem}") for problem in self.problems),
                        ]
                    )
                )
            )
            yield Label(styled("[dim]escape to close · rejection-tui check lists them in a shell[/]"))
