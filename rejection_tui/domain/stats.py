"""Statistics behind the charts, `stats` and the exports — one definition each.

- done, asked, rejection rate, the week (Monday–Sunday, local) and the
  streak are defined once, in ``progress``;
- mean fear before / after over done attempts; gap = before − after;
- deeper practice (issue 16): surprise, how bad it was feared against how
  bad it really was, forecasts updated for next time, the replay the day
  after, and nos that became a yes (counted apart from the rejections).

Series are aggregated here so the points drawn are bounded by the width of
the terminal, never by the size of the history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from statistics import fmean

from rejection_tui.domain.after_no import converted_nos, is_converted
from rejection_tui.domain.forecast import OutcomeLike
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.domain.programs import weekly_target
from rejection_tui.domain.progress import (
    ASKED_OUTCOMES,
    DEFAULT_WEEKLY_GOAL,
    asked_attempts,
    attempts_this_week,
    done_attempts,
    local_day,
    monday,
    practice_streak,
    rejection_percent,
    rejection_rate,
    rejections,
)
from rejection_tui.domain.replay import HIGH_REPLAY, REPLAY_LABEL


class Range(StrEnum):
    WEEKS_4 = "4w"
    MONTHS_3 = "3m"
    YEAR = "1y"
    ALL = "all"

    @property
    def label(self) -> str:
        return {"4w": "last 4 weeks", "3m": "last 3 months", "1y": "last year", "all": "all time"}[self.value]

    def next(self) -> Range:
        members = list(Range)
        return members[(members.index(self) + 1) % len(members)]


RANGE_DAYS = {Range.WEEKS_4: 28, Range.MONTHS_3: 91, Range.YEAR: 365}


def mean_fears(attempts: Iterable[Attempt]) -> tuple[float | None, float | None, float | None]:
    """Mean fear before, after and gap over done attempts whose fear before was a forecast
    (retro entries, logged afterwards, are left out: see ``Attempt.predicted``)."""
    done = [a for a in done_attempts(attempts) if a.predicted]
    if not done:
        return None, None, None
    before = fmean(a.fear_before for a in done)
    after = fmean(a.fear_after for a in done if a.fear_after is not None)
    return before, after, before - after


def in_range(attempts: Iterable[Attempt], chosen: Range, now: datetime) -> list[Attempt]:
    """Done attempts whose local day falls in the range ending today."""
    done = [a for a in done_attempts(attempts) if a.done_at]
    if chosen == Range.ALL:
        return done
    first = now.date() - timedelta(days=RANGE_DAYS[chosen] - 1)
    return [a for a in done if a.done_at and first <= local_day(a.done_at, now) <= now.date()]


def chronological(attempts: Iterable[Attempt]) -> list[Attempt]:
    return sorted(attempts, key=lambda a: a.done_at or a.created_at)


def week_label(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class FearSeries:
    """Expected (before) and felt (after) fear, per attempt or per week."""

    labels: list[str]
    before: list[float]
    after: list[float]
    per_week: bool


def fear_over_time(attempts: Sequence[Attempt], now: datetime, max_points: int) -> FearSeries:
    done = chronological(a for a in attempts if a.fear_after is not None and a.predicted)
    if len(done) <= max_points:
        return FearSeries(
            [f"{i + 1}" for i in range(len(done))],
            [float(a.fear_before) for a in done],
            [float(a.fear_after or 0) for a in done],
            per_week=False,
        )
    weeks: dict[date, list[Attempt]] = {}
    for a in done:
        assert a.done_at is not None
        weeks.setdefault(monday(local_day(a.done_at, now)), []).append(a)
    keys = sorted(weeks)
    groups = [weeks[k] for k in keys]
    labels = [week_label(k) for k in keys]
    labels, groups = _squeeze(labels, groups, max_points)
    return FearSeries(
        labels,
        [fmean(a.fear_before for a in g) for g in groups],
        [fmean(a.fear_after or 0 for a in g) for g in groups],
        per_week=True,
    )


def _squeeze(
    labels: list[str], groups: list[list[Attempt]], max_points: int
) -> tuple[list[str], list[list[Attempt]]]:
    """Merge neighbouring groups until at most ``max_points`` remain."""
    if len(groups) <= max_points or max_points < 1:
        return labels, groups
    size = -(-len(groups) // max_points)
    merged_labels = [labels[i] for i in range(0, len(groups), size)]
    merged = [[a for g in groups[i : i + size] for a in g] for i in range(0, len(groups), size)]
    return merged_labels, merged


@dataclass(frozen=True)
class LevelSeries:
    levels: list[int]
    before: list[float]
    after: list[float]
    counts: list[int]


def fear_by_level(attempts: Iterable[Attempt]) -> LevelSeries:
    by_level: dict[int, list[Attempt]] = {}
    for a in done_attempts(attempts):
        if not a.predicted:  # expected against felt: hindsight is no expectation
            continue
        by_level.setdefault(a.level, []).append(a)
    levels = sorted(by_level)
    return LevelSeries(
        levels,
        [fmean(a.fear_before for a in by_level[lv]) for lv in levels],
        [fmean(a.fear_after or 0 for a in by_level[lv]) for lv in levels],
        [len(by_level[lv]) for lv in levels],
    )


def rated_days(attempts: Iterable[Attempt], now: datetime) -> list[date]:
    """The local days of every done attempt, oldest first."""
    return sorted(local_day(a.done_at, now) for a in done_attempts(attempts) if a.done_at)


def week_starts(attempts: Sequence[Attempt], chosen: Range, now: datetime) -> list[date]:
    """The Mondays of every week in the range.

    A fixed range ends with this week; "all time" spans the practice itself,
    from the first week with a rated attempt to the last, so a history that
    stopped months ago still fills the width instead of a corner of it.
    """
    if chosen == Range.ALL:
        days = rated_days(attempts, now)
        if not days:
            return []
        first, last = monday(days[0]), monday(days[-1])
    else:
        last = monday(now.date())
        first = monday(now.date() - timedelta(days=RANGE_DAYS[chosen] - 1))
    count = (last - first).days // 7 + 1
    return [first + timedelta(weeks=i) for i in range(count)]


@dataclass(frozen=True)
class RangeHint:
    """Where the rated attempts are, for a range that holds none of them."""

    first: date
    """The local day of the first rated attempt."""
    last: date
    rated: int
    wider: Range
    """The first range, in the order ``t`` cycles, that holds some."""
    presses: int
    """How many presses of ``t`` reach ``wider``."""


def empty_range_hint(attempts: Sequence[Attempt], chosen: Range, now: datetime) -> RangeHint | None:
    """None when ``chosen`` holds rated attempts (or nothing is rated at all); else where they are."""
    days = rated_days(attempts, now)
    if not days or in_range(attempts, chosen, now):
        return None
    wider, presses = chosen.next(), 1
    while not in_range(attempts, wider, now):  # ends: all time holds every rated attempt
        wider, presses = wider.next(), presses + 1
    return RangeHint(days[0], days[-1], len(days), wider, presses)


CONVERTED = "converted"
"""``WeeklyCounts`` series of the nos that became a yes (``after_no.is_converted``)."""


@dataclass(frozen=True)
class WeeklyCounts:
    labels: list[str]
    counts: dict[str, list[float]]
    """Series name -> value per (possibly merged) week; merged weeks are averaged."""
    weeks_per_point: int = 1
    """How many neighbouring weeks each point stands for (1 while every week fits)."""

    @property
    def peak(self) -> float:
        """The most attempts at any point (0 for an empty range)."""
        return max(self.counts["attempts"], default=0.0)


def per_week(attempts: Sequence[Attempt], chosen: Range, now: datetime, max_points: int) -> WeeklyCounts:
    """Done attempts per week, per outcome, and the nos that became a yes (``CONVERTED``,
    also among "rejected": the no did happen), over the range."""
    weeks = week_starts(attempts, chosen, now)
    index = {w: i for i, w in enumerate(weeks)}
    names = ["attempts", *[o.value for o in Outcome], CONVERTED]
    table = {name: [0.0] * len(weeks) for name in names}
    for a in in_range(attempts, chosen, now):
        assert a.done_at is not None
        i = index.get(monday(local_day(a.done_at, now)))
        if i is None:
            continue
        table["attempts"][i] += 1
        if a.outcome:
            table[a.outcome.value][i] += 1
        if is_converted(a):
            table[CONVERTED][i] += 1
    labels = [week_label(w) for w in weeks]
    size = max(1, -(-len(weeks) // max(1, max_points)))
    if size > 1:
        labels = labels[::size]
        table = {n: [fmean(v[i : i + size]) for i in range(0, len(v), size)] for n, v in table.items()}
    return WeeklyCounts(labels, table, size)


def weekly_rejection_rate(counts: WeeklyCounts) -> list[float | None]:
    """Rejections ÷ asked per (merged) week, in %, None where nothing was asked; a no that
    became a yes is no rejection (``progress.rejections``)."""
    rates: list[float | None] = []
    converted = counts.counts.get(CONVERTED, [0.0] * len(counts.labels))
    for i in range(len(counts.labels)):
        asked = sum(counts.counts[o.value][i] for o in ASKED_OUTCOMES)
        rates.append(rejection_percent(counts.counts[Outcome.REJECTED.value][i] - converted[i], asked))
    return rates


@dataclass(frozen=True)
class CalibrationBin:
    low: int
    high: int
    predicted: float
    actual: float
    count: int


def calibration(attempts: Iterable[Attempt], width: int = 20) -> list[CalibrationBin]:
    """Mean predicted chance of a no against the actual rejection rate, per bin."""
    bins: dict[int, list[Attempt]] = {}
    for a in asked_attempts(attempts):
        if a.p_rejection is None or not a.predicted:  # a chance given in hindsight is no forecast
            continue
        low = min(a.p_rejection // width * width, 100 - width)
        bins.setdefault(low, []).append(a)
    return [
        CalibrationBin(
            low,
            low + width,
            fmean(a.p_rejection or 0 for a in group),
            rejection_rate(group) or 0.0,  # never None: every bin holds asked attempts
            len(group),
        )
        for low, group in sorted(bins.items())
    ]


@dataclass(frozen=True)
class WorryCheck:
    answered: int
    happened: int
    mean_cost: float | None

    @property
    def rate(self) -> float | None:
        return 100 * self.happened / self.answered if self.answered else None


def worry_check(attempts: Iterable[Attempt]) -> WorryCheck:
    """How often the feared outcome came true, and how bad it was expected to be."""
    answered = [a for a in done_attempts(attempts) if a.worry_happened is not None]
    costs = [a.worry_cost for a in answered if a.worry_cost is not None]
    return WorryCheck(
        len(answered), sum(1 for a in answered if a.worry_happened), fmean(costs) if costs else None
    )


def challenge_series(attempts: Iterable[Attempt], challenge_id: str) -> FearSeries:
    done = chronological(a for a in done_attempts(attempts) if a.challenge_id == challenge_id and a.predicted)
    return FearSeries(
        [f"{i + 1}" for i in range(len(done))],
        [float(a.fear_before) for a in done],
        [float(a.fear_after or 0) for a in done],
        per_week=False,
    )


def most_practised(attempts: Iterable[Attempt], top: int = 5) -> list[tuple[str, str, int]]:
    """(challenge id, title, times done), most first."""
    counts = Counter(a.challenge_id for a in done_attempts(attempts))
    titles = {a.challenge_id: a.challenge_title for a in done_attempts(attempts)}
    return [
        (cid, titles[cid], n)
        for cid, n in sorted(counts.items(), key=lambda kv: (-kv[1], titles[kv[0]]))[:top]
    ]


def weekly_gaps(attempts: Sequence[Attempt], now: datetime, weeks: int = 12) -> list[float | None]:
    """Mean gap (expected − felt) per week for the last ``weeks`` weeks; None where nothing was rated.

    None is "no data", not "no gap": a week whose attempts felt exactly as
    feared has a gap of 0.
    """
    starts = [monday(now.date()) - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    index = {w: i for i, w in enumerate(starts)}
    sums: list[list[int]] = [[] for _ in starts]
    for a in done_attempts(attempts):
        if a.done_at and a.gap is not None:
            i = index.get(monday(local_day(a.done_at, now)))
            if i is not None:
                sums[i].append(a.gap)
    return [fmean(s) if s else None for s in sums]


def latest_gap(gaps: Sequence[float | None]) -> float | None:
    """The newest week's gap that has data (None when no week has)."""
    return next((g for g in reversed(gaps) if g is not None), None)


