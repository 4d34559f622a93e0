"""Ladder: the person's own fear hierarchy, climbed one rung at a time."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, timedelta

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static
from textual.widgets.data_table import RowDoesNotExist

from rejection_tui.domain.ladder import (
    Ladder,
    Rung,
    attempts_on,
    coach,
    ladder_warnings,
    mastery,
)
from rejection_tui.domain.pauses import current_pause, pause_line, paused_days
from rejection_tui.domain.programs import (
    CALENDAR_MARKS,
    Program,
    ProgramKind,
    add_rest_day,
    calendar_strip,
    program_progress,
    progress_line,
    rest_day_error,
    weekly_goal_error,
    weekly_target,
)
from rejection_tui.domain.progress import practice_streak
from rejection_tui.domain.text import counted
from rejection_tui.domain.validation import ValidationError, parse_score, whole_number
from rejection_tui.ui import styles
from rejection_tui.ui.actions import BY_ID
from rejection_tui.ui.screens.base import SectionScreen
from rejection_tui.ui.text import cell, plain, styled
from rejection_tui.ui.text import lines as join_lines
from rejection_tui.ui.widgets.table import RowTable

EMPTY = (
    "No ladder yet. A ladder is your own list of asks, from mildly to very scary, "
    "climbed one rung at a time.\n\n"
    "Press [b]s[/] to build a starter ladder from your own fear ratings, "
    "or [b]a[/] to add rungs one by one."
)

LEGEND = " · ".join(
    f"{CALENDAR_MARKS[state]} {word}"
    for state, word in (
        ("done", "rejection"),
        ("rest", "rest"),
        ("paused", "paused"),
        ("missed", "missed"),
        ("today", "today"),
    )
)
"""What the program calendar's marks mean (the marks themselves: ``programs.CALENDAR_MARKS``)."""

# Column widths; the rung's title takes what is left, so the table fits 60 columns.
NUMBER_WIDTH, FEAR_WIDTH, STATUS_WIDTH = 2, 4, 10  # "15", "Fear", "✓ mastered"
MIN_TITLE_WIDTH = 12


def fear_check(text: str) -> str | None:
    """Why ``text`` is not an expected fear (0–100), or None."""
    try:
        parse_score(text, "Expected fear")
    except ValidationError as error:
        return error.messages[0]
    return None


