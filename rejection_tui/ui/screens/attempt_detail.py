"""Everything recorded about one attempt."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from rejection_tui.domain.categories import category_label
from rejection_tui.domain.models import SAFETY_BEHAVIOURS, Attempt, Status
from rejection_tui.domain.progress import outcome_text
from rejection_tui.domain.suds import anchor


def describe(a: Attempt) -> str:
    def maybe(value: object, suffix: str = "") -> str:
        return "—" if value in (None, "") else f"{value}{suffix}"

    lines = [
        f"[b]{a.challenge_title}[/]",
        f"Level {a.level} · {category_label(a.category)} · planned {a.created_at:%a %d %b %Y, %H:%M}",
        "",
        "[b]Before[/]",
        f"  Expected fear     {a.fear_before} ({anchor(a.fear_before)})",
        f"  Chance of a no    {maybe(a.p_rejection, ' %')}",
        f"  Afraid that       {maybe(a.worry)}",
        f"  How bad           {maybe(a.worry_cost)}",
    ]
    if a.status == Status.DONE and a.fear_after is not None:
        happened = {None: "—", True: "yes", False: "no"}[a.worry_happened]
        behaviours = ", ".join(SAFETY_BEHAVIOURS.get(b, b) for b in a.safety_behaviours) or "none"
        lines += [
            "",
            f"[b]After[/]  ({a.done_at:%a %d %b %Y, %H:%M})" if a.done_at else "[b]After[/]",
            f"  Felt fear         {a.fear_after} ({anchor(a.fear_after)})",
            f"  What happened     {outcome_text(a)}",
            f"  Feared thing      {happened}",
            f"  Learned           {maybe(a.lesson)}",
            f"  Leaned on         {behaviours}",
        ]
    else:
        lines += ["", "[b]After[/]  not rated yet — press r"]
    lines += ["", f"[b]Note[/]  {maybe(a.note)}"]
    return "\n".join(lines)


class AttemptDetailScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape,enter", "dismiss(None)", "Close"),
        Binding("e", "dismiss('edit')", "Edit"),
        Binding("r", "dismiss('rate')", "Rate"),
    ]

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="detail"):
            yield VerticalScroll(Static(describe(self.attempt)))
            hint = (
                "e edit · r rate · escape close"
                if self.attempt.status == Status.PLANNED
                else "e edit · escape close"
            )
            yield Label(f"[dim]{hint}[/]")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dismiss" and parameters == ("rate",):
            return self.attempt.status == Status.PLANNED
        return True
