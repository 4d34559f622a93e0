"""SIGKILL the writing CLI and the inbox's taker at random moments (issue 13).

Each round starts a few ``log`` commands at once (every value a flag, each
for its own ask "crash test ask N"), while a taker process holds the journal
and takes the inbox in over and over, like the open app; in some rounds there
is no taker and the writers take the inbox in themselves. Writers and the
taker are killed at random moments: a writer at a blind moment or just after
its confirmation, the taker at a blind moment or just after an entry shows in
the inbox. A writer's entry is acknowledged when its "Logged:" line reached us
(its stdout is unbuffered, as on a terminal). After every round the journal
reads, and every acknowledged ask waits in the inbox or is in the journal; at
the end, after one clean pass, every acknowledged ask is in the journal exactly
once, no ask is there twice, and the inbox is empty.

The next round starts once every writer of this one is acknowledged or dead:
a writer beside the open journal then waits up to a second for the lock
before it leaves its entry to the app, and is left to end meanwhile.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from rejection_tui.storage.inbox import ENTRY_SUFFIX, KEPT_SUFFIX, inbox_dir, read_waiting, take_in
from rejection_tui.storage.journal import Journal

ROUNDS = 50
WRITERS_PER_ROUND = (1, 3)
KILL_WINDOW = (0.0, 0.5)
"""Seconds after a round starts for a kill at a blind moment: a writer lives ~0.3 s (more under load)."""
AFTER_ACK = (0.0, 0.06)
"""A kill this long after the confirmation line: the writer is opening the journal or taking the inbox in."""
ON_ENTRY = (0.0, 0.03)
"""The taker killed this long after an entry shows in the inbox: before, inside or after its pass."""
ROUND_LIMIT = 30.0
TAKER = Path(__file__).resolve().parents[1] / "capture" / "inbox_taker.py"
REPO = Path(__file__).resolve().parents[2]
TITLE = "crash test ask {}"


@dataclass
class Writer:
    title: str
    process: subprocess.Popen[bytes]
    kill_at: float | None = None
    """A blind kill at this time.monotonic()."""
    kill_after_ack: bool = False
    """Killed a moment (AFTER_ACK) after its confirmation line is read."""
    out: bytes = b""
    closed: bool = False
    killed: bool = False

    @property
    def acknowledged(self) -> bool:
        return f"Logged: {self.title} on ".encode() in self.out

    def read(self) -> None:
        assert self.process.stdout is not None
        chunk = os.read(self.process.stdout.fileno(), 4096)
        self.out += chunk
        self.closed = not chunk


@dataclass
class Tally:
    started: list[str] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    killed_before_ack: int = 0
    killed_after_ack: int = 0
    taker_kills: int = 0
    taker_kills_on_entry: int = 0
    saved_not_deleted: int = 0
    """Entries found in the journal and still in the inbox after a kill (to be skipped next pass)."""


def start_writer(path: Path, number: int, rng: random.Random) -> Writer:
    title = TITLE.format(number)
    when = (datetime.now() - timedelta(hours=rng.randint(1, 2000))).strftime("%Y-%m-%d %H:%M")
    args = [
        "--db", str(path), "log", title, "--own", "--level", "3", "--category", "small_talk",
        "--fear-before", str(rng.randint(0, 100)), "--no", str(rng.randint(0, 100)),
        "--fear-after", str(rng.randint(0, 100)),
        "--outcome", rng.choice(["rejected", "accepted", "partial", "not_asked"]),
        "--happened", rng.choice(["yes", "no"]), "--when", when,
    ]  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "rejection_tui", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},  # the line reaches us as printed, as on a terminal
    )
    return Writer(title, process)


def start_taker(path: Path) -> subprocess.Popen[bytes]:
    """The stand-in for the open app, once it holds the journal's lock."""
    taker = subprocess.Popen([sys.executable, str(TAKER), str(path)], stdout=subprocess.PIPE, cwd=REPO)
    assert taker.stdout is not None
    ready, _, _ = select.select([taker.stdout], [], [], ROUND_LIMIT)
    line = taker.stdout.readline() if ready else b""
    assert line.strip() == b"holding", f"the taker did not take the journal (exit {taker.poll()})"
    return taker