class LadderScreen(SectionScreen):
    CSS_PATH = styles.LADDER
    TITLE = "Ladder"
    AUTO_FOCUS = "#rungs"
    BINDINGS = [
        Binding("a", "add", "Add", id="ladder.add", tooltip="Add a rung"),
        Binding("x,delete", "remove", "Remove", id="ladder.remove", tooltip="Remove the rung"),
        Binding("shift+up,K", "move(-1)", "Move", key_display="⇧↑↓", id="ladder.move_up", tooltip="Move up"),
        Binding("shift+down,J", "move(1)", "Move down", show=False, id="ladder.move_down"),
        Binding("enter", "make_current", "Current", id="ladder.current", tooltip="Make it the current step"),
        # Not in the footer (it is full at 80 columns); Help lists it.
        Binding(
            "e", "edit_fear", "Fear", show=False, id="ladder.fear", tooltip="Change the rung's expected fear"
        ),
        Binding(
            "s",
            "starter",
            "Starter",
            id="ladder.starter",
            tooltip="A starter ladder from your own ratings",
            show=False,  # the empty ladder's card names it; Help lists it
        ),
        Binding(
            "u", "app.surprise", "Surprise", id="ladder.surprise", tooltip="Surprise me: an ask at my level"
        ),
        Binding("w", "weekly_goal", "Goal", show=False, id="ladder.goal", tooltip="Weekly goal"),
        Binding("p", "program", "Program", show=False, id="ladder.program", tooltip="30- or 100-day program"),
        Binding("z", "rest_day", "Rest day", show=False, id="ladder.rest_day", tooltip="Plan a rest day"),
        # The app's key for pauses and thresholds (ui/actions.py), run here too: this screen
        # shows what they change, and refreshes when the settings close (on_screen_resume).
        BY_ID["practice_settings"].binding(show=True),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="ladder-page"):
            yield Static("", id="ladder-coaching", classes="card")
            yield Static("", id="ladder-warnings")
            yield RowTable(id="rungs", cursor_type="row", zebra_stripes=True)
            yield Static("", id="ladder-program", classes="card")
        yield Footer(compact=True)

    def on_resize(self, event: events.Resize) -> None:
        # The rung column takes the width there is: re-laid out first, then measured.
        self.call_after_refresh(self.refresh_data)

    def _add_columns(self, table: DataTable[object]) -> None:
        page = self.query_one("#ladder-page")
        width = page.scrollable_content_region.width or self.app.size.width - 2
        fixed = NUMBER_WIDTH + FEAR_WIDTH + STATUS_WIDTH + 2 * table.cell_padding * 4
        table.add_column("#", key="n", width=NUMBER_WIDTH)
        table.add_column("Rung", key="title", width=max(MIN_TITLE_WIDTH, width - fixed))
        table.add_column("Fear", key="fear", width=FEAR_WIDTH)
        table.add_column("Status", key="status", width=STATUS_WIDTH)

    @property
    def ladder(self) -> Ladder:
        """The ladder as the person last changed it (a save may still be on its way)."""
        return self._pending or self.journal.ladder()

    _pending: Ladder | None = None

    def _index(self) -> int:
        return self.query_one(DataTable).cursor_row

    def refresh_data(self, cursor: int | None = None) -> None:
        ladder = self.ladder
        attempts = self.journal.list_attempts()
        now = self.now()
        thresholds = self.journal.thresholds()
        table = self.query_one(DataTable)
        keep = self._index() if cursor is None else cursor
        table.clear(columns=True)
        self._add_columns(table)
        for i, rung in enumerate(ladder.rungs):
            done = len(attempts_on(rung, attempts))
            if i == ladder.current:
                status = "▶ current"
            elif mastery(rung, attempts, now, thresholds):
                status = "✓ mastered"
            else:
                status = f"done {done}×" if done else ""
            table.add_row(str(i + 1), cell(rung.title), str(rung.expected_fear), status, key=str(i))
        with contextlib.suppress(RowDoesNotExist):
            if ladder.rungs:
                table.move_cursor(row=min(keep, len(ladder.rungs) - 1))
        table.display = bool(ladder.rungs)
        table.refresh(layout=True)  # its height follows its rows, and the columns changed
        advice = coach(ladder, attempts, now, thresholds)
        coaching = self.query_one("#ladder-coaching", Static)
        if ladder.rungs and advice.rung:
            coaching.update(
                styled(
                    "[b]$when: $title[/] (expected $fear)\n$reason$nudges"
                    + (
                        "\n[dim]Start it from Home (d, then enter), or press enter on it here, to climb[/]"
                        if advice.step_up
                        else ""
                    ),
                    when="Next" if advice.step_up else "Now",
                    title=advice.rung.title,
                    fear=advice.rung.expected_fear,
                    reason=advice.reason,
                    nudges="".join(f"\n• {n}" for n in advice.nudges),
                )
            )
        else:
            coaching.update(EMPTY)
        warnings = ladder_warnings(ladder.rungs) if ladder.rungs else []
        warning_widget = self.query_one("#ladder-warnings", Static)
        warning_widget.update(plain("\n".join(f"⚠ {w}" for w in warnings)))
        warning_widget.display = bool(warnings)
        self.query_one("#ladder-program", Static).update(self._program_text())

    def _program_text(self) -> Content:
        now = self.now()
        today = now.date()
        goal = self.journal.weekly_goal()
        rest = self.journal.rest_days()
        pauses = self.journal.pauses()
        paused = paused_days(pauses)
        streak = practice_streak(self.journal.list_attempts(), rest, now, paused=paused)
        target = weekly_target(goal, today, paused)
        if target == goal:
            this_week = ""
        elif target == 0:
            this_week = ", none this week as it is paused"
        else:
            this_week = f", {target} this week as part of it is paused"
        first = styled(
            "[b]Weekly goal[/] $goal (w to change$this_week) · [b]streak[/] $streak",
            goal=goal,
            this_week=this_week,
            streak=counted(streak, "day"),
        )
        lines: list[str] = []
        pause = current_pause(pauses, today)
        if pause:
            lines.append(pause_line(pause, today))
        ahead = [p for p in pauses if p.start > today]
        if ahead:
            lines.append(
                "Pauses planned: "
                + ", ".join(
                    f"{p.start:%a %d %b}" + ("" if p.length == 1 else f" to {p.end:%a %d %b}") for p in ahead
                )
            )
        upcoming = sorted(d for d in rest if d >= today)
        if upcoming:
            lines.append("Rest days planned: " + ", ".join(d.strftime("%a %d %b") for d in upcoming))
        program = self.journal.program()
        if program:
            progress = program_progress(program, self.journal.list_attempts(), rest, now, paused=paused)
            lines.append(f"{progress_line(program, progress)} ({LEGEND})")
            lines.append(calendar_strip(progress))
        else:
            lines.append("No program running: p starts a 30-day or 100-day challenge (one rejection a day).")
        return join_lines(
            [
                first,
                *(plain(line) for line in lines),
                styled("[dim]z plans a rest day (up to 2 a week; it doesn't break your streak)[/]"),
                styled("[dim]b: a break for illness, travel or exams, and the ladder's thresholds[/]"),
            ]
        )

    @work(group="save")
    async def save(self, ladder: Ladder, cursor: int | None = None) -> None:
        # Shown at once, and the next key builds on it: two quick moves are
        # two moves, written in order (writes queue in AppScreen.write).
        self._pending = ladder
        self.refresh_data(cursor)
        saved = await self.apply(lambda j: j.save_ladder(ladder))
        if self._pending is ladder:
            self._pending = None
        if not saved:
            self._pending = None
            self.refresh_data(cursor)  # back to what is really saved

    # -- actions ----------------------------------------------------------------

    async def ask(self, question: str, *, value: str = "", check: Callable[[str], str | None]) -> str | None:
        from rejection_tui.ui.screens.prompt import PromptScreen

        return await self.app.push_screen_wait(PromptScreen(question, value=value, check=check))

    @work(group="dialog")
    async def action_add(self) -> None:
        from rejection_tui.ui.screens.pickers import ChallengePicker

        # Refused before anything is asked: nobody rates a fear in vain.
        if problem := self.ladder.add_problem():
            self.notify(problem, severity="warning")
            return
        challenge = await self.app.push_screen_wait(ChallengePicker(self.journal))
        if challenge is None:
            return
        if problem := self.ladder.add_problem(challenge.id):
            self.notify(f"{problem}: “{challenge.title}”.", severity="warning")
            return
        text = await self.ask(f"How scary would “{challenge.title}” be? (0–100)", check=fear_check)
        if text is None:
            return
        try:
            ladder = self.ladder.add(Rung.of(challenge, parse_score(text, "Expected fear")))
        except ValidationError as error:
            self.notify("\n".join(error.messages), severity="warning")
            return
        self.save(ladder, next(i for i, r in enumerate(ladder.rungs) if r.challenge_id == challenge.id))

    @work(group="dialog")
    async def action_edit_fear(self) -> None:
        ladder = self.ladder
        if not ladder.rungs:
            return
        index = self._index()
        rung = ladder.rungs[index]
        text = await self.ask(
            f"How scary is “{rung.title}” now? (0–100)", value=str(rung.expected_fear), check=fear_check
        )
        if text is None:
            return
        try:
            edited = self.ladder.with_fear(index, parse_score(text, "Expected fear"))
        except ValidationError as error:
            self.notify("\n".join(error.messages), severity="warning")
            return
        self.save(edited, index)

    @work(group="dialog")
    async def action_remove(self) -> None:
        ladder = self.ladder
        if not ladder.rungs:
            return
        index = self._index()
        if await self.confirm(f"Remove “{ladder.rungs[index].title}” from your ladder?", yes="Remove"):
            self.save(self.ladder.remove(index), index)

    def action_move(self, delta: int) -> None:
        ladder = self.ladder
        index = self._index()
        moved = ladder.move(index, delta)
        if moved != ladder:
            self.save(moved, index + delta)

    def action_make_current(self) -> None:
        ladder = self.ladder
        if ladder.rungs:
            self.save(ladder.set_current(self._index()))
            self.notify(f"Current rung: {ladder.rungs[self._index()].title}")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_make_current()

    @work(group="dialog")
    async def action_starter(self) -> None:
        from rejection_tui.ui.screens.starter import StarterLadderScreen

        if self.ladder.rungs and not await self.confirm(
            "Replace your ladder with a new starter ladder?", yes="Replace"
        ):
            return
        if await self.app.push_screen_wait(StarterLadderScreen()) is not None:
            self.refresh_data(0)

    @work(group="dialog")
    async def action_weekly_goal(self) -> None:
        def check(text: str) -> str | None:
            return weekly_goal_error(whole_number(text))

        current = self.journal.weekly_goal()
        text = await self.ask("Attempts a week to aim for (1–14)", value=str(current), check=check)
        goal = whole_number(text or "")
        if goal is not None:
            await self.apply(lambda j: j.set_weekly_goal(goal))
            self.refresh_data()  # saved or not, show what the journal holds

    @work(group="dialog")
    async def action_program(self) -> None:
        running = self.journal.program()
        question = (
            f"A {running.kind.value} challenge is running. Type stop to end it, or 30 / 100 to start anew."
            if running
            else "Start a challenge of one rejection a day: type 30 or 100."
        )

        def check(text: str) -> str | None:
            allowed = ("30", "100", "stop") if running else ("30", "100")
            return None if text.strip().lower() in allowed else "Type " + " or ".join(allowed)

        text = await self.ask(question, check=check)
        if text is None:
            return
        value = text.lower()
        program = (
            None
            if value == "stop"
            else Program(ProgramKind.DAYS_30 if value == "30" else ProgramKind.DAYS_100, self.now().date())
        )
        if await self.apply(lambda j: j.set_program(program)):
            self.refresh_data()

    @work(group="dialog")
    async def action_rest_day(self) -> None:
        today = self.now().date()
        rest = self.journal.rest_days()

        def parse(text: str) -> date | None:
            try:
                return date.fromisoformat(text.strip())
            except ValueError:
                return None

        def check(text: str) -> str | None:
            day = parse(text)
            return "Type a date as YYYY-MM-DD" if day is None else rest_day_error(rest, day, today)

        tomorrow = (today + timedelta(days=1)).isoformat()
        day = parse(await self.ask("Plan a rest day (YYYY-MM-DD)", value=tomorrow, check=check) or "")
        if day is None:
            return
        days = add_rest_day(rest, day, today)
        if await self.apply(lambda j: j.set_rest_days(days)):
            self.refresh_data()

    def action_practice_settings(self) -> None:
        from rejection_tui.ui.screens.practice_settings import PracticeSettingsScreen

        self.app.push_screen(PracticeSettingsScreen())
