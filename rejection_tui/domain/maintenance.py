"""Keeping the gains: the maintenance plan's offer, its stored form, and re-rating mastered rungs.

The booster rules are ``domain.boosters``; this module decides what the
Dashboard's "keeping the gains" card says, from the journal's setting
:data:`MAINTENANCE_SETTING`:

- ``{"for": KEY, "accepted": true, "since": "2026-11-01", "levels": [2, 3]}``:
  the plan runs from ``since``; an ask at one of ``levels`` counts as a booster;
- ``{"for": KEY, "accepted": false}``: the offer for KEY was declined.

KEY names what was finished ("ladder:<top rung's challenge id>" or
"<program kind>:<start date>"), so each is offered once, and a new one
(another program, a new top rung) is offered again once no plan is running.
Pure rules (no Textual), tested as data;
the dialogs are in ``maintenance_dialogs``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rejection_tui.domain.boosters import (
    Booster,
    BoosterState,
    booster_states,
    levels_asked,
    mastered_levels,
    plan_done,
)
from rejection_tui.domain.ladder import Ladder, mastery
from rejection_tui.domain.models import Attempt
from rejection_tui.domain.programs import Program, ProgramProgress
from rejection_tui.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds

MAINTENANCE_SETTING = "maintenance"


@dataclass(frozen=True)
class Finished:
    """Something finished that a maintenance plan can follow."""

    key: str
    what: str
    """How the offer names it: "your ladder", "your 30-day challenge"."""
    levels: frozenset[int]
    """The levels an ask counts at as a booster."""


@dataclass(frozen=True)
class StoredPlan:
    key: str
    accepted: bool
    since: date | None = None
    levels: frozenset[int] = frozenset()

    def to_setting(self) -> dict[str, Any]:
        if not self.accepted or self.since is None:
            return {"for": self.key, "accepted": False}
        return {
            "for": self.key,
            "accepted": True,
            "since": self.since.isoformat(),
            "levels": sorted(self.levels),
        }


def read_plan(raw: object) -> StoredPlan | None:
    """The stored plan or decline; None when there is none or it cannot be read (offered again)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("for"), str):
        return None
    key = raw["for"]
    if raw.get("accepted") is not True:
        return StoredPlan(key, accepted=False)
    levels = raw.get("levels")
    with contextlib.suppress(TypeError, ValueError):
        since = date.fromisoformat(raw["since"])
        if isinstance(levels, list) and levels and all(isinstance(n, int) for n in levels):
            return StoredPlan(key, True, since, frozenset(levels))
    return None


def finished_practice(
    ladder: Ladder,
    program: Program | None,
    progress: ProgramProgress | None,
    attempts: Sequence[Attempt],
    now: datetime,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    settled: str | None = None,
) -> Finished | None:
    """The ladder whose top rung is mastered, else a 30/100-day program that has ended, else None.

    ``settled`` is the key of what was already offered (accepted or declined): it is not looked at
    again, so a Dashboard after the answer walks no rung's history for it. The plan starts on the
    day it is accepted, so the day a rung was first mastered is not needed here.
    """
    if ladder.rungs and settled != ladder_key(ladder):
        top = ladder.rungs[-1]
        ids = {rung.challenge_id for rung in ladder.rungs}
        on_ladder = [a for a in attempts if a.challenge_id in ids]  # one pass, then each rung's share
        if mastery(top, on_ladder, now, thresholds):
            levels = mastered_levels(ladder, on_ladder, now, thresholds)
            if levels:
                return Finished(ladder_key(ladder), "your ladder", levels)
    if program is not None and progress is not None and progress.finished:
        key = f"{program.kind.value}:{program.started_on.isoformat()}"
        levels = levels_asked(attempts, program.started_on, progress.ends_on, now)
        if levels and key != settled:
            return Finished(key, f"your {program.kind.value} challenge", levels)
    return None


def ladder_key(ladder: Ladder) -> str:
    """What a finished ladder is remembered by: its top rung (a new top rung is a new ladder)."""
    return f"ladder:{ladder.rungs[-1].challenge_id}" if ladder.rungs else ""


@dataclass(frozen=True)
class Card:
    """What the "keeping the gains" card shows: an offer, a due booster, or nothing (both None)."""

    offer: Finished | None = None
    booster: Booster | None = None
    next_on: date | None = None
    """A running plan's next booster date when none is due now."""


def maintenance_card(
    stored: StoredPlan | None,
    finished: Finished | None,
    attempts: Sequence[Attempt],
    now: datetime,
) -> Card:
    """The card's content: a running plan's due booster; else the offer for a newly finished thing."""
    if stored is not None and stored.accepted and stored.since is not None:
        states = booster_states(stored.since, attempts, stored.levels, now)
        if states[-1][1] != BoosterState.DONE:
            due = next((b for b, state in states if state == BoosterState.DUE), None)
            ahead = next((b.due_on for b, state in states if state == BoosterState.AHEAD), None)
            return Card(booster=due, next_on=None if due else ahead)
    if finished is not None and (stored is None or stored.key != finished.key):
        return Card(offer=finished)
    return Card()


def plan_running(stored: StoredPlan | None, attempts: Sequence[Attempt], now: datetime) -> bool:
    """An accepted plan whose last booster is not done yet (no other offer is made meanwhile)."""
    return (
        stored is not None
        and stored.accepted
        and stored.since is not None
        and not plan_done(stored.since, attempts, stored.levels, now)
    )
