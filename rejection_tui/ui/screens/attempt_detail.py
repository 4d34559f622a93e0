"""Everything recorded about one attempt."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from rejection_tui.domain.categories import category_label
from rejection_tui.domain.models import SAFETY_BEHAVIOURS, VIA_SHELL, Attempt, Status
from rejection_tui.domain.progress import outcome_text
from rejection_tui.domain.suds import anchor
from rejection_tui.ui import styles
from rejection_tui.ui.text import lines, plain, styled


def describe(a: Attempt) -> Content:
    def maybe(value: object, suffix: str = "") -> str:
        return "—" if value in (None, "") else f"{value}{suffix}"

    def row(label: str, value: object) -> Content:
        return plain(f"  {label:<18}{value}")

    parts = [
        styled("[b]$title[/]", title=a.challenge_title),
        plain(
            f"Level {a.level} · {category_label(a.category)} · planned {a.created_at:%a %d %b %Y, %H:%M}"
        ),
        plain(""),
        styled("[b]Before[/]"),
        row("Expected fear", f"{a.fear_before} ({anchor(a.fear_before)})"),
        row("Chance of a no", maybe(a.p_rejection, " %")),
        row("Afraid that", maybe(a.worry)),
        row("How bad", maybe(a.worry_cost)),
        plain(""),
    ]
    if a.status == Status.DONE and a.fear_after is not None:
        happened = {None: "—", True: "yes", False: "no"}[a.worry_happened]
        behaviours = ", ".join(SAFETY_BEHAVIOURS.get(b, b) for b in a.safety_behaviours) or "none"
        when = f"  ({a.done_at:%a %d %b %Y, %H:%M})" if a.done_at else ""
        parts += [
            styled("[b]After[/]$when", when=when),
            row("Felt fear", f"{a.fear_after} ({anchor(a.fear_after)})"),
            row("What happened", outcome_text(a)),
            row("Feared thing", happened),
            row("Learned", maybe(a.lesson)),
            row("Leaned on", behaviours),
            *_deeper_rows(a, row),
        ]
    else:
        parts.append(styled("[b]After[/]  not rated yet — press r"))
    parts += [plain(""), styled("[b]Note[/]  $note", note=maybe(a.note))]
    if a.via == VIA_SHELL or a.retro:
        where = "with a shell command" if a.via == VIA_SHELL else "in the app"
        hindsight = (
            ", after the fact: its fear before is hindsight, so it stays out of expected-vs-felt"
            if a.retro
            else ""
        )
        parts.append(plain(f"Entered {where}{hindsight}."))
    return lines(parts)


def _deeper_rows(a: Attempt, row: Callable[[str, object], Content]) -> list[Content]:
    """The optional deeper-practice answers (issue 16), only those given."""
    from rejection_tui.domain.after_no import AFTER_NO_LABELS, AfterNo

    rows = []
    if a.surprise is not None:
        rows.append(row("Surprised", f"{a.surprise}"))
    if a.cost_actual is not None:
        feared = f" (you feared {a.worry_cost})" if a.worry_cost is not None else ""
        rows.append(row("How bad, really", f"{a.cost_actual}{feared}"))
    if a.p_rejection_next is not None:
        rows.append(row("Next time, a no", f"{a.p_rejection_next} %"))
    if a.contexts:
        rows.append(row("Where, how", ", ".join(a.contexts)))
    if a.after_no:
        # (Validated: only the three known values get this far.)
        rows.append(row("After the no", "; ".join(AFTER_NO_LABELS[AfterNo(v)] for v in a.after_no)))
    if a.no_became_yes:
        rows.append(row("In the end", "the no became a yes (counted apart, not as a rejection)"))
    if a.replay is not None:
        rows.append(row("Gone over it", f"{a.replay} (the day after)"))
    elif a.replay_skipped:
        rows.append(row("Gone over it", "skipped"))
    if a.replay_note:
        rows.append(row("Kind sentence", a.replay_note))
    return rows


class AttemptDetailScreen(ModalScreen[str | None]):
    CSS_PATH = styles.DIALOGS
    BINDINGS = [
        Binding("escape,enter", "dismiss(None)", "Close", id="detail.close"),
        Binding("e", "dismiss('edit')", "Edit", id="detail.edit"),
        Binding("r", "dismiss('rate')", "Rate", id="detail.rate"),
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
            yield Label(styled("[dim]$hint[/]", hint=hint))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dismiss" and parameters == ("rate",):
            return self.attempt.status == Status.PLANNED
        return True
