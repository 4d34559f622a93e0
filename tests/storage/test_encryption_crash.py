"""SIGKILL `encrypt`, `decrypt` and `passphrase` at random moments (issue 14).

Each command runs as rejection-tui's own ``cli.main`` in a process forked
from ``encryption_forker.py`` (scrypt's cost lowered there, which nothing
in a real run can do), on a fresh copy of a journal with three days of
daily backups and three one-off backups. Two kinds of rounds:

- **step**: the command ends with ``os._exit(9)`` right after its K-th
  rename or hard link, for every K until it completes: every durable state
  the work passes through.
- **blind**: SIGKILL at a seeded random moment within the command's own run
  time, until at least ``BLIND_KILLS`` commands of each kind were killed.

After every kill the journal opens (no stale lock) with the old passphrase
or the new one (plain or encrypted, for encrypt and decrypt) and holds
exactly the attempts it held before; every backup is plain or opens with
one of the passphrases. Then the command is run again, as a person would,
and must complete: an encrypted journal with every backup encrypted and no
plaintext in any file (encrypt), every backup under the new passphrase and
none under the old (passphrase), a plain journal with every backup plain
(decrypt; run again on the journal it already left plain, it finishes the
backups).
"""

from __future__ import annotations

import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.storage.backups import all_backups
from rejection_tui.storage.envelope import is_sealed, split_header
from rejection_tui.storage.errors import JournalWrongPassphrase
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.safe_storage import parse
from rejection_tui.storage.sealed import Keys, WrongPassphrase

FORKER = Path(__file__).with_name("encryption_forker.py")
REPO = Path(__file__).resolve().parents[2]
OLD, NEW = "first passphrase", "second passphrase"
ENV, ENV_NEW = "REJECTION_TUI_PASSPHRASE", "REJECTION_TUI_NEW_PASSPHRASE"
SECRET = "CRASH-SECRET"
BLIND_KILLS = 10
"""SIGKILLs at a random moment per command (30 in all), besides the step rounds."""
MAX_BLIND_ROUNDS = 30
LIMIT = 30.0
"""Seconds any one command may take before the test calls it hung."""
RECOVERY = re.compile(r"Recovery key \(write it down and keep it private\): ([A-Z2-7-]+)")


class Forker:
    """The forking child: runs one command at a time, kills it on request."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.process = subprocess.Popen(
            [sys.executable, str(FORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=REPO
        )
        self.buffer = b""

    def _line(self, timeout: float) -> str | None:
        """The next line from the forker, or None if none came within ``timeout`` seconds."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return None
            chunk = os.read(self.process.stdout.fileno(), 4096)
            assert chunk, f"the forker ended (status {self.process.wait()})"
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def _send(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text.encode() + b"\n")
        self.process.stdin.flush()

    def run(
        self, argv: list[str], env: dict[str, str], *, die_after: int | None = None,
        kill_after: float | None = None,
    ) -> tuple[int, str, float, bool]:  # fmt: skip
        """(exit status, its output, seconds it ran, whether it was SIGKILLed by us)."""
        order = {"argv": argv, "env": env, "unset": [ENV, ENV_NEW], "out": str(self.out)}
        self._send(json.dumps({**order, "die_after": die_after}))
        started = time.monotonic()
        pid_line = self._line(LIMIT)
        assert pid_line is not None and pid_line.startswith("pid "), pid_line
        pid = int(pid_line.split()[1])
        killed = False
        ended = self._line(kill_after) if kill_after is not None else None
        if kill_after is not None and ended is None:
            # Still running (or ended this instant: not reaped yet, so the pid is still its own).
            os.kill(pid, signal.SIGKILL)
            killed = True
        if ended is None:
            ended = self._line(LIMIT)
        took = time.monotonic() - started
        assert ended == "ended", f"the command hangs ({argv})"
        self._send("reap")
        status_line = self._line(LIMIT)
        assert status_line is not None and status_line.startswith("status ")
        status = int(status_line.split()[1])
        killed = killed and status == -signal.SIGKILL
        return status, self.out.read_text(encoding="utf-8", errors="replace"), took, killed

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=LIMIT)


