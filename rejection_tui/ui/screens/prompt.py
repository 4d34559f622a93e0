"""Ask for one value in a small dialog, with the reason shown if it's not valid."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from rejection_tui.ui import styles
from rejection_tui.ui.text import plain
from rejection_tui.ui.widgets.safe_input import SafeInput


class PromptScreen(ModalScreen[str | None]):
    """``check`` returns an error sentence, or None when the text is fine."""

    CSS_PATH = styles.DIALOGS
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="prompt.cancel")]

    def __init__(self, question: str, *, value: str = "", check: Callable[[str], str | None]) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(plain(self.question), id="prompt-question")
            yield SafeInput(value=self.value, id="prompt-input")
            yield Label("", id="prompt-error", classes="error")
            yield Label("[dim]enter to confirm · escape to cancel[/]")

    def _say(self, error: str | None) -> None:
        label = self.query_one("#prompt-error", Label)
        label.update(plain(error or ""))
        label.display = bool(error)  # no empty red bar while all is well

    def on_mount(self) -> None:
        self._say(None)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._say(self.check(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        error = self.check(event.value)
        if error:
            self._say(error)
            return
        self.dismiss(event.value.strip())