def _mean(values: Sequence[int]) -> float | None:
    return fmean(values) if values else None


@dataclass(frozen=True)
class SurpriseCheck:
    """What the After's optional questions say, over the done attempts that answered them."""

    rated: int = 0
    """Attempts with a surprise rating."""
    mean_surprise: float | None = None
    costs: int = 0
    """Attempts with both how bad it would be (before) and how bad it really was (after)."""
    mean_cost_feared: float | None = None
    mean_cost_actual: float | None = None
    forecasts: int = 0
    """Attempts with a chance of a no before and one for next time."""
    mean_chance_before: float | None = None
    mean_chance_next: float | None = None
    lowered: int = 0
    """Forecasts for next time below the one before."""
    raised: int = 0

    @property
    def any(self) -> bool:
        return bool(self.rated or self.costs or self.forecasts)


def surprise_check(attempts: Iterable[Attempt]) -> SurpriseCheck:
    """Surprise, the feared cost against the real one, and the forecasts updated for next time.

    The last two set a "before" against an "after": a retro entry's before is hindsight
    (``Attempt.predicted``), so it is left out of them, as of calibration.
    """
    done = done_attempts(attempts)
    surprised = [a.surprise for a in done if a.surprise is not None]
    costs = [
        (a.worry_cost, a.cost_actual)
        for a in done
        if a.predicted and a.worry_cost is not None and a.cost_actual is not None
    ]
    forecasts = [
        (a.p_rejection, a.p_rejection_next)
        for a in done
        if a.predicted and a.p_rejection is not None and a.p_rejection_next is not None
    ]
    return SurpriseCheck(
        rated=len(surprised),
        mean_surprise=_mean(surprised),
        costs=len(costs),
        mean_cost_feared=_mean([feared for feared, _ in costs]),
        mean_cost_actual=_mean([actual for _, actual in costs]),
        forecasts=len(forecasts),
        mean_chance_before=_mean([before for before, _ in forecasts]),
        mean_chance_next=_mean([after for _, after in forecasts]),
        lowered=sum(1 for before, after in forecasts if after < before),
        raised=sum(1 for before, after in forecasts if after > before),
    )


