from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from rejection_tui.domain.history import PLANNED, filter_attempts, filter_challenges
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Challenge, Outcome
from rejection_tui.domain.progress import (
    attempts_this_week,
    challenge_history,
    monday,
    practice_streak,
    rejections,
    result_message,
    suggest_next,
    summary_line,
)
from rejection_tui.domain.suds import anchor, nudge
from tests.conftest import NOW, done, planned

UTC = UTC
TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")


def test_anchor_words_follow_the_suds_bands() -> None:
    assert [anchor(v) for v in (0, 24, 25, 49, 50, 64, 65, 84, 85, 100)] == [
        "calm", "calm", "mild", "mild", "moderate", "moderate", "high", "high", "extreme", "extreme",
    ]  # fmt: skip


def test_nudge_steps_by_five_within_bounds() -> None:
    assert nudge(None, 1) == 55
    assert nudge(98, 1) == 100
    assert nudge(3, -1) == 0


def test_week_is_monday_to_sunday_local() -> None:
    thursday = datetime(2026, 11, 26, 23, 0, tzinfo=UTC)
    assert monday(thursday.date()).isoformat() == "2026-11-23"
    assert monday(date(2026, 11, 23)) == date(2026, 11, 23)
    sunday_late = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    monday_early = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)
    attempts = [done(TIME, at=sunday_late), done(TIME, at=monday_early), planned(TIME, at=monday_early)]
    assert attempts_this_week(attempts, thursday) == 1


def test_week_counts_in_the_users_current_zone() -> None:
    # Done at 23:30 UTC on Sunday = 00:30 Monday in UTC+1: this week there.
    berlin = timezone(timedelta(hours=1))
    now = datetime(2026, 11, 25, 12, 0, tzinfo=berlin)
    attempt = done(TIME, at=datetime(2026, 11, 22, 23, 30, tzinfo=UTC))
    assert attempts_this_week([attempt], now) == 1


def test_streak_ends_today_or_yesterday() -> None:
    days = [NOW - timedelta(days=d) for d in (1, 2, 3, 5)]
    attempts = [done(TIME, at=d) for d in days]
    assert practice_streak(attempts, set(), NOW) == 3  # yesterday, 2 and 3 days ago; the gap stops it
    assert practice_streak([*attempts, done(TIME, at=NOW)], set(), NOW) == 4
    assert practice_streak(attempts, set(), NOW + timedelta(days=2)) == 0
    assert practice_streak([], set(), NOW) == 0
    assert practice_streak([planned(TIME, at=NOW)], set(), NOW) == 0


def test_a_rest_day_planned_for_yesterday_keeps_the_streak() -> None:
    # Done on the three days before yesterday; yesterday was a planned rest day.
    attempts = [done(TIME, at=NOW - timedelta(days=d)) for d in (2, 3, 4)]
    yesterday = (NOW - timedelta(days=1)).date()
    assert practice_streak(attempts, {yesterday}, NOW) == 3
    assert practice_streak(attempts, set(), NOW) == 0  # without the rest day the run has ended
    # A rest day today keeps it too; rest days alone are not practice.
    assert practice_streak(attempts, {yesterday, NOW.date()}, NOW) == 3
    assert practice_streak([], {yesterday, NOW.date()}, NOW) == 0


def test_rejections_count_only_done_rejections() -> None:
    attempts = [done(TIME), done(TIME, outcome=Outcome.ACCEPTED), planned(TIME), done(TIME)]
    assert rejections(attempts) == 2


def test_summary_line() -> None:
    assert (
        summary_line(done(TIME, before=70, after=40))
        == "Ask a stranger for the time — expected 70 → felt 40 — rejected"
    )
    assert summary_line(planned(TIME, fear=55)) == "Ask a stranger for the time — expected 55 — planned"


def test_challenge_history_means() -> None:
    attempts = [done(TIME, before=60, after=20), done(TIME, before=80, after=40), planned(TIME)]
    assert challenge_history(attempts, "ask-the-time") == (2, 70.0, 30.0)
    assert challenge_history(attempts, "other") == (0, None, None)


