from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from rejection_tui import __version__, cli
from rejection_tui.cli import EXIT_JOURNAL, main
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Outcome
from rejection_tui.domain.progress import practice_streak
from rejection_tui.domain.stats import summary_lines
from rejection_tui.locations import ENV_VAR, default_journal_path, resolve_journal_path
from rejection_tui.storage.formats import md_text, parse_import, render
from rejection_tui.storage.journal import Journal
from tests.conftest import NOW, done, planned


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rejection_tui", *args],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"rejection-tui {__version__}"


def test_challenges_lists_the_library_as_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["challenges"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["level", "category", "title"]
    assert len(lines) >= 61
    assert any("Ask a stranger for the time" in line and "Small talk" in line for line in lines)


def test_db_option_beats_the_environment_which_beats_the_default(tmp_path: Path) -> None:
    assert resolve_journal_path("a.json", {ENV_VAR: "b.json"}) == Path("a.json")
    assert resolve_journal_path(None, {ENV_VAR: "b.json"}) == Path("b.json")
    assert resolve_journal_path(None, {}) == default_journal_path()
    assert default_journal_path().name == "journal.json"


@pytest.mark.parametrize("content", [b"{not json", b"", b"[]"])
def test_unreadable_journal_one_line_exit_2_no_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "journal.json"
    path.write_bytes(content)
    result = run_cli("--db", str(path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"rejection-tui: Cannot read the journal {path}")
    assert path.read_bytes() == content


def test_newer_schema_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    path.write_text('{"meta": {"1": {"schema_version": 99}}}', encoding="utf-8")
    result = run_cli(env={ENV_VAR: str(path)})
    assert result.returncode == 2
    assert "newer rejection-tui" in result.stderr and "Traceback" not in result.stderr


def test_second_instance_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    with Journal.open(path):
        result = run_cli("--db", str(path))
    assert result.returncode == 2
    assert f"already open in another rejection-tui (process {os.getpid()})" in result.stderr


def test_a_journal_in_an_unwritable_place_is_explained(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("", encoding="utf-8")
    result = run_cli("--db", str(blocked / "journal.json"))
    assert result.returncode == 2
    assert (
        result.stderr.startswith("rejection-tui: cannot open the journal")
        and "Traceback" not in result.stderr
    )


def test_one_streak_everywhere_when_yesterday_was_a_rest_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Done on the three days before yesterday, and yesterday a planned rest day:
    # the Ladder, the Dashboard's summary, `stats` and the report all say 3.
    path = tmp_path / "journal.json"
    challenge = builtin_challenges()[0]
    with Journal.open(path, clock=lambda: NOW) as journal:
        for days_ago in (2, 3, 4):
            journal.add_attempt(done(challenge, at=NOW - timedelta(days=days_ago)))
        journal.set_rest_days({(NOW - timedelta(days=1)).date()})
        ladder_says = practice_streak(journal.list_attempts(), journal.rest_days(), NOW)
        summary = journal.summary(NOW)
        report = render("markdown", journal.list_attempts(), summary)
    assert ladder_says == 3
    assert summary.streak == ladder_says
    assert "Streak:               3 days" in summary_lines(summary)
    assert "- Streak: 3 days" in report.splitlines()

    monkeypatch.setattr(cli, "now_local", lambda: NOW)
    assert main(["--db", str(path), "stats"]) == 0
    assert "Streak:               3 days" in capsys.readouterr().out.splitlines()
    assert main(["--db", str(path), "export", "--format", "markdown"]) == 0
    assert "- Streak: 3 days" in capsys.readouterr().out.splitlines()


# -- control characters never reach a terminal -----------------------------------

TITLE_SET = "\x1b]0;pwned\x07"  # OSC: set the window title
CLEAR = "\x1b[2J"  # CSI: clear the screen
CONTROLS = ("\x1b", "\x07", "\r", "\x9b", "\x7f")


def hostile_journal(path: Path) -> None:
    challenge = builtin_challenges()[0]
    attempt = planned(challenge, at=NOW, worry=f"they laugh {TITLE_SET} and {CLEAR}\x9b\x7f").rate(
        fear_after=30, outcome=Outcome.REJECTED, lesson="fine\r\nreally", now=NOW
    )
    with Journal.open(path, clock=lambda: NOW) as journal:
        journal.add_attempt(replace(attempt, challenge_title=f"Ask {CLEAR}for the time"))


def assert_shown_not_obeyed(text: str) -> None:
    assert not any(c in text for c in CONTROLS), repr(text)


def pretend_stdout_is_a_terminal(monkeypatch: pytest.MonkeyPatch, answer: bool = True) -> None:
    # In the test body: capsys puts its own sys.stdout in place when the test starts.
    monkeypatch.setattr(sys.stdout, "isatty", lambda: answer)


def test_stats_on_a_terminal_shows_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pretend_stdout_is_a_terminal(monkeypatch)
    path = tmp_path / "journal.json"
    hostile_journal(path)
    assert main(["--db", str(path), "stats"]) == 0
    out = capsys.readouterr().out
    assert_shown_not_obeyed(out)
    assert "Ask ␛[2Jfor the time" in out


def test_challenges_show_control_characters(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pretend_stdout_is_a_terminal(monkeypatch)
    library = builtin_challenges()
    monkeypatch.setattr(cli, "builtin_challenges", lambda: [replace(library[0], title=f"Ask {TITLE_SET}")])
    assert main(["challenges"]) == 0
    out = capsys.readouterr().out
    assert_shown_not_obeyed(out)
    assert "Ask ␛]0;pwned␇" in out


@pytest.mark.parametrize("fmt", ["markdown", "csv", "json"])
def test_export_to_a_terminal_shows_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    pretend_stdout_is_a_terminal(monkeypatch)
    path = tmp_path / "journal.json"
    hostile_journal(path)
    assert main(["--db", str(path), "export", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert_shown_not_obeyed(out)
    if fmt == "csv":  # JSON escapes C0 itself (\u001b); DEL and C1 it leaves raw
        assert "they laugh ␛]0;pwned␇ and ␛[2J\ufffd␡" in out
    if fmt == "markdown":  # Markdown escapes brackets too (issue 10, point 10)
        assert "they laugh ␛\\]0;pwned␇ and ␛\\[2J\ufffd␡" in out
    assert "␍" not in out.replace("fine␍", "")  # CSV line ends stay line ends on screen


@pytest.mark.parametrize("fmt", ["markdown", "csv", "json"])
def test_export_to_a_pipe_or_a_file_keeps_the_exact_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    monkeypatch.setattr(cli, "now_local", lambda: NOW)
    path = tmp_path / "journal.json"
    hostile_journal(path)
    with Journal.open(path, clock=lambda: NOW) as journal:
        attempts = journal.list_attempts()
        backup = journal.full_backup() if fmt == "json" else None  # JSON is a full backup
        expected = render(fmt, attempts, journal.summary(NOW), backup=backup)
    assert TITLE_SET in expected or md_text(TITLE_SET) in expected or fmt == "json"

    pretend_stdout_is_a_terminal(monkeypatch, False)
    assert main(["--db", str(path), "export", "--format", fmt]) == 0
    assert capsys.readouterr().out == expected
    target = tmp_path / f"out.{fmt}"
    assert main(["--db", str(path), "export", "--format", fmt, "-o", str(target)]) == 0
    assert target.read_bytes() == expected.encode("utf-8")
    if fmt != "markdown":
        assert parse_import(target.read_bytes().decode("utf-8")) == attempts


def test_messages_on_stderr_show_control_characters_in_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / f"evil{TITLE_SET}{CLEAR}"
    folder.mkdir()
    assert main(["--db", str(folder / "none.json"), "stats"]) == EXIT_JOURNAL
    assert main(["--db", str(tmp_path / "j.json"), "import", str(folder / "missing.csv")]) == 1
    (folder / "bad.csv").write_text(f"not,a,csv{CLEAR}\n", encoding="utf-8")
    assert main(["--db", str(tmp_path / "j.json"), "import", str(folder / "bad.csv")]) == 1
    hostile_journal(tmp_path / "h.json")
    blocked = folder / "file"
    blocked.write_text("", encoding="utf-8")
    assert main(["--db", str(tmp_path / "h.json"), "export", "-o", str(blocked / "out.json")]) == 1
    assert main(["--db", str(tmp_path / "h.json"), "export", "-o", str(folder / "out.json")]) == 0
    (tmp_path / "j.json").write_text(f'{{"meta": {CLEAR}', encoding="utf-8")
    assert main(["--db", str(tmp_path / "j.json"), "stats"]) == EXIT_JOURNAL
    with pytest.raises(SystemExit):
        main(["stats", CLEAR])
    err = capsys.readouterr().err
    assert_shown_not_obeyed(err)
    assert err.count("evil␛]0;pwned␇␛[2J") == 5
    assert "unrecognized arguments: ␛[2J" in err


# -- rejection-tui check (issue 10, point 4) ---------------------------------------

BAD_RECORDS = Path(__file__).parent / "storage" / "fixtures" / "journal_bad_records.json"


def test_check_says_so_when_every_entry_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "journal.json"
    hostile_journal(path)
    assert main(["--db", str(path), "check"]) == 0
    assert "No problems found" in capsys.readouterr().out


def test_check_lists_every_problem_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "journal.json"
    path.write_bytes(BAD_RECORDS.read_bytes())
    assert main(["--db", str(path), "check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"13 problems in {path}.")
    assert len(out) == 14 and all(line.startswith("- ") for line in out[1:])
    assert any("ladder, document 1, field current" in line for line in out)
    # stats counts what it can and says that some entries are not counted
    assert main(["--db", str(path), "stats"]) == 0
    assert "Note: 13 problems in your journal" in capsys.readouterr().out
    assert path.read_bytes() == BAD_RECORDS.read_bytes()  # reading changed nothing


def test_check_cannot_open_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    path.write_bytes(b"{not json")
    result = run_cli("--db", str(path), "check")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert run_cli("--db", str(tmp_path / "none.json"), "check").returncode == 2
    assert not (tmp_path / "none.json").exists()


def test_check_shows_control_characters_in_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = tmp_path / "journal.json"
    document = json.loads(BAD_RECORDS.read_bytes())
    document["attempts"]["2"]["challenge_title"] = f"Ask {TITLE_SET}{CLEAR}"
    document["attempts"]["2"]["fear_before"] = f"very{CLEAR}"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["--db", str(path), "check"]) == 1
    out = capsys.readouterr().out
    assert_shown_not_obeyed(out)
    assert '"Ask ␛]0;pwned␇␛[2J"), field fear_before is "very␛[2J"' in out


def test_export_to_a_file_says_what_was_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "journal.json"
    path.write_bytes(BAD_RECORDS.read_bytes())
    assert main(["--db", str(path), "export", "--format", "csv", "-o", str(tmp_path / "out.csv")]) == 0
    assert "8 entries in the journal could not be read and are not in this file" in capsys.readouterr().err
    assert main(["--db", str(path), "export", "--format", "json", "-o", str(tmp_path / "out.json")]) == 0
    assert "It keeps the 8 unreadable entries as they are." in capsys.readouterr().err
    target = tmp_path / "target.json"
    assert main(["--db", str(target), "import", str(tmp_path / "out.json")]) == 0
    out = capsys.readouterr().out
    assert "(11 rows read): 3 added, 0 updated, 0 already there, 8 unreadable entries kept as they were." in out
    assert main(["--db", str(target), "import", str(tmp_path / "out.json")]) == 0
    assert "0 added, 0 updated, 3 already there, 0 unreadable entries kept" in capsys.readouterr().out
