"""Build a starter ladder from the person's own fear ratings of a dozen asks."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from rejection_tui.domain.ladder import STARTER_MIN_FEAR, starter_ladder, starter_notes
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Challenge
from rejection_tui.domain.text import counted
from rejection_tui.domain.validation import ValidationError
from rejection_tui.ui.screens.base import FormScreen
from rejection_tui.ui.widgets.fields import ScoreField

HOW_MANY = 12


def sample_for_rating(challenges: tuple[Challenge, ...], count: int = HOW_MANY) -> list[Challenge]:
    """A dozen asks spread evenly from the gentlest to the boldest."""
    ordered = sorted(challenges, key=lambda c: (c.level, c.id))
    step = (len(ordered) - 1) / (count - 1)
    return [ordered[round(i * step)] for i in range(count)]


class StarterLadderScreen(FormScreen):
    TITLE = "Ladder"
    BINDINGS = [Binding("ctrl+s", "build", "Build ladder", priority=True, id="starter.build")]

    def __init__(self) -> None:
        super().__init__()
        self.sub_title = "Starter ladder"
        self.choices = sample_for_rating(builtin_challenges())

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="form"):
            yield Static(
                "Rate how scary each ask would feel, 0–100. Leave out any you wouldn't do. "
                "Your ladder is built from your own numbers, mild to high. [b]ctrl+s[/] when done.",
                classes="challenge-card",
            )
            for i, challenge in enumerate(self.choices):
                yield ScoreField(challenge.title, "Fear", optional=True, show_anchor=True, id=f"rate-{i}")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#rate-0", ScoreField).input.focus()

    SAVE_ACTIONS = ("build",)

    @work(group="save")
    async def action_build(self) -> None:
        ratings = []
        problems = []
        for i, challenge in enumerate(self.choices):
            value, error = self.query_one(f"#rate-{i}", ScoreField).result()
            if error:
                problems.append(f"{challenge.title}: {error}")
            elif value is not None:
                ratings.append((challenge, value))
        if problems:
            self.notify("\n".join(problems), title="Please check the form", severity="error")
            return
        try:
            ladder = starter_ladder(ratings)
        except ValidationError as error:
            self.notify("\n".join(error.messages), severity="error")
            return
        if not ladder.rungs:
            self.notify(
                f"Rate at least one ask {STARTER_MIN_FEAR} or higher to start a ladder: "
                "calmer ones are too easy to teach much.",
                severity="warning",
            )
            return
        if await self.save_with(lambda j: j.save_ladder(ladder)) is not None:
            # Say what was left out of the person's own ratings, and why.
            notes = "".join(f"\n{note}" for note in starter_notes(ratings, ladder))
            self.notify(
                f"Your ladder has {counted(len(ladder.rungs), 'rung')}. Start with the first.{notes}",
                timeout=20 if notes else 5,
            )
            self.dismiss(ladder)
