"""Pauses and the ladder's thresholds (issue 16, items 5 and 6).

A pause is a break for illness, travel or exams: its days are neither
practice nor missed. The thresholds decide when a rung counts as mastered,
when asks are too easy and when a rung is too hard; each shows its default
and why, so whoever changes one (the person, or a therapist working with
them) sees what it is for.

Pauses are saved one change at a time (add, remove), each at once; the
thresholds are saved together with ``ctrl+s``. Every write runs in a worker
under the app's write lock (``AppScreen.write``), which reports failures.
"""

from __future__ import annotations

import math
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from rejection_tui.domain.pauses import Pause, add_pause, overlap_error
from rejection_tui.domain.thresholds import DEFAULT_THRESHOLDS, THRESHOLD_INFO, Thresholds
from rejection_tui.domain.validation import MAX_TEXT, ValidationError
from rejection_tui.storage.journal import Journal
from rejection_tui.ui import styles
from rejection_tui.ui.screens.base import FormScreen
from rejection_tui.ui.text import cell, plain, styled
from rejection_tui.ui.widgets.fields import Field
from rejection_tui.ui.widgets.safe_input import SafeInput

INTRO = (
    "A pause is a break for illness, travel or exams: its days count as neither practice nor missed, "
    "so your weekly goal, programs and streak wait for you."
)
THERAPIST_NOTE = (
    "These numbers decide when the ladder suggests the next rung, and when it mentions that asks "
    "seem easy or a rung seems hard. The defaults suit most people; if you work with a therapist, "
    "they can adjust them with you."
)
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("When a rung counts as mastered", ("calm_fear", "calm_days", "disconfirmed")),
    ("When asks seem too easy", ("easy_rate", "easy_window")),
    ("When a rung seems too hard", ("backed_out_in_a_row",)),
)
"""The thresholds, grouped as the ladder's three rules (every field of ``Thresholds`` once)."""

NO_PAUSES = "No pauses. Add one below whenever you need a break."
PAUSE_BOXES = frozenset({"pause-start", "pause-end", "pause-reason"})

DATE_HINT = "a date written as YYYY-MM-DD, for example 2026-12-24"


def shown_number(value: float) -> str:
    return f"{value:g}"


def parse_threshold(name: str, text: str) -> int | float | None:
    """What was typed into a threshold's box, as a number; None when it is not one."""
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned.isascii():
        return None
    try:
        number = float(cleaned)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    if number.is_integer():
        return int(number)
    return None if THRESHOLD_INFO[name].whole else number


def threshold_error(name: str, text: str) -> str | None:
    """Why ``text`` cannot be the threshold ``name`` (its range, from the domain's own rule)."""
    value = parse_threshold(name, text)
    if value is None:
        info = THRESHOLD_INFO[name]
        kind = "a whole number" if info.whole else "a number"
        return f"{info.label} must be {kind} from {info.low:g} to {info.high:g}"
    try:
        Thresholds.from_dict({name: value})
    except ValidationError as error:
        return error.messages[0]
    return None


def parse_day(text: str, label: str) -> tuple[date | None, str | None]:
    """(the day, None), or (None, why not) for what was typed as a date."""
    cleaned = text.strip()
    if not cleaned:
        return None, f"{label}: type {DATE_HINT}"
    try:
        return date.fromisoformat(cleaned), None
    except ValueError:
        return None, f"{label} must be {DATE_HINT} (not “{cleaned}”)"


class ThresholdValidator(Validator):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def validate(self, value: str) -> ValidationResult:
        error = threshold_error(self.name, value)
        return self.failure(error) if error else self.success()


class ThresholdField(Field):
    """One threshold: its label and default, the box, any error, and why the default is what it is."""

    def __init__(self, name: str, value: float) -> None:
        super().__init__(id=f"threshold-{name}")
        self.threshold = name
        info = THRESHOLD_INFO[name]
        self.question = f"{info.label} (default {shown_number(getattr(DEFAULT_THRESHOLDS, name))})"
        self.initial = shown_number(value)

    def compose(self) -> ComposeResult:
        info = THRESHOLD_INFO[self.threshold]
        yield Label(plain(self.question), classes="question")
        with Horizontal(classes="threshold-row"):
            yield SafeInput(
                value=self.initial,
                max_length=8,
                validators=[ThresholdValidator(self.threshold)],
                validate_on=["changed"],
            )
            yield Label("", classes="error")
        yield Static(plain(info.why), classes="why")

    def on_mount(self) -> None:
        self.query_one(".error", Label).display = False

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.say(threshold_error(self.threshold, event.value))

    def say(self, error: str | None) -> None:
        label = self.query_one(".error", Label)
        label.update(plain(error or ""))
        label.display = bool(error)

    def set_value(self, value: float) -> None:
        self.input.value = shown_number(value)