@dataclass(frozen=True)
class ReplayCheck:
    """The answers to the question the day after (``domain.replay``)."""

    answered: int = 0
    mean: float | None = None
    high: int = 0
    """Answers of ``replay.HIGH_REPLAY`` or more (the kind lines were offered)."""
    skipped: int = 0
    notes: int = 0
    """Kind sentences written."""

    @property
    def any(self) -> bool:
        return bool(self.answered or self.skipped or self.notes)


def replay_check(attempts: Iterable[Attempt]) -> ReplayCheck:
    done = done_attempts(attempts)
    answers = [a.replay for a in done if a.replay is not None]
    return ReplayCheck(
        answered=len(answers),
        mean=_mean(answers),
        high=sum(1 for r in answers if r >= HIGH_REPLAY),
        skipped=sum(1 for a in done if a.replay_skipped and a.replay is None),
        notes=sum(1 for a in done if a.replay_note),
    )


@dataclass(frozen=True)
class Summary:
    done: int
    planned: int
    rejections: int
    rejection_rate: float | None
    mean_before: float | None
    mean_after: float | None
    mean_gap: float | None
    streak: int
    this_week: int
    weekly_goal: int
    most_practised: list[tuple[str, str, int]]
    calibration: list[CalibrationBin] = field(default_factory=list)
    """Chart 5's bands: predicted chance of a no against the actual rejection rate."""
    worry: WorryCheck = WorryCheck(0, 0, None)
    """Chart 5's note: how often the feared outcome came true."""
    surprise: SurpriseCheck = SurpriseCheck()
    replay: ReplayCheck = ReplayCheck()
    converted: int = 0
    """Nos that became a yes: counted apart, never among ``rejections``."""


