from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.domain.pauses import (
    MAX_PAUSE_DAYS,
    Pause,
    add_pause,
    current_pause,
    overlap_error,
    pause_line,
    paused_days,
)
from rejection_tui.domain.programs import (
    CALENDAR_MARKS,
    Program,
    ProgramKind,
    WeekState,
    calendar_strip,
    program_progress,
    progress_line,
    week_state,
    weekly_goals,
    weekly_target,
)
from rejection_tui.domain.progress import practice_streak
from rejection_tui.domain.validation import MAX_TEXT, ValidationError
from tests.conftest import done

LIB = builtin_challenges()
NOW = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)  # a Thursday
TODAY = NOW.date()


def day(offset: int) -> date:
    """``offset`` days from today (negative: in the past)."""
    return TODAY + timedelta(days=offset)


def on(offset: int, outcome: Outcome = Outcome.REJECTED) -> Attempt:
    return done(LIB[0], outcome=outcome, at=datetime.combine(day(offset), time(12), tzinfo=UTC))


def span(first: int, last: int) -> set[date]:
    return {day(i) for i in range(first, last + 1)}


# -- the pause itself ---------------------------------------------------------


def test_a_pause_covers_both_ends() -> None:
    pause = Pause(date(2026, 12, 1), date(2026, 12, 3), "flu").validated()
    assert pause.length == 3
    assert list(pause.days()) == [date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)]
    assert pause.covers(date(2026, 12, 3)) and not pause.covers(date(2026, 12, 4))
    assert Pause(date(2026, 12, 1), date(2026, 12, 1)).validated().length == 1  # one day is fine


def test_a_pause_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="ends on or after the day it starts") as raised:
        Pause(date(2026, 12, 3), date(2026, 12, 1)).validated()
    assert raised.value.fields == ["end"]


def test_a_pause_lasts_at_most_a_year() -> None:
    start = date(2026, 1, 1)
    assert Pause(start, start + timedelta(days=MAX_PAUSE_DAYS - 1)).problems() == []
    problems = Pause(start, start + timedelta(days=MAX_PAUSE_DAYS)).problems()
    assert problems and f"at most {MAX_PAUSE_DAYS} days" in problems[0]


@pytest.mark.parametrize(
    ("pause", "field"),
    [
        (Pause(date(2026, 12, 1), date(2026, 12, 2), "x" * (MAX_TEXT + 1)), "reason"),
        (Pause(date(2026, 12, 1), date(2026, 12, 2), "nul\x00"), "reason"),
        (Pause(date(2026, 12, 1), date(2026, 12, 2), 7), "reason"),  # type: ignore[arg-type]
        (Pause(datetime(2026, 12, 1, 9, 0), date(2026, 12, 2)), "start"),  # whole days only
        (Pause(date(2026, 12, 1), "2026-12-02"), "end"),  # type: ignore[arg-type]
        (Pause(date(1999, 12, 1), date(2026, 12, 2)), "start"),
    ],
)
def test_pause_fields_are_checked_one_by_one(pause: Pause, field: str) -> None:
    assert [p.field for p in pause.field_problems()] == [field]


def test_the_reason_may_be_as_long_as_other_text() -> None:
    assert Pause(date(2026, 12, 1), date(2026, 12, 2), "x" * MAX_TEXT).problems() == []


def test_stored_form_round_trips() -> None:
    pause = Pause(date(2026, 12, 1), date(2026, 12, 14), "exams")
    assert pause.to_dict() == {"start": "2026-12-01", "end": "2026-12-14", "reason": "exams"}
    assert Pause.from_dict(pause.to_dict()) == pause
    assert Pause.from_dict({"start": "2026-12-01", "end": "2026-12-01"}).reason == ""


@pytest.mark.parametrize(
    ("raw", "fields"),
    [
        ({"start": "2026-12-01"}, ["end"]),
        ({"start": "1 Dec", "end": 20261202}, ["start", "end"]),
        ({"start": "2026-12-03", "end": "2026-12-01"}, ["end"]),
        ({"start": "2026-12-01", "end": "2026-12-02", "reason": ["travel"]}, ["reason"]),
    ],
)
def test_stored_form_names_what_is_wrong(raw: object, fields: list[str]) -> None:
    with pytest.raises(ValidationError) as raised:
        Pause.from_dict(raw)
    assert raised.value.fields == fields


