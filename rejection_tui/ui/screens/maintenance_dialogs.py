"""The maintenance plan's dialogs: the offer, and re-rating the expected fear of mastered rungs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from rejection_tui.domain.boosters import maintenance_offer
from rejection_tui.domain.maintenance import Finished
from rejection_tui.domain.validation import score_error
from rejection_tui.ui import styles
from rejection_tui.ui.text import plain, styled


def levels_phrase(levels: Iterable[int]) -> str:
    """ "level 2", "level 2 or 3", "level 1, 2 or 3"."""
    names = [str(level) for level in sorted(levels)]
    if len(names) <= 1:
        return f"level {''.join(names)}"
    return f"level {', '.join(names[:-1])} or {names[-1]}"


class MaintenanceOfferScreen(ModalScreen[bool | None]):
    """The offer: True to start the plan, False for "no, thanks", None for "not now"."""

    CSS_PATH = [styles.DIALOGS, styles.REPLAY]
    BINDINGS = [
        Binding("y", "answer(True)", "Start the plan", id="maintenance.yes"),
        Binding("n", "answer(False)", "No, thanks", id="maintenance.no"),
        Binding("escape", "dismiss(None)", "Not now", id="maintenance.later"),
    ]

    def __init__(self, finished: Finished) -> None:
        super().__init__()
        self.finished = finished

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="replay"):
            yield Label(styled("[b]Keeping the gains[/]"))
            yield Label(plain(maintenance_offer(self.finished.what)), id="maintenance-offer")
            yield Label(plain(f"An ask at {levels_phrase(self.finished.levels)} counts."), classes="hint")
            with Horizontal(id="buttons"):
                yield Button("No, thanks (n)", id="no")
                yield Button("Start the plan (y)", id="yes", variant="primary")
            yield Label(styled("[dim]y to start · n for no, thanks (not offered again) · escape: not now[/]"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ReRateScreen(ModalScreen[list[int] | None]):
    """Re-rate the expected fear of the mastered rungs; dismissed with the new fears, in order."""

    CSS_PATH = [styles.DIALOGS, styles.REPLAY]
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="rerate.save"),
        Binding("escape", "cancel", "Cancel", id="rerate.cancel"),
    ]

    def __init__(self, rungs: Sequence[tuple[str, int]]) -> None:
        """``rungs``: (title, expected fear) of each mastered rung."""
        super().__init__()
        self.rungs = list(rungs)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="replay"):
            yield Label(styled("[b]How scary would these be now?[/]"))
            yield Label(
                plain(
                    "The expected fear of each rung you have mastered, 0–100. If a number "
                    "has crept up, that is worth knowing, and a booster ask at that level "
                    "is a good next step."
                ),
                classes="hint",
            )
            with VerticalScroll(id="rerate-rows"):
                for index, (title, fear) in enumerate(self.rungs):
                    with Horizontal(classes="rerate-row"):
                        yield Label(plain(title))
                        yield Input(
                            str(fear), restrict=r"\d{0,3}", max_length=3, id=f"rerate-{index}", type="integer"
                        )
            yield Label("", id="rerate-error", classes="error")
            yield Label(styled("[dim]ctrl+s or enter to save · tab to move · escape to cancel[/]"))

    def on_mount(self) -> None:
        self._say(None)
        if self.rungs:
            self.query_one("#rerate-0", Input).focus()

    def _say(self, error: str | None) -> None:
        label = self.query_one("#rerate-error", Label)
        label.update(plain(error or ""))
        label.display = bool(error)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_cancel(self) -> None:
        """Cancel; numbers changed are not dropped without asking."""
        typed = [self.query_one(f"#rerate-{i}", Input).value.strip() for i in range(len(self.rungs))]
        if typed == [str(fear) for _, fear in self.rungs]:
            self.dismiss(None)
            return
        from rejection_tui.ui.screens.confirm import leave_after_asking

        leave_after_asking(self, "Leave without saving the numbers you changed?")

    def action_save(self) -> None:
        fears: list[int] = []
        for index, (title, _) in enumerate(self.rungs):
            text = self.query_one(f"#rerate-{index}", Input).value.strip()
            value = int(text) if text.isdigit() else None
            error = score_error(value, f"Expected fear of “{title}”")
            if error or value is None:
                self._say(error or f"Expected fear of “{title}”: a whole number from 0 to 100")
                return
            fears.append(value)
        self.dismiss(fears)