def pause_words(pause: Pause, today: date) -> str:
    """One line for the list: the days, how many, the reason, and whether it is on now."""
    days = (
        f"{pause.start:%a %d %b %Y}"
        if pause.length == 1
        else f"{pause.start:%a %d %b %Y} to {pause.end:%a %d %b %Y}"
    )
    when = "now" if pause.covers(today) else "ended" if pause.end < today else "ahead"
    count = "1 day" if pause.length == 1 else f"{pause.length} days"
    reason = " ".join(pause.reason.split())
    return f"{days} · {count} · {when}" + (f" · {reason}" if reason else "")


class PracticeSettingsScreen(FormScreen):
    """Pauses and the ladder's thresholds; escape goes back (asking first if something typed is unsaved)."""

    CSS_PATH = styles.PRACTICE_SETTINGS
    TITLE = "Pauses and thresholds"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save thresholds", priority=True, id="form.save"),
        Binding(
            "ctrl+n",
            "add_pause",
            "Add pause",
            priority=True,
            id="settings.add_pause",
            tooltip="Add the pause typed below",
        ),
        Binding(
            "x,delete",
            "remove_pause",
            "Remove pause",
            id="settings.remove_pause",
            tooltip="Remove a pause (asks first)",
        ),
        Binding(
            "ctrl+r",
            "defaults",
            "Defaults",
            priority=True,
            id="settings.defaults",
            tooltip="Put the default thresholds back in the boxes (ctrl+s saves them)",
        ),
    ]
    SAVE_ACTIONS = ("save", "add_pause", "remove_pause")

    def __init__(self) -> None:
        super().__init__()
        self.pauses: tuple[Pause, ...] = ()

    def compose(self) -> ComposeResult:
        thresholds = self.journal.thresholds()
        today = self.now().date()
        yield Header()
        with VerticalScroll(classes="form", id="settings-page"):
            yield Label("Pauses", classes="heading")
            yield Static(plain(INTRO), classes="note")
            yield OptionList(id="pause-list")
            with Vertical(id="pause-form"):
                yield Label("Add a pause", classes="question")
                with Horizontal(id="pause-fields"):
                    with Vertical(classes="pause-field"):
                        yield Label("First day", classes="small")
                        yield SafeInput(
                            value=today.isoformat(), placeholder="YYYY-MM-DD", max_length=10, id="pause-start"
                        )
                    with Vertical(classes="pause-field"):
                        yield Label("Last day", classes="small")
                        yield SafeInput(placeholder="YYYY-MM-DD", max_length=10, id="pause-end")
                    with Vertical(classes="pause-reason"):
                        yield Label("Reason (optional)", classes="small")
                        yield SafeInput(
                            placeholder="flu, a trip, exams…", max_length=MAX_TEXT, id="pause-reason"
                        )
                yield Label("", id="pause-error", classes="error")
                yield Button("Add pause (ctrl+n)", id="pause-add")
            yield Label("The ladder's thresholds", classes="heading")
            yield Static(plain(THERAPIST_NOTE), classes="note")
            for title, names in GROUPS:
                yield Label(title, classes="group")
                for name in names:
                    yield ThresholdField(name, getattr(thresholds, name))
            yield Static(
                styled(
                    "[dim]ctrl+s saves the thresholds · ctrl+r puts the defaults back · escape goes back[/]"
                ),
                id="settings-keys",
            )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # (FormScreen.on_mount runs too: Textual calls each class's handler.)
        self.query_one("#pause-error", Label).display = False
        self.show_pauses()
        self.query_one("#pause-list", OptionList).focus()

    # -- pauses -----------------------------------------------------------------

    def show_pauses(self, pauses: tuple[Pause, ...] | None = None) -> None:
        """The list: current and planned pauses first, then the ended ones, latest first."""
        self.pauses = self.journal.pauses() if pauses is None else pauses
        today = self.now().date()
        ahead = [p for p in self.pauses if p.end >= today]
        ended = sorted((p for p in self.pauses if p.end < today), key=lambda p: p.start, reverse=True)
        listing = self.query_one("#pause-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        ordered = [*ahead, *ended]
        if ordered:
            listing.add_options(Option(cell(pause_words(p, today)), id=str(i)) for i, p in enumerate(ordered))
            listing.highlighted = min(highlighted or 0, len(ordered) - 1)
        else:
            listing.add_option(
                Option(plain("No pauses. Add one below when you need a break."), disabled=True)
            )
        self._listed = ordered
        self.refresh_bindings()

    _listed: list[Pause] = []

    def highlighted_pause(self) -> Pause | None:
        index = self.query_one("#pause-list", OptionList).highlighted
        return self._listed[index] if index is not None and index < len(self._listed) else None

    def say_pause_error(self, error: str | None) -> None:
        label = self.query_one("#pause-error", Label)
        label.update(plain(error or ""))
        label.display = bool(error)

    def typed_pause(self) -> tuple[Pause | None, str | None]:
        """The pause in the boxes, checked against the rules and the pauses already there."""
        start, start_error = parse_day(self.query_one("#pause-start", Input).value, "The first day")
        end, end_error = parse_day(self.query_one("#pause-end", Input).value, "The last day")
        if start is None or end is None:
            return None, start_error or end_error
        pause = Pause(start, end, self.query_one("#pause-reason", Input).value.strip())
        problems = pause.problems()
        if problems:
            return None, problems[0]
        return pause, overlap_error(self.pauses, pause)

    @on(Input.Changed, "#pause-fields Input")
    def pause_typed(self) -> None:
        # Errors show while typing only once there is a last day to judge.
        if self.query_one("#pause-end", Input).value.strip():
            self.say_pause_error(self.typed_pause()[1])
        else:
            self.say_pause_error(None)

    @on(Input.Submitted, "#pause-fields Input")
    def pause_submitted(self) -> None:
        self.action_add_pause()

    @on(Button.Pressed, "#pause-add")
    def add_pressed(self) -> None:
        self.action_add_pause()

    @work(group="save")
    async def action_add_pause(self) -> None:
        pause, error = self.typed_pause()
        self.say_pause_error(error)
        if pause is None or error:
            self.query_one("#pause-end", Input).focus()
            return

        def add(journal: Journal) -> tuple[Pause, ...]:
            added = add_pause(journal.pauses(), pause)  # checked again against what it holds now
            journal.set_pauses(added)
            return added

        saved = await self.save_with(add)
        if saved is None:
            return  # told why (AppScreen.write); the boxes keep what was typed
        self.show_pauses(saved)
        today = self.now().date()
        self.query_one("#pause-start", Input).value = today.isoformat()
        self.query_one("#pause-end", Input).value = ""
        self.query_one("#pause-reason", Input).value = ""
        self.say_pause_error(None)
        self._settled(pause_boxes=True)
        self.notify(f"Paused: {pause_words(pause, today)}.", title="Pause added")

    def _settled(self, *, pause_boxes: bool) -> None:
        """What the pause boxes (or else the threshold boxes) hold now is nothing typed to lose."""
        if self._initial is None:
            return
        boxes = list(self.query("Input, TextArea, Checkbox, RadioButton, Select"))  # field_values' order
        now = self.field_values()
        self._initial = tuple(
            current if (box.id in PAUSE_BOXES) == pause_boxes else initial
            for box, current, initial in zip(boxes, now, self._initial, strict=True)
        )

    @work(group="save")
    async def action_remove_pause(self) -> None:
        pause = self.highlighted_pause()
        if pause is None:
            return
        today = self.now().date()
        if not await self.confirm(
            f"Remove the pause {pause_words(pause, today)}?", yes="Remove", no="Keep it"
        ):
            return

        def remove(journal: Journal) -> tuple[Pause, ...]:
            kept = tuple(p for p in journal.pauses() if p != pause)
            journal.set_pauses(kept)
            return kept

        saved = await self.save_with(remove)
        if saved is not None:
            self.show_pauses(saved)
            self.notify("Those days count as usual again.", title="Pause removed")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_pause" and not self._listed:
            return None  # shown, dimmed: there is nothing to remove
        return super().check_action(action, parameters)

    # -- thresholds -------------------------------------------------------------

    def threshold_fields(self) -> list[ThresholdField]:
        return list(self.query(ThresholdField))

    def typed_thresholds(self) -> tuple[Thresholds | None, list[str]]:
        values: dict[str, int | float] = {}
        problems = []
        for field in self.threshold_fields():
            error = threshold_error(field.threshold, field.input.value)
            field.say(error)
            value = parse_threshold(field.threshold, field.input.value)
            if error or value is None:
                problems.append(error or field.question)
            else:
                values[field.threshold] = value
        if problems:
            return None, problems
        return Thresholds.from_dict(values), []  # each value passed the same rule: cannot raise

    def action_defaults(self) -> None:
        for field in self.threshold_fields():
            field.set_value(getattr(DEFAULT_THRESHOLDS, field.threshold))
        self.notify("The defaults are in the boxes: ctrl+s saves them.", title="Defaults")

    @work(group="save")
    async def action_save(self) -> None:
        thresholds, problems = self.typed_thresholds()
        if thresholds is None:
            self.notify("\n".join(problems), title="Please check the thresholds", severity="error")
            return

        def save(journal: Journal) -> Thresholds:
            journal.set_thresholds(thresholds)
            return thresholds

        if await self.save_with(save) is None:
            return  # told why (AppScreen.write); the boxes keep what was typed
        self._settled(pause_boxes=False)  # what the boxes hold is now what the journal holds
        said = "the defaults" if thresholds.is_default else "your own numbers"
        self.notify(f"The ladder now uses {said}.", title="Thresholds saved")