def test_suggestion_starts_gently_then_repeats_then_climbs() -> None:
    library = builtin_challenges()
    challenge, reason = suggest_next(library, []) or (None, "")
    assert challenge is not None and challenge.level == 1 and "first step" in reason
    level_one = [c for c in library if c.level == 1]
    once = [done(level_one[0])]
    challenge, reason = suggest_next(library, once) or (None, "")
    assert challenge is not None and challenge.level == 1 and "once" in reason
    assert challenge.id != level_one[0].id  # the least-done one at that level
    twice = [*once, done(level_one[1])]
    challenge, _ = suggest_next(library, twice) or (None, "")
    assert challenge is not None and challenge.level == 2


def test_backing_out_does_not_count_as_practice_for_the_suggestion() -> None:
    library = builtin_challenges()
    level_one = [c for c in library if c.level == 1]
    attempts = [done(level_one[0], outcome=Outcome.NOT_ASKED), done(level_one[1], outcome=Outcome.NOT_ASKED)]
    challenge, _ = suggest_next(library, attempts) or (None, "")
    assert challenge is not None and challenge.level == 1


def test_when_every_level_is_done_twice_stay_at_the_last_level() -> None:
    library = [Challenge(f"c{n}", f"Ask {n}", n, "work", tip="t") for n in (1, 2)]
    attempts = [
        done(library[0], at=NOW),
        done(library[0], at=NOW),
        done(library[1], at=NOW - timedelta(days=1)),
    ]
    attempts.append(done(library[1], at=NOW - timedelta(days=2)))
    challenge, reason = suggest_next(library, attempts) or (None, "")
    assert challenge is not None and challenge.level == 1 and "where you were last" in reason


def test_when_the_asks_are_too_easy_the_suggestion_steps_up_not_down() -> None:
    # Issue 11: ten level-3 asks, one "no", no ladder: the Dashboard said "time to ask for
    # more" above "Level 1 is the lowest step you haven't practised yet".
    library = builtin_challenges()
    level_three = [c for c in library if c.level == 3]
    asks = [
        done(level_three[i % len(level_three)], outcome=Outcome.REJECTED if i == 4 else Outcome.ACCEPTED,
             at=NOW - timedelta(hours=i))
        for i in range(10)
    ]  # fmt: skip
    challenge, reason = suggest_next(library, asks) or (None, "")
    assert challenge is not None and challenge.level == 4
    assert reason == "A step up from your recent level 3 asks, which mostly got a yes."
    # Nine asks are not enough to call them too easy: the old rule still holds.
    challenge, reason = suggest_next(library, asks[:9]) or (None, "")
    assert challenge is not None and challenge.level == 1 and "haven't practised yet" in reason
    # At the top of the library there is no level above: more at the same level.
    top = [Challenge("top", "Ask for the moon", 10, "work", tip="t")]
    challenge, reason = suggest_next(top, [done(top[0], outcome=Outcome.ACCEPTED) for _ in range(10)]) or (
        None,
        "",
    )
    assert challenge is not None and challenge.level == 10 and "a little more at level 10" in reason


def test_result_messages() -> None:
    assert (
        result_message(done(TIME, before=70, after=40))
        == "You expected 70 and felt 40 — 30 points less than you feared."
    )
    assert (
        result_message(done(TIME, before=50, after=50))
        == "You expected 50 and felt 50 — just as you predicted."
    )
    assert "harder than you predicted" in result_message(done(TIME, before=30, after=60))
    kind = result_message(done(TIME, outcome=Outcome.NOT_ASKED), builtin_challenges())
    assert "without judgement" in kind and "smaller step" in kind


def test_filters() -> None:
    a = done(TIME, outcome=Outcome.ACCEPTED)
    b = planned(next(c for c in builtin_challenges() if c.category == "work"), note="Monday meeting")
    assert filter_attempts([a, b], outcome=PLANNED) == [b]
    assert filter_attempts([a, b], outcome="accepted") == [a]
    assert filter_attempts([a, b], category="work") == [b]
    assert filter_attempts([a, b], text="MONDAY") == [b]
    picked = filter_challenges(builtin_challenges(), text="stranger", min_level=5, max_level=7)
    assert picked and all(5 <= c.level <= 7 and "stranger" in (c.title + c.tip).lower() for c in picked)
