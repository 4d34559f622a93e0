"""The After form's optional section (issue 16): what surprised you, how bad it really was, next
time's forecast, where it happened and, after a no, what you did next.

It starts folded so the form stays as short as before; it opens by itself
when the attempt already holds any of these, and when one of them needs
fixing before the form can be saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.validation import ValidationResult, Validator
from textual.widgets import Checkbox, Collapsible, Label

from rejection_tui.domain.after_no import AFTER_NO_QUESTION, NO_BECAME_YES_LABEL, AfterNo, to_stored
from rejection_tui.domain.contexts import CHANNELS, contexts_from, is_channel, split_tags
from rejection_tui.domain.models import MAX_CONTEXTS, Attempt, Outcome
from rejection_tui.ui.widgets.fields import ScoreField, TextField
from rejection_tui.ui.widgets.toggles import MarkedCheckbox

MORE_TITLE = "More (optional): surprise, how bad it was, next time, where"

_CHANNEL_LABELS = {"in person": "In person", "phone": "Phone", "message": "Message"}


class TagsValidator(Validator):
    def validate(self, value: str) -> ValidationResult:
        if len(split_tags(value)) > MAX_CONTEXTS:
            return self.failure(f"At most {MAX_CONTEXTS} tags, please")
        return self.success()


@dataclass(frozen=True)
class MoreValues:
    """What the optional section holds; everything empty when nothing was given."""

    surprise: int | None = None
    cost_actual: int | None = None
    p_rejection_next: int | None = None
    contexts: tuple[str, ...] = ()
    after_no: tuple[str, ...] = ()
    no_became_yes: bool = False


def has_more(attempt: Attempt) -> bool:
    """Whether the attempt holds anything the optional section shows."""
    return bool(
        attempt.surprise is not None
        or attempt.cost_actual is not None
        or attempt.p_rejection_next is not None
        or attempt.contexts
        or attempt.after_no
        or attempt.no_became_yes
    )


class MoreAfterFields(Vertical):
    """The folded section; ``show_after_no`` is called down when the outcome changes."""

    DEFAULT_CSS = """
    MoreAfterFields { height: auto; margin-bottom: 1; }
    MoreAfterFields .choices { height: auto; margin-bottom: 1; }
    MoreAfterFields .choices Checkbox { border: none; height: 1; padding: 0 1; width: auto; }
    MoreAfterFields .choices Checkbox:focus { background: $boost; text-style: bold; }
    MoreAfterFields #channels { layout: horizontal; }
    MoreAfterFields #no-became-yes { margin-top: 1; }
    """

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt
        # The saved tags that are not channels, as the tags box shows them. A tag from the
        # shell may hold a comma: left untouched, they are kept as they were, not split.
        self.other_tags = tuple(tag for tag in attempt.contexts if not is_channel(tag))
        self.other_tags_shown = ", ".join(self.other_tags)

    def compose(self) -> ComposeResult:
        a = self.attempt
        with Collapsible(title=MORE_TITLE, collapsed=not has_more(a), id="more"):
            yield ScoreField(
                "How surprised were you by what happened? (0–100)",
                "How surprised you were",
                value=a.surprise,
                optional=True,
                id="surprise",
            )
            yield ScoreField(
                "How bad was it, really? (0–100)",
                "How bad it really was",
                value=a.cost_actual,
                optional=True,
                aside="" if a.worry_cost is None else f"you feared {a.worry_cost}",
                id="cost-actual",
            )
            yield ScoreField(
                "Next time, how likely is a no? (0–100 %)",
                "Next time's chance of a no",
                value=a.p_rejection_next,
                optional=True,
                unit=" %",
                aside="" if a.p_rejection is None else f"before, you said {a.p_rejection} %",
                id="p-rejection-next",
            )
            yield Label("Where and how? (optional)", classes="question")
            with Horizontal(id="channels", classes="choices"):
                for channel in CHANNELS:
                    chosen = any(tag.casefold() == channel for tag in a.contexts)
                    yield MarkedCheckbox(_CHANNEL_LABELS[channel], value=chosen, name=channel)
            yield TextField(
                "Other tags, comma-separated (a place, a kind of person)",
                "Tags",
                value=self.other_tags_shown,
                placeholder="optional, e.g. café, a neighbour",
                validators=[TagsValidator()],
                id="tags",
            )
            with Vertical(id="after-no", classes="choices"):
                yield Label(AFTER_NO_QUESTION, classes="question")
                for choice in AfterNo:
                    yield MarkedCheckbox(choice.label, value=choice.value in a.after_no, name=choice.value)
                yield MarkedCheckbox(NO_BECAME_YES_LABEL, value=a.no_became_yes, id="no-became-yes")

    def on_mount(self) -> None:
        self.show_after_no(self.attempt.outcome == Outcome.REJECTED)

    def unfold(self) -> None:
        self.query_one(Collapsible).collapsed = False

    def show_after_no(self, rejected: bool) -> None:
        """The after-no choices only for a rejected ask; hidden, they are cleared."""
        box = self.query_one("#after-no", Vertical)
        box.display = rejected
        if not rejected:
            for checkbox in box.query(Checkbox):
                checkbox.value = False

    def values(self, outcome: Outcome | None) -> tuple[MoreValues | None, list[str]]:
        """The section's values for an ask with ``outcome``; opens itself when one needs fixing."""
        surprise, surprise_error = self.query_one("#surprise", ScoreField).result()
        cost, cost_error = self.query_one("#cost-actual", ScoreField).result()
        chance, chance_error = self.query_one("#p-rejection-next", ScoreField).result()
        typed, tags_error = self.query_one("#tags", TextField).result()
        errors: list[tuple[ScoreField | TextField, str | None]] = [
            (self.query_one("#surprise", ScoreField), surprise_error),
            (self.query_one("#cost-actual", ScoreField), cost_error),
            (self.query_one("#p-rejection-next", ScoreField), chance_error),
            (self.query_one("#tags", TextField), tags_error),
        ]
        problems = [error for _, error in errors if error]
        channels = [str(box.name) for box in self.query("#channels Checkbox").results(Checkbox) if box.value]
        kept = typed == self.other_tags_shown.strip()
        contexts = contexts_from(channels, self.other_tags if kept else split_tags(typed))
        if not problems and len(contexts) > MAX_CONTEXTS:
            problems.append(f"At most {MAX_CONTEXTS} tags with the ticked ones, please")
        if problems:
            # Where the person will look: the section opens at the first answer to fix.
            self.unfold()
            wrong = next((field for field, error in errors if error), self.query_one("#tags", TextField))
            self.call_after_refresh(wrong.input.focus)
            return None, problems
        rejected = outcome == Outcome.REJECTED
        chosen = [
            AfterNo(str(box.name))
            for box in self.query("#after-no Checkbox").results(Checkbox)
            if box.value and box.name
        ]
        became_yes = self.query_one("#no-became-yes", Checkbox).value
        return (
            MoreValues(
                surprise=surprise,
                cost_actual=cost,
                p_rejection_next=chance,
                contexts=contexts,
                after_no=tuple(to_stored(chosen)) if rejected else (),
                no_became_yes=rejected and became_yes,
            ),
            [],
        )
