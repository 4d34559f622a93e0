"""`rejection-tui encrypt`, `decrypt` and `passphrase` from the shell (issue 14).

The first tests run real processes at the real scrypt cost (and at a
terminal, on a pty of their own: the passphrase is typed, never echoed);
the rest call ``cli.main`` in this process with scrypt's cost lowered to
2^10, which nothing outside a test can do.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB

from rejection_tui.cli import main
from rejection_tui.domain.models import Challenge, Outcome
from rejection_tui.locations import device_id
from rejection_tui.storage import files, sealed
from rejection_tui.storage.backups import all_backups, backup_dir, daily_backup_path, merged_dir
from rejection_tui.storage.encryption import encrypt
from rejection_tui.storage.envelope import ENTRY_MAGIC, FORMAT, is_sealed, split_header
from rejection_tui.storage.errors import JournalChangedOnDisk
from rejection_tui.storage.inbox import (
    RATE,
    SEALED_SUFFIX,
    Entry,
    hand_in,
    inbox_dir,
    is_import,
    status_path,
    take_in,
    waiting_files,
)
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.migrations import SCHEMA_VERSION
from rejection_tui.storage.sealed import Keys, WrongPassphrase, new_recovery_key
from rejection_tui.storage.stamps import stamp
from tests.conftest import NOW, planned
from tests.pty_terminal import Terminal

ENV, ENV_NEW = "REJECTION_TUI_PASSPHRASE", "REJECTION_TUI_NEW_PASSPHRASE"
P1, P2 = "correct horse battery", "a different passphrase"
WAIT = 30.0
RECOVERY_LINE = re.compile(r"Recovery key \(write it down and keep it private\): ([A-Z2-7-]+)")
V0_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "journal_v0.json"
LOG_ARGS = [
    "--fear-before", "60", "--no", "50", "--fear-after", "30", "--outcome", "rejected",
    "--happened", "no", "--when", "2026-11-19 10:00",
]  # fmt: skip


def run_cli(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """``rejection-tui ARGS`` as its own process, no terminal, with exactly the passphrases in ``env``."""
    base = {k: v for k, v in os.environ.items() if k not in (ENV, ENV_NEW)}
    return subprocess.run(
        [sys.executable, "-m", "rejection_tui", *args],
        input=stdin, capture_output=True, text=True, env={**base, **(env or {})}, timeout=WAIT,
    )  # fmt: skip


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr
    return stderr


def everything(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- real processes, the real cost ----------------------------------------------------


def test_the_whole_story_at_the_real_cost(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    db = ["--db", str(path)]
    assert run_cli(*db, "plan", "time", "--fear-before", "40", stdin="worry: SECRET WORRY").returncode == 0
    plain = path.read_bytes()
    assert b"SECRET WORRY" in plain

    made = run_cli(*db, "encrypt", "--recovery-key", env={ENV: P1})
    assert made.returncode == 0, made.stderr
    assert "no back door" in made.stderr  # said plainly before anything is done
    assert f"Encrypted {path}." in made.stdout
    found = RECOVERY_LINE.search(made.stdout)
    assert found, made.stdout
    recovery = found.group(1)
    raw = path.read_bytes()
    header, _, _ = split_header(raw)
    assert header["kdf"]["n"] == 2**15 and b"SECRET WORRY" not in raw

    locked = run_cli(*db, "stats")
    assert locked.returncode == 2 and locked.stdout == ""
    assert "is encrypted" in one_line(locked.stderr)
    for args in (["stats"], []):  # [] is the app: refused before its screen starts
        wrong = run_cli(*db, *args, env={ENV: "not the passphrase"})
        assert wrong.returncode == 2, wrong.stderr
        assert f"That passphrase does not open the journal {path}" in one_line(wrong.stderr)
    assert path.read_bytes() == raw

    changed = run_cli(*db, "passphrase", env={ENV: P1, ENV_NEW: P2})
    assert changed.returncode == 0, changed.stderr
    assert run_cli(*db, "stats", env={ENV: P1}).returncode == 2
    stats = run_cli(*db, "stats", env={ENV: P2})
    assert stats.returncode == 0 and "Planned (to rate):    1" in stats.stdout
    raw = path.read_bytes()
    recovered = Keys.unlock(raw, recovery=recovery)  # the key printed at encrypt still opens it
    assert json.loads(recovered.open(raw)) == json.loads(plain)

    opened = run_cli(*db, "decrypt", env={ENV: P2})
    assert opened.returncode == 0, opened.stderr
    assert json.loads(path.read_bytes()) == json.loads(plain)
    stock = TinyDB(path)
    try:
        assert [a["worry"] for a in stock.table("attempts").all()] == ["SECRET WORRY"]
    finally:
        stock.close()


def at_terminal(terminals: list[Terminal], *args: str) -> Terminal:
    """At a terminal, with no passphrase in the environment: it must be typed."""
    terminals.append(Terminal(*args, drop_env=(ENV, ENV_NEW)))
    return terminals[-1]


NEW_PROMPT = "New passphrase (at least 8 characters): "
AGAIN_PROMPT = "The same passphrase again: "


def test_encrypt_at_a_terminal_asks_twice_never_echoes_and_offers_a_recovery_key(
    tmp_path: Path, terminals: list[Terminal], challenge: Challenge
) -> None:
    path = tmp_path / "journal.json"
    with Journal.open(path) as journal:
        journal.add_attempt(planned(challenge))
    term = at_terminal(terminals, "--db", str(path), "encrypt")
    term.answer(NEW_PROMPT, "tiny7")
    assert "It must be at least 8 characters long." in term.answer(NEW_PROMPT, P1)
    term.answer(AGAIN_PROMPT, P1 + "!")
    assert "The two did not match; once more." in term.answer(NEW_PROMPT, P1)
    term.answer(AGAIN_PROMPT, P1)
    term.answer("Print a recovery key to keep somewhere safe? [Y/n] ", "")
    assert term.finish() == 0, term.output
    assert "no back door" in term.output
    assert P1 not in term.output and "tiny7" not in term.output  # never echoed
    found = RECOVERY_LINE.search(term.output)
    assert found, term.output
    raw = path.read_bytes()
    assert is_sealed(raw)
    assert Keys.unlock(raw, P1).data == Keys.unlock(raw, recovery=found.group(1)).data


@pytest.fixture
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**10)


def encrypted_journal(path: Path, challenge: Challenge, recovery: str | None = None) -> bytes:
    with Journal.open(path, clock=lambda: NOW) as journal:
        journal.add_attempt(planned(challenge, note="a note"))
        encrypt(journal, P1, recovery)
    return path.read_bytes()


@pytest.mark.usefixtures("cheap_scrypt")
def test_passphrase_recovery_at_a_terminal_sets_a_new_passphrase(
    tmp_path: Path, terminals: list[Terminal], challenge: Challenge
) -> None:
    path = tmp_path / "journal.json"
    recovery = new_recovery_key()
    encrypted_journal(path, challenge, recovery)
    wrong = at_terminal(terminals, "--db", str(path), "stats")
    wrong.answer("Passphrase for ", "not it at all")
    assert wrong.finish() == 2
    assert "That passphrase does not open the journal" in wrong.output and "Traceback" not in wrong.output

    term = at_terminal(terminals, "--db", str(path), "passphrase", "--recovery")
    term.answer("Recovery key for ", recovery.lower().replace("-", " "))  # as a person might type it
    term.answer(NEW_PROMPT, P2)
    term.answer(AGAIN_PROMPT, P2)
    assert term.finish() == 0, term.output
    assert f"The passphrase of {path} is changed." in term.output
    assert recovery.lower() not in term.output and P2 not in term.output
    raw = path.read_bytes()
    Keys.unlock(raw, P2)
    Keys.unlock(raw, recovery=recovery)  # kept: no new one was asked for
    with pytest.raises(WrongPassphrase):
        Keys.unlock(raw, P1)


# -- in this process, scrypt at 2^10 ---------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cheap_scrypt: None) -> Any:
    """``cli(*args, env=..., stdin=...)``: (exit status, stdout, stderr) of ``main(args)``,
    with no terminal and exactly the passphrases in ``env``."""

    def run(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> tuple[int, str, str]:
        for name in (ENV, ENV_NEW):
            monkeypatch.delenv(name, raising=False)
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        status = main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    return run


COMMANDS = [["stats"], ["check"], ["export", "--format", "csv"], ["encrypt"], ["decrypt"], ["passphrase"]]
IDS = ["stats", "check", "export", "encrypt", "decrypt", "passphrase"]


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_no_or_a_wrong_passphrase_is_one_line_and_exit_2_for_every_command(
    tmp_path: Path, cli: Any, challenge: Challenge, command: list[str]
) -> None:
    path = tmp_path / "journal.json"
    encrypted_journal(path, challenge)
    before = everything(tmp_path)
    status, out, err = cli("--db", str(path), *command, env={ENV_NEW: P2})
    assert status == 2 and out == ""
    assert f"The journal {path} is encrypted" in one_line(err)
    status, out, err = cli("--db", str(path), *command, env={ENV: P2, ENV_NEW: P2})
    assert status == 2 and out == ""
    assert f"That passphrase does not open the journal {path}. The file was not changed." in one_line(err)
    assert everything(tmp_path) == before


def test_damaged_and_truncated_files_are_one_line_and_exit_2(
    tmp_path: Path, cli: Any, challenge: Challenge
) -> None:
    raw = encrypted_journal(tmp_path / "journal.json", challenge)
    path = tmp_path / "damaged" / "journal.json"
    path.parent.mkdir()
    _, head, _ = split_header(raw)
    # Every 23rd byte, and the first and last of each part.
    positions = sorted({*range(0, len(raw), 23), 0, 9, 10, 13, 14, len(head) - 1, len(head), len(raw) - 1})
    cases = [raw[:p] + bytes([raw[p] ^ 0x20]) + raw[p + 1 :] for p in positions]
    cases += [raw[:length] for length in (1, 10, 13, 14, len(head), len(head) + 15, len(raw) - 1)]
    for case in cases:
        path.write_bytes(case)
        status, out, err = cli("--db", str(path), "stats", env={ENV: P1})
        assert status == 2 and out == ""
        line = one_line(err)
        assert f"{path}" in line and "The file was not changed." in line
        assert path.read_bytes() == case


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_a_newer_format_is_refused_by_every_command_and_left_byte_identical(
    tmp_path: Path, cli: Any, challenge: Challenge, command: list[str]
) -> None:
    path = tmp_path / "journal.json"
    raw = encrypted_journal(path, challenge)
    keys = Keys.unlock(raw, P1)
    path.write_bytes(Keys(keys.data, {**keys.header, "format": FORMAT + 1}).seal(keys.open(raw)))
    before = everything(tmp_path)
    status, _, err = cli("--db", str(path), *command, env={ENV: P1, ENV_NEW: P2})
    assert status == 2
    assert "encrypted in a newer format" in one_line(err) and "upgrade" in err
    assert everything(tmp_path) == before


@pytest.mark.parametrize("damage", ["newer-format", "cut-short"])
@pytest.mark.parametrize("command", ["plan", "log"])
def test_plan_and_log_beside_an_unreadable_encrypted_journal_say_so_in_one_line(
    tmp_path: Path, cli: Any, challenge: Challenge, damage: str, command: str
) -> None:
    path = tmp_path / "journal.json"
    raw = encrypted_journal(path, challenge)
    if damage == "newer-format":
        keys = Keys.unlock(raw, P1)
        raw = Keys(keys.data, {**keys.header, "format": FORMAT + 1}).seal(keys.open(raw))
    else:
        raw = raw[:30]
    path.write_bytes(raw)
    extra = LOG_ARGS if command == "log" else ["--fear-before", "40"]
    status, _, err = cli("--db", str(path), command, "time", *extra, stdin="worry: W")
    assert status == 2
    one_line(err)
    assert path.read_bytes() == raw
    assert not [p for p in inbox_dir(path).glob("*") if b"worry" in p.read_bytes()]


def test_encrypt_again_converts_backups_an_interrupted_encrypt_left_plain(
    tmp_path: Path, cli: Any, challenge: Challenge
) -> None:
    path = tmp_path / "journal.json"
    plain = None
    with Journal.open(path, clock=lambda: NOW) as journal:
        journal.add_attempt(planned(challenge, note="left plain"))
        plain = path.read_bytes()
        encrypt(journal, P1, None)
    leftover = backup_dir(path) / "journal-2026-11-01.json"
    leftover.write_bytes(plain)  # as a kill between the journal and its backups leaves it
    sealed_before = path.read_bytes()
    status, out, err = cli("--db", str(path), "encrypt", env={ENV: P1})
    assert status == 0, err
    assert f"{path} is already encrypted." in out
    assert "backup(s) left plain by an interrupted encrypt are encrypted now" in out
    assert path.read_bytes() == sealed_before  # the journal itself is not touched
    for backup in all_backups(path):
        assert b"left plain" not in backup.read_bytes()
        Keys.unlock(backup.read_bytes(), P1)


def test_decrypt_or_passphrase_on_a_plain_journal_and_bad_new_passphrases_change_nothing(
    tmp_path: Path, cli: Any, challenge: Challenge
) -> None:
    path = tmp_path / "journal.json"
    with Journal.open(path) as journal:
        journal.add_attempt(planned(challenge))
    before = everything(tmp_path)
    status, _, err = cli("--db", str(path), "decrypt", env={ENV: P1})
    assert status == 1 and f"{path} is not encrypted. Nothing was changed." in one_line(err)
    status, _, err = cli("--db", str(path), "passphrase", env={ENV: P1, ENV_NEW: P2})
    assert status == 1 and "is not encrypted: `rejection-tui encrypt` turns it on." in one_line(err)
    status, _, err = cli("--db", str(path), "encrypt", env={ENV: "short"})
    assert status == 1 and "must be at least 8 characters long. Nothing was changed." in err
    status, _, err = cli("--db", str(path), "encrypt")
    assert status == 1 and "type the new passphrase at a terminal, or set" in err
    assert everything(tmp_path) == before
    encrypted_journal(tmp_path / "sealed.json", challenge)
    before = everything(tmp_path)
    status, _, err = cli("--db", str(tmp_path / "sealed.json"), "passphrase", env={ENV: P1})
    assert status == 1 and f"or set {ENV_NEW}. Nothing was changed." in err
    status, _, err = cli(
        "--db", str(tmp_path / "sealed.json"), "passphrase", env={ENV: P1, ENV_NEW: "2short"}
    )
    assert status == 1 and f"{ENV_NEW} must be at least 8 characters long" in err
    assert everything(tmp_path) == before
    missing = tmp_path / "missing.json"
    status, _, err = cli("--db", str(missing), "encrypt", env={ENV: P1})
    assert status == 2 and "there is no journal at" in err and not missing.exists()


# -- the inbox ------------------------------------------------------------------------------


def test_an_entry_recorded_without_the_passphrase_is_sealed_and_taken_in_exactly_once(
    tmp_path: Path, cli: Any, challenge: Challenge
) -> None:
    path = tmp_path / "journal.json"
    encrypted_journal(path, challenge)
    status, out, err = cli(
        "--db", str(path), "plan", "time", "--fear-before", "40", stdin="worry: BOXED WORRY"
    )
    assert status == 0, err
    assert "Your journal is encrypted: this is kept, sealed" in out
    [entry] = waiting_files(path)
    assert entry.name.endswith(".json" + SEALED_SUFFIX)
    sealed_entry = entry.read_bytes()
    assert sealed_entry.startswith(ENTRY_MAGIC) and b"BOXED" not in sealed_entry
    assert oct(entry.stat().st_mode & 0o777) == oct(0o600)
    with Journal.open(path, passphrase=lambda: P1) as journal:
        taken = take_in(journal)
        assert [a.worry for a in taken.added] == ["BOXED WORRY"] and not taken.set_aside
        assert waiting_files(path) == []
        assert not take_in(journal).changed
        # The same entry again, as a crash between the save and the delete leaves it: skipped.
        entry.write_bytes(sealed_entry)
        again = take_in(journal)
        assert not again.changed and not again.set_aside and waiting_files(path) == []
    with Journal.open(path, passphrase=lambda: P1) as journal:
        assert [a.worry for a in journal.list_attempts()].count("BOXED WORRY") == 1
    # With the passphrase at hand, the shell command takes it in at once.
    status, _, err = cli("--db", str(path), "log", "time", *LOG_ARGS, stdin="note: AT ONCE", env={ENV: P1})
    assert status == 0, err
    assert waiting_files(path) == []
    with Journal.open(path, passphrase=lambda: P1) as journal:
        assert [a.note for a in journal.list_attempts()].count("AT ONCE") == 1


# -- no plaintext anywhere --------------------------------------------------------------------

SECRETS = {
    "fixture": "She smiled. Nothing bad happened.",  # in journal_v0.json: migrated, backed up
    "note": "NOTE-SECRET-1",
    "worry": "WORRY-SECRET-2",
    "lesson": "LESSON-SECRET-3",
    "title": "TITLE-SECRET-4",
    "inbox-worry": "INBOX-WORRY-SECRET-5",
    "inbox-note": "INBOX-NOTE-SECRET-6",
    "later": "LATER-SECRET-7",
    "recovered": "RECOVERED-SECRET-8",
    "imported": "IMPORTED-SECRET-9",
    "merged": "MERGED-SECRET-10",
    "theirs": "THEIRS-SECRET-11",
}


def test_no_plaintext_anywhere_on_disk_after_encrypt(
    tmp_path: Path, cli: Any, challenge: Challenge, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "journal.json"
    shutil.copy(V0_FIXTURE, path)  # an old schema: opening it migrates, with a before-v1 backup
    with Journal.open(path, clock=lambda: NOW - timedelta(days=2)) as journal:
        journal.add_attempt(planned(challenge, note=SECRETS["note"], worry=SECRETS["worry"]))
    with Journal.open(path, clock=lambda: NOW - timedelta(days=1)) as journal:
        first = journal.add_attempt(planned(challenge, at=NOW - timedelta(days=1)))
        journal.update_attempt(first.rate(fear_after=10, outcome=Outcome.ACCEPTED, lesson=SECRETS["lesson"]))
    own = ["--own", "--level", "3", "--category", "small_talk", "--fear-before", "30"]
    status, _, err = cli("--db", str(path), "plan", SECRETS["title"], *own, stdin="worry: x")
    assert status == 0, err
    plain = path.read_bytes()
    assert all(
        secret.encode() in plain
        for key, secret in SECRETS.items()
        if key in ("fixture", "note", "worry", "lesson", "title")
    )

    status, _, err = cli("--db", str(path), "encrypt", "--recovery-key", env={ENV: P1})
    assert status == 0, err
    # From here on, what every temporary file beside the journal held when it was renamed.
    written: list[tuple[Path, bytes]] = []
    real_write_temp = files._write_temp

    def recording(target: Path, data: bytes, prefix: str, *, sync: bool = True) -> str:
        written.append((Path(target), data))
        return real_write_temp(target, data, prefix, sync=sync)

    monkeypatch.setattr(files, "_write_temp", recording)
    # The shell records without the passphrase: sealed entries.
    status, _, err = cli(
        "--db", str(path), "plan", "time", "--fear-before", "40", stdin=f"worry: {SECRETS['inbox-worry']}"
    )
    assert status == 0, err
    status, _, err = cli("--db", str(path), "log", "time", *LOG_ARGS, stdin=f"note: {SECRETS['inbox-note']}")
    assert status == 0, err
    boxes = waiting_files(path)
    assert len(boxes) == 2 and all(b.name.endswith(SEALED_SUFFIX) for b in boxes)
    # A file imported while the app holds the journal: its copy waits in the inbox.
    exported = tmp_path / "elsewhere" / "to-import.csv"
    status, _, err = cli("--db", str(tmp_path / "elsewhere" / "other.json"), "plan", "time", "--fear-before", "5",
                         stdin=f"note: {SECRETS['imported']}")  # fmt: skip
    assert status == 0, err
    status, _, err = cli("--db", str(tmp_path / "elsewhere" / "other.json"), "export", "--format", "csv",
                         "-o", str(exported))  # fmt: skip
    assert status == 0 and SECRETS["imported"].encode() in exported.read_bytes(), err  # exports stay plain
    # Used later: a save on a new day (a daily backup), one that merges another device's version
    # put in place (a backup before the merge, the version not kept in backups/merged/), then one
    # refused because the file in place cannot be merged (a recovery file).
    later = NOW + timedelta(days=30)
    with Journal.open(path, clock=lambda: later, passphrase=lambda: P1) as journal:
        status, out, err = cli("--db", str(path), "import", str(exported))
        assert status == 0 and "The app has your journal open" in out, err
        [copy] = [p for p in waiting_files(path) if is_import(p)]
        assert copy.name.endswith(".import.csv" + SEALED_SUFFIX)
        keys = journal.storage().keys
        assert keys is not None
        for box in waiting_files(path):  # what plan, log and import left, opened only with the journal's keys
            assert any(s.encode() in keys.open_entry(box.read_bytes()) for s in SECRETS.values())
        taken = take_in(journal)
        assert len(taken.added) == 2 and len(taken.imported) == 1 and not taken.set_aside
        journal.add_attempt(planned(challenge, at=later, note=SECRETS["later"]))
        saved = keys.open(path.read_bytes())
        assert all(
            SECRETS[key].encode() in saved for key in ("inbox-worry", "inbox-note", "imported", "later")
        )
        # Another device's version, sealed with the same keys: a newer edit of one attempt.
        theirs = json.loads(saved)
        edited = next(doc for doc in theirs["attempts"].values() if doc["note"] == SECRETS["later"])
        edited.update(
            note=SECRETS["theirs"], updated_at=stamp(later + timedelta(hours=1)), updated_by="0" * 16
        )
        path.write_bytes(keys.seal(json.dumps(theirs).encode()))
        journal.add_attempt(planned(challenge, at=later, note=SECRETS["merged"]))
        assert any("the two versions were merged" in n for n in journal.take_notices())
        merged = keys.open(path.read_bytes())
        assert SECRETS["merged"].encode() in merged and SECRETS["theirs"].encode() in merged
        [older] = [p for p in merged_dir(path).iterdir() if "-older-versions-" in p.name]
        assert SECRETS["later"].encode() in keys.open(older.read_bytes())  # the version not kept, sealed
        # A version that cannot be merged (from a newer rejection-tui), same keys: refused.
        path.write_bytes(
            keys.seal(json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}}).encode())
        )
        with pytest.raises(JournalChangedOnDisk, match="newer version") as refused:
            journal.add_attempt(planned(challenge, at=later, note=SECRETS["recovered"]))
    recovery_file = refused.value.recovery
    assert recovery_file is not None and recovery_file.parent == folder
    assert SECRETS["recovered"].encode() in keys.open(recovery_file.read_bytes())

    on_disk = [p for p in folder.rglob("*") if p.is_file()]  # the journal's folder: all of it
    names = {p.name for p in on_disk}
    assert daily_backup_path(path, later.date(), device_id()).name in names
    assert any(n.endswith(f"-before-v{SCHEMA_VERSION}.json") for n in names) and any(
        n.endswith("-before-encrypt.json") for n in names
    )
    assert any(n.endswith("-before-merge.json") for n in names)
    assert status_path(path).name in names and recovery_file.name in names
    leaks = [
        (str(p.relative_to(folder)), key)
        for p in on_disk
        for key, s in SECRETS.items()
        if s.encode() in p.read_bytes()
    ]
    assert not leaks
    beside = [(target, data) for target, data in written if folder in target.parents]
    assert len(beside) >= 6, "the temporary files of plan, log, import, two saves, a backup, a recovery file"
    leaks = [
        (target.name, key) for target, data in beside for key, s in SECRETS.items() if s.encode() in data
    ]
    assert not leaks
    for backup in all_backups(path):
        assert is_sealed(backup.read_bytes())


def test_plaintext_made_before_encrypt_beside_the_journal_does_not_survive_it(
    tmp_path: Path, cli: Any, challenge: Challenge
) -> None:
    path = tmp_path / "journal.json"
    with Journal.open(path) as journal:
        ask = journal.add_attempt(planned(challenge, note="PLANNED-SECRET"))
        raw = path.read_bytes()
        # Another program's change that cannot be merged (not JSON): the next save goes to a recovery file.
        path.write_bytes(b"{" + raw)
        with pytest.raises(JournalChangedOnDisk) as refused:
            journal.add_attempt(planned(challenge, note="RECOVERY-SECRET"))
        assert (
            refused.value.recovery is not None and b"RECOVERY-SECRET" in refused.value.recovery.read_bytes()
        )
        path.write_bytes(raw)
        # Another device's newer edit of that ask, merged: the version not kept goes to backups/merged/.
        theirs = json.loads(raw)
        theirs["attempts"]["1"].update(
            note="THEIRS-SECRET", updated_at=stamp(datetime.now(UTC) + timedelta(days=1)), updated_by="0" * 16
        )
        path.write_bytes(json.dumps(theirs).encode())
        journal.add_attempt(planned(challenge))
        [older] = [p for p in merged_dir(path).iterdir() if "-older-versions-" in p.name]
        assert b"PLANNED-SECRET" in older.read_bytes() and b"THEIRS-SECRET" in path.read_bytes()
    with Journal.open(path) as journal:
        journal.update_attempt(ask.rate(fear_after=1, outcome=Outcome.REJECTED))
    # A rating from the shell that conflicts with that one: set aside, never deleted.
    hand_in(path, Entry(RATE, ask.rate(fear_after=99, outcome=Outcome.ACCEPTED, lesson="KEPT-SECRET")))
    with Journal.open(path) as journal:
        assert len(take_in(journal).set_aside) == 1
    status, _, err = cli("--db", str(path), "encrypt", env={ENV: P1})
    assert status == 0, err
    leaks = [p.name for p in tmp_path.rglob("*") if p.is_file() and b"-SECRET" in p.read_bytes()]
    assert not leaks
