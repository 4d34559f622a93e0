"""Form fields with validation shown where the person is typing."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label

from rejection_tui.domain.suds import anchor, nudge
from rejection_tui.domain.validation import MAX_TEXT, ValidationError, parse_score, text_error, whole_number
from rejection_tui.ui.text import plain
from rejection_tui.ui.widgets.safe_input import SafeInput


class ScoreValidator(Validator):
    def __init__(self, label: str, *, optional: bool) -> None:
        super().__init__()
        self.label = label
        self.optional = optional

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success() if self.optional else self.failure(f"{self.label} is needed")
        try:
            parse_score(value, self.label)
        except ValidationError as error:
            return self.failure(error.messages[0])
        return self.success()


class TextValidator(Validator):
    def __init__(self, label: str, *, required: bool = False) -> None:
        super().__init__()
        self.label = label
        self.required = required

    def validate(self, value: str) -> ValidationResult:
        error = text_error(value, self.label, required=self.required)
        return self.failure(error) if error else self.success()


class WholeNumberValidator(Validator):
    """A whole number judged by a domain rule (``level_error``, ``weekly_goal_error``)."""

    def __init__(self, rule: Callable[[object], str | None]) -> None:
        super().__init__()
        self.rule = rule

    def validate(self, value: str) -> ValidationResult:
        error = self.rule(whole_number(value))
        return self.failure(error) if error else self.success()


class ScoreInput(SafeInput):
    """Digits, or +/- and left/right in steps of 5."""

    BINDINGS = [
        # priority: "+" and "-" are printable, so Input would type them.
        Binding("plus,equals_sign", "nudge(1)", "+5", show=False, priority=True),
        Binding("minus", "nudge(-1)", "-5", show=False, priority=True),
        Binding("right,up", "nudge(1)", "+5", show=False),
        Binding("left,down", "nudge(-1)", "-5", show=False),
    ]

    def action_nudge(self, direction: int) -> None:
        try:
            current: int | None = int(self.value)
        except ValueError:
            current = None
        self.value = str(nudge(current, direction))
        self.cursor_position = len(self.value)


FOCUS_MARK = "› "


class Field(Vertical):
    """A labelled form field that marks its question while it has focus.

    The mark is text, not only colour, so the active field is plain to see
    on any terminal (and to a test reading the screen).
    """

    question: str

    def on_descendant_focus(self) -> None:
        self.query_one(".question", Label).update(plain(FOCUS_MARK + self.question))

    def on_descendant_blur(self) -> None:
        self.query_one(".question", Label).update(plain(self.question))


class ScoreField(Field):
    """A labelled 0–100 rating with its anchor word and any error beside it."""

    DEFAULT_CSS = """
    ScoreField { height: auto; margin-bottom: 1; }
    ScoreField > Horizontal { height: auto; }
    ScoreField ScoreInput { width: 12; }
    ScoreField .hint { padding: 1 1 0 1; color: $text-muted; width: 1fr; }
    ScoreField .error { padding: 1 1 0 1; color: $error; width: 1fr; }
    """

    def __init__(
        self,
        question: str,
        label: str,
        *,
        value: int | None = None,
        optional: bool = False,
        show_anchor: bool = False,
        unit: str = "",
        aside: str = "",
        id: str | None = None,
    ) -> None:
        """``aside``: a few words shown after the value, such as what was said before."""
        super().__init__(id=id)
        self.question = question
        self.label = label
        self.optional = optional
        self.show_anchor = show_anchor
        self.unit = unit
        self.aside = aside
        self.initial = "" if value is None else str(value)

    def compose(self) -> ComposeResult:
        yield Label(plain(self.question), classes="question")
        with Horizontal():
            yield ScoreInput(
                value=self.initial,
                placeholder="0–100",
                max_length=5,
                validators=[ScoreValidator(self.label, optional=self.optional)],
                validate_on=["changed", "submitted"],
            )
            yield Label("", classes="hint")
            yield Label("", classes="error")

    def on_mount(self) -> None:
        self._describe(self.input.value, self.input.validate(self.input.value))

    @property
    def input(self) -> ScoreInput:
        return self.query_one(ScoreInput)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._describe(event.value, event.validation_result)

    def _describe(self, raw: str, verdict: ValidationResult | None) -> None:
        hint, error = self.query_one(".hint", Label), self.query_one(".error", Label)
        # An empty required field is not an error until the person saves.
        message, value = self._verdict(raw, verdict) if raw.strip() else (None, None)
        error.update(plain(message or ""))
        error.display = bool(message)
        hint.display = not message
        if value is None:
            described = "optional" if self.optional else "type a number, or +/−"
        elif self.show_anchor:
            described = f"{value}{self.unit} — {anchor(value)}"
        else:
            described = f"{value}{self.unit}"
        hint.update(plain(f"{described} · {self.aside}" if self.aside else described))

    def _verdict(self, raw: str, verdict: ValidationResult | None) -> tuple[str | None, int | None]:
        """(error, value) from the input's own validator's verdict."""
        if verdict is not None and not verdict.is_valid:
            return verdict.failure_descriptions[0], None
        # Valid by the validator, which applies the same rule: this cannot raise.
        return None, parse_score(raw, self.label) if raw.strip() else None

    def result(self) -> tuple[int | None, str | None]:
        """(value, None) when valid, (None, message) when not."""
        message, value = self._verdict(self.input.value, self.input.validate(self.input.value))
        return value, message


class TextField(Field):
    """A labelled one-line text of up to 2,000 characters."""

    DEFAULT_CSS = """
    TextField { height: auto; margin-bottom: 1; }
    TextField .error { color: $error; }
    """

    def __init__(
        self,
        question: str,
        label: str,
        *,
        value: str = "",
        required: bool = False,
        placeholder: str | None = None,
        validators: Sequence[Validator] = (),
        id: str | None = None,
    ) -> None:
        """``validators`` check more than the text's length (``TextValidator`` always runs first)."""
        super().__init__(id=id)
        self.question = question
        self.label = label
        self.initial = value
        self.required = required
        self.placeholder = placeholder
        self.extra_validators = tuple(validators)

    def compose(self) -> ComposeResult:
        yield Label(plain(self.question), classes="question")
        yield SafeInput(
            value=self.initial,
            placeholder=self.placeholder or ("required" if self.required else "optional"),
            # Tabbing into a note that already holds text must not select it
            # all, or the first key typed would replace the whole note.
            select_on_focus=False,
            max_length=MAX_TEXT,
            validators=[TextValidator(self.label, required=self.required), *self.extra_validators],
            validate_on=["changed"],
        )
        yield Label("", classes="error")

    def on_mount(self) -> None:
        self.query_one(".error", Label).display = False

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        # An empty required field is not an error until the person saves.
        message = self._message(event.validation_result) if event.value.strip() else None
        error = self.query_one(".error", Label)
        error.update(plain(message or ""))
        error.display = bool(message)

    @staticmethod
    def _message(verdict: ValidationResult | None) -> str | None:
        return None if verdict is None or verdict.is_valid else verdict.failure_descriptions[0]

    def result(self) -> tuple[str, str | None]:
        value = self.input.value
        return value.strip(), self._message(self.input.validate(value))
