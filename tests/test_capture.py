"""The shell commands for away from the desk, with flags (prompts: test_capture_prompts.py)."""

from __future__ import annotations

import io
import json
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from rejection_tui import capture, cli
from rejection_tui.domain.models import VIA_SHELL, Challenge, Outcome, Status, now_local
from rejection_tui.storage.inbox import inbox_dir, status_path
from rejection_tui.storage.journal import Journal
from tests.conftest import planned


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.json"


def run(db: Path, *args: str, stdin: str = "") -> int:
    """The command in this process, with ``stdin`` (not a terminal) as standard input."""
    old = capture.sys.stdin
    capture.sys.stdin = io.StringIO(stdin)
    try:
        return cli.main([*args, "--db", str(db)])
    finally:
        capture.sys.stdin = old


def attempts_on_disk(db: Path) -> list[dict[str, object]]:
    document = json.loads(db.read_text(encoding="utf-8"))
    return list(document["attempts"].values())


def test_plan_by_id_with_flags_is_in_the_journal_marked_from_the_shell(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "plan", "ask-the-time", "--fear-before", "40", "--no", "70") == 0
    (saved,) = attempts_on_disk(db)
    assert saved["challenge_id"] == "ask-the-time" and saved["status"] == "planned"
    assert (saved["fear_before"], saved["p_rejection"], saved["via"]) == (40, 70, VIA_SHELL)
    assert "retro" not in saved  # written only when true
    assert capsys.readouterr().out.startswith("Planned: Ask a stranger for the time (expected fear 40")
    assert list(inbox_dir(db).iterdir()) == []  # taken in at once: the journal was free


def test_plan_by_words_of_a_title_finds_the_one_challenge(db: Path) -> None:
    assert run(db, "plan", "STRANGER  time", "--fear-before", "10") == 0
    assert attempts_on_disk(db)[0]["challenge_id"] == "ask-the-time"


def test_free_text_comes_from_standard_input_never_from_arguments(db: Path) -> None:
    text = "people laugh at me\nworry: and stare\nnote: bring water\nlesson: ignored on a plan?"
    assert run(db, "plan", "ask-the-time", "--fear-before", "40", stdin=text) == 0
    (saved,) = attempts_on_disk(db)
    assert saved["worry"] == "people laugh at me\nand stare"
    assert saved["note"] == "bring water"
    # Every free-text field is a prompt or stdin: no option takes it.
    for command in ("plan", "rate", "log"):
        options = " ".join(cli.build_parser().parse_args([command]).__dict__)
        assert not any(word in options for word in ("worry", "lesson", "note"))


def test_your_own_ask_becomes_a_custom_challenge_at_the_level_you_give(db: Path) -> None:
    assert (
        run(db, "plan", "sing in the street", "--level", "6", "--category", "standing", "--fear-before", "80")
        == 0
    )
    with Journal.open(db) as journal:
        (own,) = journal.custom_challenges()
        (attempt,) = journal.list_attempts()
    assert (own.title, own.level, own.category, own.source) == (
        "sing in the street",
        6,
        "standing_out",
        "custom",
    )
    assert attempt.challenge_id == own.id and attempt.level == 6


def test_own_ask_without_a_level_and_no_terminal_says_what_to_give_and_writes_nothing(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "plan", "sing in the street", "--fear-before", "80") == 1
    err = capsys.readouterr().err
    assert "--level N" in err and "Nothing was recorded" in err
    assert not db.exists() and not inbox_dir(db).exists()


