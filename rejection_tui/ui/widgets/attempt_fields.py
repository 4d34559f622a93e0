"""The Before and After field groups, shared by the plan, rate and edit forms."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Label, RadioButton, RadioSet

from rejection_tui.domain.models import SAFETY_BEHAVIOURS, Attempt, Outcome
from rejection_tui.ui.text import plain
from rejection_tui.ui.widgets.fields import ScoreField, TextField
from rejection_tui.ui.widgets.more_after import MoreAfterFields, MoreValues
from rejection_tui.ui.widgets.toggles import MarkedCheckbox, MarkedRadioButton

OUTCOME_CHOICES: tuple[tuple[Outcome, str], ...] = (
    (Outcome.REJECTED, "Rejected — I heard a no"),
    (Outcome.ACCEPTED, "Accepted — they said yes"),
    (Outcome.PARTIAL, "Partly — a counter-offer or a half yes"),
    (Outcome.NOT_ASKED, "I didn't ask this time"),
)


@dataclass(frozen=True)
class BeforeValues:
    fear_before: int
    p_rejection: int
    worry: str
    worry_cost: int | None
    note: str


@dataclass(frozen=True)
class AfterValues:
    fear_after: int
    outcome: Outcome
    worry_happened: bool | None
    lesson: str
    safety_behaviours: tuple[str, ...]
    note: str
    more: MoreValues = field(default_factory=MoreValues)
    """The optional section (surprise, how bad it really was, next time, contexts, after a no)."""


def pressed(radio_set: RadioSet) -> RadioButton | None:
    """The button that is on, read from the buttons themselves.

    ``RadioSet.pressed_button`` is updated by a message, one step behind a
    toggle; a save pressed right after choosing must still see the choice.
    """
    return next((b for b in radio_set.query(RadioButton) if b.value), None)


class BeforeFields(Vertical):
    DEFAULT_CSS = "BeforeFields { height: auto; }"

    def __init__(self, attempt: Attempt | None = None, *, with_note: bool = True) -> None:
        super().__init__()
        self.attempt = attempt
        self.with_note = with_note

    def compose(self) -> ComposeResult:
        a = self.attempt
        yield ScoreField(
            "How afraid do you expect to be? (0–100)",
            "Fear",
            value=a.fear_before if a else None,
            show_anchor=True,
            id="fear-before",
        )
        yield ScoreField(
            "How likely is a “no”? (0–100 %)",
            "Likelihood of a no",
            value=a.p_rejection if a else None,
            unit=" %",
            id="p-rejection",
        )
        yield TextField(
            "What am I afraid will happen?", "What you fear", value=a.worry if a else "", id="worry"
        )
        yield ScoreField(
            "How bad would that be? (0–100)",
            "How bad it would be",
            value=a.worry_cost if a else None,
            optional=True,
            id="worry-cost",
        )
        if self.with_note:
            yield TextField("Note", "Note", value=a.note if a else "", id="before-note")

    def focus_first(self) -> None:
        self.query_one("#fear-before", ScoreField).input.focus()

    def values(self) -> tuple[BeforeValues | None, list[str]]:
        fear, fear_error = self.query_one("#fear-before", ScoreField).result()
        likely, likely_error = self.query_one("#p-rejection", ScoreField).result()
        worry, worry_error = self.query_one("#worry", TextField).result()
        cost, cost_error = self.query_one("#worry-cost", ScoreField).result()
        note, note_error = (
            self.query_one("#before-note", TextField).result() if self.with_note else ("", None)
        )
        problems = [p for p in (fear_error, likely_error, worry_error, cost_error, note_error) if p]
        if problems or fear is None or likely is None:
            return None, problems
        return BeforeValues(fear, likely, worry, cost, note), []


class AfterFields(Vertical):
    DEFAULT_CSS = """
    AfterFields { height: auto; }
    AfterFields RadioSet { margin-bottom: 1; width: 100%; }
    AfterFields #behaviours {
        height: auto; margin-bottom: 1; layout: grid; grid-size: 2; grid-rows: 1;
    }
    AfterFields #behaviours Checkbox { border: none; height: 1; padding: 0 1; }
    AfterFields #behaviours Checkbox:focus { background: $boost; text-style: bold; }
    """

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        a = self.attempt
        yield ScoreField(
            "How afraid did you actually feel, at the peak? (0–100)",
            "Fear",
            value=a.fear_after,
            show_anchor=True,
            id="fear-after",
        )
        yield Label(
            plain(f"What happened? — {a.outcome.label}" if a.outcome else "What happened?"),
            classes="question",
            id="outcome-question",
        )
        with RadioSet(id="outcome"):
            for outcome, text in OUTCOME_CHOICES:
                yield MarkedRadioButton(text, value=a.outcome == outcome, name=outcome.value)
        worry = f" (“{a.worry}”)" if a.worry else ""
        yield Label(plain(f"Did what you feared happen?{worry}"), classes="question")
        with RadioSet(id="worry-happened"):
            yield MarkedRadioButton("No, it didn't", value=a.worry_happened is False, name="no")
            yield MarkedRadioButton("Yes, it did", value=a.worry_happened is True, name="yes")
        yield TextField("What did you learn?", "What you learned", value=a.lesson, id="lesson")
        yield Label("Did you lean on any of these? (it's fine — noticing helps)", classes="question")
        with Vertical(id="behaviours"):
            for key, text in SAFETY_BEHAVIOURS.items():
                yield MarkedCheckbox(text, value=key in a.safety_behaviours, name=key)
        yield TextField("Note", "Note", value=a.note, id="after-note")
        yield MoreAfterFields(a)

    def focus_first(self) -> None:
        self.query_one("#fear-after", ScoreField).input.focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "outcome" and event.pressed.name:
            # Say the choice in words too: colour alone is easy to miss.
            chosen = Outcome(event.pressed.name)
            self.query_one("#outcome-question", Label).update(f"What happened? — {chosen.label}")
            self.query_one(MoreAfterFields).show_after_no(chosen == Outcome.REJECTED)

    def values(self) -> tuple[AfterValues | None, list[str]]:
        fear, fear_error = self.query_one("#fear-after", ScoreField).result()
        lesson, lesson_error = self.query_one("#lesson", TextField).result()
        note, note_error = self.query_one("#after-note", TextField).result()
        outcome_button = pressed(self.query_one("#outcome", RadioSet))
        happened_button = pressed(self.query_one("#worry-happened", RadioSet))
        problems = [p for p in (fear_error, lesson_error, note_error) if p]
        if outcome_button is None:
            problems.append("Choose what happened (rejected, accepted, partly or didn't ask)")
        outcome = None if outcome_button is None else Outcome(str(outcome_button.name))
        more, more_problems = self.query_one(MoreAfterFields).values(outcome)
        problems += more_problems
        if problems or fear is None or outcome is None or more is None:
            return None, problems
        happened = None if happened_button is None else happened_button.name == "yes"
        behaviours = tuple(
            box.name for box in self.query("#behaviours Checkbox").results(Checkbox) if box.value and box.name
        )
        return AfterValues(fear, outcome, happened, lesson, behaviours, note, more), []
