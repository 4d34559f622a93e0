"""Shared fixtures: every test works on a journal under tmp_path, never $HOME."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Challenge, Outcome
from rejection_tui.locations import ENV_VAR
from rejection_tui.storage.journal import Journal
from tests.pty_terminal import Terminal

TZ = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 20, 18, 30, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _no_real_journal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A test that forgets --db must never touch the real user's journal.
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "default-journal.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "journal.json"


@pytest.fixture
def journal(journal_path: Path) -> Iterator[Journal]:
    with Journal.open(journal_path, clock=lambda: NOW) as opened:
        yield opened


@pytest.fixture
def challenge() -> Challenge:
    return next(c for c in builtin_challenges() if c.id == "ask-the-time")


def planned(challenge: Challenge, *, fear: int = 60, at: datetime = NOW, **extra: object) -> Attempt:
    return Attempt.plan(challenge, fear_before=fear, p_rejection=50, now=at, **extra)  # type: ignore[arg-type]


def done(
    challenge: Challenge,
    *,
    before: int = 70,
    after: int = 40,
    outcome: Outcome = Outcome.REJECTED,
    at: datetime = NOW,
) -> Attempt:
    return planned(challenge, fear=before, at=at).rate(fear_after=after, outcome=outcome, now=at)


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    """Programs started on pseudo-terminals (tests/pty_terminal.py), killed when the test ends."""
    started: list[Terminal] = []
    yield started
    for terminal in started:
        terminal.close()
