"""The day-after question ("how much have you gone over it since?") and the self-compassion lines.

Two small dialogs, both skippable, opened from the Dashboard's card (the
rules are in ``domain.replay``). Each returns its answer with ``dismiss``;
the Dashboard saves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from rejection_tui.domain.replay import (
    REPLAY_QUESTION,
    SELF_COMPASSION_LINES,
    SELF_COMPASSION_NOTE_LABEL,
    replay_error,
)
from rejection_tui.ui import styles
from rejection_tui.ui.text import plain, styled
from rejection_tui.ui.widgets.safe_input import SafeInput

SCALE_HINT = "0 = not at all · 50 = on and off · 100 = hardly anything else"
ANSWER_NEEDED = "Type a number from 0 to 100, or choose “Skip this one”."


@dataclass(frozen=True)
class ReplayAnswer:
    """The person's answer: a number from 0 to 100, or None when they skipped the question."""

    replay: int | None

    @property
    def skipped(self) -> bool:
        return self.replay is None


def replay_value(text: str) -> tuple[int | None, str | None]:
    """The typed answer as a number, or the sentence saying what is wrong with it."""
    text = text.strip()
    if not text:
        return None, ANSWER_NEEDED
    try:
        value = int(text)
    except ValueError:
        return None, ANSWER_NEEDED
    error = replay_error(value)
    return (None, error) if error else (value, None)


class ReplayScreen(ModalScreen[ReplayAnswer | None]):
    """Ask once about yesterday's ask. Dismissed with the answer, a skip, or None ("not now")."""

    CSS_PATH = [styles.DIALOGS, styles.REPLAY]
    BINDINGS = [Binding("escape", "later", "Not now", id="replay.later")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.ask_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="replay"):
            yield Label(styled("Yesterday: [b]$title[/]", title=self.ask_title), id="replay-ask")
            yield Label(plain(REPLAY_QUESTION), id="replay-question")
            yield Label(plain(SCALE_HINT), classes="hint")
            yield Input(
                placeholder="0–100", restrict=r"\d{0,3}", max_length=3, id="replay-input", type="integer"
            )
            yield Label("", id="replay-error", classes="error")
            with Horizontal(id="buttons"):
                yield Button("Skip this one", id="skip")
                yield Button("Save", id="save", variant="primary")
            yield Label(
                styled("[dim]enter to save · tab to “Skip this one” (not asked again) · escape: not now[/]"),
                classes="hint",
            )

    def on_mount(self) -> None:
        self._say(None)
        self.query_one("#replay-input", Input).focus()

    def _say(self, error: str | None) -> None:
        label = self.query_one("#replay-error", Label)
        label.update(plain(error or ""))
        label.display = bool(error)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._say(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "skip":
            self.dismiss(ReplayAnswer(None))
        else:
            self._save()

    def action_later(self) -> None:
        """Not now; a number typed is not dropped without asking."""
        if not self.query_one("#replay-input", Input).value.strip():
            self.dismiss(None)
            return
        from rejection_tui.ui.screens.confirm import leave_after_asking

        leave_after_asking(self, "Leave without saving the number you typed?")

    def _save(self) -> None:
        value, error = replay_value(self.query_one("#replay-input", Input).value)
        if error or value is None:
            self._say(error or ANSWER_NEEDED)
            return
        self.dismiss(ReplayAnswer(value))


class SelfCompassionScreen(ModalScreen[str | None]):
    """The three lines and an optional note; dismissed with the note ("" for none) or None."""

    CSS_PATH = [styles.DIALOGS, styles.REPLAY]
    BINDINGS = [Binding("escape", "close", "Close", id="compassion.close")]

    def compose(self) -> ComposeResult:
        # Scrolls as a whole in a small terminal (60x20): the focused box is kept in view.
        with VerticalScroll(id="dialog", classes="replay"):
            yield Label(styled("[b]A short pause, if you like[/]"), id="compassion-title")
            for number, line in enumerate(SELF_COMPASSION_LINES, start=1):
                yield Label(plain(f"{number}. {line}"), classes="compassion-line")
            yield Label(plain(SELF_COMPASSION_NOTE_LABEL), id="compassion-label")
            yield SafeInput(id="compassion-note", max_length=500)
            yield Label(styled("[dim]enter or escape: close, keeping your sentence if you wrote one[/]"))

    def on_mount(self) -> None:
        self.query_one("#compassion-note", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_close(self) -> None:
        """Closing keeps what was typed: a kind sentence is never dropped by a key."""
        typed = self.query_one("#compassion-note", Input).value.strip()
        self.dismiss(typed or None)