def summarise(
    attempts: Sequence[Attempt],
    now: datetime,
    *,
    rest_days: AbstractSet[date],
    weekly_goal: int = DEFAULT_WEEKLY_GOAL,
    paused: AbstractSet[date] = frozenset(),
) -> Summary:
    """Everything `stats` and the report show; the streak counts the planned ``rest_days``
    and passes over ``paused`` days (issue 16), whose share of this week's goal is let off."""
    before, after, gap = mean_fears(attempts)
    done = done_attempts(attempts)
    return Summary(
        done=len(done),
        planned=len(attempts) - len(done),
        rejections=rejections(attempts),
        rejection_rate=rejection_rate(attempts),
        mean_before=before,
        mean_after=after,
        mean_gap=gap,
        streak=practice_streak(attempts, rest_days, now, paused=paused),
        this_week=attempts_this_week(attempts, now),
        weekly_goal=weekly_target(weekly_goal, now.date(), paused) if paused else weekly_goal,
        most_practised=most_practised(attempts),
        calibration=calibration(attempts),
        worry=worry_check(attempts),
        surprise=surprise_check(attempts),
        replay=replay_check(attempts),
        converted=converted_nos(done),
    )


def fmt(value: float | None, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.0f}{suffix}"


def calibration_line(band: CalibrationBin) -> str:
    """One band of chart 5 in words: "40–60 %:   predicted  50 %, actual  33 % no (3 asks)"."""
    asks = "1 ask" if band.count == 1 else f"{band.count} asks"
    return (
        f"{f'{band.low}–{band.high} %:':<10} predicted {band.predicted:>3.0f} %, "
        f"actual {band.actual:>3.0f} % no ({asks})"
    )