def test_stored_form_must_be_an_object() -> None:
    with pytest.raises(ValidationError, match="must be an object"):
        Pause.from_dict(["2026-12-01", "2026-12-02"])


def test_paused_days_join_every_pause() -> None:
    pauses = [Pause(day(0), day(2)), Pause(day(2), day(3)), Pause(day(10), day(10))]
    assert paused_days(pauses) == span(0, 3) | {day(10)}
    assert paused_days([]) == set()


def test_an_overlapping_pause_is_refused_and_others_are_kept_in_order() -> None:
    first = Pause(day(5), day(7))
    assert overlap_error([first], Pause(day(7), day(9))) is not None
    assert overlap_error([first], Pause(day(1), day(5))) is not None
    assert overlap_error([first], Pause(day(8), day(9))) is None
    assert add_pause([first], Pause(day(1), day(2))) == (Pause(day(1), day(2)), first)
    with pytest.raises(ValidationError, match="overlaps your pause"):
        add_pause([first], Pause(day(6), day(6)))
    with pytest.raises(ValidationError, match="ends on or after"):
        add_pause([first], Pause(day(3), day(2)))


def test_a_pause_may_start_in_the_past() -> None:
    # Illness is often noted afterwards; nothing refuses it.
    assert add_pause([], Pause(day(-4), day(1))) == (Pause(day(-4), day(1)),)


def test_the_current_pause_and_its_line() -> None:
    pause = Pause(date(2026, 11, 25), date(2026, 11, 27), "  a cold\n")
    assert current_pause([pause], date(2026, 11, 26)) == pause
    assert current_pause([pause], date(2026, 11, 28)) is None
    line = pause_line(pause, date(2026, 11, 26))
    assert line.startswith("Paused until Fri 27 Nov (a cold): ")
    assert "still counts" in line
    assert pause_line(Pause(date(2026, 11, 25), date(2026, 11, 26)), date(2026, 11, 26)).startswith(
        "Paused until today: "
    )


# -- streaks --------------------------------------------------------------------


def test_paused_days_neither_break_nor_extend_a_streak() -> None:
    attempts = [on(-5), on(-4), on(-3)]
    assert practice_streak(attempts, set(), NOW) == 0  # two empty days ended it
    assert practice_streak(attempts, set(), NOW, paused=span(-2, -1)) == 3  # not broken ...
    assert practice_streak(attempts, set(), NOW, paused=span(-2, 0)) == 3  # ... nor extended
    assert practice_streak([], set(), NOW, paused=span(-10, 0)) == 0  # a pause alone is no practice


def test_practice_on_a_paused_day_still_counts() -> None:
    attempts = [on(-2), on(-1), on(0)]
    assert practice_streak(attempts, set(), NOW, paused=span(-1, 0)) == 3


def test_a_gap_outside_the_pause_still_ends_the_streak() -> None:
    attempts = [on(-6), on(-5)]
    assert practice_streak(attempts, set(), NOW, paused=span(-4, -2)) == 0  # yesterday was not paused
    assert practice_streak(attempts, set(), NOW, paused=span(-4, -1)) == 2


def test_a_pause_and_rest_days_together() -> None:
    attempts = [on(-4), on(-2)]
    assert practice_streak(attempts, {day(-3)}, NOW, paused={day(-1)}) == 2


def test_streak_with_a_pause_over_the_autumn_clock_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    attempts = [done(LIB[0], at=datetime(2026, 10, d, 23, 30, tzinfo=berlin)) for d in (22, 23)]
    now = datetime(2026, 10, 27, 8, 0, tzinfo=berlin)
    paused = {date(2026, 10, d) for d in (24, 25, 26)}
    assert practice_streak(attempts, set(), now, paused=paused) == 2
    assert practice_streak(attempts, set(), now) == 0


@given(
    past=st.lists(st.sampled_from(["practice", "none", "paused"]), max_size=20),
    today=st.sampled_from(["practice", "none"]),
)
def test_a_streak_with_pauses_is_the_streak_with_the_paused_days_taken_out(
    past: list[str], today: str
) -> None:
    # Paused days behave as if they were not on the calendar at all.
    kinds = [*past, today]
    offsets = range(-(len(kinds) - 1), 1)
    attempts = [on(i) for i, kind in zip(offsets, kinds, strict=True) if kind == "practice"]
    paused = {day(i) for i, kind in zip(offsets, kinds, strict=True) if kind == "paused"}
    kept = [kind for kind in kinds if kind != "paused"]
    squeezed = [on(i) for i, kind in zip(range(-(len(kept) - 1), 1), kept, strict=True) if kind == "practice"]
    assert practice_streak(attempts, set(), NOW, paused=paused) == practice_streak(squeezed, set(), NOW)


