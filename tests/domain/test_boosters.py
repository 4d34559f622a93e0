from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from rejection_tui.domain.boosters import (
    BOOSTER_WEEKS,
    Booster,
    BoosterState,
    booster_dates,
    booster_line,
    booster_states,
    boosters,
    due_booster,
    last_booster_ask,
    levels_asked,
    maintenance_offer,
    mastered_levels,
    mastered_on,
    plan_done,
)
from rejection_tui.domain.ladder import Ladder, Rung
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Challenge, Outcome
from tests.conftest import done

LIB = builtin_challenges()
SINCE = date(2026, 11, 2)  # a Monday: the day the ladder was mastered
LEVELS = frozenset({3, 4})


def at_level(level: int) -> Challenge:
    return next(c for c in LIB if c.level == level)


def ask(day: date, level: int = 3, outcome: Outcome = Outcome.REJECTED) -> Attempt:
    return done(at_level(level), outcome=outcome, at=datetime.combine(day, time(12), tzinfo=UTC))


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def test_booster_dates_are_about_1_2_4_and_8_weeks_later() -> None:
    assert BOOSTER_WEEKS == (1, 2, 4, 8)
    assert booster_dates(SINCE) == (
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 30),
        date(2026, 12, 28),
    )
    assert booster_dates(date(2026, 12, 31)) == (
        date(2027, 1, 7),
        date(2027, 1, 14),
        date(2027, 1, 28),
        date(2027, 2, 25),
    )
    assert [b.number for b in boosters(SINCE)] == [1, 2, 3, 4]
    assert {b.total for b in boosters(SINCE)} == {4}


def test_booster_dates_are_calendar_days_across_a_clock_change() -> None:
    # Mastered the day before the autumn change in Berlin: dates stay dates.
    assert booster_dates(date(2026, 10, 24))[0] == date(2026, 10, 31)


def test_nothing_is_due_before_the_first_date() -> None:
    assert due_booster(SINCE, [], LEVELS, noon(date(2026, 11, 8))) is None


def test_a_booster_is_due_from_its_date_until_done() -> None:
    first = date(2026, 11, 9)
    for today in (first, first + timedelta(days=3)):
        assert due_booster(SINCE, [], LEVELS, noon(today)) == Booster(1, first, 4)
    # An ask at a mastered level on the day does it.
    assert (
        due_booster(SINCE, [ask(first + timedelta(days=3))], LEVELS, noon(first + timedelta(days=3))) is None
    )


def test_only_an_ask_at_a_mastered_level_on_or_after_the_date_counts() -> None:
    today = date(2026, 11, 12)
    first = Booster(1, date(2026, 11, 9), 4)
    assert due_booster(SINCE, [ask(date(2026, 11, 8))], LEVELS, noon(today)) == first  # too early
    assert due_booster(SINCE, [ask(today, level=7)], LEVELS, noon(today)) == first  # not a mastered level
    backed_out = ask(today, outcome=Outcome.NOT_ASKED)
    assert due_booster(SINCE, [backed_out], LEVELS, noon(today)) == first  # didn't ask
    assert (
        due_booster(SINCE, [ask(today, outcome=Outcome.ACCEPTED)], LEVELS, noon(today)) is None
    )  # a yes counts
    assert due_booster(SINCE, [ask(today, level=4)], LEVELS, noon(today)) is None


def test_a_missed_booster_folds_into_the_next_one() -> None:
    today = date(2026, 11, 20)  # after the 2-week date, nothing done
    states = booster_states(SINCE, [], LEVELS, noon(today))
    assert [s for _, s in states] == [
        BoosterState.FOLDED,
        BoosterState.DUE,
        BoosterState.AHEAD,
        BoosterState.AHEAD,
    ]
    assert due_booster(SINCE, [], LEVELS, noon(today)) == Booster(2, date(2026, 11, 16), 4)
    # One ask now catches up both; the next is four weeks out.
    states = booster_states(SINCE, [ask(today)], LEVELS, noon(today))
    assert [s for _, s in states] == [
        BoosterState.DONE,
        BoosterState.DONE,
        BoosterState.AHEAD,
        BoosterState.AHEAD,
    ]