def worry_line(check: WorryCheck) -> str:
    """Chart 5's note in words; "—" before any feared outcome was checked."""
    if check.rate is None:
        return "—"
    return f"{check.happened} of {check.answered} times ({check.rate:.0f} %)"


def _times(count: int, one: str = "ask") -> str:
    return f"1 {one}" if count == 1 else f"{count} {one}s"


def surprise_lines(check: SurpriseCheck) -> list[str]:
    """`stats` lines for the After's optional questions; none before any was answered."""
    lines = []
    if check.rated:
        mean = fmt(check.mean_surprise)
        lines.append(f"Surprised by it:      {mean} / 100 on average ({_times(check.rated)})")
    if check.costs:
        lines.append(
            f"How bad it was:       feared {fmt(check.mean_cost_feared)}, "
            f"really {fmt(check.mean_cost_actual)} (out of 100, mean of {_times(check.costs)})"
        )
    if check.forecasts:
        lines.append(
            f"Forecast updated:     chance of a no {fmt(check.mean_chance_before, ' %')} before, "
            f"{fmt(check.mean_chance_next, ' %')} for next time ({_times(check.forecasts)}; "
            f"lower {check.lowered}, higher {check.raised})"
        )
    return lines


def replay_lines(check: ReplayCheck) -> list[str]:
    """`stats` lines for the question the day after; none before any was answered or skipped."""
    if not check.any:
        return []
    parts = []
    if check.answered:
        parts += [_times(check.answered, "answer"), f"{check.high} at {HIGH_REPLAY} or more"]
    if check.skipped:
        parts.append(f"{check.skipped} skipped")
    if check.notes:
        parts.append(_times(check.notes, "kind sentence"))
    head = f"{fmt(check.mean)} / 100 on average" if check.answered else "—"
    return [f"{REPLAY_LABEL + ':':<22}{head} ({', '.join(parts)})"]


def converted_line(converted: int) -> list[str]:
    """The nos that became a yes, counted apart; no line before there is one."""
    if not converted:
        return []
    return [f"Nos that became a yes: {converted} (counted apart, not as rejections)"]


