"""Challenges: the graded library plus custom ones, with search and filters."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from rejection_tui.domain.categories import CATEGORIES, category_label
from rejection_tui.domain.history import filter_challenges
from rejection_tui.domain.models import Challenge
from rejection_tui.domain.progress import challenge_history
from rejection_tui.ui.messages import StartAttempt
from rejection_tui.ui.screens.base import TableSectionScreen
from rejection_tui.ui.text import cell, lines, plain, styled
from rejection_tui.ui.widgets.safe_input import SafeInput
from rejection_tui.ui.widgets.table import RowTable

LEVEL_RANGES: list[tuple[str, str]] = [
    ("All levels", "1-10"),
    ("Gentle 1–3", "1-3"),
    ("Middle 4–6", "4-6"),
    ("Bold 7–10", "7-10"),
    *[(f"Level {n}", f"{n}-{n}") for n in range(1, 11)],
]


class ChallengesScreen(TableSectionScreen):
    TITLE = "Challenges"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/", id="challenges.search"),
        Binding("s", "toggle_sort", "Sort", id="challenges.sort"),
        Binding("a", "add", "Add", id="challenges.add", tooltip="Add your own"),
        Binding("e", "edit", "Edit", id="challenges.edit"),
        Binding(
            "x", "archive", "Archive", id="challenges.archive", tooltip="Archive or restore one of your own"
        ),
        Binding(
            "v",
            "toggle_archived",
            "Archived",
            id="challenges.archived",
            tooltip="Show or hide archived ones",
            show=False,  # the footer is full at 80 columns; Help lists it
        ),
    ]

    descending = False
    show_archived = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield SafeInput(placeholder="Search…  (/)", id="search")
            yield Select(
                [(label, key) for key, label in CATEGORIES.items()],
                prompt="All categories",
                id="category",
            )
            yield Select(LEVEL_RANGES, value="1-10", allow_blank=False, id="levels")
        with Horizontal(id="body"):
            yield RowTable(id="table", cursor_type="row", zebra_stripes=True)
            yield VerticalScroll(Static("", id="detail-text"), id="detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Lvl", key="level", width=3)
        table.add_column("Challenge", key="title")

    # -- data ----------------------------------------------------------------

    def matching(self) -> list[Challenge]:
        category = self.query_one("#category", Select).value
        low, high = str(self.query_one("#levels", Select).value).split("-")
        everything = self.journal.all_challenges()
        if self.show_archived:
            everything += [c for c in self.journal.custom_challenges(include_archived=True) if c.archived]
        chosen = filter_challenges(
            everything,
            text=self.query_one("#search", Input).value,
            category=category if isinstance(category, str) else None,
            min_level=int(low),
            max_level=int(high),
        )
        chosen.sort(key=lambda c: (c.level, c.title.lower()), reverse=self.descending)
        return chosen

    def refresh_data(self, keep: str | None = None) -> None:
        table = self.query_one(DataTable)
        keep = keep or self.highlighted_key()
        table.clear()
        for challenge in self.matching():
            marker = " (archived)" if challenge.archived else " ✎" if challenge.source == "custom" else ""
            table.add_row(str(challenge.level), cell(challenge.title + marker), key=challenge.id)
        self.restore_cursor(keep)
        self.show_detail()

    @property
    def highlighted_challenge(self) -> Challenge | None:
        challenge_id = self.highlighted_key()
        return self.journal.find_challenge(challenge_id) if challenge_id else None

    def show_detail(self) -> None:
        detail = self.query_one("#detail-text", Static)
        challenge = self.highlighted_challenge
        if challenge is None:
            detail.update("No challenge matches. Clear the search or widen the filters.")
            return
        detail.update(self._describe(challenge))

    def _describe(self, challenge: Challenge) -> Content:
        times, before, after = challenge_history(self.journal.list_attempts(), challenge.id)
        parts = [
            styled("[b]$title[/]", title=challenge.title),
            plain(
                f"Level {challenge.level} · {category_label(challenge.category)}"
                + (" · your own" if challenge.source == "custom" else "")
            ),
            plain(""),
            styled("[b]How to ask[/]"),
            plain(challenge.tip or "—"),
        ]
        if challenge.safety:
            parts += [plain(""), styled("[b]Be kind[/]"), plain(challenge.safety)]
        parts += [plain(""), styled("[b]Your history[/]")]
        if times and before is not None and after is not None:
            parts.append(plain(f"done {times}× · expected {before:.0f} on average → felt {after:.0f}"))
        else:
            parts.append(plain("not done yet"))
        parts += [plain(""), styled("[dim]n: plan an attempt on this one[/]")]
        return lines(parts)

    # -- events --------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        challenge = self.highlighted_challenge
        if challenge is not None:
            self.post_message(StartAttempt(challenge))

    # -- actions -------------------------------------------------------------

    def action_toggle_sort(self) -> None:
        self.descending = not self.descending
        self.notify(f"Sorted by level, {'hardest' if self.descending else 'easiest'} first", timeout=2)
        self.refresh_data()

    def action_add(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        challenge = self.highlighted_challenge
        if challenge is None:
            return
        if challenge.source != "custom":
            self.notify("Built-in challenges can't be edited. Press a to add your own version.")
            return
        self._open_form(challenge)

    @work(group="dialog")
    async def _open_form(self, editing: Challenge | None) -> None:
        from rejection_tui.ui.screens.challenge_form import ChallengeFormScreen

        challenge: Challenge | None = await self.app.push_screen_wait(ChallengeFormScreen(editing))
        if challenge is None:
            return
        if challenge not in self.matching():
            # Hidden by the search or a filter: clear them so the new one shows.
            self.query_one("#search", Input).value = ""
            self.query_one("#category", Select).clear()
            self.query_one("#levels", Select).value = "1-10"
            self.notify("Filters cleared so you can see it.")
        self.refresh_data(keep=challenge.id)

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        shown = "Showing archived challenges too (x restores one)."
        self.notify(shown if self.show_archived else "Archived challenges hidden.", timeout=3)
        self.refresh_data()

    @work(group="dialog")
    async def action_archive(self) -> None:
        challenge = self.highlighted_challenge
        if challenge is None:
            return
        if challenge.source != "custom":
            self.notify("Only your own challenges can be archived.")
            return
        if challenge.archived:
            if await self.write(lambda j: j.archive_challenge(challenge.id, archived=False)) is not None:
                self.notify(f"Restored “{challenge.title}”.")
                self.refresh_data(keep=challenge.id)
            return
        question = f"Archive “{challenge.title}”? It will be hidden from this list (v shows archived ones)."
        if not await self.confirm(question, yes="Archive"):
            return
        if await self.write(lambda j: j.archive_challenge(challenge.id)) is not None:
            self.notify(f"Archived “{challenge.title}”. Its past attempts stay in your history.")
            self.refresh_data()