@pytest.fixture
def forker(tmp_path: Path) -> Iterator[Forker]:
    started = Forker(tmp_path / "command-output.txt")
    yield started
    started.close()


def make_plain_journal(folder: Path) -> Path:
    """A plain journal of 150 attempts (notes holding SECRET) with 3 daily and 3 one-off backups."""
    path = folder / "journal.json"
    rng = random.Random(14)
    challenges = builtin_challenges()
    day = datetime(2026, 11, 20, 9, tzinfo=UTC)
    for number in range(3):
        today = day + timedelta(days=number)
        attempts = [
            Attempt.plan(
                rng.choice(challenges),
                fear_before=rng.randint(0, 100),
                now=today,
                note=f"{SECRET} note {number}-{i} " + "x" * rng.randint(0, 400),
                worry=f"{SECRET} worry {i}",
            )
            for i in range(50)
        ]
        attempts[::3] = [
            a.rate(
                fear_after=rng.randint(0, 100), outcome=Outcome.REJECTED, lesson=f"{SECRET} lesson", now=today
            )
            for a in attempts[::3]
        ]
        with Journal.open(path, clock=lambda today=today: today) as journal:
            journal.merge_attempts(attempts)  # a daily backup and a before-import one each day
    return path


def attempts_of(path: Path, passphrase: str) -> list[dict[str, Any]]:
    """The journal's attempts as read by rejection-tui (a snapshot: no lock, nothing cleaned)."""
    with Journal.open(path, reader=True, passphrase=lambda: passphrase) as journal:
        return sorted((a.to_dict() for a in journal.list_attempts()), key=lambda a: a["id"])


_UNLOCKED: dict[tuple[str, str], Keys | None] = {}
"""(key slots and KDF of a header, passphrase) -> its keys, or None when that passphrase fails:
the backups one command sealed share them, and each scrypt costs milliseconds even at 2^10."""


def unlocked(raw: bytes, *candidates: str) -> tuple[str, bytes] | None:
    """(the first of ``candidates`` that opens the sealed ``raw``, its plaintext); None: none does."""
    header, _, _ = split_header(raw)
    slots = json.dumps({k: v for k, v in header.items() if k != "nonce"}, sort_keys=True)
    for passphrase in candidates:
        if (slots, passphrase) not in _UNLOCKED:
            try:
                _UNLOCKED[slots, passphrase] = Keys.unlock(raw, passphrase)
            except WrongPassphrase:
                _UNLOCKED[slots, passphrase] = None
        keys = _UNLOCKED[slots, passphrase]
        if keys is not None:
            return passphrase, keys.open(raw)  # this file's own header and body must open too
    return None


def opens_with(raw: bytes, *candidates: str) -> str | None:
    found = unlocked(raw, *candidates)
    return None if found is None else found[0]


def backup_states(journal: Path) -> Counter[str]:
    """Each backup as "plain" or the passphrase that opens it; every one must read as a journal."""
    states: Counter[str] = Counter()
    for backup in all_backups(journal):
        raw = backup.read_bytes()
        if not is_sealed(raw):
            parse(raw)
            states["plain"] += 1
            continue
        found = unlocked(raw, OLD, NEW)
        assert found is not None, f"{backup.name} opens with neither passphrase: lost"
        parse(found[1])
        states[found[0]] += 1
    return states


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def assert_no_plaintext(folder: Path) -> None:
    holding = [p.relative_to(folder) for p in files_under(folder) if SECRET.encode() in p.read_bytes()]
    assert not holding, f"plaintext left in {holding}"


def command_for(kind: str, db: Path, *, unlocks_with: str = OLD) -> tuple[list[str], dict[str, str]]:
    if kind == "encrypt":
        return ["--db", str(db), "encrypt", "--recovery-key"], {ENV: OLD}
    if kind == "passphrase":
        return ["--db", str(db), "passphrase"], {ENV: unlocks_with, ENV_NEW: NEW}
    return ["--db", str(db), "decrypt"], {ENV: OLD}