# -- programs --------------------------------------------------------------------


def test_a_pause_stops_the_program_clock() -> None:
    start = day(-6)
    program = Program(ProgramKind.DAYS_30, start)
    attempts = [on(-6), on(-5), on(-1)]
    plain = program_progress(program, attempts, set(), NOW)
    paused = program_progress(program, attempts, set(), NOW, paused=span(-4, -2))
    assert [s for _, s in plain.calendar[:8]] == [
        "done", "done", "missed", "missed", "missed", "done", "today", "ahead",
    ]  # fmt: skip
    assert [s for _, s in paused.calendar[:8]] == [
        "done", "done", "paused", "paused", "paused", "done", "today", "ahead",
    ]  # fmt: skip
    assert (plain.day, paused.day) == (7, 4)  # today is the program's 4th day
    assert (plain.achieved, paused.achieved) == (3, 3)
    assert (plain.paused, paused.paused) == (0, 3)
    assert len(paused.calendar) == 33 and plain.ends_on == start + timedelta(days=29)
    assert paused.ends_on == start + timedelta(days=32)  # three days later
    assert sum(1 for _, s in paused.calendar if s != "paused") == 30
    assert progress_line(program, paused) == "30-day challenge: day 4 / 30, 3 rejection days, 3 days paused"
    assert progress_line(program, plain) == "30-day challenge: day 7 / 30, 3 rejection days"


def test_a_rejection_on_a_paused_day_counts_and_is_a_program_day() -> None:
    program = Program(ProgramKind.DAYS_30, day(-2))
    progress = program_progress(program, [on(-1)], set(), NOW, paused=span(-1, -1))
    assert [s for _, s in progress.calendar[:3]] == ["missed", "done", "today"]
    assert (progress.day, progress.achieved, progress.paused) == (3, 1, 0)


def test_a_planned_pause_ahead_shows_on_the_calendar_and_today_can_be_paused() -> None:
    program = Program(ProgramKind.DAYS_30, day(-1))
    progress = program_progress(program, [], set(), NOW, paused=span(0, 2))
    assert [s for _, s in progress.calendar[:5]] == ["missed", "paused", "paused", "paused", "ahead"]
    assert progress.day == 2  # today is paused: the next program day is the 2nd
    assert not progress.finished
    assert calendar_strip(progress).startswith(" ".join([CALENDAR_MARKS["missed"], *["‖"] * 3]))


def test_a_program_paused_near_its_end_finishes_later() -> None:
    start = day(-30)
    program = Program(ProgramKind.DAYS_30, start)
    assert program_progress(program, [], set(), NOW).finished
    late = program_progress(program, [], set(), NOW, paused=span(-5, -1))
    assert not late.finished and late.day == 26
    assert program_progress(program, [], set(), NOW + timedelta(days=5), paused=span(-5, -1)).finished


def test_a_pause_after_a_finished_program_leaves_it_finished() -> None:
    program = Program(ProgramKind.DAYS_30, day(-60))
    assert program_progress(program, [], set(), NOW, paused=span(-20, -1)).finished


@given(
    start=st.integers(-120, 10),
    pauses=st.lists(st.tuples(st.integers(-130, 20), st.integers(0, 15)), max_size=4),
    hits=st.sets(st.integers(-130, 0), max_size=30),
    kind=st.sampled_from(list(ProgramKind)),
)
def test_programs_with_and_without_pauses(
    start: int, pauses: list[tuple[int, int]], hits: set[int], kind: ProgramKind
) -> None:
    program = Program(kind, day(start))
    attempts = [on(i) for i in hits]
    paused = {day(first + i) for first, length in pauses for i in range(length)}
    with_pauses = program_progress(program, attempts, set(), NOW, paused=paused)
    without = program_progress(program, attempts, set(), NOW)
    assert without == program_progress(program, attempts, set(), NOW, paused=frozenset())
    assert without.day == (TODAY - day(start)).days + 1  # unchanged without pauses
    # The calendar runs on day by day, and holds exactly the program's days besides the paused ones.
    days = [d for d, _ in with_pauses.calendar]
    assert days == [day(start) + timedelta(days=i) for i in range(len(days))]
    assert sum(1 for _, s in with_pauses.calendar if s != "paused") == kind.days
    assert with_pauses.paused == len(with_pauses.calendar) - kind.days
    assert "missed" not in {s for d, s in with_pauses.calendar if d in paused}
    assert with_pauses.achieved >= without.achieved  # its calendar covers every day of the other's
    assert with_pauses.day <= without.day


