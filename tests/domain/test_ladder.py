from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from random import Random
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_tui.domain.ladder import (
    Ladder,
    Rung,
    Thresholds,
    coach,
    coaching_nudges,
    ladder_warnings,
    mastery,
    starter_ladder,
    starter_notes,
    surprise,
    surprise_level,
    too_easy,
    too_hard,
)
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Outcome
from rejection_tui.domain.programs import (
    Program,
    ProgramKind,
    add_rest_day,
    program_progress,
    progress_line,
    rest_day_error,
    weekly_goal_error,
)
from rejection_tui.domain.progress import practice_streak
from rejection_tui.domain.validation import ValidationError
from tests.conftest import done

UTC = UTC
LIB = builtin_challenges()
NOW = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)  # a Thursday


def rung(i: int, fear: int) -> Rung:
    return Rung.of(LIB[i], fear)


def ladder_of(*fears: int) -> Ladder:
    return Ladder(tuple(rung(i, f) for i, f in enumerate(fears)), 0)


def test_warnings_for_a_short_ladder_a_big_gap_a_high_first_rung_and_disorder() -> None:
    warnings = ladder_warnings(ladder_of(60, 90, 70).rungs)
    assert any("3 rungs so far" in w for w in warnings)
    assert any("first rung is 60" in w for w in warnings)
    assert any("jump of 30" in w for w in warnings)
    assert any("out of order" in w for w in warnings)


def test_a_well_built_ladder_has_no_warnings() -> None:
    assert ladder_warnings(ladder_of(30, 40, 45, 55, 60, 70, 80, 90).rungs) == []


def test_a_gap_of_exactly_twenty_is_fine() -> None:
    assert not any("jump" in w for w in ladder_warnings(ladder_of(30, 50).rungs))


def test_adding_keeps_rungs_sorted_and_refuses_duplicates_and_overflow() -> None:
    ladder = ladder_of(30, 60).add(rung(5, 45))
    assert [r.expected_fear for r in ladder.rungs] == [30, 45, 60]
    with pytest.raises(ValidationError, match="already on your ladder"):
        ladder.add(rung(5, 50))
    full = Ladder(tuple(rung(i, 20 + i) for i in range(15)))
    with pytest.raises(ValidationError, match="at most 15"):
        full.add(rung(20, 99))


def test_duplicates_and_a_full_ladder_are_refused_before_any_rating() -> None:
    ladder = ladder_of(30, 60)
    assert ladder.add_problem(LIB[1].id) == "That challenge is already on your ladder"
    assert ladder.add_problem(LIB[7].id) is None
    full = Ladder(tuple(rung(i, 20 + i) for i in range(15)))
    assert "at most 15" in (full.add_problem() or "")


def test_a_rungs_expected_fear_can_be_changed_in_place() -> None:
    ladder = ladder_of(30, 40, 50).set_current(1)
    edited = ladder.with_fear(1, 65)
    assert [r.expected_fear for r in edited.rungs] == [30, 65, 50]
    assert edited.current == 1 and edited.rungs[1].challenge_id == ladder.rungs[1].challenge_id
    assert any("out of order" in w for w in ladder_warnings(edited.rungs))
    with pytest.raises(ValidationError, match="Expected fear"):
        ladder.with_fear(0, 101)
    with pytest.raises(ValidationError):
        ladder.with_fear(3, 50)


def test_move_and_remove_keep_the_current_rung() -> None:
    ladder = ladder_of(30, 40, 50).set_current(1)
    moved = ladder.move(1, 1)
    assert moved.current_rung == ladder.current_rung and moved.current == 2
    assert ladder.move(0, -1) == ladder  # off the end: no change
    removed = ladder.remove(0)
    assert removed.current_rung == ladder.current_rung
    assert Ladder.from_dict(removed.to_dict()) == removed