class Round:
    """One command on a fresh copy of the template, killed, checked, run again, checked."""

    def __init__(self, kind: str, template: Path, work: Path, original: list[dict[str, Any]], recovery: str):
        self.kind, self.template, self.work = kind, template, work
        self.original, self.recovery = original, recovery
        shutil.copytree(template, work)
        self.db = work / "journal.json"
        self.left_sealed = 0
        """Backups a kill left sealed beside a plain journal (decrypt)."""

    def after_kill(self) -> str:
        """Check the state a kill left; which state it is ("old" or "new")."""
        raw = self.db.read_bytes()
        self.left_sealed = 0
        if self.kind == "encrypt":
            state = "new" if is_sealed(raw) else "old"
            if state == "new":
                assert opens_with(raw, OLD) == OLD
            backups = backup_states(self.db)
            if state == "old":  # nothing is sealed before the journal is
                assert set(backups) == {"plain"}, backups
            passphrase = OLD
        elif self.kind == "passphrase":
            assert is_sealed(raw)
            opener = opens_with(raw, OLD, NEW)
            assert opener is not None, "the journal opens with neither passphrase"
            passphrase = opener
            state = "old" if passphrase == OLD else "new"
            Keys.unlock(raw, recovery=self.recovery)  # the recovery key opens it either way
            assert not backup_states(self.db)["plain"]
        else:
            state = "old" if is_sealed(raw) else "new"
            if state == "old":
                assert opens_with(raw, OLD) == OLD
            else:
                json.loads(raw)  # plain JSON any TinyDB reads
            backups = backup_states(self.db)
            assert NEW not in backups
            self.left_sealed = backups[OLD]
            passphrase = OLD
        assert attempts_of(self.db, passphrase) == self.original, "the attempts changed"
        return state

    def run_again(self, forker: Forker, state: str) -> tuple[int, str]:
        unlocks_with = NEW if self.kind == "passphrase" and state == "new" else OLD
        argv, env = command_for(self.kind, self.db, unlocks_with=unlocks_with)
        status, out, _, _ = forker.run(argv, env)
        return status, out

    def finished(self, status: int, out: str, state: str) -> bool:
        """Check the state after running the command again; whether it had backups to finish
        (decrypt run again on a journal an interrupted decrypt left plain)."""
        assert "Traceback" not in out, out
        leftover = [p.name for p in files_under(self.work) if p.name.endswith(".tmp")]
        assert not leftover, f"temp files left: {leftover}"
        raw = self.db.read_bytes()
        if self.kind == "encrypt":
            assert status == 0, out
            assert is_sealed(raw) and opens_with(raw, OLD) == OLD
            assert backup_states(self.db) == Counter({OLD: len(all_backups(self.db))})
            assert_no_plaintext(self.work)
        elif self.kind == "passphrase":
            assert status == 0, out
            with pytest.raises(JournalWrongPassphrase):
                Journal.open(self.db, passphrase=lambda: OLD)
            Keys.unlock(raw, recovery=self.recovery)
            assert backup_states(self.db) == Counter({NEW: len(all_backups(self.db))})
            assert_no_plaintext(self.work)
        else:
            assert not is_sealed(raw)
            backups = backup_states(self.db)
            assert set(backups) == {"plain"}, backups
            if state == "new" and self.left_sealed:
                assert status == 0, out
                assert (
                    f"{self.left_sealed} backup(s) left encrypted by an interrupted decrypt are plain now"
                    in out
                )
            elif state == "new":
                assert status == 1 and "is not encrypted. Nothing was changed." in out, out
            else:
                assert status == 0, out
        final = NEW if self.kind == "passphrase" else OLD
        with Journal.open(self.db, passphrase=lambda: final) as journal:  # the writer's lock: not stale
            assert (
                sorted((a.to_dict() for a in journal.list_attempts()), key=lambda a: a["id"]) == self.original
            )
        return self.kind == "decrypt" and state == "new" and self.left_sealed > 0