def test_several_matches_without_a_terminal_list_the_ids(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "plan", "ask", "--fear-before", "20") == 1
    err = capsys.readouterr().err
    assert "challenges match 'ask'" in err and "ask-the-time" in err
    assert not db.exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["plan", "ask-the-time", "--fear-before", "101"], "must be a whole number from 0 to 100, not '101'"),
        (["plan", "ask-the-time", "--fear-before", "-3"], "must be a whole number from 0 to 100"),
        (["plan", "ask-the-time", "--no", "lots", "--fear-before", "3"], "not 'lots'"),
        (["plan", "x", "--level", "11", "--fear-before", "3"], "must be a whole number from 1 to 10"),
        (["plan", "x", "--category", "nope", "--fear-before", "3"], "must be one of small_talk"),
        (["rate", "--outcome", "maybe"], "must be one of rejected, accepted, partial, not_asked"),
        (["rate", "--happened", "perhaps"], "must be yes or no"),
        (["log", "time", "--when", "yesterday"], 'like "2026-11-27 18:30"'),
    ],
)
def test_bad_values_are_refused_with_a_clear_line_and_nothing_is_written(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(db, *args)
    assert exit_.value.code != 0
    assert says in capsys.readouterr().err
    assert not db.exists() and not inbox_dir(db).exists()


def test_a_missing_value_without_a_terminal_names_its_flag(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "plan", "ask-the-time") == 1
    assert "give --fear-before N (0-100) (there is no terminal to ask at)" in capsys.readouterr().err
    assert not db.exists()


def plan_three(db: Path) -> Journal:
    """Three planned asks: 3 days, 2 hours and 5 minutes old (the first overdue). The real
    clock: the commands use it."""
    with Journal.open(db) as journal:
        for title, age in (("A", timedelta(days=3)), ("B", timedelta(hours=2)), ("C", timedelta(minutes=5))):
            journal.add_attempt(planned(challenge_titled(title), at=now_local() - age))
    return journal


def challenge_titled(title: str) -> Challenge:
    return Challenge(f"c-{title}", f"Ask {title}", 2, "small_talk")


def test_pending_lists_the_longest_waiting_first_and_counts(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_three(db)
    assert run(db, "pending") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("  1. Ask A — planned 3 days ago, overdue")
    assert out[1].startswith("  2. Ask B — planned 2 hours ago —")
    assert out[2].startswith("  3. Ask C — planned 5 minutes ago —")
    assert run(db, "pending", "--count") == 0
    assert capsys.readouterr().out == "3\n"
    assert run(db, "pending", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["number"], r["challenge"], r["overdue"]) for r in rows] == [
        (1, "Ask A", True),
        (2, "Ask B", False),
        (3, "Ask C", False),
    ]


def test_rate_without_a_number_finishes_the_newest_and_with_one_the_nth(db: Path) -> None:
    plan_three(db)
    assert run(db, "rate", "--fear-after", "10", "--outcome", "rejected", "--happened", "no") == 0
    assert run(db, "rate", "1", "--fear-after", "30", "--outcome", "partial", stdin="they said maybe") == 0
    with Journal.open(db) as journal:
        by_title = {a.challenge_title: a for a in journal.list_attempts()}
    assert by_title["Ask C"].status == Status.DONE and by_title["Ask C"].outcome == Outcome.REJECTED
    assert by_title["Ask C"].worry_happened is False
    assert by_title["Ask A"].outcome == Outcome.PARTIAL and by_title["Ask A"].lesson == "they said maybe"
    assert by_title["Ask B"].status == Status.PLANNED


def test_rate_a_number_that_is_not_there_or_with_nothing_waiting(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "rate", "--fear-after", "1", "--outcome", "accepted") == 1
    assert "nothing is waiting to be rated" in capsys.readouterr().err
    plan_three(db)
    before = db.read_bytes()
    assert run(db, "rate", "4", "--fear-after", "1", "--outcome", "accepted") == 1
    assert "there is no ask number 4: `rejection-tui pending` lists 3" in capsys.readouterr().err
    assert db.read_bytes() == before


def test_log_records_a_retro_entry_left_out_of_the_gap(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    when = (now_local() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    args = ["log", "ask-the-time", "--fear-before", "70", "--fear-after", "20", "--outcome", "accepted"]
    assert run(db, *args, "--when", when) == 0
    (saved,) = attempts_on_disk(db)
    assert saved["retro"] is True and saved["via"] == VIA_SHELL and saved["status"] == "done"
    assert saved["created_at"] == saved["done_at"] and str(saved["done_at"]).startswith(
        when.replace(" ", "T")
    )
    with Journal.open(db) as journal:
        (attempt,) = journal.list_attempts()
    assert attempt.gap is None  # hindsight is no forecast
    assert run(db, "stats") == 0
    assert "Mean gap:             —" in capsys.readouterr().out


def test_log_in_the_future_is_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    later = (now_local() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    with pytest.raises(SystemExit):
        run(
            db,
            "log",
            "ask-the-time",
            "--fear-before",
            "1",
            "--fear-after",
            "1",
            "--outcome",
            "accepted",
            "--when",
            later,
        )
    assert "is in the future" in capsys.readouterr().err and not db.exists()


def test_remind_is_silent_with_nothing_waiting_and_generic_otherwise(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(db, "remind") == 0
    assert capsys.readouterr().out == ""
    plan_three(db)
    assert run(db, "remind") == 0
    assert capsys.readouterr().out == "3 planned asks are waiting to be rated — rejection-tui rate\n"


def test_remind_notify_sends_no_title(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_three(db)
    sent: list[str] = []
    monkeypatch.setattr(capture, "notify", lambda line: sent.append(line))
    assert run(db, "remind", "--notify") == 0
    assert sent == ["3 planned asks are waiting to be rated — rejection-tui rate"]
    assert "Ask" not in sent[0]


def test_notify_without_a_notifier_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    problem = capture.notify("1 planned ask is waiting")
    assert problem is not None and "no desktop notifier was found" in problem


def test_the_status_file_is_owner_only_and_holds_counts_only(db: Path) -> None:
    secret = "my boss will laugh"
    assert run(db, "plan", "ask-the-time", "--fear-before", "40", stdin=secret) == 0
    status = status_path(db)
    assert stat.S_IMODE(os.stat(status).st_mode) == 0o600
    text = status.read_text(encoding="ascii")
    lines = text.splitlines()
    assert lines[0] == "pending=1" and lines[1].startswith("oldest=") and len(lines) == 2
    assert all(line.split("=")[1].isdigit() for line in lines)
    assert secret not in text and "time" not in text
    assert run(db, "rate", "--fear-after", "5", "--outcome", "accepted") == 0
    assert status.read_text(encoding="ascii") == "pending=0\noldest=0\n"


def test_pending_count_trusts_the_status_file_only_when_it_is_fresh(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_three(db)
    status = status_path(db)
    status.write_text("pending=99\noldest=0\n", encoding="ascii")
    os.utime(status, ns=(db.stat().st_mtime_ns + 10**9,) * 2)
    assert run(db, "pending", "--count") == 0
    assert capsys.readouterr().out == "99\n"  # fresh: read as it is (the fast path)
    os.utime(status, ns=(db.stat().st_mtime_ns - 10**9,) * 2)
    assert run(db, "pending", "--count") == 0
    assert capsys.readouterr().out == "3\n"  # older than the journal: not trusted


def test_readers_never_take_the_writers_lock(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan_three(db)
    with Journal.open(db):  # holds the lock, as the open app does
        for command in (
            ["stats"],
            ["pending", "--count"],
            ["remind"],
            ["export", "--format", "csv"],
            ["check"],
        ):
            assert run(db, *command) == 0, command
    out = capsys.readouterr().out
    assert "Planned (to rate):    3" in out and "\n3\n" in out


def test_db_works_before_and_after_the_command_word(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan_three(db)
    assert cli.main(["--db", str(db), "pending", "--count"]) == 0
    assert cli.main(["pending", "--count", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "3\n3\n"


def test_commands_run_at_once_without_the_app_each_land_once(db: Path) -> None:
    """Several shell commands at the same moment: one holds the journal briefly, the others wait
    for it or are taken in by it; none is left waiting in the inbox."""
    import subprocess
    import sys

    args = ["--fear-before", "5", "--fear-after", "5", "--outcome", "accepted", "--level", "2"]
    commands = [
        [sys.executable, "-m", "rejection_tui", "--db", str(db), "log", f"at once {i}", "--own", *args,
         "--category", "small_talk"]
        for i in range(5)
    ]  # fmt: skip
    running = [
        subprocess.Popen(c, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True) for c in commands
    ]
    outputs = [p.communicate(timeout=60)[0] for p in running]
    assert all(p.returncode == 0 for p in running) and all(o.startswith("Logged: at once") for o in outputs)
    titles = sorted(str(a["challenge_title"]) for a in attempts_on_disk(db))
    assert titles == [f"at once {i}" for i in range(5)]
    assert list(inbox_dir(db).iterdir()) == []


def test_a_command_beside_the_open_app_leaves_its_entry_for_the_app(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Journal.open(db) as app_journal:  # the app holds the lock the whole time
        assert run(db, "plan", "ask-the-time", "--fear-before", "40") == 0
        assert "The app has your journal open" in capsys.readouterr().out
        assert app_journal.list_attempts() == []
        (waiting,) = inbox_dir(db).iterdir()
        assert run(db, "pending", "--count") == 0  # a reader sees it already
        assert capsys.readouterr().out == "1\n"
        from rejection_tui.storage.inbox import take_in

        assert [a.challenge_id for a in take_in(app_journal).added] == ["ask-the-time"]
        assert not waiting.exists()


class _Screen(io.StringIO):
    """Standard error on a terminal (where a person reads it)."""

    def isatty(self) -> bool:
        return True


def test_waiting_on_standard_input_says_so_where_a_person_sees_it() -> None:
    """`ssh host rejection-tui log …` without -t: stdin is an open pipe, nothing comes."""
    import threading

    from rejection_tui.asking import Asker

    read_end, write_end = os.pipe()
    screen = _Screen()
    with os.fdopen(read_end, "r") as stdin:
        asker = Asker(stdin, screen)

        def type_once_asked() -> None:
            while "Reading the lesson" not in screen.getvalue():
                threading.Event().wait(0.01)
            os.write(write_end, b"they smiled\n")
            os.close(write_end)

        typist = threading.Thread(target=type_once_asked)
        typist.start()
        texts = asker.texts({"lesson": "What did you learn? "}, "lesson")
        typist.join()
    assert "(Reading the lesson from standard input: type it, then ctrl+d.)" in screen.getvalue()
    assert texts == {"lesson": "they smiled"}


def test_text_piped_in_at_once_gets_no_hint() -> None:
    from rejection_tui.asking import Asker

    read_end, write_end = os.pipe()
    os.write(write_end, b"lesson: fine\n")
    os.close(write_end)
    screen = _Screen()
    with os.fdopen(read_end, "r") as stdin:
        assert Asker(stdin, screen).texts({}, "lesson") == {"lesson": "fine"}
    assert screen.getvalue() == ""


def test_check_lists_entries_kept_beside_the_journal(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rejection_tui.storage.inbox import keep_replaced

    plan_three(db)
    assert run(db, "check") == 0
    with Journal.open(db) as journal:
        kept = keep_replaced(db, journal.list_attempts()[0])
    capsys.readouterr()
    assert run(db, "check") == 1
    out = capsys.readouterr().out
    assert "1 entry from the shell or saved over in the app is kept beside the journal" in out
    assert f"- {kept}" in out


def test_many_matches_at_a_terminal_say_how_many_more(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from rejection_tui.asking import Asker
    from rejection_tui.capture import Snapshot, pick_challenge
    from rejection_tui.domain.library import builtin_challenges

    asker = Asker(io.StringIO("1\n"), capture.sys.stderr)
    asker.interactive = True  # as at a terminal
    args = argparse.Namespace(challenge="a", challenge_flag=None, own=False, level=None, category=None)
    every = list(builtin_challenges())
    chosen, new = pick_challenge(args, Snapshot([], every), asker)
    matching = [c for c in every if "a" in c.title.casefold()]
    assert new is None and chosen == matching[0]
    assert f"{len(matching)} match; the first 9 (and {len(matching) - 9} more" in capsys.readouterr().err
