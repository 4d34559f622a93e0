"""A yes/no question in a small dialog."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from rejection_tui.ui import styles
from rejection_tui.ui.text import plain


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = styles.DIALOGS
    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(plain(self.question), id="question")
            with Horizontal(id="buttons"):
                yield Button(f"{self.no} (n)", id="no", variant="primary")
                yield Button(f"{self.yes} (y)", id="yes", variant="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def leave_after_asking(dialog: ModalScreen[Any], question: str) -> None:
    """Close ``dialog`` with None once the person confirms ``question`` (for a dialog whose
    escape would otherwise drop what they typed); "keep it" leaves it open as it is."""

    def answered(leave: bool | None) -> None:
        if leave:
            dialog.dismiss(None)

    dialog.app.push_screen(ConfirmScreen(question, yes="Leave", no="Keep it"), answered)