def kill(process: subprocess.Popen[bytes]) -> bool:
    """SIGKILL ``process`` if it still runs; whether it did."""
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


def entry_waits(path: Path) -> bool:
    try:
        names = os.listdir(inbox_dir(path))
    except FileNotFoundError:
        return False
    return any(n.endswith(ENTRY_SUFFIX) and not n.startswith(".") for n in names)


def read_file(path: Path) -> dict[str, Any]:
    """The journal parses whole; no ask is in it twice, nor an attempt id or a challenge."""
    document: dict[str, Any] = json.loads(path.read_bytes())
    attempts = list(document.get("attempts", {}).values())
    twice = [t for t, n in Counter(a["challenge_title"] for a in attempts).items() if n > 1]
    assert not twice, f"in the journal twice: {twice}"
    assert len({a["id"] for a in attempts}) == len(attempts), "an attempt id is in the journal twice"
    customs = [c["id"] for c in document.get("challenges", {}).values()]
    assert len(set(customs)) == len(customs), "a custom challenge is in the journal twice"
    return document


def settled(w: Writer) -> bool:
    """Nothing more to do for this writer in its round: ended, or acknowledged with no kill to come."""
    return w.closed or (w.acknowledged and w.kill_at is None and not w.kill_after_ack)


def run_round(
    path: Path, writers: list[Writer], taker: subprocess.Popen[bytes] | None, taker_kill: str | None,
    rng: random.Random, tally: Tally,
) -> subprocess.Popen[bytes] | None:  # fmt: skip
    """Read the writers' stdout and kill at the chosen moments, until each writer is settled.
    ``taker_kill``: None, "blind" (at a random time) or "entry" (soon after an entry shows).
    The taker, or None once it is killed."""
    start = time.monotonic()
    taker_at = start + rng.uniform(*KILL_WINDOW) if taker_kill == "blind" else None
    while not all(settled(w) for w in writers):
        now = time.monotonic()
        assert now - start < ROUND_LIMIT, "a writer hangs"
        if taker is not None and taker_kill == "entry" and taker_at is None and entry_waits(path):
            taker_at = now + rng.uniform(*ON_ENTRY)
        if taker is not None and taker_at is not None and now >= taker_at:
            if kill(taker):
                tally.taker_kills += 1
                tally.taker_kills_on_entry += taker_kill == "entry"
            taker = None
        for w in writers:
            if w.kill_at is not None and now >= w.kill_at:
                w.killed, w.kill_at = kill(w.process), None
        moments = [w.kill_at for w in writers if w.kill_at is not None]
        if taker is not None and taker_at is not None:
            moments.append(taker_at)
        watching = taker is not None and taker_kill == "entry" and taker_at is None
        wait = min([0.005 if watching else 0.05, *(m - now for m in moments)])
        open_pipes = {w.process.stdout.fileno(): w for w in writers if not w.closed and w.process.stdout}
        ready, _, _ = select.select(list(open_pipes), [], [], max(0.0, wait))
        for pipe in ready:
            w = open_pipes[pipe]
            w.read()
            if w.kill_after_ack and w.acknowledged:
                w.kill_at, w.kill_after_ack = time.monotonic() + rng.uniform(*AFTER_ACK), False
    return taker


def finish(w: Writer, tally: Tally) -> None:
    """The writer has ended (or is ending): its whole output, its exit status, the tally."""
    status = w.process.wait(timeout=ROUND_LIMIT)
    assert w.process.stdout is not None and w.process.stderr is not None
    w.out += w.process.stdout.read()
    err = w.process.stderr.read().decode("utf-8", errors="replace")
    w.process.stdout.close()
    w.process.stderr.close()
    if w.acknowledged:
        tally.acknowledged.add(w.title)
    if w.killed:
        tally.killed_after_ack += w.acknowledged
        tally.killed_before_ack += not w.acknowledged
    else:
        assert status == 0, f"{w.title} exit {status}: {err}"
        assert w.acknowledged, f"{w.title} ended unacknowledged: {err}"