def test_the_plan_ends_with_the_last_booster() -> None:
    asks = [ask(d) for d in booster_dates(SINCE)]
    end = noon(date(2027, 3, 1))
    assert plan_done(SINCE, asks, LEVELS, end)
    assert due_booster(SINCE, asks, LEVELS, end) is None
    assert not plan_done(SINCE, asks[:-1], LEVELS, end)
    assert due_booster(SINCE, asks[:-1], LEVELS, end) == Booster(4, date(2026, 12, 28), 4)


def test_local_days_decide_whether_an_ask_was_on_the_date() -> None:
    # 23:30 UTC on 8 Nov is 00:30 on the 9th in Berlin: on the date there.
    berlin = ZoneInfo("Europe/Berlin")
    late = done(at_level(3), at=datetime(2026, 11, 8, 23, 30, tzinfo=UTC))
    now = datetime(2026, 11, 10, 9, 0, tzinfo=berlin)
    assert last_booster_ask([late], LEVELS, now) == date(2026, 11, 9)
    assert due_booster(SINCE, [late], LEVELS, now) is None
    assert due_booster(SINCE, [late], LEVELS, datetime(2026, 11, 10, 9, 0, tzinfo=UTC)) is not None


def test_an_ask_dated_in_the_future_does_not_count_yet() -> None:
    today = date(2026, 11, 10)
    assert last_booster_ask([ask(today + timedelta(days=1))], LEVELS, noon(today)) is None


@given(
    since=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 1, 1)),
    ask_offsets=st.lists(st.integers(0, 80), max_size=6),
    today_offset=st.integers(0, 90),
)
def test_at_most_one_booster_is_due_and_never_a_done_one(
    since: date, ask_offsets: list[int], today_offset: int
) -> None:
    today = since + timedelta(days=today_offset)
    asks = [ask(since + timedelta(days=o)) for o in ask_offsets]
    states = booster_states(since, asks, LEVELS, noon(today))
    due = [b for b, s in states if s == BoosterState.DUE]
    assert len(due) <= 1
    for b, s in states:
        assert (s == BoosterState.AHEAD) == (b.due_on > today)
        done_by_an_ask = any(since + timedelta(days=o) >= b.due_on and o <= today_offset for o in ask_offsets)
        assert (s == BoosterState.DONE) == done_by_an_ask
    # Done boosters come first: a later one is never done while an earlier one is not.
    order = [s == BoosterState.DONE for _, s in states]
    assert order == sorted(order, reverse=True)
    if due:
        assert due[0] == max((b for b, s in states if s != BoosterState.AHEAD), key=lambda b: b.due_on)


def test_the_dashboard_line_and_the_offer() -> None:
    booster = Booster(2, date(2026, 11, 16), 4)
    line = booster_line(booster, date(2026, 11, 16))
    assert line.startswith("Keeping the gains: booster 2 of 4 is ready — ")
    assert "(since Mon 16 Nov)" in booster_line(booster, date(2026, 11, 18))
    offer = maintenance_offer("your ladder")
    assert offer.startswith("You've finished your ladder.")
    assert "about 1, 2, 4 and 8 weeks" in offer
    for text in (line, offer):
        assert "must" not in text and "overdue" not in text


def test_mastered_on_is_the_day_the_rung_first_counted_as_mastered() -> None:
    challenge = at_level(3)
    rung = Rung.of(challenge, 40)
    calm = [done(challenge, after=20, at=noon(date(2026, 10, d))) for d in (20, 25, 28)]
    now = noon(date(2026, 11, 1))
    assert mastered_on(rung, calm, now) == date(2026, 10, 25)  # the second calm day
    assert mastered_on(rung, calm[:1], now) is None
    # Two calm asks on one day are one calm day.
    same_day = [done(challenge, after=20, at=noon(date(2026, 10, 20)) + timedelta(hours=h)) for h in (0, 1)]
    assert mastered_on(rung, same_day, now) is None


def test_mastered_levels_and_levels_asked() -> None:
    three, five = at_level(3), at_level(5)
    ladder = Ladder((Rung.of(three, 30), Rung.of(five, 50)), 1)
    now = noon(date(2026, 11, 1))
    calm = [done(three, after=20, at=noon(date(2026, 10, d))) for d in (20, 21)]
    assert mastered_levels(ladder, calm, now) == frozenset({3})
    asks = [*calm, done(five, at=noon(date(2026, 10, 30))), ask(date(2026, 10, 22), 4, Outcome.NOT_ASKED)]
    assert levels_asked(asks, date(2026, 10, 21), date(2026, 10, 31), now) == frozenset({3, 5})
