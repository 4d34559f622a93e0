"""Child process for the crash test: writes forever, acknowledging each write.

Each line on stdout ("+ID" or "-ID") is printed only after the write
returned, so the parent knows which writes the storage promised.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.storage.journal import Journal


def main(path: str, seed: int) -> None:
    rng = random.Random(seed)
    challenges = builtin_challenges()
    with Journal.open(Path(path)) as journal:
        while True:
            existing = journal.list_attempts()
            if existing and rng.random() < 0.3:
                # Deletions make the file shrink: the case stock TinyDB corrupts.
                victim = rng.choice(existing)
                # Said before: a kill after the delete landed but before "-ID" is printed
                # leaves it deleted without an acknowledgement (the parent allows that).
                print(f"?{victim.id}", flush=True)
                journal.delete_attempt(victim.id)
                print(f"-{victim.id}", flush=True)
                continue
            attempt = Attempt.plan(
                rng.choice(challenges), fear_before=rng.randint(0, 100), note="x" * rng.randint(0, 3000 // 2)
            )
            if rng.random() < 0.5:
                attempt = attempt.rate(fear_after=rng.randint(0, 100), outcome=rng.choice(list(Outcome)))
            journal.add_attempt(attempt)
            print(f"+{attempt.id}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
