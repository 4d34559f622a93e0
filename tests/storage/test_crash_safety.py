"""SIGKILL a writing process at random moments; nothing acknowledged is lost."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from rejection_tui.storage.journal import Journal

KILLS = 60
WRITER = Path(__file__).with_name("crash_writer.py")
REPO = Path(__file__).resolve().parents[2]


def test_random_sigkills_never_corrupt_or_lose_acknowledged_writes(tmp_path: Path) -> None:
    rng = random.Random(20261126)
    path = tmp_path / "journal.json"
    present: set[str] = set()
    gone: set[str] = set()
    deleting: set[str] = set()  # deletes begun ("?ID") but not acknowledged ("-ID")

    def record(line: str) -> None:
        if line[0] == "?":
            deleting.add(line[1:])
        elif line[0] == "+":
            present.add(line[1:])
        else:
            present.discard(line[1:])
            deleting.discard(line[1:])
            gone.add(line[1:])

    started = time.monotonic()
    for round_number in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, str(WRITER), str(path), str(round_number)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        assert child.stdout is not None
        # Kill after a random number of acknowledged writes: the child is then
        # somewhere inside its next write, at a point we do not choose.
        for _ in range(rng.randint(1, 25)):
            line = child.stdout.readline().strip()
            assert line, f"writer died early: {child.wait()}"
            record(line)
        child.send_signal(signal.SIGKILL)
        # Writes acknowledged between our last read and the kill still count.
        for line in child.stdout.read().split():
            record(line)
        child.wait()

        json.loads(path.read_bytes())  # parses: never half-written
        with Journal.open(path) as journal:  # opens at once: no stale lock
            ids = {a.id for a in journal.list_attempts()}
            assert not journal.unreadable
        # The write in flight at the kill may or may not have landed (a delete
        # in flight may be done without its "-ID"); every acknowledged one must have.
        lost = present - ids - deleting
        assert not lost, f"round {round_number}: lost {lost}"
        gone |= deleting - ids
        deleting.clear()
        assert not ids & gone, f"round {round_number}: deleted ones came back {ids & gone}"
        present = ids
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"crash test took {elapsed:.1f}s"
