"""Charts: expected against felt fear, practice, outcomes and predictions.

Series come ready-made from ``domain.stats``; this screen only draws them,
through its own ``PlotextPlot`` (never the global plotext module). The
charting library is imported when the screen is first composed, so it
costs nothing at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.reactive import reactive
from textual.widgets import Footer, Header, Static

from rejection_tui.domain.stats import (
    Range,
    calibration,
    challenge_series,
    fear_by_level,
    fear_over_time,
    in_range,
    most_practised,
    per_week,
    weekly_rejection_rate,
    worry_check,
)
from rejection_tui.ui.screens.base import SectionScreen
from rejection_tui.ui.text import plain, styled

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

CHARTS = {
    1: "Expected vs felt fear",
    2: "Fear by level",
    3: "Practice per week",
    4: "Outcomes per week",
    5: "Predictions",
    6: "One challenge",
}


# Series differ by fill as well as colour, so they read on any terminal.
PAIR_MARKERS = ["█", "▒"]


def thin_ticks(labels: list[str], room: int) -> tuple[list[int], list[str]]:
    """At most ``room`` evenly spaced tick positions and their labels."""
    if not labels:
        return [], []
    step = max(1, -(-len(labels) // max(1, room)))
    positions = list(range(0, len(labels), step))
    return [p + 1 for p in positions], [labels[p] for p in positions]


def steady_plotext() -> None:
    """Make plotext lay out the same data the same way in every run.

    plotext drops duplicate points and ticks through ``set()``, whose order
    changes with Python's per-process hash seed, so tick labels could land a
    cell apart between runs. An order-keeping de-duplication gives the same
    result, steadily.
    """
    import plotext._utility as utility

    utility.no_duplicates = lambda data: list(dict.fromkeys(data))


class ChartsScreen(SectionScreen):
    TITLE = "Charts"
    BINDINGS = [
        *[
            Binding(str(n), f"show({n})", name, show=False, id=f"charts.show{n}")
            for n, name in CHARTS.items()
        ],
        Binding("t", "cycle_range", "Range", id="charts.range", tooltip="Time range"),
        Binding("p", "pick_challenge", "Pick challenge", id="charts.pick", tooltip="Pick one (chart 6)"),
        Binding("left", "step(-1)", "Prev", show=False, id="charts.prev", tooltip="Previous chart"),
        Binding("right", "step(1)", "Next", show=False, id="charts.next", tooltip="Next chart"),
    ]

    chart: reactive[int] = reactive(1, init=False)
    span: reactive[Range] = reactive(Range.MONTHS_3, init=False)
    challenge_id: str | None = None

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        steady_plotext()

        yield Header()
        yield Static("", id="chart-title")
        yield Static("", id="chart-note")
        yield Static("", id="chart-message")
        yield PlotextPlot(id="plot")
        yield Footer()

    @property
    def plot(self) -> PlotextPlot:
        from textual_plotext import PlotextPlot

        return self.query_one("#plot", PlotextPlot)

    drawn_width = 0

    def refresh_data(self) -> None:
        # Runs on every resume, the first showing included.
        self.draw()

    def on_resize(self) -> None:
        if self.app.size.width != self.drawn_width:
            self.draw()

    def watch_chart(self) -> None:
        self.draw()

    def watch_span(self) -> None:
        self.draw()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick_challenge":
            return self.chart == 6
        if action == "cycle_range":
            return self.chart in (3, 4)
        return True

    def action_show(self, number: int) -> None:
        self.chart = number
        self.refresh_bindings()

    def action_step(self, delta: int) -> None:
        self.action_show((self.chart - 1 + delta) % len(CHARTS) + 1)

    def action_cycle_range(self) -> None:
        self.span = self.span.next()

    def action_pick_challenge(self) -> None:
        from rejection_tui.ui.screens.pickers import PractisedPicker

        practised = most_practised(self.journal.list_attempts(), top=1000)
        if not practised:
            self.notify("Rate an attempt first; then you can follow one challenge here.")
            return

        def chosen(challenge_id: str | None) -> None:
            if challenge_id:
                self.challenge_id = challenge_id
                self.draw()

        self.app.push_screen(PractisedPicker(practised), chosen)

    # -- drawing --------------------------------------------------------------

    def colours(self) -> dict[str, tuple[int, int, int]]:
        theme = self.app.current_theme

        def rgb(value: str | None, fallback: str) -> tuple[int, int, int]:
            return Color.parse(value or fallback).rgb

        return {
            "before": rgb(theme.warning, "orange"),
            "after": rgb(theme.primary, "blue"),
            "goal": rgb(theme.success, "green"),
            "rejected": rgb(theme.error, "red"),
            "accepted": rgb(theme.success, "green"),
            "partial": rgb(theme.accent, "magenta"),
            "not_asked": rgb(theme.secondary, "grey"),
        }

    def note(self, text: str) -> None:
        """A sentence above the chart (wraps, unlike a plotext title)."""
        note = self.query_one("#chart-note", Static)
        note.update(plain(text))
        note.display = bool(text)

    def say(self, message: str) -> None:
        """Show a sentence instead of an empty or one-point chart."""
        self.query_one("#chart-message", Static).update(plain(message))
        self.query_one("#chart-message").display = True
        self.plot.display = False

    def draw(self) -> None:
        if not self.is_mounted:
            return
        span = f" · {self.span.label} (t to change)" if self.chart in (3, 4) else ""
        title = styled(
            "[b]$n · $name[/]$span   [dim]1–6 or ←/→ switch chart[/]",
            n=self.chart,
            name=CHARTS[self.chart],
            span=span,
        )
        self.query_one("#chart-title", Static).update(title)
        self.query_one("#chart-message").display = False
        self.note("")
        self.plot.display = True
        plt = self.plot.plt
        plt.clear_figure()
        # The terminal's width, known before layout, so every draw agrees.
        self.drawn_width = self.app.size.width
        width = max(10, self.drawn_width)
        attempts = self.journal.list_attempts()
        drawer = {
            1: self._fear_over_time,
            2: self._by_level,
            3: self._practice,
            4: self._outcomes,
            5: self._predictions,
            6: self._one_challenge,
        }[self.chart]
        drawer(plt, attempts, max_points=max(4, (width - 10) // 3))
        self.plot.refresh()

    def _line_pair(self, plt: Any, labels: list[str], before: list[float], after: list[float]) -> None:
        colours = self.colours()
        xs = list(range(1, len(labels) + 1))
        plt.plot(xs, before, label="expected (before)", marker="o", color=colours["before"])
        plt.plot(xs, after, label="felt (after)", marker="x", color=colours["after"])
        plt.xticks(*thin_ticks(labels, 8))
        plt.ylim(0, 100)

    def _fear_over_time(self, plt: Any, attempts: list[Any], max_points: int) -> None:
        series = fear_over_time(attempts, self.now(), max_points)
        if len(series.labels) < 2:
            self.say(
                "Rate at least two attempts to see your expected and felt fear side by side. "
                f"So far: {len(series.labels)}."
            )
            return
        self._line_pair(plt, series.labels, series.before, series.after)
        plt.xlabel("week (means)" if series.per_week else "attempt")
        plt.ylabel("fear 0–100")

    def _by_level(self, plt: Any, attempts: list[Any], max_points: int) -> None:
        levels = fear_by_level(attempts)
        if not levels.levels:
            self.say("Rate an attempt to see how fear compares across levels.")
            return
        colours = self.colours()
        plt.multiple_bar(
            [f"L{lv} ({n}×)" for lv, n in zip(levels.levels, levels.counts, strict=True)],
            [levels.before, levels.after],
            labels=["expected (before)", "felt (after)"],
            color=[colours["before"], colours["after"]],
            marker=PAIR_MARKERS,
        )
        plt.ylim(0, 100)
        plt.ylabel("mean fear")

    def _practice(self, plt: Any, attempts: list[Any], max_points: int) -> None:
        if not in_range(attempts, Range.ALL, self.now()):
            self.say("Your practice per week will show here once you've rated an attempt.")
            return
        weekly = per_week(attempts, self.span, self.now(), max_points)
        goal = self.journal.weekly_goal()
        colours = self.colours()
        xs = list(range(1, len(weekly.labels) + 1))
        plt.bar(xs, weekly.counts["attempts"], label="attempts", color=colours["after"])
        plt.hline(goal, colours["goal"])
        plt.plot([xs[0], xs[-1]], [goal, goal], label=f"goal: {goal} a week", color=colours["goal"])
        plt.xticks(*thin_ticks(weekly.labels, 6))
        plt.ylim(0, max([goal, *weekly.counts["attempts"]]) + 1)
        plt.xlabel("week starting")

    def _outcomes(self, plt: Any, attempts: list[Any], max_points: int) -> None:
        if not in_range(attempts, Range.ALL, self.now()):
            self.say("Outcomes per week will show here once you've rated an attempt.")
            return
        weekly = per_week(attempts, self.span, self.now(), max_points)
        colours = self.colours()
        xs = list(range(1, len(weekly.labels) + 1))
        names = [
            ("rejected", "rejected"),
            ("accepted", "accepted"),
            ("partial", "partly"),
            ("not_asked", "didn't ask"),
        ]
        plt.stacked_bar(
            xs,
            [weekly.counts[key] for key, _ in names],
            labels=[label for _, label in names],
            color=[colours[key] for key, _ in names],
            marker=["█", "▒", "░", "·"],
        )
        rates = weekly_rejection_rate(weekly)
        points = [(x, r) for x, r in zip(xs, rates, strict=True) if r is not None]
        if points:
            plt.plot(
                [x for x, _ in points],
                [r for _, r in points],
                yside="right",
                marker="*",
                label="rejection rate %",
                color=colours["rejected"],
            )
            plt.plot(
                [xs[0], xs[-1]], [50, 50], yside="right", marker="-", color=colours["goal"], label="50 %"
            )
            plt.ylim(0, 100, yside="right")
        plt.xticks(*thin_ticks(weekly.labels, 6))
        self.note(
            "Bars: outcomes per week (left axis). ✱ line: rejection rate, with a 50 % line (right axis)."
        )

    def _predictions(self, plt: Any, attempts: list[Any], max_points: int) -> None:
        bins = calibration(attempts)
        check = worry_check(attempts)
        if not bins:
            self.say(
                "When you've rated a few asks with a predicted chance of a no, this chart compares "
                "your predictions with what really happened."
            )
            return
        colours = self.colours()
        plt.multiple_bar(
            [f"{b.low}–{b.high} % ({b.count})" for b in bins],
            [[b.predicted for b in bins], [b.actual for b in bins]],
            labels=["predicted chance of a no", "actual rejection rate"],
            color=[colours["before"], colours["after"]],
            marker=PAIR_MARKERS,
        )
        plt.ylim(0, 100)
        if check.rate is not None:
            cost = (
                f"; you rated it {check.mean_cost:.0f}/100 bad on average"
                if check.mean_cost is not None
                else ""
            )
            self.note(
                f"The feared outcome came true {check.happened} of {check.answered} times "
                f"({check.rate:.0f} %){cost}."
            )

    def _one_challenge(self, plt: Any, attempts: list[Any], max_points: int) -> None:
        practised = most_practised(attempts, top=1000)
        if not practised:
            self.say("Rate an attempt, then follow one challenge's history here (p to pick).")
            return
        if self.challenge_id not in {cid for cid, _, _ in practised}:
            self.challenge_id = practised[0][0]
        title = next(t for cid, t, _ in practised if cid == self.challenge_id)
        series = challenge_series(attempts, self.challenge_id or "")
        if len(series.labels) < 2:
            self.say(f"“{title}”: done once so far. Do it again to see a line. (p to pick another)")
            return
        self._line_pair(plt, series.labels, series.before[-max_points:], series.after[-max_points:])
        self.note(f"“{title}” — p to pick another challenge")
        plt.xlabel("repetition")