def templates(tmp_path: Path, forker: Forker, kind: str) -> tuple[Path, list[dict[str, Any]], str]:
    """(the folder each round copies, its attempts, the recovery key or "")."""
    plain = tmp_path / "plain"
    make_plain_journal(plain)
    original = attempts_of(plain / "journal.json", OLD)
    assert len(original) == 150
    if kind == "encrypt":
        return plain, original, ""
    sealed = tmp_path / "sealed"
    shutil.copytree(plain, sealed)
    argv, env = command_for("encrypt", sealed / "journal.json")
    status, out, _, _ = forker.run(argv, env)
    assert status == 0, out
    found = RECOVERY.search(out)
    assert found, out
    return sealed, original, found.group(1)


@pytest.mark.parametrize("kind", ["encrypt", "passphrase", "decrypt"])
def test_a_kill_at_any_moment_leaves_the_old_or_the_new_journal_and_running_again_completes(
    tmp_path: Path, forker: Forker, kind: str
) -> None:
    template, original, recovery = templates(tmp_path, forker, kind)
    rng = random.Random(f"issue 14 {kind}")
    states: Counter[str] = Counter()
    finished_later = 0
    rounds = 0

    def one(die_after: int | None = None, kill_after: float | None = None) -> tuple[int, float, bool]:
        nonlocal rounds, finished_later
        rounds += 1
        this = Round(kind, template, tmp_path / f"round-{rounds}", original, recovery)
        argv, env = command_for(kind, this.db)
        status, out, took, killed = forker.run(argv, env, die_after=die_after, kill_after=kill_after)
        assert "Traceback" not in out, out
        assert status in (0, 9, -signal.SIGKILL), out
        state = this.after_kill()
        if status == 0:
            assert state == "new", "the command succeeded but the journal is as before"
        states[state] += 1
        again, out = this.run_again(forker, state)
        finished_later += this.finished(again, out, state)
        shutil.rmtree(this.work)
        return status, took, killed

    # Step rounds: after the 1st, 2nd, ... rename or link, until the command completes.
    durations = []
    steps = 0
    while True:
        steps += 1
        assert steps < 40, "the command never completes"
        status, took, _ = one(die_after=steps)
        durations.append(took)
        if status == 0:
            break
    assert steps >= 5, f"{kind} made only {steps - 1} renames: fewer than its backups"
    # Blind rounds: SIGKILL within the time the last steps took (the whole command).
    span = min(durations[-2:])
    kills = 0
    for _ in range(MAX_BLIND_ROUNDS):
        _, _, killed = one(kill_after=rng.uniform(0.0, span))
        kills += killed
        if kills >= BLIND_KILLS:
            break
    assert kills >= BLIND_KILLS, f"only {kills} of {MAX_BLIND_ROUNDS} random kills landed"
    # The kills fell both before and after the point of no return.
    assert states["old"] and states["new"], states
    if kind == "decrypt":
        assert finished_later, "no kill fell between decrypting the journal and its backups"


def test_decrypt_run_again_writes_plain_the_backups_an_interrupted_decrypt_left_sealed(
    tmp_path: Path, forker: Forker
) -> None:
    """A kill after decrypt replaced the journal but before its backups were written plain
    leaves them sealed; `decrypt` run again, on the plain journal, finishes them."""
    template, original, recovery = templates(tmp_path, forker, "decrypt")
    this = Round("decrypt", template, tmp_path / "round", original, recovery)
    argv, env = command_for("decrypt", this.db)
    # 1: the before-decrypt backup (a link), 2: the plain journal in place (a rename).
    status, out, _, _ = forker.run(argv, env, die_after=2)
    assert status == 9, out
    assert not is_sealed(this.db.read_bytes())
    assert this.after_kill() == "new" and this.left_sealed == len(all_backups(this.db))
    again, out = this.run_again(forker, "new")
    assert again == 0, out
    assert f"{this.db} was already plain." in out
    assert backup_states(this.db) == Counter({"plain": len(all_backups(this.db))})