def test_mastery_needs_two_calm_attempts_on_different_days() -> None:
    r = rung(0, 40)
    same_day = [done(LIB[0], after=20, at=NOW - timedelta(hours=h)) for h in (1, 2)]
    assert mastery(r, same_day, NOW) is None
    two_days = [done(LIB[0], after=20, at=NOW), done(LIB[0], after=30, at=NOW - timedelta(days=1))]
    assert "2 different days" in (mastery(r, two_days, NOW) or "")
    # With a threshold of one day (settings can lower it), the count reads in the singular.
    assert "on 1 different day." in (mastery(r, two_days[:1], NOW, Thresholds(calm_days=1)) or "")
    not_calm = [done(LIB[0], after=31, at=NOW), done(LIB[0], after=20, at=NOW - timedelta(days=1))]
    assert mastery(r, not_calm, NOW) is None


def test_same_local_day_across_time_zones_counts_once() -> None:
    # 23:30 and 00:30 UTC are the same evening in New York.
    ny = ZoneInfo("America/New_York")
    now = datetime(2026, 11, 27, 12, 0, tzinfo=ny)
    a = done(LIB[0], after=10, at=datetime(2026, 11, 26, 23, 30, tzinfo=UTC))
    b = done(LIB[0], after=10, at=datetime(2026, 11, 27, 0, 30, tzinfo=UTC))
    assert mastery(rung(0, 40), [a, b], now) is None
    assert mastery(rung(0, 40), [a, b], datetime(2026, 11, 27, 12, 0, tzinfo=UTC)) is not None


def test_mastery_by_three_disconfirmed_worries() -> None:
    attempts = [replace(done(LIB[0], after=60, at=NOW), worry_happened=False) for _ in range(3)]
    assert "didn't happen, 3 times" in (mastery(rung(0, 40), attempts, NOW) or "")
    assert mastery(rung(0, 40), attempts[:2], NOW) is None
    once = mastery(rung(0, 40), attempts[:1], NOW, Thresholds(disconfirmed=1))
    assert "didn't happen, once." in (once or "")


def test_coach_suggests_exactly_the_next_rung_after_mastery() -> None:
    ladder = ladder_of(30, 40, 50)
    calm = [done(LIB[0], after=10, at=NOW), done(LIB[0], after=10, at=NOW - timedelta(days=2))]
    advice = coach(ladder, calm, NOW)
    assert advice.step_up and advice.rung == ladder.rungs[1]
    assert "Ready for the next rung" in advice.reason
    # Even if later rungs were mastered too, never more than one step.
    calm += [done(LIB[1], after=5, at=NOW), done(LIB[1], after=5, at=NOW - timedelta(days=3))]
    assert coach(ladder, calm, NOW).rung == ladder.rungs[1]
    assert coach(ladder, [], NOW).reason.startswith("Your current rung: give it a first try")
    assert coach(Ladder(), [], NOW).rung is None


def test_too_easy_after_ten_asks_mostly_yes() -> None:
    yeses = [done(LIB[0], outcome=Outcome.ACCEPTED, at=NOW - timedelta(hours=i)) for i in range(7)]
    nos = [done(LIB[0], outcome=Outcome.REJECTED, at=NOW - timedelta(hours=10 + i)) for i in range(3)]
    assert "hearing yes a lot (30 %" in (too_easy(yeses + nos) or "")
    assert too_easy(yeses[:6] + nos) is None  # only 9 asks so far
    balanced = yeses[:6] + nos + [done(LIB[0], at=NOW - timedelta(days=1))]
    assert too_easy(balanced) is None  # 4 of 10 = 40 %: not below


def test_too_easy_shows_without_a_ladder() -> None:
    # 14 asks this week, one "no" among the last ten: about the asks, not the ladder.
    asks = [
        done(LIB[0], outcome=Outcome.REJECTED if i == 3 else Outcome.ACCEPTED, at=NOW - timedelta(hours=i))
        for i in range(14)
    ]
    nudges = coaching_nudges(Ladder(), asks)
    assert len(nudges) == 1 and "10 % no in your last 10 asks" in nudges[0]
    assert coaching_nudges(ladder_of(30, 40), asks) == nudges
    assert coaching_nudges(Ladder(), asks[:9]) == ()