def summary_lines(s: Summary, *, deeper: bool = True) -> list[str]:
    """`stats` and the report's summary; indented lines belong to the line above them.

    ``deeper``: with the lines of the deeper-practice answers (surprise, replay), each only
    when there is something to show (the report gives them sections of their own).
    """
    lines = [
        f"Done attempts:        {s.done}",
        f"Planned (to rate):    {s.planned}",
        f"Rejections:           {s.rejections}",
        *converted_line(s.converted),
        f"Rejection rate:       {fmt(s.rejection_rate, ' %')}",
        f"Mean fear before:     {fmt(s.mean_before)}",
        f"Mean fear after:      {fmt(s.mean_after)}",
        f"Mean gap:             {fmt(s.mean_gap)}",
        f"Streak:               {s.streak} day{'s' if s.streak != 1 else ''}",
        # A goal of 0 is only ever a paused week's (the goal itself is 1 to 14).
        f"This week:            {s.this_week} / {s.weekly_goal}"
        if s.weekly_goal
        else f"This week:            {s.this_week} (paused: no goal this week)",
    ]
    if s.calibration:
        lines.append("Predicted vs actual chance of a no, by your prediction:")
        lines += [f"  {calibration_line(band)}" for band in s.calibration]
    else:
        lines.append("Predicted vs actual:  — (no rated ask has a predicted chance of a no yet)")
    lines.append(f"Feared outcome came true: {worry_line(s.worry)}")
    if deeper:
        lines += surprise_lines(s.surprise) + replay_lines(s.replay)
    if s.most_practised:
        lines.append("Most practised:")
        lines += [f"  {n:>3}×  {title}" for _, title, n in s.most_practised]
    return lines


def surprise_report(check: SurpriseCheck) -> list[str]:
    """The report's "What surprised you" in sentences (plain text); empty without answers."""
    lines = []
    if check.rated:
        lines.append(
            f"How surprised you were by what happened: {fmt(check.mean_surprise)} out of 100 on average, "
            f"over {_times(check.rated)}."
        )
    if check.costs:
        lines.append(
            f"How bad it would be, as feared beforehand: {fmt(check.mean_cost_feared)} out of 100 "
            f"on average; how bad it really was: {fmt(check.mean_cost_actual)} "
            f"(the {_times(check.costs)} rated both)."
        )
    if check.forecasts:
        kept = check.forecasts - check.lowered - check.raised
        lines.append(
            f"The chance of a no you gave before an ask: {fmt(check.mean_chance_before, ' %')} on average; "
            f"the chance you gave for next time, afterwards: {fmt(check.mean_chance_next, ' %')} "
            f"({_times(check.forecasts)}: lower {check.lowered}, higher {check.raised}, the same {kept})."
        )
    return lines


def replay_report(check: ReplayCheck) -> list[str]:
    """The report's "Going over it afterwards" in sentences (plain text); empty without answers."""
    lines = []
    if check.answered:
        lines.append(
            f"How much you had gone over an ask by the next day: {fmt(check.mean)} out of 100 on average, "
            f"over {_times(check.answered, 'answer')}; {check.high} of them at {HIGH_REPLAY} or more."
        )
    if check.skipped:
        times = "once" if check.skipped == 1 else f"{check.skipped} times"
        lines.append(f"The question was skipped {times}.")
    if check.notes:
        lines.append(f"Kind sentences written afterwards: {check.notes} (with their attempts below).")
    return lines


# -- deeper practice (issue 16): the series of charts 6 (forecast view) and 7 ------------


@dataclass(frozen=True)
class ReplaySeries:
    """Rated asks with a day-after answer, oldest first: when, the fear felt, how much gone over."""

    labels: list[str]
    felt: list[int]
    replay: list[int]
    answered: int
    """All the answers there are (the series holds only the latest ones that fit)."""


def replay_series(attempts: list[Attempt], now: datetime, max_points: int) -> ReplaySeries:
    """The day-after answers beside the fear felt during the ask, the latest ``max_points``."""
    answered = chronological(
        a for a in done_attempts(attempts) if a.replay is not None and a.fear_after is not None and a.done_at
    )
    shown = answered[-max(1, max_points) :]
    return ReplaySeries(
        labels=[f"{local_day(a.done_at, now):%d/%m}" for a in shown if a.done_at],
        felt=[a.fear_after for a in shown if a.fear_after is not None],
        replay=[a.replay for a in shown if a.replay is not None],
        answered=len(answered),
    )


def forecast_triples(
    attempts: list[Attempt], challenge_id: str
) -> list[tuple[int | None, int | None, OutcomeLike]]:
    """One (chance of a no before, after, outcome) per predicted, rated ask of one challenge, oldest first."""
    done = chronological(a for a in done_attempts(attempts) if a.challenge_id == challenge_id and a.predicted)
    return [(a.p_rejection, a.p_rejection_next, a.outcome) for a in done]
