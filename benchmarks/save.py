"""One save through the storage layer against the physical floor, same run."""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.journal_factory import write_journal
from rejection_tui.domain.models import Outcome
from rejection_tui.storage.journal import Journal


def floor_once(document: object, target: Path) -> float:
    """json.dumps of the same document + write + fsync + os.replace."""
    started = time.perf_counter()
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    fd, temp = tempfile.mkstemp(dir=target.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, target)
    return time.perf_counter() - started


def measure(work: Path, sizes: tuple[int, ...], rounds: int) -> dict[int, tuple[list[float], list[float]]]:
    """Seconds per size and round, interleaved: (our saves, the floor's)."""
    results = {}
    for n in sizes:
        path = write_journal(work / f"save-{n}.json", n)
        ours, floor = [], []
        with Journal.open(path) as journal:
            planned = next(a for a in journal.list_attempts() if not a.is_done)
            floor_target = work / f"floor-{n}.json"
            for i in range(rounds):
                rated = planned.rate(fear_after=i % 100, outcome=Outcome.REJECTED)
                rated = replace(rated, lesson=f"round {i}")
                started = time.perf_counter()
                journal.update_attempt(rated)
                ours.append(time.perf_counter() - started)
                floor.append(floor_once(journal._storage.read(), floor_target))  # same document
        results[n] = (ours, floor)
    return results
