"""Away from the desk (issue 13): `pending --count` and the shell-prompt snippet.

The snippet (docs/shell/prompt.sh, quoted in README) reads the status file
only; its target is under 30 ms per prompt. `pending --count` starts Python:
its cost is reported beside a bare `python -c pass` of the same run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from benchmarks.journal_factory import write_journal
from rejection_tui.storage.journal import Journal

SNIPPET = Path(__file__).resolve().parents[1] / "docs" / "shell" / "prompt.sh"
PROMPTS = 200
"""Prompts drawn per snippet round (one bash, so bash's own start-up is not counted)."""


def _run(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - started


def snippet_seconds(status: Path) -> float:
    """Seconds per prompt: ``$(rt_pending)`` as PS1 runs it (a subshell each time)."""
    script = (
        f'PS1=""; source "{SNIPPET}"; export REJECTION_TUI_STATUS="{status}"; '
        f"s=$EPOCHREALTIME; for i in $(seq {PROMPTS}); do x=$(rt_pending); done; e=$EPOCHREALTIME; "
        'echo "$s $e"'
    )
    bash = ["bash", "--noprofile", "--norc", "-c", script]
    out = subprocess.run(bash, check=True, capture_output=True, text=True)
    start, end = (float(v.replace(",", ".")) for v in out.stdout.split())
    return (end - start) / PROMPTS


def measure(work: Path, size: int, rounds: int) -> dict[str, list[float]]:
    """Seconds per round, interleaved: pending --count, python -c pass, the prompt snippet."""
    path = write_journal(work / f"away-{size}.json", size)
    with Journal.open(path) as journal:
        journal.refresh_status()  # as the app does after its first frame
    count = [sys.executable, "-m", "rejection_tui", "--db", str(path), "pending", "--count"]
    results: dict[str, list[float]] = {"pending": [], "python": [], "snippet": []}
    for _ in range(rounds):
        results["pending"].append(_run(count))
        results["python"].append(_run([sys.executable, "-c", "pass"]))
        results["snippet"].append(snippet_seconds(path.with_name(path.name + ".status")))
    return results
