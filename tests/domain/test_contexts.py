"""Context tags and the channel "surprise me" suggests (domain/contexts.py, issue 16)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from rejection_tui.domain.contexts import least_practised_channel
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt
from tests.conftest import NOW, done

TIME = builtin_challenges()[0]


def tagged(*tags: str, days_ago: int = 1) -> Attempt:
    return replace(done(TIME, at=NOW - timedelta(days=days_ago)), contexts=tags)


def test_no_suggestion_until_the_person_tags_channels() -> None:
    assert least_practised_channel([], NOW) is None
    assert least_practised_channel([tagged("the corner shop")], NOW) is None


def test_the_channel_used_least_lately_is_suggested() -> None:
    attempts = [tagged("in person"), tagged("In Person"), tagged("phone"), tagged("message"), tagged("message")]
    assert least_practised_channel(attempts, NOW) == "phone"


def test_ties_go_in_the_forms_order_and_old_asks_do_not_count() -> None:
    attempts = [tagged("in person"), tagged("phone", days_ago=40), tagged("phone", days_ago=41)]
    assert least_practised_channel(attempts, NOW) == "phone"  # phone and message unused lately: phone first
