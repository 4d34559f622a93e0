"""A sync tool replaces the journal at random moments while the app saves in a loop (issue 15).

Before the write window was closed, a version renamed into place between the app's check
and its ``os.replace`` was overwritten without a word (17 of 60 trials). Now every version
the other process put in place must end up merged into the journal: none is ever lost.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.storage.journal import Journal
from tests.conftest import NOW, planned

TRIALS = 100
SAVES = 6
VERSIONS = 4


def test_a_version_put_in_place_while_the_app_saves_is_never_lost(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("race_replacer.py"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    challenges = builtin_challenges()
    merged_notices = 0
    try:
        for trial in range(TRIALS):
            folder = tmp_path / f"trial-{trial}"
            path = folder / "journal.json"
            ours: list[str] = []
            with Journal.open(path, clock=lambda: NOW) as journal:
                child.stdin.write(f"{path} {trial} {VERSIONS}\n")
                child.stdin.flush()
                for n in range(SAVES):
                    ours.append(journal.add_attempt(planned(challenges[n % len(challenges)])).id)
                assert child.stdout.readline().strip() == "done"
                # The last version may have come after our last save: one more save merges it.
                ours.append(journal.add_attempt(planned(challenges[0])).id)
                merged_notices += sum("were merged" in notice for notice in journal.take_notices())
                shown = {a.id for a in journal.list_attempts()}
            stored = [doc["id"] for doc in json.loads(path.read_text(encoding="utf-8"))["attempts"].values()]
            theirs = [f"other-{trial}-{n}" for n in range(1, VERSIONS + 1)]
            assert sorted(stored) == sorted(ours + theirs), f"trial {trial}"  # each exactly once
            assert shown == set(ours + theirs)
            left = sorted(p.name for p in folder.iterdir() if p.name not in ("journal.json", "backups"))
            assert left == ["journal.json.lock", "journal.json.status"], f"trial {trial}: {left}"
    finally:
        child.stdin.close()
        child.wait(timeout=10)
    assert merged_notices >= TRIALS  # every trial merged at least the last version, and said so
