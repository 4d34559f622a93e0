"""Two devices' copies of one journal that went apart (issue 15): the fixture the merge tests use.

``diverge(folder, copy_name)`` makes ``folder/journal.json`` (this device) and beside it a
conflict copy named ``copy_name`` (the other device), from one shared start:

- both: A1..A4 planned, A4 rated; a custom challenge C1; weekly goal 3;
- other device: adds B1; rates A1; deletes A3; edits C1; sets the weekly goal to 4; deletes A4;
- this device: adds D1; rates A2; rates A1 too, later (edited on both: this one is newer);
  edits A4's note after the other device deleted it (an edit newer than the deletion).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Challenge, Outcome
from rejection_tui.storage.journal import Journal
from tests.conftest import NOW


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def at(self, minutes: int) -> Clock:
        self.now = NOW + timedelta(minutes=minutes)
        return self


@contextmanager
def device(name: str, home: Path) -> Iterator[None]:
    """Run as the device ``name`` (its own config folder, so its own device id)."""
    old = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(home / f"config-{name}")
    try:
        yield
    finally:
        if old is None:
            del os.environ["XDG_CONFIG_HOME"]
        else:
            os.environ["XDG_CONFIG_HOME"] = old


@dataclass
class Diverged:
    journal: Path
    copy: Path
    ids: dict[str, str]
    """Attempt name (A1, B1…) → id."""


def _plan(journal: Journal, index: int, clock: Clock, note: str = "") -> Attempt:
    challenge = builtin_challenges()[index]
    attempt = Attempt.plan(challenge, fear_before=50 + index, p_rejection=40, now=clock(), note=note)
    return journal.add_attempt(attempt)


def diverge(folder: Path, copy_name: str) -> Diverged:
    journal = folder / "journal.json"
    other = folder / "other-device" / "journal.json"
    clock = Clock()
    ids: dict[str, str] = {}
    custom = Challenge("C1", "Ask for a discount on coffee", 3, "shops", source="custom")
    with device("this", folder), Journal.open(journal, clock=clock.at(0)) as mine:
        for n in range(1, 5):
            ids[f"A{n}"] = _plan(mine, n, clock, note=f"A{n} as planned").id
        a4 = mine.get_attempt(ids["A4"])
        assert a4 is not None
        mine.update_attempt(a4.rate(fear_after=30, outcome=Outcome.REJECTED, now=clock.at(1)()))
        mine.add_challenge(custom)
        mine.set_weekly_goal(3)
    other.parent.mkdir(parents=True)
    shutil.copy2(journal, other)
    with device("other", folder), Journal.open(other, clock=clock.at(10)) as theirs:
        ids["B1"] = _plan(theirs, 5, clock, note="B1 from the other device").id
        a1 = theirs.get_attempt(ids["A1"])
        assert a1 is not None
        theirs.update_attempt(a1.rate(fear_after=20, outcome=Outcome.ACCEPTED, now=clock.at(11)()))
        theirs.delete_attempt(ids["A3"])
        theirs.update_challenge(Challenge("C1", "Ask for a discount on tea", 3, "shops", source="custom"))
        theirs.set_weekly_goal(4)
        clock.at(12)
        theirs.delete_attempt(ids["A4"])
    with device("this", folder), Journal.open(journal, clock=clock.at(20), merge_copies=False) as mine:
        ids["D1"] = _plan(mine, 6, clock, note="D1 from this device").id
        a2 = mine.get_attempt(ids["A2"])
        assert a2 is not None
        mine.update_attempt(a2.rate(fear_after=25, outcome=Outcome.PARTIAL, now=clock.at(21)()))
        a1 = mine.get_attempt(ids["A1"])
        assert a1 is not None
        mine.update_attempt(a1.rate(fear_after=35, outcome=Outcome.REJECTED, now=clock.at(22)()))
        a4 = mine.get_attempt(ids["A4"])
        assert a4 is not None
        clock.at(23)
        mine.update_attempt(replace(a4, note="A4, a note added after the other device deleted it"))
    copy = folder / copy_name
    shutil.move(other, copy)
    shutil.rmtree(other.parent)  # its lock, status file and backups: not part of the copy
    return Diverged(journal, copy, ids)
