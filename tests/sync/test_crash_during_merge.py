"""SIGKILL at each step of merging a conflict copy (issue 15): the journal and the copy stay
readable, and merging again gives the journal a merge without a crash gives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rejection_tui.storage.backups import merged_dir
from rejection_tui.storage.journal import Journal
from tests.sync.histories import Clock, device, diverge

COPY = "journal.sync-conflict-20261127-101010-ABCDEFG.json"
ROOT = Path(__file__).resolve().parents[2]


def records(path: Path) -> dict[tuple[str, str], Any]:
    """Each record by (table, id or key), without where it sits in the file."""
    document = json.loads(path.read_text(encoding="utf-8"))
    found: dict[tuple[str, str], Any] = {}
    for table, docs in document.items():
        if table == "meta":
            continue
        for doc in docs.values():
            key = doc.get("id") or doc.get("key") or json.dumps(doc, sort_keys=True)
            assert (table, key) not in found, f"{table} {key} twice"
            found[(table, key)] = doc
    return found


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[tuple[str, str], Any]]:
    """The diverged folder, and what merging it without a crash gives."""
    template = tmp_path_factory.mktemp("template")
    os.environ.setdefault("XDG_CONFIG_HOME", str(template / "xdg"))
    diverge(template, COPY)
    clean = tmp_path_factory.mktemp("clean")
    shutil.copytree(template, clean, dirs_exist_ok=True)
    with device("this", clean), Journal.open(clean / "journal.json", clock=Clock().at(30)):
        pass
    return template, records(clean / "journal.json")


def run_child(folder: Path, call: str, when: str, nth: int) -> bool:
    env = {**os.environ, "XDG_CONFIG_HOME": str(folder / "config-this"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.sync.crash_merge", str(folder / "journal.json"), call, when, str(nth)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    if done.returncode == 0:
        assert "survived" in done.stdout
        return True
    assert done.returncode == 9, done.stderr
    return False


@pytest.mark.parametrize("call", ["link", "rename", "unlink", "fsync"])
def test_a_kill_at_any_step_of_a_merge_loses_nothing(
    tmp_path: Path, prepared: tuple[Path, dict[tuple[str, str], Any]], call: str
) -> None:
    template, expected = prepared
    killed = 0
    for nth in range(1, 60):
        for when in ("before", "after"):
            folder = tmp_path / f"{call}-{nth}-{when}"
            shutil.copytree(template, folder)
            survived = run_child(folder, call, when, nth)
            journal, copy = folder / "journal.json", folder / COPY
            # Readable as it is: the journal (in place, or set aside by the save) and the copy.
            with device("this", folder), Journal.open(journal, reader=True) as snapshot:
                assert snapshot.count_attempts() >= 4
            moved = merged_dir(journal) / COPY
            assert copy.exists() or moved.exists()
            json.loads((copy if copy.exists() else moved).read_text(encoding="utf-8"))
            # Merging again (the next start) gives what a merge without a crash gives.
            with device("this", folder), Journal.open(journal, clock=Clock().at(30)):
                pass
            assert records(journal) == expected, f"{call} {when} #{nth}"
            assert not copy.exists() and not any(
                p.name.startswith(".journal.json.aside") for p in folder.iterdir()
            )
            if survived:
                assert killed, f"no {call} call was made"
                return
            killed += 1
    raise AssertionError(f"the merge kept making {call} calls")
