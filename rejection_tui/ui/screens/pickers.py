"""Small pickers: which challenge to plan, which planned attempt to rate."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from rejection_tui.domain.history import filter_challenges
from rejection_tui.domain.models import Attempt, Challenge
from rejection_tui.domain.progress import suggest_next
from rejection_tui.storage.journal import Journal
from rejection_tui.ui import styles
from rejection_tui.ui.text import cell
from rejection_tui.ui.widgets.safe_input import SafeInput


class ChallengePicker(ModalScreen[Challenge | None]):
    """Type to search, arrows to move, enter to choose."""

    CSS_PATH = styles.DIALOGS
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Up", show=False, id="picker.up"),
    ]

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.challenges = journal.all_challenges()
        suggestion = suggest_next(self.challenges, journal.list_attempts())
        self.suggested = suggestion[0] if suggestion else None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker"):
            yield Label("[b]Which challenge?[/]  type to search · enter to choose · escape to cancel")
            yield SafeInput(placeholder="Search challenges…", id="picker-search")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        matches = filter_challenges(self.challenges, text=text)
        if self.suggested in matches and not text:
            matches.remove(self.suggested)
            matches.insert(0, self.suggested)
        for challenge in matches:
            star = "★ suggested · " if challenge == self.suggested and not text else ""
            options.add_option(Option(cell(f"{star}L{challenge.level}  {challenge.title}"), id=challenge.id))
        if matches:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = max(0, min(options.option_count - 1, (options.highlighted or 0) + delta))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._choose(self.query_one(OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        options = self.query_one(OptionList)
        if index is None or not options.option_count:
            return
        chosen_id = options.get_option_at_index(index).id
        self.dismiss(next(c for c in self.challenges if c.id == chosen_id))


class PlannedPicker(ModalScreen[Attempt | None]):
    CSS_PATH = styles.DIALOGS
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel")]

    def __init__(self, planned: list[Attempt]) -> None:
        super().__init__()
        self.planned = planned

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker"):
            yield Label("[b]Which attempt did you do?[/]  enter to rate · escape to cancel")
            yield OptionList(
                *[
                    Option(
                        cell(
                            f"{a.challenge_title} — planned {a.created_at:%a %d %b}, "
                            f"expected {a.fear_before}"
                        ),
                        id=a.id,
                    )
                    for a in self.planned
                ],
                id="planned-options",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.planned[event.option_index])


class PractisedPicker(ModalScreen[str | None]):
    """Pick one of the challenges the person has done."""

    CSS_PATH = styles.DIALOGS
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel")]

    def __init__(self, practised: list[tuple[str, str, int]]) -> None:
        super().__init__()
        self.practised = practised

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker"):
            yield Label("[b]Which challenge?[/]  enter to choose · escape to cancel")
            yield OptionList(*[Option(cell(f"{title} ({n}×)"), id=cid) for cid, title, n in self.practised])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
