"""Before: plan an attempt by writing down what you predict."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from rejection_tui.domain.after_no import because_hint
from rejection_tui.domain.categories import category_label
from rejection_tui.domain.models import Attempt, Challenge
from rejection_tui.domain.validation import ValidationError
from rejection_tui.ui.messages import RateAttempt
from rejection_tui.ui.screens.base import FormScreen
from rejection_tui.ui.text import styled
from rejection_tui.ui.widgets.attempt_fields import BeforeFields


class BeforeScreen(FormScreen):
    TITLE = "Before"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save plan", priority=True, id="form.save"),
        Binding("ctrl+r", "save(True)", "Save & rate now", priority=True, id="before.save_and_rate"),
    ]

    def __init__(self, challenge: Challenge, attempt: Attempt | None = None) -> None:
        super().__init__()
        self.challenge = challenge
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        c = self.challenge
        because = because_hint(c.level, c.tip)
        yield Header()
        with VerticalScroll(classes="form"):
            yield Static(
                styled(
                    "[b]$title[/]\nLevel $level · $category"
                    + ("\n[dim]$tip[/]" if c.tip else "")
                    # Where the ask is planned is where its kindness note matters most.
                    + ("\n[b]Be kind:[/] $safety" if c.safety else "")
                    # Before a small ask, quietly: a tip, never a rule.
                    + ("\n[dim i]$because[/]" if because else ""),
                    title=c.title,
                    level=c.level,
                    category=category_label(c.category),
                    tip=c.tip,
                    safety=c.safety,
                    because=because or "",
                ),
                classes="challenge-card",
            )
            yield BeforeFields(self.attempt)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(BeforeFields).focus_first()

    @work(group="save")
    async def action_save(self, rate_now: bool = False) -> None:
        values, problems = self.query_one(BeforeFields).values()
        if values is None:
            self.notify("\n".join(problems), title="Please check the form", severity="error")
            return
        try:
            if self.attempt is None:
                attempt = Attempt.plan(
                    self.challenge,
                    fear_before=values.fear_before,
                    p_rejection=values.p_rejection,
                    worry=values.worry,
                    worry_cost=values.worry_cost,
                    note=values.note,
                    now=self.now(),
                )
            else:
                attempt = self.attempt.with_before(
                    fear_before=values.fear_before,
                    p_rejection=values.p_rejection,
                    worry=values.worry,
                    worry_cost=values.worry_cost,
                    note=values.note,
                )
        except ValidationError as error:
            self.notify("\n".join(error.messages), title="Please check the form", severity="error")
            return
        editing = self.attempt is not None
        if self.attempt is not None and not await self.still_current(self.attempt):
            return  # the form keeps what was typed
        saved = await self.save_with(
            lambda j: j.update_attempt(attempt) if editing else j.add_attempt(attempt)
        )
        if saved is None:
            return  # the error was shown; the form keeps what was typed
        self.dismiss(saved)
        if rate_now:
            self.post_message(RateAttempt(saved))
        elif editing:
            self.notify("Changes saved.")
        else:
            self.notify("Planned. Go and do it — then press r to record how it went.", timeout=6)
