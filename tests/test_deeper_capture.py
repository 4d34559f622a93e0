"""Deeper practice (issue 16) from the shell: `rate` and `log` take --surprise, --cost, --next,
--context, --after-no and --became-yes; bad values exit non-zero with one line and write nothing;
at a terminal nothing more is asked."""

from __future__ import annotations

import io
import json
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from rejection_tui import capture, cli
from rejection_tui.domain.models import Status, now_local
from rejection_tui.domain.progress import rejections
from rejection_tui.storage.inbox import inbox_dir
from rejection_tui.storage.journal import Journal
from tests.pty_terminal import Terminal

LOG = ["log", "ask-the-time", "--fear-before", "60", "--fear-after", "20"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "journal.json"


def run(db: Path, *args: str, stdin: str = "") -> int:
    """The command in this process, with ``stdin`` (not a terminal) as standard input."""
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return cli.main([*args, "--db", str(db)])
    finally:
        sys.stdin = old


def attempts_on_disk(db: Path) -> list[dict[str, object]]:
    return list(json.loads(db.read_text(encoding="utf-8"))["attempts"].values())


def plan_one(db: Path) -> None:
    assert run(db, "plan", "ask-the-time", "--fear-before", "70", "--no", "80") == 0


def test_log_records_every_deeper_flag(db: Path) -> None:
    args = [*LOG, "--outcome", "rejected", "--surprise", "75", "--cost", "10", "--next", "40",
            "--context", "phone", "--context", "  the  corner shop ", "--context", "Phone",
            "--after-no", "tried-someone-else", "--after-no", "asked_why", "--became-yes"]  # fmt: skip
    assert run(db, *args) == 0
    (saved,) = attempts_on_disk(db)
    assert (saved["surprise"], saved["cost_actual"], saved["p_rejection_next"]) == (75, 10, 40)
    assert saved["contexts"] == ["phone", "the corner shop"]  # tidied, once each (case aside), in the order given
    assert saved["after_no"] == ["asked_why", "tried_someone_else"]  # stored in the form's order
    assert saved["no_became_yes"] is True and saved["outcome"] == "rejected"
    with Journal.open(db) as journal:
        assert rejections(journal.list_attempts()) == 0  # a no that became a yes is counted apart


def test_rate_records_the_deeper_flags_on_the_planned_ask(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan_one(db)
    capsys.readouterr()
    args = ["rate", "--fear-after", "30", "--outcome", "accepted", "--surprise", "90", "--next", "20",
            "--context", "in person"]  # fmt: skip
    assert run(db, *args) == 0
    (saved,) = attempts_on_disk(db)
    assert saved["status"] == "done" and saved["p_rejection"] == 80
    assert (saved["surprise"], saved["p_rejection_next"], saved["contexts"]) == (90, 20, ["in person"])
    assert "cost_actual" not in saved and "after_no" not in saved and "no_became_yes" not in saved
    assert capsys.readouterr().out.startswith("Rated: Ask a stranger for the time")


def test_without_the_flags_nothing_new_is_stored(db: Path) -> None:
    assert run(db, *LOG, "--outcome", "rejected") == 0
    (saved,) = attempts_on_disk(db)
    assert not set(saved) & {"surprise", "cost_actual", "p_rejection_next", "contexts", "after_no",
                             "no_became_yes", "replay", "replay_skipped", "replay_note"}  # fmt: skip


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--surprise", "101"], "argument --surprise: must be a whole number from 0 to 100, not '101'"),
        (["--cost", "bad"], "argument --cost: must be a whole number from 0 to 100, not 'bad'"),
        (["--next", "-5"], "argument --next: must be a whole number from 0 to 100"),
        (["--after-no", "begged"], "argument --after-no: must be among asked_why, gave_reason, tried_someone_else"),
        (["--context", "   "], "argument --context: cannot be empty"),
    ],
)
@pytest.mark.parametrize("command", ["rate", "log"])
def test_a_bad_flag_is_refused_in_one_line_and_nothing_is_written(
    db: Path, capsys: pytest.CaptureFixture[str], command: str, args: list[str], says: str
) -> None:
    base = ["rate", "--fear-after", "20", "--outcome", "rejected"] if command == "rate" else [*LOG, "--outcome", "rejected"]
    with pytest.raises(SystemExit) as exit_:
        run(db, *base, *args)
    assert exit_.value.code != 0
    err = capsys.readouterr().err
    assert says in err
    assert not db.exists() and not inbox_dir(db).exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--after-no", "asked_why"], "What you did after the no goes only with a rejected ask"),
        (["--became-yes"], "A no that became a yes goes only with a rejected ask"),
    ],
)
@pytest.mark.parametrize("outcome", ["accepted", "partial", "not_asked"])
def test_after_a_no_without_a_rejected_outcome_is_refused(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str, outcome: str
) -> None:
    assert run(db, *LOG, "--outcome", outcome, *args) == capture.EXIT_PROBLEM
    err = capsys.readouterr().err.strip()
    assert says in err and err.endswith("Nothing was recorded.") and len(err.splitlines()) == 1
    assert not db.exists()


def test_rate_with_after_no_and_another_outcome_leaves_the_plan_waiting(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_one(db)
    before = db.read_bytes()
    capsys.readouterr()
    assert run(db, "rate", "--fear-after", "20", "--outcome", "accepted", "--became-yes") == capture.EXIT_PROBLEM
    err = capsys.readouterr().err
    assert "A no that became a yes goes only with a rejected ask" in err and "Nothing was recorded." in err
    assert db.read_bytes() == before and list(inbox_dir(db).iterdir()) == []
    (saved,) = attempts_on_disk(db)
    assert saved["status"] == Status.PLANNED.value


def test_too_many_contexts_are_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tags = [arg for i in range(11) for arg in ("--context", f"tag {i}")]
    assert run(db, *LOG, "--outcome", "accepted", *tags) == capture.EXIT_PROBLEM
    assert "At most 10 contexts per attempt" in capsys.readouterr().err
    assert not db.exists()


def test_log_in_the_past_keeps_the_flags_and_stays_retro(db: Path) -> None:
    when = (now_local() - timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    assert run(db, *LOG, "--outcome", "rejected", "--cost", "5", "--after-no", "gave_reason", "--when", when) == 0
    (saved,) = attempts_on_disk(db)
    assert saved["retro"] is True and saved["cost_actual"] == 5 and saved["after_no"] == ["gave_reason"]


def test_at_a_terminal_rate_asks_nothing_more_and_keeps_the_flags(db: Path, terminals: list[Terminal]) -> None:
    plan_one(db)
    term = Terminal("--db", str(db), "rate", "--surprise", "60", "--after-no", "asked_why", "--context", "shop")
    terminals.append(term)
    term.answer("How afraid did you feel, at the peak? 0-100: ", "15")
    term.answer("What happened? r(ejected) / a(ccepted) / p(artly yes) / n(ot asked): ", "r")
    term.answer("Did what you feared happen? y/n (Enter to skip): ", "n")
    term.answer("What did you learn? (Enter to skip): ", "")
    term.expect("Rated: Ask a stranger for the time")
    assert term.finish() == 0
    shown = term.output.casefold()
    assert "surpris" not in shown and "how bad" not in shown and "next time" not in shown
    (saved,) = attempts_on_disk(db)
    assert (saved["surprise"], saved["after_no"], saved["contexts"]) == (60, ["asked_why"], ["shop"])
    assert saved["outcome"] == "rejected"
