"""The shell says what the journal says (issue 10): notices and read-only, once, on stderr;
writing commands refuse a read-only journal in one line; a closed pipe is not an error."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from rejection_tui import cli
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.storage import files
from rejection_tui.storage.formats import export_json
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.lock import lock_path_for
from tests.conftest import NOW, done, planned

COMMANDS = [["stats"], ["export"], ["export", "--format", "csv"], ["check"], ["keymap"]]


def make_journal(path: Path, attempts: int = 2) -> None:
    challenges = builtin_challenges()
    with Journal.open(path, clock=lambda: NOW) as journal:
        for number in range(attempts):
            challenge = challenges[number % len(challenges)]
            journal.add_attempt(done(challenge, at=NOW - timedelta(hours=number)))


def err_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


# -- notices: said once, by every command and before the app starts ------------


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_says_the_journals_notices_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = tmp_path / "journal.json"
    make_journal(path)
    os.chmod(path, 0o644)
    notice = f"rejection-tui: Your journal {path} was readable by others (0644); it is now readable by you alone."
    assert cli.main(["--db", str(path), *command]) == 0
    assert err_lines(capsys).count(notice) == 1
    assert cli.main(["--db", str(path), *command]) == 0  # tightened: nothing more to say
    assert err_lines(capsys) == []


def test_import_says_the_notices_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "journal.json"
    make_journal(path)
    source = tmp_path / "in.json"
    source.write_text(export_json([planned(builtin_challenges()[5])]), encoding="utf-8")
    os.chmod(path, 0o640)
    assert cli.main(["--db", str(path), "import", str(source)]) == 0
    err = err_lines(capsys)
    assert err == [f"rejection-tui: Your journal {path} was readable by others (0640); it is now readable by you alone."]


class FakeApp:
    """Stands in for the Textual app: records what stderr held when it would have started."""

    seen: dict[str, object] = {}

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.return_code = 0

    def run(self) -> None:
        FakeApp.seen["notices left for the app"] = self.journal.take_notices()
        FakeApp.seen["stderr before the app"] = sys.stderr.getvalue()  # type: ignore[union-attr]


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, object]]:
    from rejection_tui.ui import app

    FakeApp.seen = {}
    monkeypatch.setattr(app, "RejectionApp", FakeApp)
    yield FakeApp.seen


def test_the_app_start_says_the_notices_on_stderr_before_textual_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_app: dict[str, object]
) -> None:
    path = tmp_path / "journal.json"
    make_journal(path)
    os.chmod(path, 0o604)
    assert cli.main(["--db", str(path)]) == 0
    said = f"rejection-tui: Your journal {path} was readable by others (0604); it is now readable by you alone.\n"
    assert fake_app["stderr before the app"] == said
    assert fake_app["notices left for the app"] == []  # said once: not again in the app
    assert capsys.readouterr().err == said


def test_the_app_start_says_a_journal_is_read_only_before_textual_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_app: dict[str, object]
) -> None:
    path = tmp_path / "journal.json"
    make_journal(path)
    os.chmod(path, 0o400)
    assert cli.main(["--db", str(path)]) == 0
    said = str(fake_app["stderr before the app"]).splitlines()
    assert len(said) == 1 and said[0].startswith("rejection-tui: The journal is open read-only because")
    assert "mode 0400" in said[0]


# -- a read-only (0400) journal: reading works, writing is one line and exit 2 ------


@pytest.fixture
def read_only_journal(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "journal.json"
    make_journal(path, attempts=3)
    lock_path_for(path).unlink()
    os.chmod(path, 0o400)
    return path


@contextmanager
def untouched(path: Path) -> Iterator[None]:
    before, mtime, listing = path.read_bytes(), path.stat().st_mtime_ns, sorted(path.parent.rglob("*"))
    yield
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert sorted(path.parent.rglob("*")) == listing  # no lock, no backup, no temp file
    assert path.stat().st_mode & 0o777 == 0o400


READ_ONLY_LINE = "rejection-tui: The journal is open read-only because the file is read-only (mode 0400)"


@pytest.mark.parametrize("command", [*COMMANDS, ["export", "--format", "markdown"]], ids=" ".join)
def test_reading_commands_work_on_a_read_only_journal_and_say_so_once(
    read_only_journal: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    with untouched(read_only_journal):
        assert cli.main(["--db", str(read_only_journal), *command]) == 0
    out, err = capsys.readouterr()
    assert out
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(READ_ONLY_LINE)


def test_export_to_a_file_works_on_a_read_only_journal(
    read_only_journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.csv"
    with untouched(read_only_journal):
        assert cli.main(["--db", str(read_only_journal), "export", "--format", "csv", "-o", str(target)]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 4
    err = err_lines(capsys)
    assert err[0].startswith(READ_ONLY_LINE) and err[1].startswith("Wrote 3 attempts to")


@pytest.mark.parametrize(
    ("command", "starts"),
    [
        (["import", "IMPORT"], "rejection-tui: nothing imported from IMPORT: The journal is open read-only"),
        (["keymap", "new_attempt", "ctrl+n"], "rejection-tui: the keys were not changed: The journal is open"),
        (["keymap", "--reset", "new_attempt"], "rejection-tui: the keys were not changed: The journal is open"),
    ],
    ids=["import", "keymap set", "keymap reset"],
)
def test_writing_commands_refuse_a_read_only_journal_in_one_line_exit_2(
    read_only_journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], starts: str
) -> None:
    source = tmp_path / "in.json"
    source.write_text(export_json([planned(builtin_challenges()[5])]), encoding="utf-8")
    command = [str(source) if part == "IMPORT" else part for part in command]
    with untouched(read_only_journal):
        assert cli.main(["--db", str(read_only_journal), *command]) == cli.EXIT_JOURNAL
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(starts.replace("IMPORT", str(source)))
    assert "(mode 0400)" in lines[0] and lines[0].endswith(f"Nothing was written to {read_only_journal}.")


def test_a_read_only_refusal_from_the_shell_has_no_traceback(read_only_journal: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(export_json([planned(builtin_challenges()[5])]), encoding="utf-8")
    with untouched(read_only_journal):
        result = subprocess.run(
            [sys.executable, "-m", "rejection_tui", "--db", str(read_only_journal), "import", str(source)],
            capture_output=True, text=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "nothing imported" in result.stderr


# -- a folder sync the disk did not confirm is said, not called a failure ----------


def test_a_save_the_disk_did_not_confirm_is_said_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "journal.json"
    make_journal(path)
    source = tmp_path / "in.json"
    added = planned(builtin_challenges()[5])
    source.write_text(export_json([added]), encoding="utf-8")
    real_fsync_dir = files.fsync_dir

    def journal_folder_unsynced(directory: Path) -> None:
        if directory == path.parent:
            raise OSError(5, "Input/output error")
        real_fsync_dir(directory)

    monkeypatch.setattr(files, "fsync_dir", journal_folder_unsynced)
    assert cli.main(["--db", str(path), "import", str(source)]) == 0
    out, err = capsys.readouterr()
    assert "1 added" in out
    assert err.splitlines() == [
        f"rejection-tui: Your change was saved to {path}, but the disk did not confirm it (Input/output error): "
        "if the computer stops before the disk catches up, the journal may come back without that change."
    ]
    assert added.id in {doc["id"] for doc in json.loads(path.read_bytes())["attempts"].values()}
    target = tmp_path / "out.json"
    assert cli.main(["--db", str(path), "export", "-o", str(target)]) == 0
    err = capsys.readouterr().err
    assert f"{target} is written, but the disk did not confirm it yet (Input/output error)." in err
    assert target.exists()


# -- a pipe whose reader left early ------------------------------------------------


def run_into_a_closed_pipe(*args: str, stderr_too: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the command with standard output a pipe nobody reads any more (`| true`)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "rejection_tui", *args],
            stdout=write_end, stderr=write_end if stderr_too else subprocess.PIPE,
            stdin=subprocess.DEVNULL, text=True,
        )  # fmt: skip
    finally:
        os.close(write_end)


def assert_quiet(result: subprocess.CompletedProcess[str]) -> None:
    for noise in ("Traceback", "BrokenPipe", "Exception ignored"):
        assert noise not in (result.stderr or ""), result.stderr


@pytest.fixture
def piped_journal(tmp_path: Path) -> Path:
    path = tmp_path / "journal.json"
    make_journal(path, attempts=200)  # exports far bigger than a pipe's buffer
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["export"],
        ["export", "--format", "csv"],
        ["export", "--format", "markdown"],
        ["check"],
        ["keymap"],
        ["keymap", "new_attempt", "ctrl+n"],
        ["challenges"],
    ],
    ids=" ".join,
)
def test_a_closed_pipe_is_not_an_error(piped_journal: Path, command: list[str]) -> None:
    result = run_into_a_closed_pipe("--db", str(piped_journal), *command)
    assert_quiet(result)
    assert result.returncode == 0


def test_check_into_a_closed_pipe_still_says_there_are_problems(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    path.write_bytes((Path(__file__).parent / "storage" / "fixtures" / "journal_bad_records.json").read_bytes())
    result = run_into_a_closed_pipe("--db", str(path), "check")
    assert_quiet(result)
    assert result.returncode == cli.EXIT_PROBLEMS


def test_an_import_into_a_closed_pipe_is_still_done(piped_journal: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    added = planned(builtin_challenges()[5])
    source.write_text(export_json([added]), encoding="utf-8")
    result = run_into_a_closed_pipe("--db", str(piped_journal), "import", str(source))
    assert_quiet(result)
    assert result.returncode == 0
    assert added.id in piped_journal.read_text(encoding="utf-8")


def test_stderr_into_the_closed_pipe_too_is_quiet(piped_journal: Path) -> None:
    os.chmod(piped_journal, 0o400)  # so there is a line for stderr too
    result = run_into_a_closed_pipe("--db", str(piped_journal), "stats", stderr_too=True)
    assert result.returncode == 0  # an uncaught BrokenPipeError would exit 1, one at exit 120


@pytest.mark.parametrize("command", ["stats", "check", "export --format csv", "keymap"])
def test_piped_into_head_that_leaves_at_once(piped_journal: Path, tmp_path: Path, command: str) -> None:
    """As reported: `rejection-tui stats | head -n 0` (head leaves before the first write)."""
    err = tmp_path / "err.txt"
    line = (
        f"{shlex.quote(sys.executable)} -m rejection_tui --db {shlex.quote(str(piped_journal))} {command} "
        f"2>{shlex.quote(str(err))} | head -n 0; echo ${{PIPESTATUS[0]}}"
    )
    result = subprocess.run(["bash", "-c", line], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.stdout.strip() == "0", err.read_text(encoding="utf-8")
    assert err.read_text(encoding="utf-8") == ""