def test_sigkills_of_writers_and_taker_lose_no_acknowledged_entry_and_apply_none_twice(
    tmp_path: Path,
) -> None:
    rng = random.Random(20261127)
    path = tmp_path / "journal.json"
    tally = Tally()
    taker: subprocess.Popen[bytes] | None = None
    # Writers not ended yet: one acknowledged is left to end in its own time while the next
    # round starts (beside an open journal it waits up to a second for the lock).
    running: list[Writer] = []
    created = False
    started = time.monotonic()
    try:
        for round_number in range(ROUNDS):
            # The app is open in most rounds; in the others the writers take the inbox in themselves.
            app_open = rng.random() < 0.7
            if app_open and taker is None:
                taker = start_taker(path)
            elif not app_open and taker is not None:
                kill(taker)
                taker = None
            taker_kill = rng.choice([None, "blind", "entry"]) if taker is not None else None

            writers = [
                start_writer(path, len(tally.started) + i, rng)
                for i in range(rng.randint(*WRITERS_PER_ROUND))
            ]
            running += writers
            tally.started += [w.title for w in writers]
            now = time.monotonic()
            for w in writers:
                how = rng.choice(["live", "blind", "after ack"])
                if how == "blind":
                    w.kill_at = now + rng.uniform(*KILL_WINDOW)
                elif how == "after ack":
                    w.kill_after_ack = True
            taker = run_round(path, writers, taker, taker_kill, rng, tally)
            for w in writers:
                if w.acknowledged:
                    tally.acknowledged.add(w.title)
            for w in [w for w in running if w.process.poll() is not None]:
                finish(w, tally)
                running.remove(w)
            if taker is not None:
                assert taker.poll() is None, f"round {round_number}: the taker died by itself"

            # Nothing acknowledged is ever missing: each is waiting in the inbox or in the journal
            # (read in that order: an entry leaves the inbox only after it is saved).
            waiting = {e.attempt.challenge_title: e.attempt.id for e in read_waiting(path)}
            # Readable after every round, whoever was killed (and, once made, never gone again).
            created = created or path.exists()
            document = read_file(path) if created else {}
            in_journal = {a["challenge_title"] for a in document.get("attempts", {}).values()}
            missing = tally.acknowledged - in_journal - set(waiting)
            assert not missing, (
                f"round {round_number}: acknowledged, then neither waiting nor saved: {missing}"
            )
            if taker is None and not running:
                tally.saved_not_deleted += len(set(waiting) & in_journal)

        if taker is not None:
            kill(taker)
            taker = None
        for w in running:
            finish(w, tally)
        running = []
        # What the app does when it opens next: one clean pass.
        with Journal.open(path) as journal:
            take_in(journal)
            assert not journal.unreadable and not journal.problems()
            held = Counter(a.challenge_title for a in journal.list_attempts())
    finally:
        for w in running:
            kill(w.process)
        if taker is not None:
            kill(taker)

    document = read_file(path)
    on_disk = Counter(a["challenge_title"] for a in document["attempts"].values())
    lost = sorted(tally.acknowledged - set(on_disk), key=lambda t: int(t.rsplit(" ", 1)[1]))
    assert not lost, f"acknowledged but not in the journal: {lost}"
    assert held == on_disk and set(on_disk) <= set(tally.started)
    for attempt in document["attempts"].values():
        assert (attempt["retro"], attempt["via"], attempt["status"]) == (True, "shell", "done")
    folder = inbox_dir(path)
    left = sorted(n for n in os.listdir(folder) if n.endswith((ENTRY_SUFFIX, KEPT_SUFFIX)))
    assert left == [], f"left in the inbox after a clean pass: {left}"

    # The kills landed where they matter: before and after the confirmation, and the taker mid-work.
    assert tally.killed_before_ack >= 5 and tally.killed_after_ack >= 5, tally
    assert tally.taker_kills >= 5 and tally.taker_kills_on_entry >= 3, tally
    # ~30 s on this 2-core machine (~100 writers, ~0.2 s of CPU each; rounds overlap);
    # the limit leaves room for a loaded one and catches a writer or taker that stalls.
    elapsed = time.monotonic() - started
    assert elapsed < 120, f"the crash test took {elapsed:.1f}s"
