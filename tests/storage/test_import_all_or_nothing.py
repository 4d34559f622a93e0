"""Issue 10, point 1: an import is one write — after a failure or a kill the journal
holds all of the import or none of it, and every failure message is true."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.journal_factory import sample_attempts
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.storage import files
from rejection_tui.storage.errors import JournalError
from rejection_tui.storage.formats import export_json
from rejection_tui.storage.journal import Journal
from tests.conftest import NOW

CHILD = Path(__file__).with_name("crash_import.py")
REPO = Path(__file__).resolve().parents[2]
KILLS = 32


def stored_attempts(path: Path) -> dict[str, str]:
    """The attempts table on disk: attempt id → its document, spelled one way.

    Without ``updated_at`` (schema 2): each save stamps what it changes with the time it
    ran, so two runs of one import differ only there; what they hold is compared."""
    table = json.loads(path.read_bytes()).get("attempts", {})
    return {
        doc["id"]: json.dumps({k: v for k, v in doc.items() if k != "updated_at"}, sort_keys=True)
        for doc in table.values()
    }


def changed_versions(existing: list[Attempt]) -> list[Attempt]:
    """Each attempt edited: a planned one rated, a done one with a new note."""
    return [
        a.rate(fear_after=10, outcome=Outcome.ACCEPTED, now=NOW)
        if not a.is_done
        else replace(a, note="edited")
        for a in existing
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    existing=st.integers(0, 6),
    new=st.integers(0, 6),
    changed=st.integers(0, 6),
    fail_at=st.integers(1, 5),
    first_write_of_the_day=st.booleans(),
)
def test_an_import_changes_nothing_or_applies_every_row_under_a_failure_at_any_write(
    monkeypatch: pytest.MonkeyPatch,
    existing: int,
    new: int,
    changed: int,
    fail_at: int,
    first_write_of_the_day: bool,
) -> None:
    pool = sample_attempts(existing + new, seed=existing * 10 + new)
    old, fresh = pool[:existing], pool[existing:]
    edited = changed_versions(old[:changed])
    rows = [*fresh, *edited, *old[changed:]]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.json"
        with Journal.open(path, clock=lambda: NOW) as journal:
            journal.merge_attempts(old)
        if first_write_of_the_day:
            shutil.rmtree(path.parent / "backups", ignore_errors=True)
        before_disk = stored_attempts(path)
        before_bytes = path.read_bytes()
        calls = 0

        def failing_once(real: Any) -> Any:
            def put_in_place(src: object, dst: object) -> None:
                nonlocal calls
                calls += 1
                if calls == fail_at:
                    raise OSError(28, "No space left on device")
                real(src, dst)

            return put_in_place

        with Journal.open(path, clock=lambda: NOW) as journal:
            before_memory = journal.list_attempts()
            # Every file put in place: backups by replace or link, the journal by link (issue 15).
            with monkeypatch.context() as patched:
                patched.setattr(files.os, "replace", failing_once(files.os.replace))
                patched.setattr(files.os, "link", failing_once(files.os.link))
                try:
                    journal.merge_attempts(rows)
                except JournalError as error:
                    failed: JournalError | None = error
                else:
                    failed = None
            if failed is not None:
                # The message says the journal is unchanged: it must be true, on disk and in memory.
                assert "unchanged" in failed.message or "not" in failed.message
                assert stored_attempts(path) == before_disk and path.read_bytes() == before_bytes
                assert not [p for p in path.parent.iterdir() if p.name.startswith(".journal.json.aside-")]
                assert journal.list_attempts() == before_memory
            else:
                for attempt in rows:
                    assert journal.get_attempt(attempt.id) == attempt
        with Journal.open(path, clock=lambda: NOW) as again:
            expected = before_memory if failed is not None else rows
            assert sorted(again.list_attempts(), key=lambda a: a.id) == sorted(expected, key=lambda a: a.id)
            # And a later import still works (no stale next id, nothing half-applied in memory).
            again.merge_attempts(rows)
            assert {a.id for a in again.list_attempts()} == {a.id for a in rows}


def test_the_old_two_writes_are_one(
    journal: Journal, journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure at the journal's own write after the backups leaves neither the new nor the changed rows."""
    planned = sample_attempts(6, seed=3)
    journal.merge_attempts(planned)
    before = stored_attempts(journal_path)
    rows = [*sample_attempts(4, seed=99), *changed_versions(journal.list_attempts()[:3])]
    writes: list[str] = []
    real_link = files.os.link

    def second_journal_write_fails(src: str, dst: str) -> None:
        if Path(dst) == journal_path:  # the new journal linked into place (issue 15)
            writes.append(dst)
            if len(writes) == 2:
                raise OSError(5, "Input/output error")
        real_link(src, dst)

    with monkeypatch.context() as patched:
        patched.setattr(files.os, "link", second_journal_write_fails)
        journal.merge_attempts(rows)  # one write: the journal's first write succeeds with every row
    assert len(writes) == 1
    assert stored_attempts(journal_path) != before
    assert all(journal.get_attempt(a.id) == a for a in rows)


def test_sigkill_during_an_import_leaves_the_old_or_the_fully_imported_journal(tmp_path: Path) -> None:
    rng = random.Random(20261127)
    path = tmp_path / "journal.json"
    base = sample_attempts(400, seed=5)
    with Journal.open(path) as journal:
        journal.merge_attempts(base)
    old_bytes = path.read_bytes()
    old = stored_attempts(path)
    rows = [*sample_attempts(1500, seed=6), *changed_versions(base[:300])]
    source = tmp_path / "import.json"
    source.write_text(export_json(rows), encoding="utf-8")

    def run(delay: float | None) -> tuple[str, float | None]:
        path.write_bytes(old_bytes)
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(path), str(source)], stdout=subprocess.PIPE, text=True, cwd=REPO
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        if delay is None:
            line = child.stdout.readline().split()
            child.wait()
            return "done", float(line[1])
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        return "killed", None

    # How long the import takes here and now; kills land across it, and a bit after.
    _, took = run(None)
    assert took is not None
    new = stored_attempts(path)
    assert len(new) == 1900 and new != old
    seen = {"old": 0, "new": 0}
    for round_number in range(KILLS):
        run(rng.uniform(0, 1.6 * took))
        json.loads(path.read_bytes())  # never half-written
        now = stored_attempts(path)
        assert now in (old, new), f"round {round_number}: a half-applied import"
        seen["old" if now == old else "new"] += 1
        with Journal.open(path) as journal:  # opens at once: no stale lock
            assert not journal.problems()
    assert seen["old"] and seen["new"], seen  # kills landed both before and after the write
