"""Encryption's costs (issue 14): unlocking, and a save with and without encryption."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.journal_factory import write_journal
from rejection_tui.domain.models import Outcome
from rejection_tui.storage.encryption import encrypt
from rejection_tui.storage.journal import Journal

PASSPHRASE = "correct horse battery staple"


def _save_once(journal: Journal, round_number: int) -> float:
    planned = next(a for a in journal.list_attempts() if not a.is_done)
    rated = replace(
        planned.rate(fear_after=round_number % 100, outcome=Outcome.REJECTED), lesson=f"r{round_number}"
    )
    started = time.perf_counter()
    journal.update_attempt(rated)
    elapsed = time.perf_counter() - started
    journal.update_attempt(planned)  # back, so the next round rates it again
    return elapsed


UNLOCK = """
import sys, time
started = time.perf_counter()
from rejection_tui.storage.sealed import Keys
Keys.unlock(open(sys.argv[1], "rb").read(), sys.argv[2])
print(time.perf_counter() - started)
"""


def _unlock_in_a_new_process(path: Path) -> float:
    """Seconds to unlock as a start-up does: importing ``cryptography``, then scrypt and the
    first decryption (the interpreter's own start is not counted)."""
    out = subprocess.run(
        [sys.executable, "-c", UNLOCK, str(path), PASSPHRASE], check=True, capture_output=True, text=True
    )
    return float(out.stdout)


def measure(work: Path, sizes: tuple[int, ...], rounds: int) -> dict[str, list[float]]:
    """Seconds per round, interleaved: ``save-plain-N``, ``save-sealed-N`` and ``unlock``."""
    results: dict[str, list[float]] = {"unlock": []}
    journals = {}
    for n in sizes:
        plain = Journal.open(write_journal(work / f"plain-{n}.json", n))
        sealed = Journal.open(write_journal(work / f"sealed-{n}.json", n))
        encrypt(sealed, PASSPHRASE, None)
        journals[n] = (plain, sealed)
        results[f"save-plain-{n}"], results[f"save-sealed-{n}"] = [], []
    try:
        for i in range(rounds):
            for n, (plain, sealed) in journals.items():
                results[f"save-plain-{n}"].append(_save_once(plain, i))
                results[f"save-sealed-{n}"].append(_save_once(sealed, i))
            results["unlock"].append(_unlock_in_a_new_process(journals[sizes[0]][1].path))
    finally:
        for plain, sealed in journals.values():
            plain.close()
            sealed.close()
    return results


def startup(work: Path, size: int, rounds: int) -> dict[str, list[float]]:
    """Start-up to the Dashboard of the same journal, plain and encrypted (the passphrase from
    the environment, so no typing is timed), interleaved."""
    from benchmarks.startup import program
    from benchmarks.terminal import launch

    plain = write_journal(work / f"start-plain-{size}.json", size)
    sealed = write_journal(work / f"start-sealed-{size}.json", size)
    with Journal.open(sealed) as journal:
        encrypt(journal, PASSPHRASE, None)
    results: dict[str, list[float]] = {"plain": [], "sealed": []}
    for _ in range(rounds):
        results["plain"].append(launch([program(), "--db", str(plain)], "this week").seconds)
        command = ["env", f"REJECTION_TUI_PASSPHRASE={PASSPHRASE}", program(), "--db", str(sealed)]
        results["sealed"].append(launch(command, "this week").seconds)
    return results