def test_too_hard_after_backing_out_twice_in_a_row() -> None:
    ladder = ladder_of(30, 40).set_current(1)
    backed = [done(LIB[1], outcome=Outcome.NOT_ASKED, at=NOW - timedelta(hours=i)) for i in (1, 2)]
    assert "go back to" in (too_hard(ladder, backed) or "")
    mixed = [backed[0], done(LIB[1], at=NOW - timedelta(hours=3))]
    assert too_hard(ladder, [mixed[1], mixed[0]]) is None


def test_surprise_varies_never_repeats_the_last_and_favours_quiet_categories() -> None:
    busy = ("small_talk", "shops")
    attempts = [done(c, at=NOW) for c in LIB if c.category in busy and c.level <= 3]
    rng = Random(11)
    picks = []
    last = None
    for _ in range(200):
        pick = surprise(LIB, attempts, max_level=3, now=NOW, rng=rng, last=last)
        assert pick is not None and pick.level <= 3 and pick.id != last
        picks.append(pick)
        last = pick.id
    assert len({p.id for p in picks}) >= 8  # it varies among the fitting ones
    quiet = Counter(p.category not in busy for p in picks)
    assert quiet[True] > 2 * quiet[False]  # practised less lately: comes up more
    # The same seed, the same draws (so a test, or a person's seed, can repeat them).
    again = [surprise(LIB, attempts, 3, NOW, Random(5)) for _ in range(3)]
    assert again == [surprise(LIB, attempts, 3, NOW, Random(5)) for _ in range(3)]


def test_surprise_with_only_the_last_one_fitting_offers_nothing_new() -> None:
    only = [c for c in LIB if c.level == 1][:1]
    assert surprise(only, [], 1, NOW, Random(1)) == only[0]
    assert surprise(only, [], 1, NOW, Random(1), last=only[0].id) is None
    assert surprise(LIB, [], 0, NOW, Random(1)) is None


def test_surprise_level_is_the_current_or_a_mastered_rung() -> None:
    ladder = Ladder((Rung.of(LIB[0], 30), Rung.of(next(c for c in LIB if c.level == 6), 50)), 0)
    assert surprise_level(ladder, [], NOW) == LIB[0].level
    hard = ladder.rungs[1]
    calm = [
        done(next(c for c in LIB if c.id == hard.challenge_id), after=10, at=NOW - timedelta(days=d))
        for d in (1, 2)
    ]
    assert surprise_level(ladder, calm, NOW) == 6
    assert surprise_level(Ladder(), [], NOW) == 2


def test_starter_ladder_spreads_the_persons_own_ratings() -> None:
    ratings = [(LIB[i], fear) for i, fear in enumerate([5, 25, 30, 35, 40, 50, 55, 60, 70, 75, 85, 95])]
    ladder = starter_ladder(ratings, size=10)
    fears = [r.expected_fear for r in ladder.rungs]
    assert (
        len(fears) == 10 and fears == sorted(fears) and 5 not in fears and fears[0] == 25 and fears[-1] == 95
    )


def test_starter_notes_name_what_was_left_out_and_why() -> None:
    ratings = [(LIB[i], fear) for i, fear in enumerate([5, 19, 30, 35, 40, 50, 55, 60, 70, 75, 85, 95])]
    ladder = starter_ladder(ratings, size=8)
    calm, spread = starter_notes(ratings, ladder)
    assert calm == (
        f"Left out 2 asks rated below 20, calm enough already: “{LIB[0].title}” (5), “{LIB[1].title}” (19)."
    )
    assert spread.startswith("Left out 2 more asks to keep the steps even: ")
    one = starter_notes([(LIB[0], 10), (LIB[1], 40)], starter_ladder([(LIB[0], 10), (LIB[1], 40)]))
    assert one == [f"Left out 1 ask rated below 20, calm enough already: “{LIB[0].title}” (10)."]
    assert starter_notes([(LIB[1], 40)], starter_ladder([(LIB[1], 40)])) == []


