"""History: every attempt, newest first, with filters, detail, edit and delete."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from rejection_tui.domain.categories import CATEGORIES
from rejection_tui.domain.history import PLANNED, filter_attempts
from rejection_tui.domain.models import VIA_SHELL, Attempt, Challenge, Outcome, Status
from rejection_tui.domain.progress import outcome_text
from rejection_tui.ui.messages import RateAttempt, StartAttempt
from rejection_tui.ui.screens.base import TableSectionScreen
from rejection_tui.ui.text import cell
from rejection_tui.ui.widgets.safe_input import SafeInput
from rejection_tui.ui.widgets.table import RowTable

UNDO_WINDOW = timedelta(minutes=5)


def challenge_for(attempt: Attempt, found: Challenge | None) -> Challenge:
    """The challenge to show on the edit form (a snapshot if it was removed)."""
    if found is not None:
        return found
    return Challenge(
        attempt.challenge_id, attempt.challenge_title, attempt.level, attempt.category or "small_talk"
    )


class HistoryScreen(TableSectionScreen):
    TITLE = "History"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/", id="history.search"),
        Binding("enter", "detail", "Detail", id="history.detail"),
        Binding("e", "edit", "Edit", id="history.edit"),
        Binding("x,delete", "delete", "Delete", id="history.delete", tooltip="Delete (asks first)"),
        Binding("u", "undo", "Undo delete", id="history.undo"),
    ]

    deleted: tuple[Attempt, datetime] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield SafeInput(placeholder="Search notes and titles…  (/)", id="search")
            yield Select(
                [("Planned", PLANNED), *[(o.label.capitalize(), o.value) for o in Outcome]],
                prompt="All outcomes",
                id="outcome",
            )
            yield Select(
                [(label, key) for key, label in CATEGORIES.items()], prompt="All categories", id="category"
            )
        yield RowTable(id="table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="empty")
        yield Footer(compact=True)

    # (title, key, width) of the fixed columns; the challenge's title gets the
    # rest, so every column stays in view however wide the terminal is.
    WIDE_COLUMNS = (("Date", "date", 10), ("Lvl", "level", 3), ("Before", "before", 6), ("After", "after", 5))
    NARROW_COLUMNS = (("Date", "date", 6), ("Before", "before", 6), ("After", "after", 5))
    OUTCOME_WIDTH = 10
    NARROW_BELOW = 70
    _layout: tuple[bool, int] | None = None

    def _fit_columns(self) -> bool:
        """Lay the columns out for the terminal's width; True when they changed."""
        width = self.app.size.width
        narrow = width < self.NARROW_BELOW
        fixed = self.NARROW_COLUMNS if narrow else self.WIDE_COLUMNS
        # Each column has one cell of padding on either side; 2 more for the scrollbar.
        used = sum(w for _, _, w in fixed) + self.OUTCOME_WIDTH + 2 * (len(fixed) + 2) + 2
        layout = (narrow, max(12, width - used))
        if layout == self._layout:
            return False
        self._layout = layout
        table = self.query_one(DataTable)
        table.clear(columns=True)
        date_title, date_key, date_width = fixed[0]
        table.add_column(date_title, key=date_key, width=date_width)
        table.add_column("Challenge", key="title", width=layout[1])
        for title, key, column_width in fixed[1:]:
            table.add_column(title, key=key, width=column_width)
        table.add_column("Outcome", key="outcome", width=self.OUTCOME_WIDTH)
        return True

    def on_resize(self) -> None:
        if self._fit_columns():
            self.refresh_data()

    def _select_value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def refresh_data(self, keep: str | None = None) -> None:
        table = self.query_one(DataTable)
        keep = keep or self.highlighted_key()
        every = self.journal.list_attempts()
        shown = filter_attempts(
            every,
            outcome=self._select_value("#outcome"),
            category=self._select_value("#category"),
            text=self.query_one("#search", Input).value,
        )
        self._fit_columns()
        narrow = bool(self._layout and self._layout[0])
        table.clear()
        for a in shown:
            when = a.done_at or a.created_at
            after = "—" if a.fear_after is None else str(a.fear_after)
            outcome = "◷ planned" if a.status == Status.PLANNED else outcome_text(a)
            # "$ ": entered with a shell command (plan, log); the detail says more.
            title = cell(f"$ {a.challenge_title}" if a.via == VIA_SHELL else a.challenge_title)
            if narrow:
                table.add_row(f"{when:%d %b}", title, str(a.fear_before), after, outcome, key=a.id)
            else:
                row = (f"{when:%Y-%m-%d}", title, str(a.level), str(a.fear_before), after, outcome)
                table.add_row(*row, key=a.id)
        self.restore_cursor(keep)
        empty = self.query_one("#empty", Static)
        empty.display = not shown
        empty.update(
            "No attempts yet. Press n to plan your first one."
            if not every
            else "Nothing matches these filters."
        )

    @property
    def highlighted_attempt(self) -> Attempt | None:
        attempt_id = self.highlighted_key()
        return self.journal.get_attempt(attempt_id) if attempt_id else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_detail()

    def action_detail(self) -> None:
        attempt = self.highlighted_attempt
        if attempt is None:
            return
        self.run_worker(self._detail(attempt), group="dialog")

    async def _detail(self, attempt: Attempt) -> None:
        from rejection_tui.ui.screens.attempt_detail import AttemptDetailScreen

        choice = await self.app.push_screen_wait(AttemptDetailScreen(attempt))
        if choice == "edit":
            self.action_edit()
        elif choice == "rate":
            self.post_message(RateAttempt(attempt))

    def action_edit(self) -> None:
        attempt = self.highlighted_attempt
        if attempt is None:
            return
        if attempt.status == Status.PLANNED:
            challenge = challenge_for(attempt, self.journal.find_challenge(attempt.challenge_id))
            self.post_message(StartAttempt(challenge, attempt))
        else:
            self.post_message(RateAttempt(attempt, edit=True))

    @work(group="dialog")
    async def action_delete(self) -> None:
        attempt = self.highlighted_attempt
        if attempt is None:
            return
        question = f"Delete “{attempt.challenge_title}” from {attempt.created_at:%d %b}?"
        if not await self.confirm(question, yes="Delete"):
            return
        removed = await self.write(lambda j: j.delete_attempt(attempt.id))
        if removed is not None:
            self.deleted = (removed, self.now())
            self.notify("Deleted. Press u within 5 minutes to undo.", timeout=8)
            self.refresh_data()

    @work(group="dialog")
    async def action_undo(self) -> None:
        await self.settled()  # a delete still being written is undoable too
        if self.deleted is None or self.now() - self.deleted[1] > UNDO_WINDOW:
            self.notify("Nothing to undo.")
            self.deleted = None
            return
        attempt = self.deleted[0]
        if await self.write(lambda j: j.add_attempt(attempt)) is not None:
            self.deleted = None
            self.notify("Restored.")
            self.refresh_data(keep=attempt.id)
