"""`rejection-tui merge [FILE]` and the conflict copies the other commands meet, end to end (issue 15).

Every command runs as the installed program does (``python -m rejection_tui``
in a subprocess), on journals under tmp_path; "this device" and "the other
device" differ by their config folder, so by their device id.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Outcome
from rejection_tui.storage.backups import merged_dir
from rejection_tui.storage.journal import Journal
from tests.conftest import NOW, planned
from tests.sync.histories import diverge

SYNCTHING = "journal.sync-conflict-20261127-101010-ABCDEFG.json"
TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")
DIRECTIONS = next(c for c in builtin_challenges() if c.id == "ask-directions")


def run_cli(
    *args: str, config: Path | None = None, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"XDG_CONFIG_HOME": str(config)} if config else {})}
    return subprocess.run(
        [sys.executable, "-m", "rejection_tui", *args],
        input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True, text=True, env=env, cwd=cwd, timeout=60,
    )  # fmt: skip


def stored(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def attempt_ids(path: Path) -> list[str]:
    return sorted(doc["id"] for doc in stored(path).get("attempts", {}).values())


@contextmanager
def as_device(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """In-process journal work as the device ``name`` (its own config folder, so its own id)."""
    config = tmp_path / f"config-{name}"
    with monkeypatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(config))
        yield config


def one_journal(path: Path) -> Path:
    with Journal.open(path, clock=lambda: NOW) as journal:
        journal.add_attempt(planned(TIME, worry="they ignore me"))
    return path


# -- merge: the copies beside the journal ----------------------------------------------


def test_merge_with_no_copies_says_there_is_nothing_to_merge(tmp_path: Path) -> None:
    journal = one_journal(tmp_path / "journal.json")
    before = journal.read_bytes()
    result = run_cli("--db", str(journal), "merge")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Nothing to merge: no copies of the journal are beside {journal}.\n"
    assert result.stderr == ""
    assert journal.read_bytes() == before
    assert not merged_dir(journal).exists()


def test_merge_without_a_journal_creates_none(tmp_path: Path) -> None:
    """As `stats`, `export` and `check`: a mistyped path must not leave a new, empty journal
    behind in a synced folder (it would travel to every device)."""
    missing = tmp_path / "Sync" / "jornal.json"
    result = run_cli("--db", str(missing), "merge")
    assert result.returncode == 2
    assert result.stderr == f"rejection-tui: there is no journal at {missing} yet.\n"
    assert not missing.exists() and not missing.parent.exists()


def test_merge_merges_a_syncthing_copy_beside_the_journal_and_says_so_once(tmp_path: Path) -> None:
    made = diverge(tmp_path, SYNCTHING)
    copy = made.copy.read_bytes()
    result = run_cli("--db", str(made.journal), "merge", config=tmp_path / "config-this")
    assert result.returncode == 0, result.stderr
    # The report once, on stdout: not also on stderr as the journal opened.
    said = result.stdout + result.stderr
    assert said.count(f"Merged {SYNCTHING}.") == 1
    assert result.stdout.startswith(f"Merged {SYNCTHING}. 1 attempt added;")
    assert "1 attempt deleted, as on the other device" in result.stdout
    assert result.stderr == ""
    # The copy is put away; the journal has what only the other device had.
    assert not made.copy.exists()
    assert (merged_dir(made.journal) / SYNCTHING).read_bytes() == copy
    assert f"The copy was moved to {merged_dir(made.journal)}." in result.stdout
    ids = made.ids
    assert attempt_ids(made.journal) == sorted(ids[k] for k in ("A1", "A2", "A4", "B1", "D1"))
    # Run again: nothing is left to merge.
    again = run_cli("--db", str(made.journal), "merge", config=tmp_path / "config-this")
    assert again.returncode == 0 and again.stdout.startswith("Nothing to merge")


# -- merge FILE ----------------------------------------------------------------------


def test_merge_file_merges_a_journal_kept_elsewhere_and_leaves_it_there(tmp_path: Path) -> None:
    made = diverge(tmp_path, SYNCTHING)
    elsewhere = tmp_path / "usb-stick" / "journal.json"
    elsewhere.parent.mkdir()
    shutil.move(made.copy, elsewhere)
    content = elsewhere.read_bytes()
    result = run_cli("--db", str(made.journal), "merge", str(elsewhere), config=tmp_path / "config-this")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Merged journal.json. 1 attempt added;")
    assert "The copy was moved" not in result.stdout
    assert result.stdout.count("\n") == 1 and result.stderr == ""
    assert elsewhere.read_bytes() == content  # left where it is, as it is
    assert made.ids["B1"] in attempt_ids(made.journal)
    assert made.ids["A3"] not in attempt_ids(made.journal)  # deleted there, so deleted here


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_merge_file_takes_an_exports_new_attempts_and_keeps_this_journals_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    journal, other = tmp_path / "journal.json", tmp_path / "other" / "journal.json"
    with as_device("this", tmp_path, monkeypatch), Journal.open(journal, clock=lambda: NOW) as mine:
        shared = mine.add_attempt(planned(TIME, worry="they ignore me"))
    other.parent.mkdir()
    shutil.copy2(journal, other)
    later = NOW + timedelta(hours=2)
    with as_device("other", tmp_path, monkeypatch), Journal.open(other, clock=lambda: later) as theirs:
        theirs.update_attempt(shared.rate(fear_after=20, outcome=Outcome.ACCEPTED, now=later))
        new = theirs.add_attempt(planned(DIRECTIONS, worry="they walk on", at=later))
    sooner = NOW + timedelta(hours=1)
    with as_device("this", tmp_path, monkeypatch), Journal.open(journal, clock=lambda: sooner) as mine:
        mine.update_attempt(shared.rate(fear_after=40, outcome=Outcome.REJECTED, now=sooner))
    export = tmp_path / f"export.{fmt}"
    made = run_cli("--db", str(other), "export", "--format", fmt, "-o", str(export))
    assert made.returncode == 0, made.stderr
    content = export.read_bytes()

    result = run_cli("--db", str(journal), "merge", str(export), config=tmp_path / "config-this")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Merged export.{fmt}. 1 attempt added.")
    assert export.read_bytes() == content  # left where it is
    with Journal.open(journal, reader=True) as merged:
        kept = {a.id: a for a in merged.list_attempts()}
    assert sorted(kept) == sorted([shared.id, new.id])
    assert kept[new.id].worry == "they walk on"
    # An export has no stamps: this journal's version is kept, though the export's is newer ...
    assert (kept[shared.id].fear_after, kept[shared.id].outcome) == (40, Outcome.REJECTED)
    # ... and the export's is saved among the versions not kept, in a journal the person can open.
    [older] = merged_dir(journal).glob("journal-older-versions-*.json")
    assert f"The versions not kept are saved in {older}." in result.stdout
    with Journal.open(older, reader=True) as saved:
        [lost] = saved.list_attempts()
    assert (lost.id, lost.fear_after, lost.outcome) == (shared.id, 20, Outcome.ACCEPTED)


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("notes.json", b"hello, this is not a journal\n", "it cannot be read"),
        (
            "journal-from-the-future.json",
            b'{"meta": {"1": {"schema_version": 99, "created_at": "2026-11-01T09:00:00+00:00"}}}',
            r"it was written by a newer version of rejection-tui",
        ),
        (
            "journal-broken.json",
            b'{"meta": {"1": {"schema_version": 2, "created_at": "2026-11-01T09:00:00+00:00"}}, '
            b'"attempts": {"1": {"id": "x", "fear_before": 900}}}',
            # One record with two problems (created_at and status missing): "1 record", or
            # "2 problems" as `check` counts them; never "2 records".
            r"(1 record in it cannot be read|2 problems)",
        ),
    ],
    ids=["not a journal", "newer version", "a record failing the contract"],
)
def test_merge_file_refuses_a_bad_file_and_changes_nothing(
    tmp_path: Path, name: str, content: bytes, why: str
) -> None:
    journal = one_journal(tmp_path / "journal.json")
    bad = tmp_path / "elsewhere" / name
    bad.parent.mkdir()
    bad.write_bytes(content)
    before = journal.read_bytes()
    result = run_cli("--db", str(journal), "merge", str(bad))
    assert result.returncode == 1
    assert re.match(rf"{re.escape(name)} was not merged: {why}", result.stdout), result.stdout
    assert "It is left where it is, unchanged: look at it with `rejection-tui --db`" in result.stdout
    assert bad.read_bytes() == content and journal.read_bytes() == before
    assert not merged_dir(journal).exists()


@pytest.mark.parametrize("spelled", ["the same path", "relative", "a symbolic link"])
def test_merge_file_refuses_the_journal_itself(tmp_path: Path, spelled: str) -> None:
    journal = one_journal(tmp_path / "journal.json")
    before = journal.read_bytes()
    if spelled == "a symbolic link":
        (tmp_path / "link.json").symlink_to(journal)
        named = tmp_path / "link.json"
    else:
        named = Path("journal.json") if spelled == "relative" else journal
    result = run_cli("--db", str(journal), "merge", str(named), cwd=tmp_path)
    assert result.returncode == 1
    assert "is the journal itself: name another copy of it, or an export." in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    assert journal.read_bytes() == before


def test_merge_file_that_does_not_exist(tmp_path: Path) -> None:
    journal = one_journal(tmp_path / "journal.json")
    before = journal.read_bytes()
    missing = tmp_path / "no-such-copy.json"
    result = run_cli("--db", str(journal), "merge", str(missing))
    assert result.returncode == 1
    assert result.stderr == f"rejection-tui: there is no file at {missing}.\n"
    assert result.stdout == "" and journal.read_bytes() == before


def test_merge_while_the_journal_is_open_elsewhere_is_refused_in_one_line(tmp_path: Path) -> None:
    made = diverge(tmp_path, SYNCTHING)
    copy, before = made.copy.read_bytes(), made.journal.read_bytes()
    with Journal.open(made.journal, merge_copies=False):  # the app, say, holds the lock
        result = run_cli("--db", str(made.journal), "merge", config=tmp_path / "config-this")
    assert result.returncode == 2
    assert result.stderr == (
        f"rejection-tui: The journal {made.journal} is already open in another rejection-tui "
        f"(process {os.getpid()}). Close that one first, or use --db to open a different file.\n"
    )
    assert result.stdout == ""
    assert made.copy.read_bytes() == copy and made.journal.read_bytes() == before


# -- the other commands and a copy beside the journal ------------------------------------


@pytest.mark.parametrize("command", [["stats"], ["pending"], ["export"], ["check"]], ids=" ".join)
def test_a_reading_command_names_a_copy_waiting_once_and_leaves_it(
    tmp_path: Path, command: list[str]
) -> None:
    made = diverge(tmp_path, SYNCTHING)
    copy, before = made.copy.read_bytes(), made.journal.read_bytes()
    result = run_cli("--db", str(made.journal), *command, config=tmp_path / "config-this")
    assert result.returncode == 0, result.stderr
    naming = [line for line in result.stderr.splitlines() if SYNCTHING in line]
    assert naming == [
        f"rejection-tui: beside your journal are copies a sync tool left ({SYNCTHING}); rejection-tui "
        "checks and merges them when it next opens the journal for writing (the app, or `rejection-tui merge`)."
    ]
    assert SYNCTHING not in result.stdout
    assert made.copy.read_bytes() == copy and made.journal.read_bytes() == before


@pytest.mark.parametrize("command", ["log", "import"])
def test_a_writing_command_merges_a_copy_beside_and_says_so(tmp_path: Path, command: str) -> None:
    made = diverge(tmp_path, SYNCTHING)
    if command == "log":
        args = ["log", "Ask a passer-by for directions", "--fear-before", "40", "--no", "20",
                "--fear-after", "10", "--outcome", "accepted", "--happened", "no"]  # fmt: skip
        stdin: str | None = "lesson: people like to help\n"
    else:
        csv = tmp_path / "from-a-spreadsheet.csv"
        with Journal.open(tmp_path / "elsewhere.json", clock=lambda: NOW) as elsewhere:
            elsewhere.add_attempt(planned(DIRECTIONS, worry="they walk on"))
            csv.write_text(elsewhere.export_text("csv", NOW), encoding="utf-8")
        args, stdin = ["import", str(csv)], None
    result = run_cli("--db", str(made.journal), *args, config=tmp_path / "config-this", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Logged: " if command == "log" else "Imported from ")
    said = result.stdout + result.stderr
    assert said.count(f"Merged {SYNCTHING}.") == 1
    assert f"rejection-tui: Merged {SYNCTHING}. 1 attempt added;" in result.stderr
    assert not made.copy.exists() and (merged_dir(made.journal) / SYNCTHING).exists()
    titles = [doc["challenge_title"] for doc in stored(made.journal)["attempts"].values()]
    assert titles.count("Ask a passer-by for directions") == 1  # what this command recorded
    assert made.ids["B1"] in attempt_ids(made.journal)  # what the copy brought


def test_merge_file_naming_a_conflict_copy_beside_the_journal_merges_it_once(tmp_path: Path) -> None:
    """The natural thing to type on seeing the copy: it is merged as the journal opens (and put
    away), and the command says so, instead of "there is no file" and exit 1 after merging it."""
    made = diverge(tmp_path, SYNCTHING)
    result = run_cli("--db", str(made.journal), "merge", str(made.copy), config=tmp_path / "config-this")
    assert "there is no file" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).count(f"Merged {SYNCTHING}.") == 1
    assert result.stdout.startswith(f"Merged {SYNCTHING}. 1 attempt added;")
    assert not made.copy.exists() and (merged_dir(made.journal) / SYNCTHING).is_file()
    assert made.ids["B1"] in attempt_ids(made.journal)
