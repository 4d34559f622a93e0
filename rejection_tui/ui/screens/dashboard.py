"""Dashboard: the next step, this week, planned attempts and recent ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from itertools import takewhile

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Sparkline, Static

from rejection_tui.domain.boosters import booster_line
from rejection_tui.domain.categories import category_label
from rejection_tui.domain.ladder import Ladder, coach, coaching_nudges, mastery
from rejection_tui.domain.maintenance import (
    MAINTENANCE_SETTING,
    Card,
    StoredPlan,
    finished_practice,
    maintenance_card,
    plan_running,
    read_plan,
)
from rejection_tui.domain.models import Attempt, Challenge
from rejection_tui.domain.overview import overview
from rejection_tui.domain.pauses import Pause, current_pause, pause_line, paused_days
from rejection_tui.domain.pending import Waiting, waited_phrase, waiting
from rejection_tui.domain.programs import Program, ProgramProgress, WeekState, program_progress, progress_line
from rejection_tui.domain.progress import suggest_next, summary_line
from rejection_tui.domain.replay import is_high_replay, next_replay
from rejection_tui.domain.text import counted
from rejection_tui.domain.thresholds import Thresholds
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.actions import alias
from rejection_tui.ui.messages import StartAttempt
from rejection_tui.ui.screens.base import SectionScreen
from rejection_tui.ui.text import lines, plain, styled

EMPTY_STATE = (
    "Welcome! Nothing recorded yet — and that's exactly where everyone starts.\n\n"
    "Press [b]n[/] to plan your first small ask (the suggestion above is a gentle one), "
    "or [b]c[/] to browse all the challenges. Press [b]?[/] for how the practice works."
)


def waiting_line(w: Waiting) -> Content:
    """ "• Ask for the time — overdue, planned 2 days ago (expected 40)"."""
    template = (
        "• $title — [b]overdue[/], $waited (expected $fear)"
        if w.overdue
        else "• $title — $waited (expected $fear)"
    )
    return styled(
        template, title=w.attempt.challenge_title, waited=waited_phrase(w.waited), fear=w.attempt.fear_before
    )


def _current(journal: Journal, attempt: Attempt) -> Attempt:
    """The attempt as the journal holds it now (changed from the shell meanwhile?), else as shown."""
    return journal.get_attempt(attempt.id) or attempt


class DashboardScreen(SectionScreen):
    TITLE = "Dashboard"
    BINDINGS = [
        Binding("escape", "back", show=False, id="back"),  # already home
        # Not in the footer: the next-step card says "enter to start · u surprise me".
        Binding("enter", "start_suggested", "Start", id="dashboard.start", show=False),
        # Shown here (hidden elsewhere) so home lists every place to go; New
        # and Rate first, so they stay in view on a narrow terminal.
        alias("new_attempt"),
        alias("rate"),
        alias("challenges"),
        alias("history"),
        alias("charts"),
        alias("ladder"),
        Binding(
            "u",
            "app.surprise",
            "Surprise",
            id="dashboard.surprise",
            tooltip="Surprise me: an ask at my level",
            # The footer has no room left at 80 columns; the next-step card names it.
            show=False,
        ),
        # Named on their cards (the footer has no room at 80 columns); they act only when the
        # card shows, and say so otherwise.
        Binding("o", "replay", "Yesterday's ask: gone over it since?", id="dashboard.replay", show=False),
        Binding(
            "m", "maintenance", "Keeping the gains: the booster plan", id="dashboard.maintenance", show=False
        ),
        Binding("e", "rerate", "Re-rate mastered rungs", id="dashboard.rerate", show=False),
        Binding(
            "exclamation_mark",
            "problems",
            "Unreadable entries",
            id="dashboard.problems",
            show=False,
            key_display="!",
        ),
    ]

    # Nothing is focused while the Dashboard is composed: Textual's auto-focus
    # restyled the scroll area and its 12 descendants before the first frame
    # (~8 ms, issue 12), and the focus changes nothing the Dashboard shows. The
    # scroll area takes it just after the frame is drawn, and again whenever the
    # Dashboard comes back with nothing focused (as auto-focus would).
    AUTO_FOCUS = ""

    suggested: Challenge | None = None
    replay_attempt: Attempt | None = None
    """Yesterday's ask the replay card asks about (``domain.replay``), or None."""
    gains: Card = Card()
    """What the "keeping the gains" card shows."""
    step_up_to: int | None = None
    """The rung the suggestion steps up to: starting it makes it the current rung."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard"):
            yield Static("", id="journal-banner")
            with Vertical(id="next-step", classes="card"):
                yield Static("", id="suggestion")
            yield Static("", id="pause-card", classes="card")
            yield Static("", id="replay-card", classes="card")
            yield Static("", id="gains-card", classes="card")
            with Horizontal(id="numbers"):
                yield Static("", id="week", classes="stat")
                yield Static("", id="streak", classes="stat")
                yield Static("", id="rejections", classes="stat")
            with Horizontal(id="gap-trend", classes="card"):
                yield Static("", id="gap-label")
                yield Sparkline([], id="gap-sparkline")
            yield Static("", id="planned", classes="card")
            yield Static("", id="recent", classes="card")
        # The Footer comes a frame later (on_mount): mounted with the rest, it is rebuilt
        # each time the bindings settle during start-up (issue 12).

    def on_mount(self) -> None:
        self.call_later(self._mount_footer)

    def _mount_footer(self) -> None:
        if not self.query(Footer):
            self.mount(Footer(compact=True))

    def on_screen_resume(self) -> None:
        if self.focused is None:
            self.call_after_refresh(self._focus_scroll_area)

    def _focus_scroll_area(self) -> None:
        if self.focused is None:
            self.query_one("#dashboard", VerticalScroll).focus()

    def refresh_data(self) -> None:
        self._show_banner()
        attempts = self.journal.list_attempts()
        now = self.now()
        goal = self.journal.weekly_goal()
        # Paused days are neither practice nor missed (domain.pauses); the ladder's rules follow
        # the saved thresholds (domain.thresholds).
        pauses = self.journal.pauses()
        paused = paused_days(pauses)
        thresholds = self.journal.thresholds()
        ladder = self.journal.ladder()
        suggestion = suggest_next(self.journal.all_challenges(), attempts)
        self.suggested = suggestion[0] if suggestion else None
        self.step_up_to = None
        program = self.journal.program()
        progress = (
            program_progress(program, attempts, self.journal.rest_days(), now, paused=paused)
            if program
            else None
        )
        if ladder.rungs:
            advice = coach(ladder, attempts, now, thresholds)
            rung = advice.rung or ladder.rungs[0]
            on_ladder = self.journal.find_challenge(rung.challenge_id)
            self.suggested = on_ladder or self.suggested
            if advice.step_up and on_ladder:
                self.step_up_to = ladder.current + 1
            program_line = ""
            if program and progress:
                program_line = "\n" + progress_line(program, progress)
            self.query_one("#suggestion", Static).update(
                styled(
                    "[b]Ladder: rung $n of $total[/] · next: [b]$title[/]\n"
                    "$reason  [dim](enter to start · u surprise me)[/]"
                    "$nudges$program",
                    n=ladder.current + 1,
                    total=len(ladder.rungs),
                    title=rung.title,
                    reason=advice.reason,
                    nudges="".join(f"\n• {n}" for n in advice.nudges),
                    program=program_line,
                )
            )
        elif suggestion:
            challenge, reason = suggestion
            self.query_one("#suggestion", Static).update(
                styled(
                    "[b]Next step:[/] level $level · $category\n"
                    "[b]$title[/]\n$reason  [dim](enter to start · u surprise me)[/]$nudges",
                    level=challenge.level,
                    category=category_label(challenge.category),
                    title=challenge.title,
                    reason=reason,
                    # Too easy is about the asks: it shows with or without a ladder.
                    nudges="".join(f"\n• {n}" for n in coaching_nudges(ladder, attempts, thresholds)),
                )
            )
        self._show_replay(attempts, now)
        self._show_gains(ladder, program, progress, attempts, now, thresholds)
        # The numbers below in one pass over the history (domain.overview, issue 12).
        numbers = overview(attempts, self.journal.rest_days(), now, weeks=12, paused=paused, weekly_goal=goal)
        week = numbers.this_week
        self.query_one("#week", Static).update(
            styled("[b]$week[/]\nthis week (paused)", week=week)
            if numbers.week_state == WeekState.PAUSED
            else styled("[b]$week / $goal[/]\nthis week", week=week, goal=numbers.week_target)
        )
        self._show_pause(pauses, now)
        days = numbers.streak
        self.query_one("#streak", Static).update(
            styled("[b]$days[/]\n$unit in a row", days=days, unit="days" if days != 1 else "day")
        )
        self.query_one("#rejections", Static).update(
            styled("[b]$count[/]\nrejections collected", count=numbers.rejections)
        )
        gaps = numbers.weekly_gaps
        trend = self.query_one("#gap-trend")
        trend.display = numbers.any_done
        # Weeks with nothing rated have no gap (None); the sparkline needs numbers, so they draw as 0.
        self.query_one("#gap-sparkline", Sparkline).data = [g or 0.0 for g in gaps]
        latest = numbers.latest_gap
        self.query_one("#gap-label", Static).update(
            styled("[b]Expected − felt fear[/], weekly: no predicted ask rated in the last 12 weeks")
            if latest is None
            else styled(
                "[b]Expected − felt fear[/], weekly, last 12 weeks (latest $latest)", latest=f"{latest:+.0f}"
            )
        )
        planned = numbers.planned
        planned_widget = self.query_one("#planned", Static)
        planned_widget.display = bool(planned)
        # The longest-waiting first: an overdue ask is the one most worth rating now.
        queue = waiting(planned, now)
        planned_widget.update(
            lines(
                [
                    styled("[b]Waiting to be rated ($count)[/] — press r", count=len(planned)),
                    *(waiting_line(w) for w in queue[:3]),
                    *([plain(f"… and {len(queue) - 3} more")] if len(queue) > 3 else []),
                ]
            )
        )
        done = numbers.recent_done
        recent = self.query_one("#recent", Static)
        if done:
            recent.update(
                lines([styled("[b]Recent attempts[/]"), *(plain(f"• {summary_line(a)}") for a in done)])
            )
        elif not planned:
            recent.update(EMPTY_STATE)
        else:
            recent.update("[b]Recent attempts[/]\nNone rated yet. When you've done a planned one, press r.")

    # -- the day after, and keeping the gains (issue 16) ---------------------------

    def _show_pause(self, pauses: tuple[Pause, ...], now: datetime) -> None:
        """Say so while a pause runs: the goal, programs and streak wait."""
        pause = current_pause(pauses, now.date())
        card = self.query_one("#pause-card", Static)
        card.display = pause is not None
        if pause is not None:
            card.update(plain(pause_line(pause, now.date())))

    def _show_replay(self, attempts: list[Attempt], now: datetime) -> None:
        """One calm line when yesterday's ask can be looked back on (``domain.replay``)."""
        # Only asks rated in the last few days can be due: the rest of the history is not walked
        # (``attempts`` is newest first, by when each was done, else planned).
        cutoff = now - timedelta(days=3)
        recent = [
            a
            for a in takewhile(lambda a: (a.done_at or a.created_at) >= cutoff, attempts)
            if a.done_at is not None
        ]
        self.replay_attempt = next_replay(recent, now)
        card = self.query_one("#replay-card", Static)
        card.display = self.replay_attempt is not None
        if self.replay_attempt is not None:
            card.update(
                styled(
                    "[b]Yesterday's ask[/], “$title”: how much have you gone over it since?  "
                    "[dim](o to answer or skip)[/]",
                    title=self.replay_attempt.challenge_title,
                )
            )

    def _show_gains(
        self,
        ladder: Ladder,
        program: Program | None,
        progress: ProgramProgress | None,
        attempts: list[Attempt],
        now: datetime,
        thresholds: Thresholds,
    ) -> None:
        """The maintenance plan's offer once something is finished, then its due booster."""
        stored = read_plan(self.journal.get_setting(MAINTENANCE_SETTING))
        # A running plan needs no look at what is finished (mastery walks the rung's history).
        finished = (
            None
            if plan_running(stored, attempts, now)
            else finished_practice(
                ladder,
                program,
                progress,
                attempts,
                now,
                thresholds,
                settled=stored.key if stored else None,
            )
        )
        self.gains = maintenance_card(stored, finished, attempts, now)
        card = self.query_one("#gains-card", Static)
        gains = self.gains
        if gains.offer is not None:
            card.update(
                styled(
                    "[b]Keeping the gains[/]: you've finished $what. A few booster asks over the next "
                    "weeks can keep it fresh.  [dim](m to see the plan)[/]",
                    what=gains.offer.what,
                )
            )
        elif gains.booster is not None:
            card.update(
                styled(
                    "$line  [dim](n to plan one · e to re-rate mastered rungs)[/]",
                    line=booster_line(gains.booster, now.date()),
                )
            )
        elif gains.next_on is not None:
            card.update(
                styled(
                    "[dim]Keeping the gains: next booster ask around $day (e to re-rate mastered rungs)[/]",
                    day=f"{gains.next_on:%a %d %b}",
                )
            )
        card.display = gains.offer is not None or gains.booster is not None or gains.next_on is not None

    @work(group="dialog")
    async def action_replay(self) -> None:
        """Ask about yesterday's ask; save the answer or the skip; offer the kind lines when high."""
        from rejection_tui.ui.screens.replay import ReplayScreen, SelfCompassionScreen

        attempt = self.replay_attempt
        if attempt is None:
            self.notify("Nothing to look back on today: this question comes the day after a rated ask.")
            return
        answer = await self.app.push_screen_wait(ReplayScreen(attempt.challenge_title))
        if answer is None:  # not now: the card stays for today
            return
        if answer.skipped:
            if await self.apply(
                lambda j: j.update_attempt(replace(_current(j, attempt), replay_skipped=True))
            ):
                self.notify("Skipped. You won't be asked about this one again.")
            self.refresh_data()
            return
        value = answer.replay
        if not await self.apply(lambda j: j.update_attempt(replace(_current(j, attempt), replay=value))):
            self.refresh_data()
            return
        self.refresh_data()
        if not is_high_replay(value):
            self.notify("Thank you. Saved with the attempt.")
            return
        note = await self.app.push_screen_wait(SelfCompassionScreen())
        if note:
            if await self.apply(lambda j: j.update_attempt(replace(_current(j, attempt), replay_note=note))):
                self.notify("Your sentence is saved with the attempt.")
            self.refresh_data()

    @work(group="dialog")
    async def action_maintenance(self) -> None:
        """The maintenance plan's offer: start it (from today), decline it for good, or not now."""
        from rejection_tui.ui.screens.maintenance_dialogs import MaintenanceOfferScreen

        offer = self.gains.offer
        if offer is None:
            if self.gains.booster is not None:
                self.notify(booster_line(self.gains.booster, self.now().date()))
            else:
                self.notify(
                    "The maintenance plan is offered once you've mastered your ladder or finished a program."
                )
            return
        accepted = await self.app.push_screen_wait(MaintenanceOfferScreen(offer))
        if accepted is None:
            return
        today = self.now().date()
        plan = StoredPlan(offer.key, True, today, offer.levels) if accepted else StoredPlan(offer.key, False)
        if await self.apply(lambda j: j.set_setting(MAINTENANCE_SETTING, plan.to_setting())):
            self.notify(
                "The plan starts today: the Dashboard says when a booster ask is ready."
                if accepted
                else "No plan, then. It won't be offered again for this one."
            )
        self.refresh_data()

    @work(group="dialog")
    async def action_rerate(self) -> None:
        """Re-rate the expected fear of the mastered rungs, so a return of fear shows."""
        from rejection_tui.ui.screens.maintenance_dialogs import ReRateScreen

        ladder = self.journal.ladder()
        attempts = self.journal.list_attempts()
        now = self.now()
        thresholds = self.journal.thresholds()
        mastered = [r for r in ladder.rungs if mastery(r, attempts, now, thresholds)]
        if not mastered:
            self.notify("No rung is mastered yet: this is for the rungs you have already mastered.")
            return
        fears = await self.app.push_screen_wait(ReRateScreen([(r.title, r.expected_fear) for r in mastered]))
        if fears is None:
            return
        new = {r.challenge_id: fear for r, fear in zip(mastered, fears, strict=True)}

        def rerate(j: Journal) -> Ladder:
            current = j.ladder()
            for index, rung in enumerate(current.rungs):
                if rung.challenge_id in new:
                    current = current.with_fear(index, new[rung.challenge_id])
            return j.save_ladder(current)

        if await self.apply(rerate):
            up = [
                f"“{r.title}” {r.expected_fear} → {new[r.challenge_id]}"
                for r in mastered
                if new[r.challenge_id] > r.expected_fear
            ]
            self.notify(
                "Saved. Higher than before: " + "; ".join(up) + ". Worth a booster ask at that level."
                if up
                else "Saved."
            )
        self.refresh_data()

    def _show_banner(self) -> None:
        """Say it when the journal is read-only or holds entries that could not be read."""
        said = []
        if self.journal.read_only:
            said.append(plain(f"Read-only: {self.journal.read_only}"))
        count = len(self.journal.problems())
        if count:
            # Counted as problems: one entry can have several (a bad fear and a bad date).
            said.append(
                styled(
                    "Some entries in your journal could not be read ($problems); they are kept "
                    "as they are. Press [b]![/] to see them.",
                    problems=counted(count, "problem"),
                )
            )
        banner = self.query_one("#journal-banner", Static)
        banner.display = bool(said)
        banner.update(lines(said))

    def action_problems(self) -> None:
        problems = self.journal.problems()
        if not problems:
            self.notify("Every entry in your journal can be read.")
            return
        from rejection_tui.ui.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen(problems))

    def action_start_suggested(self) -> None:
        if self.suggested is None:
            return
        if self.step_up_to is None:
            self.post_message(StartAttempt(self.suggested))
        else:
            self.step_up_then_start(self.step_up_to, self.suggested)

    @work(group="save")
    async def step_up_then_start(self, index: int, challenge: Challenge) -> None:
        """Starting the suggested next rung makes it the current rung, then opens Before."""
        if await self.apply(lambda j: j.save_ladder(j.ladder().set_current(index))):
            self.notify(f"“{challenge.title}” is your current rung now.")
            self.post_message(StartAttempt(challenge))
