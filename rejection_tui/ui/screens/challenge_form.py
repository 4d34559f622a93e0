"""Add or edit a custom challenge."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Select

from rejection_tui.domain.categories import CATEGORIES
from rejection_tui.domain.models import Challenge, custom_id
from rejection_tui.domain.validation import ValidationError, level_error, whole_number
from rejection_tui.ui.screens.base import FormScreen
from rejection_tui.ui.text import plain
from rejection_tui.ui.widgets.fields import TextField, WholeNumberValidator
from rejection_tui.ui.widgets.safe_input import SafeInput


class ChallengeFormScreen(FormScreen):
    TITLE = "Challenge"
    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True, id="form.save")]

    def __init__(self, challenge: Challenge | None) -> None:
        super().__init__()
        self.challenge = challenge
        self.sub_title = "Edit your challenge" if challenge else "Add your own challenge"

    def compose(self) -> ComposeResult:
        c = self.challenge
        yield Header()
        with VerticalScroll(classes="form"):
            yield TextField(
                "What will you ask or do?", "Title", value=c.title if c else "", required=True, id="title"
            )
            yield Label("Level, 1 (tiny) to 10 (very bold)", classes="question")
            yield SafeInput(
                value=str(c.level) if c else "3",
                id="level",
                max_length=2,
                validators=[WholeNumberValidator(level_error)],
            )
            yield Label("", id="level-error", classes="error")
            yield Label("Category", classes="question")
            yield Select(
                [(label, key) for key, label in CATEGORIES.items()],
                value=c.category if c else "small_talk",
                allow_blank=False,
                id="category",
            )
            yield TextField("A one-line tip on how to ask", "Tip", value=c.tip if c else "", id="tip")
            yield TextField(
                "A kindness or safety note (optional)",
                "Safety note",
                value=c.safety if c else "",
                id="safety",
            )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#title", TextField).input.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "level":
            self.query_one("#level-error", Label).update(plain(self._level_problem() or ""))

    def _level_problem(self) -> str | None:
        """The Level box's own validator's verdict."""
        level = self.query_one("#level", Input)
        verdict = level.validate(level.value)
        return None if verdict is None or verdict.is_valid else verdict.failure_descriptions[0]

    @work(group="save")
    async def action_save(self) -> None:
        title, title_error = self.query_one("#title", TextField).result()
        tip, tip_error = self.query_one("#tip", TextField).result()
        safety, safety_error = self.query_one("#safety", TextField).result()
        problems = [p for p in (title_error, self._level_problem(), tip_error, safety_error) if p]
        if problems:
            self.notify("\n".join(problems), title="Please check the form", severity="error")
            return
        category = str(self.query_one("#category", Select).value)
        level = whole_number(self.query_one("#level", Input).value)
        assert level is not None  # the Level box's validator passed it
        try:
            challenge = Challenge(
                id=self.challenge.id if self.challenge else custom_id(title),
                title=title,
                level=level,
                category=category,
                tip=tip,
                safety=safety,
                source="custom",
            ).validated()
        except ValidationError as error:
            self.notify("\n".join(error.messages), title="Please check the form", severity="error")
            return
        saved = await self.save_with(
            (lambda j: j.update_challenge(challenge))
            if self.challenge
            else (lambda j: j.add_challenge(challenge))
        )
        if saved is not None:
            self.notify(f"Saved “{saved.title}”.")  # notifications are plain text
            self.dismiss(saved)
