"""Every statistic against numbers worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Outcome
from rejection_tui.domain.progress import rejection_rate
from rejection_tui.domain.stats import (
    Range,
    calibration,
    challenge_series,
    empty_range_hint,
    fear_by_level,
    fear_over_time,
    in_range,
    latest_gap,
    mean_fears,
    most_practised,
    per_week,
    summarise,
    summary_lines,
    weekly_gaps,
    weekly_rejection_rate,
    worry_check,
)
from tests.conftest import done, planned

UTC = UTC
LIB = {c.id: c for c in builtin_challenges()}
TIME, RAISE = LIB["ask-the-time"], LIB["ask-for-raise"]
# Thursday 26 Nov 2026, 12:00 UTC.
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def at(days_ago: float) -> datetime:
    return NOW - timedelta(days=days_ago)


def fixture() -> list:  # type: ignore[type-arg]
    return [
        done(TIME, before=70, after=40, outcome=Outcome.REJECTED, at=at(0)),
        done(TIME, before=60, after=20, outcome=Outcome.ACCEPTED, at=at(1)),
        done(RAISE, before=90, after=80, outcome=Outcome.REJECTED, at=at(8)),
        done(TIME, before=50, after=50, outcome=Outcome.NOT_ASKED, at=at(9)),
        planned(RAISE, fear=95, at=at(0)),
    ]


def test_rejection_rate_is_rejected_over_asked() -> None:
    # asked = 3 (the not_asked one is excluded), rejected = 2 -> 66.7 %
    assert round(rejection_rate(fixture()) or 0, 1) == 66.7
    assert rejection_rate([planned(TIME)]) is None


def test_mean_fears_over_done_attempts() -> None:
    before, after, gap = mean_fears(fixture())
    assert (before, after, gap) == (67.5, 47.5, 20.0)  # (70+60+90+50)/4, (40+20+80+50)/4
    assert mean_fears([]) == (None, None, None)


def test_range_uses_local_days() -> None:
    attempts = fixture()
    assert len(in_range(attempts, Range.WEEKS_4, NOW)) == 4
    old = done(TIME, at=at(28))  # 29 local days including today: outside 4 weeks
    edge = done(TIME, at=at(27))
    assert in_range([old, edge], Range.WEEKS_4, NOW) == [edge]


def test_per_week_counts_and_outcomes_monday_to_sunday() -> None:
    weekly = per_week(fixture(), Range.WEEKS_4, NOW, max_points=60)
    # Weeks starting 02, 09, 16, 23 Nov 2026 (and 26 Oct–) for a 28-day range.
    assert weekly.labels[-1] == "23/11/2026"
    assert weekly.counts["attempts"][-1] == 2  # Thu + Wed this week
    assert weekly.counts["attempts"][-2] == 2  # Wed 18 + Tue 17
    assert weekly.counts["rejected"][-1] == 1 and weekly.counts["accepted"][-1] == 1
    assert weekly.counts["not_asked"][-2] == 1
    assert weekly_rejection_rate(weekly)[-1] == 50.0
    assert weekly_rejection_rate(weekly)[-2] == 100.0  # one asked, one rejected


def test_sunday_night_belongs_to_the_week_before() -> None:
    sunday = datetime(2026, 11, 22, 23, 59, tzinfo=UTC)
    weekly = per_week([done(TIME, at=sunday)], Range.WEEKS_4, NOW, max_points=60)
    assert weekly.counts["attempts"][-1] == 0 and weekly.counts["attempts"][-2] == 1


def test_week_boundary_follows_the_users_time_zone() -> None:
    # 23:30 UTC Sunday is 00:30 Monday in UTC+1: this week for a user there.
    plus_one = timezone(timedelta(hours=1))
    now = NOW.astimezone(plus_one)
    sunday_utc = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    weekly = per_week([done(TIME, at=sunday_utc)], Range.WEEKS_4, now, max_points=60)
    assert weekly.counts["attempts"][-1] == 1


def test_long_histories_are_squeezed_to_the_width() -> None:
    attempts = [done(TIME, at=at(d)) for d in range(0, 700, 3)]
    weekly = per_week(attempts, Range.ALL, NOW, max_points=30)
    assert len(weekly.labels) <= 30
    assert all(len(v) == len(weekly.labels) for v in weekly.counts.values())
    series = fear_over_time(attempts, NOW, max_points=30)
    assert series.per_week and len(series.labels) <= 30


def test_fear_over_time_per_attempt_while_it_fits() -> None:
    series = fear_over_time(fixture(), NOW, max_points=10)
    assert not series.per_week
    assert series.before == [50, 90, 60, 70] and series.after == [50, 80, 20, 40]  # oldest first


def test_fear_by_level() -> None:
    levels = fear_by_level(fixture())
    assert levels.levels == [2, 9]
    assert levels.before == [60, 90] and levels.after == [110 / 3, 80] and levels.counts == [3, 1]


def test_calibration_bins_of_twenty() -> None:
    attempts = [
        done(TIME, outcome=Outcome.REJECTED),  # p_rejection 50 (the helper's default)
        done(TIME, outcome=Outcome.ACCEPTED),
        done(TIME, outcome=Outcome.NOT_ASKED),  # not asked: left out
    ]
    [middle] = calibration(attempts)
    assert (middle.low, middle.high, middle.predicted, middle.actual, middle.count) == (40, 60, 50, 50, 2)


def test_calibration_puts_100_in_the_top_bin() -> None:
    from dataclasses import replace

    sure = replace(done(TIME), p_rejection=100)
    assert [(b.low, b.high) for b in calibration([sure])] == [(80, 100)]


def test_worry_check() -> None:
    from dataclasses import replace

    a = replace(done(TIME), worry_happened=True, worry_cost=80)
    b = replace(done(TIME), worry_happened=False, worry_cost=40)
    c = replace(done(TIME), worry_happened=None)
    check = worry_check([a, b, c])
    assert (check.answered, check.happened, check.mean_cost, check.rate) == (2, 1, 60, 50)


def test_challenge_series_and_most_practised() -> None:
    assert challenge_series(fixture(), "ask-the-time").after == [50, 20, 40]
    assert most_practised(fixture()) == [("ask-the-time", TIME.title, 3), ("ask-for-raise", RAISE.title, 1)]


def test_weekly_gaps() -> None:
    gaps = weekly_gaps(fixture(), NOW, weeks=3)
    assert gaps == [None, 5.0, 35.0]  # nothing rated 2 weeks ago, (10+0)/2 last week, (30+40)/2 this week


def test_a_week_without_data_has_no_gap_and_a_zero_gap_is_a_gap() -> None:
    # Two weeks ago felt 20 below the fear; last week exactly as feared; nothing this week.
    attempts = [done(TIME, before=60, after=40, at=at(14)), done(TIME, before=50, after=50, at=at(7))]
    gaps = weekly_gaps(attempts, NOW, weeks=4)
    assert gaps == [None, 20.0, 0.0, None]
    assert latest_gap(gaps) == 0.0  # "no gap" last week, not the +20 before it
    assert weekly_gaps([done(TIME, at=at(200))], NOW, weeks=12) == [None] * 12
    assert latest_gap([None] * 12) is None  # "no data", never "+0"


def six_weeks(ending_days_ago: int) -> list:  # type: ignore[type-arg]
    """Three rated attempts a week for six weeks, the last one ``ending_days_ago``."""
    return [done(TIME, at=at(ending_days_ago + d)) for d in range(0, 42, 2)]


def test_all_time_spans_the_practice_not_the_weeks_since() -> None:
    # Six weeks of practice (Sat 21 Mar – Thu 30 Apr 2026) that stopped 30 weeks ago:
    # the axis runs over its 7 calendar weeks, not the 37 up to today.
    attempts = six_weeks(ending_days_ago=210)
    weekly = per_week(attempts, Range.ALL, NOW, max_points=20)
    assert weekly.weeks_per_point == 1
    assert weekly.labels == [
        "16/03/2026", "23/03/2026", "30/03/2026", "06/04/2026", "13/04/2026", "20/04/2026", "27/04/2026"
    ]  # fmt: skip
    assert sum(weekly.counts["attempts"]) == len(attempts)
    assert all(weekly.counts["attempts"])  # no empty weeks up to today


def test_merged_weeks_say_how_many_and_the_peak_is_per_week() -> None:
    attempts = [done(TIME, at=at(d)) for d in range(0, 700, 3)]
    weekly = per_week(attempts, Range.ALL, NOW, max_points=30)
    assert weekly.weeks_per_point == 4  # 100 weeks in at most 30 points
    assert 2 <= weekly.peak <= 3  # a mean per week, never the sum of four
    assert per_week(attempts, Range.WEEKS_4, NOW, max_points=30).weeks_per_point == 1


def test_an_empty_range_says_where_the_data_is_and_how_many_presses_of_t_reach_it() -> None:
    # 4 weeks (28 days) -> 3 months (91) -> a year (365) -> all time, as t cycles.
    assert empty_range_hint(six_weeks(ending_days_ago=0), Range.WEEKS_4, NOW) is None  # has data
    assert empty_range_hint([], Range.WEEKS_4, NOW) is None  # nothing rated anywhere
    assert empty_range_hint([planned(TIME, at=at(2))], Range.WEEKS_4, NOW) is None  # planned only

    hint = empty_range_hint(six_weeks(ending_days_ago=35), Range.WEEKS_4, NOW)
    assert hint is not None
    assert (hint.wider, hint.presses, hint.rated) == (Range.MONTHS_3, 1, 21)
    assert (hint.first, hint.last) == (at(35 + 40).date(), at(35).date())

    hint = empty_range_hint(six_weeks(ending_days_ago=100), Range.WEEKS_4, NOW)
    assert hint is not None and (hint.wider, hint.presses) == (Range.YEAR, 2)
    hint = empty_range_hint(six_weeks(ending_days_ago=400), Range.WEEKS_4, NOW)
    assert hint is not None and (hint.wider, hint.presses) == (Range.ALL, 3)
    hint = empty_range_hint(six_weeks(ending_days_ago=400), Range.MONTHS_3, NOW)
    assert hint is not None and (hint.wider, hint.presses) == (Range.ALL, 2)  # the year is empty too
    assert empty_range_hint(six_weeks(ending_days_ago=400), Range.ALL, NOW) is None
    # A range only looks back from today; all time holds what the clock calls the future too.
    tomorrow = [done(TIME, at=datetime.combine(date(2026, 11, 27), NOW.timetz()))]
    hint = empty_range_hint(tomorrow, Range.WEEKS_4, NOW)
    assert hint is not None and (hint.wider, hint.presses) == (Range.ALL, 3)


def test_summary_text() -> None:
    summary = summarise(fixture(), NOW, rest_days=set(), weekly_goal=3)
    lines = summary_lines(summary)
    assert "Done attempts:        4" in lines
    assert "Planned (to rate):    1" in lines
    assert "Rejection rate:       67 %" in lines
    assert "Mean gap:             20" in lines
    assert "Streak:               2 days" in lines
    assert "This week:            2 / 3" in lines



def test_a_paused_week_says_so_instead_of_a_goal_of_nought() -> None:
    week = {NOW.date() - timedelta(days=NOW.weekday()) + timedelta(days=i) for i in range(7)}
    paused = summary_lines(summarise(fixture(), NOW, rest_days=set(), weekly_goal=3, paused=week))
    assert "This week:            2 (paused: no goal this week)" in paused
    part = {d for d in week if d.weekday() < 3}  # Monday to Wednesday: the goal shrinks to 2
    assert "This week:            2 / 2" in summary_lines(
        summarise(fixture(), NOW, rest_days=set(), weekly_goal=3, paused=part)
    )


@given(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100), st.integers(0, 400)), max_size=40))
def test_aggregation_never_exceeds_the_width(rows: list[tuple[int, int, int]]) -> None:
    attempts = [done(TIME, before=b, after=a, at=at(d)) for b, a, d in rows]
    for width in (5, 20):
        series = fear_over_time(attempts, NOW, max_points=width)
        assert len(series.labels) == len(series.before) == len(series.after) <= width
        weekly = per_week(attempts, Range.ALL, NOW, max_points=width)
        assert len(weekly.labels) <= width
        assert sum(weekly.counts["attempts"]) <= len(attempts)
