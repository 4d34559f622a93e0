"""Charts: expected against felt fear, practice, outcomes, predictions, the forecast and the day after.

Series come ready-made from ``domain.stats``; this screen only draws them,
through its own ``PlotextPlot`` (never the global plotext module). The
charting library is imported when the screen is first composed, so it
costs nothing at start-up.
"""

from __future__ import annotations

from math import ceil
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.style import Style
from textual.widgets import Footer, Header, Static

from rejection_tui.domain.forecast import forecast_series
from rejection_tui.domain.replay import REPLAY_LABEL
from rejection_tui.domain.stats import (
    Range,
    RangeHint,
    calibration,
    challenge_series,
    empty_range_hint,
    fear_by_level,
    fear_over_time,
    forecast_triples,
    in_range,
    most_practised,
    per_week,
    replay_series,
    week_label,
    weekly_rejection_rate,
    worry_check,
)
from rejection_tui.ui import styles
from rejection_tui.ui.screens.base import SectionScreen
from rejection_tui.ui.text import lines, plain, styled

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

CHARTS = {
    1: "Expected vs felt fear",
    2: "Fear by level",
    3: "Practice per week",
    4: "Outcomes per week",
    5: "Predictions",
    6: "One challenge",
    7: "Gone over it",
}


# Series differ by fill as well as colour, so they read on any terminal.
PAIR_MARKERS = ["█", "▒"]
OUTCOME_MARKERS = ["█", "▒", "░", "·"]
PERCENT_TICKS = [0, 25, 50, 75, 100]

# The phrase for a range after "widen it to" (the range labels read "last year", "all time").
RANGE_PHRASE = {
    Range.WEEKS_4: "the last 4 weeks",
    Range.MONTHS_3: "the last 3 months",
    Range.YEAR: "the last year",
    Range.ALL: "all time",
}
PRESSES = {1: "", 2: " twice", 3: " three times"}
NICE_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]