# -- the weekly goal ---------------------------------------------------------------


def test_the_weekly_goal_shrinks_with_the_paused_share_of_the_week() -> None:
    week = date(2026, 11, 23)  # a Monday
    targets = [weekly_target(3, week, {week + timedelta(days=i) for i in range(n)}) for n in range(8)]
    assert targets == [3, 3, 2, 2, 1, 1, 0, 0]
    assert weekly_target(3, week) == 3
    assert weekly_target(3, week + timedelta(days=3)) == 3  # any day of the week names it
    assert weekly_target(7, week, {week}) == 6
    assert weekly_target(3, week, {week - timedelta(days=1), week + timedelta(days=7)}) == 3  # other weeks


@given(goal=st.integers(1, 14), paused=st.sets(st.integers(0, 6)), more=st.integers(0, 6))
def test_a_weekly_target_never_grows_with_more_paused_days(goal: int, paused: set[int], more: int) -> None:
    week = date(2026, 11, 23)
    days = {week + timedelta(days=i) for i in paused}
    target = weekly_target(goal, week, days)
    assert 0 <= target <= goal
    assert weekly_target(goal, week, days | {week + timedelta(days=more)}) <= target
    assert weekly_target(goal, week, set()) == goal


def test_a_paused_week_is_not_a_missed_week() -> None:
    # Last week (Mon 16 – Sun 22 Nov) was paused from Tuesday: no asks, no goal, nothing missed.
    last_monday = date(2026, 11, 16)
    paused = {last_monday + timedelta(days=i) for i in range(1, 7)}
    weeks = weekly_goals([], 3, NOW, weeks=2, paused=paused)
    assert [(w.start, w.target, w.state) for w in weeks] == [
        (last_monday, 0, WeekState.PAUSED),
        (date(2026, 11, 23), 3, WeekState.OPEN),  # this week is still running
    ]
    assert weekly_goals([], 3, NOW, weeks=2)[0].state == WeekState.MISSED  # without the pause


def test_a_partly_paused_week_can_be_met_with_fewer_asks() -> None:
    # This week (Mon 23 Nov) paused Mon–Wed; two asks on Thursday meet the lowered goal of 2.
    paused = span(-3, -1)
    attempts = [on(0), on(0, Outcome.ACCEPTED), on(-10)]
    week = weekly_goals(attempts, 3, NOW, weeks=1, paused=paused)[0]
    assert (week.done, week.target, week.state) == (2, 2, WeekState.MET)
    assert weekly_goals(attempts, 3, NOW, weeks=1)[0].state == WeekState.OPEN


def test_weekly_goals_count_as_the_dashboard_does() -> None:
    # Mon 23 Nov; Sun 22, Sat 21, Mon 16; Sun 15, Sat 14; and one tomorrow, not counted yet.
    attempts = [on(-3), on(-4), on(-5), on(-10), on(-11), on(-12), on(1)]
    weeks = weekly_goals(attempts, 3, NOW, weeks=3)
    assert [w.start for w in weeks] == [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert [w.done for w in weeks] == [2, 3, 1]
    assert [w.state for w in weeks] == [WeekState.MISSED, WeekState.MET, WeekState.OPEN]


def test_week_state_rules() -> None:
    monday = date(2026, 11, 16)
    sunday = monday + timedelta(days=6)
    assert week_state(0, 0, monday, sunday + timedelta(days=30)) == WeekState.PAUSED
    assert week_state(3, 3, monday, monday) == WeekState.MET
    assert week_state(2, 3, monday, sunday) == WeekState.OPEN  # Sunday is still part of it
    assert week_state(2, 3, monday, sunday + timedelta(days=1)) == WeekState.MISSED
