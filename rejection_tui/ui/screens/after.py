"""After: record what really happened, then see the result card."""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from rejection_tui.domain.forecast import forecast_sentence
from rejection_tui.domain.models import Attempt
from rejection_tui.domain.progress import result_message
from rejection_tui.domain.suds import anchor
from rejection_tui.domain.validation import ValidationError
from rejection_tui.ui.screens.base import FormScreen
from rejection_tui.ui.text import styled
from rejection_tui.ui.widgets.attempt_fields import AfterFields, BeforeFields, BeforeValues


def result_forecast(attempt: Attempt) -> str | None:
    """The result card's sentence on how the forecast of a no changed: only when the person gave
    both a forecast before and one for next time, and never for a retro entry (its "before" was
    typed afterwards, so it is no forecast)."""
    if attempt.retro or attempt.p_rejection is None or attempt.p_rejection_next is None:
        return None
    return forecast_sentence(attempt.p_rejection, attempt.p_rejection_next, attempt.outcome)


class AfterScreen(FormScreen):
    TITLE = "After"
    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True, id="form.save")]

    def __init__(self, attempt: Attempt, *, edit: bool = False) -> None:
        super().__init__()
        self.attempt = attempt
        self.edit = edit
        if edit:
            self.sub_title = "Edit attempt"

    def compose(self) -> ComposeResult:
        a = self.attempt
        yield Header()
        with VerticalScroll(classes="form"):
            yield Static(
                styled(
                    "[b]$title[/]\nBefore, you expected $fear ($anchor)"
                    + (" and gave a no $odds % odds" if a.p_rejection is not None else "")
                    + ".",
                    title=a.challenge_title,
                    fear=a.fear_before,
                    anchor=anchor(a.fear_before),
                    odds=a.p_rejection,
                ),
                classes="challenge-card",
            )
            if self.edit:
                yield BeforeFields(a, with_note=False)
            yield AfterFields(a)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.edit:
            self.query_one(BeforeFields).focus_first()
        else:
            self.query_one(AfterFields).focus_first()

    @work(group="save")
    async def action_save(self) -> None:
        before_values: BeforeValues | None = None
        problems: list[str] = []
        if self.edit:
            before_values, problems = self.query_one(BeforeFields).values()
        after_values, after_problems = self.query_one(AfterFields).values()
        problems += after_problems
        if after_values is None or (self.edit and before_values is None):
            self.notify("\n".join(problems), title="Please check the form", severity="error")
            return
        try:
            base = self.attempt
            if before_values is not None:
                base = base.with_before(
                    fear_before=before_values.fear_before,
                    p_rejection=before_values.p_rejection,
                    worry=before_values.worry,
                    worry_cost=before_values.worry_cost,
                )
            more = after_values.more
            # Attempt.rate takes the required answers; the optional section goes in beside them,
            # and rate() validates the whole (after_no only with a rejected ask).
            base = replace(
                base,
                surprise=more.surprise,
                cost_actual=more.cost_actual,
                p_rejection_next=more.p_rejection_next,
                contexts=more.contexts,
                after_no=more.after_no,
                no_became_yes=more.no_became_yes,
            )
            attempt = base.rate(
                fear_after=after_values.fear_after,
                outcome=after_values.outcome,
                worry_happened=after_values.worry_happened,
                lesson=after_values.lesson,
                safety_behaviours=after_values.safety_behaviours,
                note=after_values.note,
                now=self.now(),
            )
        except ValidationError as error:
            self.notify("\n".join(error.messages), title="Please check the form", severity="error")
            return
        if not await self.still_current(self.attempt):
            return  # the form keeps what was typed
        saved = await self.save_with(lambda j: j.update_attempt(attempt))
        if saved is None:
            return
        self.dismiss(saved)
        if self.edit:
            self.notify("Changes saved.")
        else:
            from rejection_tui.ui.screens.result import ResultScreen

            message = result_message(saved, self.journal.all_challenges())
            self.app.push_screen(ResultScreen(message, forecast=result_forecast(saved)))
