"""Seeded journals in the data-file contract, for benchmarks and chart tests."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.storage.migrations import new_document

LESSONS = ["People were kinder than I feared", "A no didn't hurt much", "I rushed my words", ""]
WORRIES = ["They'll laugh", "They'll think I'm weird", "They'll be annoyed", ""]


def sample_attempts(count: int, *, seed: int = 7, end: datetime | None = None) -> list[Attempt]:
    """``count`` attempts spread over the weeks before ``end``, fear easing with practice."""
    rng = random.Random(seed)
    end = end or datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
    library = builtin_challenges()
    # About two a day; a very long history is packed closer, so it stays after 2000
    # (the oldest date a journal accepts).
    span_days = min(max(7, count // 2), 9000)
    attempts = []
    for i in range(count):
        when = end - timedelta(days=span_days * (1 - i / max(1, count)), hours=rng.uniform(0, 8))
        challenge = rng.choice([c for c in library if c.level <= 3 + 7 * i // max(1, count)])
        progress = i / max(1, count)
        before = max(0, min(100, int(rng.gauss(70 - 20 * progress, 12))))
        after = max(0, min(100, int(before - rng.gauss(20, 10))))
        attempt = Attempt.plan(
            challenge,
            fear_before=before,
            p_rejection=rng.randrange(0, 101, 5),
            worry=rng.choice(WORRIES),
            worry_cost=rng.choice([None, rng.randint(20, 90)]),
            now=when,
        )
        if i < count - 2:  # the newest two stay planned
            outcome = rng.choices(list(Outcome), weights=[5, 3, 1, 1])[0]
            attempt = attempt.rate(
                fear_after=after,
                outcome=outcome,
                worry_happened=rng.random() < 0.2,
                lesson=rng.choice(LESSONS),
                now=when + timedelta(minutes=30),
            )
        attempts.append(attempt)
    return attempts


def write_journal(path: Path, count: int, *, seed: int = 7) -> Path:
    """A complete journal file (as the app would write it) with ``count`` attempts."""
    document = new_document(datetime(2026, 1, 1, tzinfo=UTC))
    document["settings"] = {"1": {"key": "welcomed", "value": True}}
    document["attempts"] = {str(i + 1): a.to_dict() for i, a in enumerate(sample_attempts(count, seed=seed))}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    path.chmod(0o600)
    return path