@given(st.lists(st.integers(0, 100), min_size=0, max_size=15))
def test_warnings_never_crash_and_sorted_ladders_are_never_out_of_order(fears: list[int]) -> None:
    rungs = [rung(i, f) for i, f in enumerate(sorted(fears))]
    assert not any("out of order" in w for w in ladder_warnings(rungs))


# -- programs and streaks -------------------------------------------------------


def test_weekly_goal_bounds() -> None:
    assert weekly_goal_error(1) is None and weekly_goal_error(14) is None
    assert weekly_goal_error(0) and weekly_goal_error(15) and weekly_goal_error(True)


def test_rest_days_at_most_two_a_week_and_planned_ahead() -> None:
    today = date(2026, 11, 23)  # Monday
    rest = add_rest_day(set(), date(2026, 11, 24), today)
    rest = add_rest_day(rest, date(2026, 11, 28), today)
    assert (
        rest_day_error(rest, date(2026, 11, 29), today)
        == "At most 2 rest days a week keep the practice going"
    )
    assert rest_day_error(rest, date(2026, 11, 30), today) is None  # next week
    assert rest_day_error(rest, date(2026, 11, 22), today) is not None  # in the past


def test_a_rest_day_does_not_break_the_streak() -> None:
    attempts = [done(LIB[0], at=NOW - timedelta(days=d)) for d in (0, 1, 3)]
    assert practice_streak(attempts, set(), NOW) == 2
    assert practice_streak(attempts, {(NOW - timedelta(days=2)).date()}, NOW) == 3


def test_streak_across_a_daylight_saving_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # Clocks went back on 25 Oct 2026 at 03:00; practise late each evening around it.
    days = [datetime(2026, 10, d, 23, 30, tzinfo=berlin) for d in (24, 25, 26)]
    now = datetime(2026, 10, 26, 23, 45, tzinfo=berlin)
    assert practice_streak([done(LIB[0], at=d) for d in days], set(), now) == 3


def test_streak_after_moving_time_zone_counts_days_where_the_person_is_now() -> None:
    tokyo = timezone(timedelta(hours=9))
    # Done at 14:00 UTC on three days = 23:00 in Tokyo the same days.
    attempts = [done(LIB[0], at=datetime(2026, 11, d, 14, 0, tzinfo=UTC)) for d in (24, 25, 26)]
    assert practice_streak(attempts, set(), datetime(2026, 11, 26, 23, 30, tzinfo=tokyo)) == 3


def test_thirty_day_program_counts_rejection_days() -> None:
    start = (NOW - timedelta(days=4)).date()
    attempts = [
        done(LIB[0], outcome=Outcome.REJECTED, at=NOW - timedelta(days=4)),
        done(LIB[0], outcome=Outcome.ACCEPTED, at=NOW - timedelta(days=3)),  # a yes: not a rejection day
        done(LIB[0], outcome=Outcome.REJECTED, at=NOW - timedelta(days=1)),
    ]
    progress = program_progress(
        Program(ProgramKind.DAYS_30, start), attempts, {start + timedelta(days=2)}, NOW
    )
    assert (progress.day, progress.total, progress.achieved) == (5, 30, 2)
    program = Program(ProgramKind.DAYS_30, start)
    assert progress_line(program, progress) == "30-day challenge: day 5 / 30, 2 rejection days"
    one = program_progress(program, attempts[:1], set(), NOW)
    assert progress_line(program, one).endswith(", 1 rejection day")
    assert [s for _, s in progress.calendar[:6]] == ["done", "missed", "rest", "done", "today", "ahead"]
    assert Program.from_dict(Program(ProgramKind.DAYS_100, start).to_dict()) == Program(
        ProgramKind.DAYS_100, start
    )