def thin_ticks(labels: list[str], room: int) -> tuple[list[int], list[str]]:
    """At most ``room`` evenly spaced tick positions and their labels."""
    if not labels:
        return [], []
    step = max(1, -(-len(labels) // max(1, room)))
    positions = list(range(0, len(labels), step))
    return [p + 1 for p in positions], [labels[p] for p in positions]


def count_ticks(top: float, most: int) -> list[int]:
    """Whole-number ticks from 0 to at least ``top``, at most ``most`` of them (counts have no 0.33)."""
    most = max(2, most)
    for step in NICE_STEPS:
        if ceil(top / step) + 1 <= most:
            break
    else:
        step = ceil(top / (most - 1))
    return list(range(0, max(1, ceil(top / step)) * step + 1, step))


def fitting_labels(variants: list[list[str]], slot: float) -> int:
    """The index of the first (richest) set of labels each of which fits in ``slot`` columns.

    plotext leaves out a tick label that would touch its neighbour, so a
    label needs its own width plus a space either side (checked against
    plotext for 1–10 groups at 56–130 columns); the last variant is the
    fallback.
    """
    for index, labels in enumerate(variants):
        if max((len(label) for label in labels), default=0) + 2 <= slot:
            return index
    return len(variants) - 1


def empty_range_sentence(hint: RangeHint, chosen: Range) -> str:
    """Say the range is empty, where the rated attempts are, and how ``t`` reaches them."""
    where = (
        f"Your rated attempt is from {week_label(hint.first)}"
        if hint.rated == 1
        else f"Your {hint.rated} rated attempts are from {week_label(hint.first)} to {week_label(hint.last)}"
    )
    presses = PRESSES.get(hint.presses, f" {hint.presses} times")
    return (
        f"Nothing rated in {RANGE_PHRASE[chosen]}. {where}: "
        f"press t{presses} to widen the range to {RANGE_PHRASE[hint.wider]}."
    )


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
    CSS_PATH = styles.CHARTS
    TITLE = "Charts"
    BINDINGS = [
        *[
            Binding(str(n), f"show({n})", name, show=False, id=f"charts.show{n}")
            for n, name in CHARTS.items()
        ],
        Binding("t", "cycle_range", "Range", id="charts.range", tooltip="Time range"),
        Binding("p", "pick_challenge", "Pick challenge", id="charts.pick", tooltip="Pick one (chart 6)"),
        Binding(
            "v",
            "toggle_forecast",
            "Fear/forecast",
            id="charts.forecast",
            tooltip="Chart 6: the fear, or the forecast of a no",
        ),
        Binding("left", "step(-1)", "Prev", show=False, id="charts.prev", tooltip="Previous chart"),
        Binding("right", "step(1)", "Next", show=False, id="charts.next", tooltip="Next chart"),
    ]

    chart: reactive[int] = reactive(1, init=False)
    span: reactive[Range] = reactive(Range.MONTHS_3, init=False)
    challenge_id: str | None = None
    forecast: reactive[bool] = reactive(False, init=False)
    """Chart 6 shows the forecast of a no across repetitions instead of the fear."""

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        steady_plotext()

        yield Header()
        yield Static("", id="chart-title")
        yield Static("", id="chart-note")
        yield Static("", id="chart-message")
        yield PlotextPlot(id="plot")
        yield Footer(compact=True)

    @property
    def plot(self) -> PlotextPlot:
        from textual_plotext import PlotextPlot

        return self.query_one("#plot", PlotextPlot)

    drawn_size = Size(0, 0)

    def refresh_data(self) -> None:
        # Runs on every resume, the first showing included.
        self.draw()

    def on_resize(self) -> None:
        # Labels are chosen to fit the width, ticks to fit the height.
        if self.app.size != self.drawn_size:
            self.draw()

    def watch_chart(self) -> None:
        self.draw()

    def watch_span(self) -> None:
        self.draw()

    def watch_forecast(self) -> None:
        self.draw()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick_challenge", "toggle_forecast"):
            return self.chart == 6
        if action == "cycle_range":
            return self.chart in (3, 4)
        return True

    def action_show(self, number: int) -> None:
        self.chart = number
        self.refresh_bindings()

    def action_step(self, delta: int) -> None:
        self.action_show((self.chart - 1 + delta) % len(CHARTS) + 1)

    def action_toggle_forecast(self) -> None:
        self.forecast = not self.forecast

    def action_cycle_range(self) -> None:
        self.span = self.span.next()

    @work(group="dialog")
    async def action_pick_challenge(self) -> None:
        from rejection_tui.ui.screens.pickers import PractisedPicker

        practised = most_practised(self.journal.list_attempts(), top=1000)
        if not practised:
            self.notify("Rate an attempt first; then you can follow one challenge here.")
            return
        challenge_id = await self.app.push_screen_wait(PractisedPicker(practised))
        if challenge_id:
            self.challenge_id = challenge_id
            self.draw()

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
            "replay": rgb(theme.accent, "magenta"),
        }

    def note(self, *parts: Content) -> None:
        """Lines above the chart, legend first (they wrap, unlike a plotext title or legend)."""
        note = self.query_one("#chart-note", Static)
        note.update(lines(parts))
        note.display = bool(parts)

    def legend(self, *items: tuple[str, str, str], lead: str = "") -> Content:
        """A legend line: each series' marker in its colour, then its name.

        plotext's own legend sits on top of the data and, with a right axis,
        prefixes every entry with an axis letter ("L", "⅃"); this one sits
        above the chart. ``items`` are (marker, colour key, name).
        """
        colours = self.colours()
        parts: list[str | tuple[str, Style]] = [lead] if lead else []
        for index, (marker, key, name) in enumerate(items):
            red, green, blue = colours[key]
            parts += [
                "  " if index else "",
                (marker * 2, Style(foreground=Color(red, green, blue))),
                f" {name}",
            ]
        return Content.assemble(*parts)

    def say(self, message: str) -> None:
        """Show a sentence instead of an empty or one-point chart."""
        self.note()
        self.query_one("#chart-message", Static).update(plain(message))
        self.query_one("#chart-message").display = True
        self.plot.display = False

    def title_line(self) -> Content:
        """The chart's name, its range where it has one, and the keys to switch, as the width allows."""
        ranged = self.chart in (3, 4)
        name = styled(
            "[b]$n · $name[/]" + (" · $span (t to change)" if ranged else ""),
            n=self.chart,
            name=CHARTS[self.chart],
            span=self.span.label,
        )
        room = self.drawn_size.width - 2  # the title's padding
        last = len(CHARTS)
        for hint in (f"   1–{last} or ←/→ switch chart", f"   1–{last} ←/→"):
            if len(name.plain) + len(hint) <= room:
                return name + styled("[dim]$hint[/]", hint=hint)
        return name

    def plot_size(self, note_lines: int = 1) -> tuple[int, int]:
        """About how many columns and rows the plot will have (the terminal's size, known before layout)."""
        width, height = self.drawn_size
        return width, height - 4 - note_lines  # header, title, footer, a spare line

    def y_ticks(self, top: float, note_lines: int = 1) -> list[int]:
        """Whole-number ticks for a count axis, spaced to the rows there are."""
        _, rows = self.plot_size(note_lines)
        return count_ticks(top, (rows - 4) // 2 + 1)

    def draw(self) -> None:
        if not self.is_mounted:
            return
        # The terminal's size, known before layout, so every draw agrees.
        self.drawn_size = self.app.size
        self.query_one("#chart-title", Static).update(self.title_line())
        self.query_one("#chart-message").display = False
        self.note()
        self.plot.display = True
        plt = self.plot.plt
        plt.clear_figure()
        width = max(10, self.drawn_size.width)
        attempts = self.journal.list_attempts()
        drawer = {
            1: self._fear_over_time,
            2: self._by_level,
            3: self._practice,
            4: self._outcomes,
            5: self._predictions,
            6: self._one_challenge,
            7: self._replay,
        }[self.chart]
        drawer(plt, attempts, max_points=max(4, (width - 10) // 3))
        self.plot.refresh()

    def x_room(self, labels: list[str], *, right_axis: int = 0) -> int:
        """How many of these labels fit side by side under the plot."""
        width, _ = self.plot_size()
        longest = max((len(label) for label in labels), default=1)
        return max(2, (width - 6 - right_axis) // (longest + 3))

    def slot(self, count: int) -> float:
        """The columns each of ``count`` bar groups gets."""
        width, _ = self.plot_size()
        return (width - 6) / max(1, count)

    def _line_pair(self, plt: Any, labels: list[str], before: list[float], after: list[float]) -> Content:
        """Expected and felt fear as two lines; the legend for them."""
        colours = self.colours()
        xs = list(range(1, len(labels) + 1))
        plt.plot(xs, before, marker="o", color=colours["before"])
        plt.plot(xs, after, marker="x", color=colours["after"])
        plt.xticks(*thin_ticks(labels, min(8, self.x_room(labels))))
        plt.ylim(0, 100)
        plt.yticks(PERCENT_TICKS)
        return self.legend(("o", "before", "expected (before)"), ("x", "after", "felt (after)"))

    def _fear_over_time(self, plt: Any, attempts: list[Any], max_points: int) -> None:
        series = fear_over_time(attempts, self.now(), max_points)
        if len(series.labels) < 2:
            self.say(
                "Rate at least two attempts to see your expected and felt fear side by side. "
                f"So far: {len(series.labels)}."
            )
            return
        self.note(self._line_pair(plt, series.labels, series.before, series.after))
        plt.xlabel("week (means)" if series.per_week else "attempt")
        plt.ylabel("fear 0–100")

    def _by_level(self, plt: Any, attempts: list[Any], max_points: int) -> None:
        levels = fear_by_level(attempts)
        if not levels.levels:
            self.say("Rate an attempt to see how fear compares across levels.")
            return
        colours = self.colours()
        pairs = list(zip(levels.levels, levels.counts, strict=True))
        # Every level with data gets its label: with the count while that fits, else the count goes above.
        variants = [[f"L{lv} ({n}×)" for lv, n in pairs], [f"L{lv}" for lv, _ in pairs]]
        choice = fitting_labels(variants, self.slot(len(pairs)))
        plt.multiple_bar(
            variants[choice],
            [levels.before, levels.after],
            color=[colours["before"], colours["after"]],
            marker=PAIR_MARKERS,
        )
        plt.ylim(0, 100)
        plt.yticks(PERCENT_TICKS)
        plt.ylabel("mean fear")
        plt.xlabel("level (rated attempts)" if choice == 0 else "level")
        notes = [self.legend(("█", "before", "expected (before)"), ("▒", "after", "felt (after)"))]
        if choice:
            notes.append(plain("Rated attempts: " + " · ".join(f"L{lv} {n}×" for lv, n in pairs)))
        self.note(*notes)

    def _empty_range(self, attempts: list[Any]) -> bool:
        """Say so, and how to widen it, when the chosen range holds no rated attempt."""
        hint = empty_range_hint(attempts, self.span, self.now())
        if hint is not None:
            self.say(empty_range_sentence(hint, self.span))
        return hint is not None

    def _practice(self, plt: Any, attempts: list[Any], max_points: int) -> None:
        if not in_range(attempts, Range.ALL, self.now()):
            self.say("Your practice per week will show here once you've rated an attempt.")
            return
        if self._empty_range(attempts):
            return
        weekly = per_week(attempts, self.span, self.now(), max_points)
        goal = self.journal.weekly_goal()
        colours = self.colours()
        xs = list(range(1, len(weekly.labels) + 1))
        plt.bar(xs, weekly.counts["attempts"], color=colours["after"])
        plt.hline(goal, colours["goal"])
        ticks = self.y_ticks(max(weekly.peak, goal + 1))
        plt.ylim(0, ticks[-1])
        plt.yticks(ticks)
        plt.xticks(*thin_ticks(weekly.labels, self.x_room(weekly.labels)))
        merged = weekly.weeks_per_point
        plt.xlabel("week starting" if merged == 1 else f"mean per week, {merged} weeks a bar")
        self.note(self.legend(("█", "after", "attempts"), ("─", "goal", f"goal: {goal} a week")))

    def _outcomes(self, plt: Any, attempts: list[Any], max_points: int) -> None:
        if not in_range(attempts, Range.ALL, self.now()):
            self.say("Outcomes per week will show here once you've rated an attempt.")
            return
        if self._empty_range(attempts):
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
            color=[colours[key] for key, _ in names],
            marker=OUTCOME_MARKERS,
        )
        ticks = self.y_ticks(weekly.peak, note_lines=2)
        plt.ylim(0, ticks[-1])
        plt.yticks(ticks)
        plt.ylabel("attempts")
        notes = [
            self.legend(*[(m, key, name) for m, (key, name) in zip(OUTCOME_MARKERS, names, strict=True)])
        ]
        rates = weekly_rejection_rate(weekly)
        points = [(x, r) for x, r in zip(xs, rates, strict=True) if r is not None]
        if points:
            plt.plot(
                [x for x, _ in points],
                [r for _, r in points],
                yside="right",
                marker="*",
                color=colours["rejected"],
            )
            plt.plot([xs[0], xs[-1]], [50, 50], yside="right", marker="-", color=colours["goal"])
            plt.ylim(0, 100, yside="right")
            plt.yticks(PERCENT_TICKS, yside="right")
            plt.ylabel("rejected %", yside="right")
            notes.append(self.legend(("*", "rejected", "rejection rate (right axis)"), ("-", "goal", "50 %")))
        plt.xticks(*thin_ticks(weekly.labels, self.x_room(weekly.labels, right_axis=4)))
        self.note(*notes)

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
        # Every band gets its label, the top one too: shorter ones when the full ones don't fit.
        variants = [
            [f"{b.low}–{b.high} % ({b.count})" for b in bins],
            [f"{b.low}–{b.high} ({b.count})" for b in bins],
            [f"{b.low}–{b.high}" for b in bins],
        ]
        choice = fitting_labels(variants, self.slot(len(bins)))
        plt.multiple_bar(
            variants[choice],
            [[b.predicted for b in bins], [b.actual for b in bins]],
            color=[colours["before"], colours["after"]],
            marker=PAIR_MARKERS,
        )
        plt.ylim(0, 100)
        plt.yticks(PERCENT_TICKS)
        plt.xlabel(
            [
                "predicted chance of a no (asks)",
                "predicted chance of a no, % (asks)",
                "predicted chance of a no, %",
            ][choice]
        )
        notes = [
            self.legend(("█", "before", "predicted chance of a no"), ("▒", "after", "actual rejection rate"))
        ]
        if choice == 2:
            notes.append(plain("Asks per band, left to right: " + " · ".join(str(b.count) for b in bins)))
        if check.rate is not None:
            cost = (
                f"; you rated it {check.mean_cost:.0f}/100 bad on average"
                if check.mean_cost is not None
                else ""
            )
            notes.append(
                plain(
                    f"The feared outcome came true {check.happened} of {check.answered} times "
                    f"({check.rate:.0f} %){cost}."
                )
            )
        self.note(*notes)

    def _one_challenge(self, plt: Any, attempts: list[Any], max_points: int) -> None:
        practised = most_practised(attempts, top=1000)
        if not practised:
            self.say("Rate an attempt, then follow one challenge's history here (p to pick).")
            return
        if self.challenge_id not in {cid for cid, _, _ in practised}:
            self.challenge_id = practised[0][0]
        title = next(t for cid, t, _ in practised if cid == self.challenge_id)
        if self.forecast:
            self._forecast(plt, title, attempts, max_points)
            return
        series = challenge_series(attempts, self.challenge_id or "")
        if len(series.labels) < 2:
            self.say(f"“{title}”: done once so far. Do it again to see a line. (p to pick another)")
            return
        labels = series.labels[-max_points:]
        legend = self._line_pair(plt, labels, series.before[-max_points:], series.after[-max_points:])
        self.note(plain(f"“{title}” — p to pick another challenge · v for the forecast of a no"), legend)
        plt.xlabel("repetition")

    def _forecast(self, plt: Any, title: str, attempts: list[Any], max_points: int) -> None:
        """Across repetitions: the chance of a no said before, the one said after for next time,
        and what happened (a no at 100, a yes at 0, a partly yes halfway)."""
        triples = forecast_triples(attempts, self.challenge_id or "")
        if len(triples) < 2:
            self.say(
                f"“{title}”: done once so far. Do it again to see how your forecast of a no moves. "
                "(p to pick another · v for the fear)"
            )
            return
        series = forecast_series(triples, max_points)
        colours = self.colours()
        for values, marker, colour in (
            (series.predicted, "o", "before"),
            (series.updated, "+", "after"),
        ):
            xs, ys = series.points(values)
            if xs:
                plt.plot(xs, ys, marker=marker, color=colours[colour])
        xs, ys = series.points(series.happened)
        if xs:
            plt.scatter(xs, ys, marker="x", color=colours["rejected"])
        labels = [str(n) for n in series.numbers]
        positions, shown = thin_ticks(labels, min(8, self.x_room(labels)))
        plt.xticks([series.numbers[0] + p - 1 for p in positions], shown)
        plt.xlim(series.numbers[0] - 0.5, series.numbers[-1] + 0.5)
        plt.ylim(0, 100)
        plt.yticks(PERCENT_TICKS)
        plt.xlabel("repetition")
        plt.ylabel("chance of a no, %")
        notes = [
            plain(f"“{title}” — the forecast of a no · v for the fear · p to pick another"),
            self.legend(
                ("o", "before", "before the ask"),
                ("+", "after", "for next time"),
                ("x", "rejected", "what happened (no 100, yes 0)"),
            ),
        ]
        if all(value is None for value in series.updated):
            notes.append(
                plain("Answer “Next time, how likely is a no?” after an ask to see your forecast change.")
            )
        self.note(*notes)

    def _replay(self, plt: Any, attempts: list[Any], max_points: int) -> None:
        """The day-after answers ("how much have you gone over it since?") beside the fear felt."""
        series = replay_series(attempts, self.now(), max_points)
        if len(series.labels) < 2:
            self.say(
                "The day after a rated ask, the Dashboard asks how much you have gone over it since "
                "(o there). Answer it a couple of times to see it here beside the fear you felt. "
                f"Answered so far: {series.answered}."
            )
            return
        colours = self.colours()
        xs = list(range(1, len(series.labels) + 1))
        plt.plot(xs, series.felt, marker="x", color=colours["after"])
        plt.plot(xs, series.replay, marker="*", color=colours["replay"])
        plt.xticks(*thin_ticks(series.labels, min(8, self.x_room(series.labels))))
        plt.ylim(0, 100)
        plt.yticks(PERCENT_TICKS)
        plt.xlabel("rated ask (day)")
        plt.ylabel("0–100")
        shown = len(series.labels)
        more = f" (the latest {shown} of {series.answered})" if shown < series.answered else ""
        self.note(
            self.legend(
                ("x", "after", "fear felt during the ask"),
                ("*", "replay", f"{REPLAY_LABEL.lower()}, the day after{more}"),
            )
        )
