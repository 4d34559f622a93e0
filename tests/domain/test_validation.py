from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_tui.domain.categories import category_error
from rejection_tui.domain.validation import (
    MAX_TEXT,
    ValidationError,
    level_error,
    optional_score_error,
    parse_score,
    parse_timestamp,
    score_error,
    text_error,
    timestamp_error,
)


@pytest.mark.parametrize("good", [0, 1, 50, 99, 100])
def test_score_accepts_whole_numbers_0_to_100(good: int) -> None:
    assert score_error(good, "Fear") is None


@pytest.mark.parametrize("bad", [-1, 101, 50.0, 50.5, "50", None, True, False])
def test_score_refuses_everything_else_with_a_readable_message(bad: object) -> None:
    assert score_error(bad, "Fear") == "Fear must be a whole number from 0 to 100"


def test_optional_score_allows_none_but_not_out_of_range() -> None:
    assert optional_score_error(None, "Cost") is None
    assert optional_score_error(101, "Cost") == "Cost must be a whole number from 0 to 100"


@pytest.mark.parametrize("good", [1, 10])
def test_level_boundaries(good: int) -> None:
    assert level_error(good) is None


@pytest.mark.parametrize("bad", [0, 11, "3", 2.0, True])
def test_level_refuses(bad: object) -> None:
    assert level_error(bad) == "Level must be a whole number from 1 to 10"


def test_text_at_the_limit_is_fine_one_more_is_not() -> None:
    assert text_error("x" * MAX_TEXT, "Note") is None
    assert text_error("x" * (MAX_TEXT + 1), "Note") == "Note must be at most 2,000 characters (it has 2,001)"


def test_text_refuses_lone_surrogates_nul_and_non_text() -> None:
    assert text_error("broken \udc80 paste", "Note") == "Note contains characters that cannot be saved"
    assert text_error("a\x00b", "Note") == "Note contains a NUL character that cannot be saved"
    assert text_error(5, "Note") == "Note must be text"


def test_required_text_cannot_be_blank() -> None:
    assert text_error("   ", "Title", required=True) == "Title cannot be empty"
    assert text_error("Ask for the time", "Title", required=True) is None


def test_timestamps_must_be_aware() -> None:
    assert timestamp_error(datetime(2026, 1, 1), "Created at") == "Created at must include a time zone"
    assert timestamp_error(datetime(2026, 1, 1, tzinfo=UTC), "Created at") is None
    assert timestamp_error("2026-01-01", "Created at") == "Created at must be a date and time"


def test_parse_timestamp_reads_iso_with_offset_and_refuses_naive() -> None:
    assert parse_timestamp("2026-11-20T18:30:00+01:00", "Done at").utcoffset() is not None
    with pytest.raises(ValidationError, match="must include a time zone"):
        parse_timestamp("2026-11-20T18:30:00", "Done at")
    with pytest.raises(ValidationError, match="not a valid ISO 8601"):
        parse_timestamp("yesterday", "Done at")


@pytest.mark.parametrize(("typed", "value"), [("0", 0), (" 100 ", 100), ("42%", 42), ("007", 7)])
def test_parse_score_reads_what_people_type(typed: str, value: int) -> None:
    assert parse_score(typed, "Fear") == value


@pytest.mark.parametrize("typed", ["", "abc", "-5", "101", "4.5", "1e2", "٣"])
def test_parse_score_refuses_with_the_reason(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_score(typed, "Fear")
    assert caught.value.messages == ["Fear must be a whole number from 0 to 100"]


@given(st.text(max_size=8))
def test_parse_score_never_raises_anything_but_validation_error(typed: str) -> None:
    try:
        value = parse_score(typed, "Fear")
    except ValidationError:
        return
    assert 0 <= value <= 100


def test_category_must_be_known() -> None:
    assert category_error("work") is None
    assert (category_error("crime") or "").startswith("Category must be one of: Small talk")


@given(
    st.one_of(
        st.integers(-1000, 1000), st.floats(allow_nan=True), st.text(max_size=4), st.none(), st.booleans()
    )
)
def test_score_and_level_rules_hold_for_any_value(value: object) -> None:
    is_int = isinstance(value, int) and not isinstance(value, bool)
    assert (score_error(value, "Fear") is None) == (is_int and 0 <= value <= 100)  # type: ignore[operator]
    assert (level_error(value) is None) == (is_int and 1 <= value <= 10)  # type: ignore[operator]


@given(st.text(max_size=2100))
def test_text_rule_accepts_exactly_the_savable_texts(value: str) -> None:
    savable = (
        len(value) <= MAX_TEXT and "\x00" not in value and not any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    )
    assert (text_error(value, "Note") is None) == savable


@given(st.datetimes(timezones=st.none() | st.timezones()))
def test_timestamp_rule_is_about_the_time_zone_and_the_years_2000_to_2200(value: datetime) -> None:
    # Changed on purpose (issue 10, point 8): years outside 2000–2200 are refused too.
    fine = value.utcoffset() is not None and 2000 <= value.year <= 2200
    assert (timestamp_error(value, "Done at") is None) == fine


@pytest.mark.parametrize("raw", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00", "1999-12-31T23:59:59-05:00"])
def test_timestamps_far_from_now_are_refused_with_the_year(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_timestamp(raw, "Done at")
    year = int(raw[:4])
    assert caught.value.messages == [f"Done at must be in the years 2000 to 2200 (it is in the year {year})"]
    assert parse_timestamp("2200-12-31T23:59:59+14:00", "Done at").year == 2200
