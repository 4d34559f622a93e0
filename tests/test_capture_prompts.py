"""plan, rate and log answered at their prompts in a real pseudo-terminal (issue 13).

Each command runs as its own process with a pty as stdin, stdout and stderr,
so it asks (it asks only at a terminal). The test reads the pty until each
prompt's text has appeared, and only then types the answer, like a person.
What counts is the journal on disk afterwards.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rejection_tui.capture import EXIT_CANCELLED
from rejection_tui.domain.categories import CATEGORIES
from rejection_tui.domain.history import match_challenges
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.storage.inbox import inbox_dir
from tests.pty_terminal import Terminal

FEAR_BEFORE = "How afraid do you expect to be? 0-100: "
CHANCE = "Chance of a no, 0-100 (Enter to skip): "
FEAR_AFTER = "How afraid did you feel, at the peak? 0-100: "
OUTCOME = "What happened? r(ejected) / a(ccepted) / p(artly yes) / n(ot asked): "
WHAT = "What will you ask? (words of a challenge's title, its id, or your own ask): "
CTRL_D = b"\x04"  # VEOF at the start of a line: the program reads the end of its input
CTRL_C = b"\x03"  # VINTR: SIGINT to the terminal's foreground process group


def run_at(terminals: list[Terminal], *args: str) -> Terminal:
    terminal = Terminal(*args)
    terminals.append(terminal)
    return terminal


def run_cli(*args: str, stdin_text: str = "") -> subprocess.CompletedProcess[str]:
    """Without a terminal: every value from flags, free text from standard input."""
    return subprocess.run(
        [sys.executable, "-m", "rejection_tui", *args],
        input=stdin_text, capture_output=True, text=True, timeout=30,
    )  # fmt: skip


def attempts_on_disk(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["attempts"].values())


def challenges_on_disk(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8")).get("challenges", {}).values())


def inbox_files(path: Path) -> list[str]:
    folder = inbox_dir(path)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def number_of(listing: str, label: str) -> str:
    """The number shown before ``label`` in a numbered choice ("  2. label")."""
    numbers: list[str] = re.findall(rf"^ *(\d+)\. {re.escape(label)}\r?$", listing, re.MULTILINE)
    assert len(numbers) == 1, f"{label!r} is not one numbered choice in:\n{listing}"
    return numbers[0]


# -- plan ------------------------------------------------------------------------


def test_a_whole_plan_by_prompts_is_saved_with_exactly_those_values(
    tmp_path: Path, terminals: list[Terminal]
) -> None:
    path = tmp_path / "journal.json"
    matches = match_challenges(builtin_challenges(), "photo")
    assert len(matches) >= 2  # the search must offer a choice
    wanted = matches[1]

    term = run_at(terminals, "--db", str(path), "plan")
    term.answer(WHAT, "photo")
    listing = term.expect("Which one? ")
    term.type(number_of(listing, f"{wanted.title} (level {wanted.level})"))
    term.answer(FEAR_BEFORE, "65")
    term.answer(CHANCE, "80")
    term.answer("What are you afraid might happen? (Enter to skip): ", "they say no and walk off")
    term.expect(f"Planned: {wanted.title} (expected fear 65, chance of a no 80%).")
    assert term.finish() == 0

    [attempt] = attempts_on_disk(path)
    assert (attempt["challenge_id"], attempt["challenge_title"]) == (wanted.id, wanted.title)
    assert (attempt["status"], attempt["fear_before"], attempt["p_rejection"]) == ("planned", 65, 80)
    assert attempt["worry"] == "they say no and walk off"
    assert (attempt["fear_after"], attempt["outcome"], attempt["note"]) == (None, None, "")
    assert attempt["via"] == "shell" and "retro" not in attempt
    assert inbox_files(path) == []  # the journal was free: taken in at once


def test_a_bad_value_at_a_prompt_is_explained_and_asked_again(
    tmp_path: Path, terminals: list[Terminal]
) -> None:
    path = tmp_path / "journal.json"
    [first, *_] = match_challenges(builtin_challenges(), "photo")

    term = run_at(terminals, "--db", str(path), "plan", "photo")
    listing = term.answer("Which one? ", "7")
    count = len(re.findall(r"^ *\d+\. ", listing, re.MULTILINE))
    term.expect(f"Type a number from 1 to {count}.")
    term.answer("Which one? ", number_of(listing, f"{first.title} (level {first.level})"))
    term.answer(FEAR_BEFORE, "150")
    term.expect("Fear before must be a whole number from 0 to 100.")
    term.answer(FEAR_BEFORE, "-5")
    term.expect("Fear before must be a whole number from 0 to 100.")
    term.answer(FEAR_BEFORE, "35")
    term.answer(CHANCE, "a lot")
    term.expect("must be a whole number from 0 to 100.")
    term.answer(CHANCE, "")  # Enter skips it
    term.answer("What are you afraid might happen? (Enter to skip): ", "")
    term.expect(f"Planned: {first.title} (expected fear 35). ")
    assert term.finish() == 0

    [attempt] = attempts_on_disk(path)
    assert attempt["challenge_id"] == first.id
    assert (attempt["fear_before"], attempt["p_rejection"], attempt["worry"]) == (35, None, "")


# -- ctrl+d and ctrl+c ------------------------------------------------------------

PLAN_ANSWERS: list[tuple[str, str]] = []
RATE_ANSWERS = [(FEAR_AFTER, "20"), (OUTCOME, "a"), ("Did what you feared happen", "n")]
LOG_ANSWERS = [
    (FEAR_BEFORE, "50"),
    (CHANCE, "40"),
    ("What were you afraid of? (Enter to skip): ", "a scene"),
    (FEAR_AFTER, "20"),
    (OUTCOME, "r"),
    ('Did what you feared happen ("a scene")? y/n (Enter to skip): ', "y"),
]


@pytest.mark.parametrize(
    ("args", "answers", "last", "key"),
    [
        (("plan",), PLAN_ANSWERS, WHAT, CTRL_D),
        (("plan", "time"), [(FEAR_BEFORE, "50")], CHANCE, CTRL_D),
        (("rate",), RATE_ANSWERS, "What did you learn? (Enter to skip): ", CTRL_D),
        (("log", "time"), LOG_ANSWERS, "What did you learn? (Enter to skip): ", CTRL_D),
        (("rate",), RATE_ANSWERS[:1], OUTCOME, CTRL_C),
        (("log", "time"), LOG_ANSWERS, "What did you learn? (Enter to skip): ", CTRL_C),
    ],
    ids=[
        "plan-first-prompt-ctrl+d",
        "plan-chance-ctrl+d",
        "rate-last-prompt-ctrl+d",
        "log-last-prompt-ctrl+d",
        "rate-outcome-ctrl+c",
        "log-last-prompt-ctrl+c",
    ],
)
def test_ctrl_d_or_ctrl_c_at_a_prompt_records_nothing(
    tmp_path: Path,
    terminals: list[Terminal],
    args: tuple[str, ...],
    answers: list[tuple[str, str]],
    last: str,
    key: bytes,
) -> None:
    path = tmp_path / "journal.json"
    seeded = run_cli("--db", str(path), "plan", "time", "--fear-before", "60", "--no", "50")
    assert seeded.returncode == 0, seeded.stderr
    before = path.read_bytes()
    files_before = inbox_files(path)

    term = run_at(terminals, "--db", str(path), *args)
    for prompt, line in answers:
        term.answer(prompt, line)
    term.key(last, key)
    term.expect("rejection-tui: Nothing was recorded.")
    status = term.finish()

    assert status == EXIT_CANCELLED
    assert "Traceback" not in term.output
    assert not re.search(r"^(Planned|Rated|Logged): ", term.output, re.MULTILINE)
    assert path.read_bytes() == before
    assert inbox_files(path) == files_before == []


def test_ctrl_c_the_moment_a_prompt_appears_records_nothing_and_shows_no_traceback(
    tmp_path: Path, terminals: list[Terminal]
) -> None:
    """A ctrl+c while the prompt is still being written once escaped as a traceback (6 in 10)."""
    path = tmp_path / "journal.json"
    assert run_cli("--db", str(path), "plan", "time", "--fear-before", "60").returncode == 0
    before = path.read_bytes()
    for _ in range(5):
        term = run_at(terminals, "--db", str(path), "rate")
        term.key("0-100: ", CTRL_C)
        assert term.finish() == EXIT_CANCELLED
        assert "Traceback" not in term.output and "Nothing was recorded." in term.output
    assert path.read_bytes() == before and inbox_files(path) == []


# -- rate and log ----------------------------------------------------------------


def test_rate_by_prompts_finishes_the_newest_planned_ask(tmp_path: Path, terminals: list[Terminal]) -> None:
    path = tmp_path / "journal.json"
    for words, fear in (("time", "30"), ("coffee", "70")):
        planned = run_cli(
            "--db", str(path), "plan", words, "--fear-before", fear, "--no", "50",
            stdin_text="they ignore me\n",
        )  # fmt: skip
        assert planned.returncode == 0, planned.stderr
    older, newer = sorted(attempts_on_disk(path), key=lambda a: a["created_at"])
    assert newer["worry"] == "they ignore me"  # standard input filled the worry

    term = run_at(terminals, "--db", str(path), "rate")
    term.expect(f"Rating: {newer['challenge_title']} (")
    term.answer(FEAR_AFTER, "25")
    term.answer(OUTCOME, "maybe")
    term.expect("Type r, a, p or n.")
    term.answer(OUTCOME, "p")
    term.answer('Did what you feared happen ("they ignore me")? y/n (Enter to skip): ', "y")
    term.answer("What did you learn? (Enter to skip): ", "a half yes still counts")
    term.expect(f"Rated: {newer['challenge_title']} (expected 70, felt 25, ")
    assert term.finish() == 0

    by_id = {a["id"]: a for a in attempts_on_disk(path)}
    assert len(by_id) == 2
    rated = by_id[newer["id"]]
    assert (rated["status"], rated["fear_before"], rated["p_rejection"]) == ("done", 70, 50)
    assert (rated["fear_after"], rated["outcome"], rated["worry_happened"]) == (25, "partial", True)
    assert (rated["worry"], rated["lesson"]) == ("they ignore me", "a half yes still counts")
    assert rated["done_at"] is not None and rated["via"] == "shell" and "retro" not in rated
    assert by_id[older["id"]] == older  # the older plan still waits, untouched
    assert inbox_files(path) == []


def test_log_by_prompts_records_your_own_ask_marked_retro(tmp_path: Path, terminals: list[Terminal]) -> None:
    path = tmp_path / "journal.json"
    title = "hum a tune at the bus stop"
    assert not match_challenges(builtin_challenges(), title)

    term = run_at(terminals, "--db", str(path), "log")
    term.answer(WHAT, title)
    term.answer(f'No challenge matches "{title}". Record it as your own ask? [Y/n] ', "")
    term.answer("Its level, 1 (easy) to 10 (hardest): ", "11")
    term.expect("Type 1 to 10.")
    term.answer("Its level, 1 (easy) to 10 (hardest): ", "4")
    listing = term.expect("What kind of ask? ")
    term.type(number_of(listing, CATEGORIES["standing_out"]))
    term.answer(FEAR_BEFORE, "70")
    term.answer(CHANCE, "60")
    term.answer("What were you afraid of? (Enter to skip): ", "people stare")  # before how it went
    term.answer(FEAR_AFTER, "30")
    term.answer(OUTCOME, "r")
    term.answer('Did what you feared happen ("people stare")? y/n (Enter to skip): ', "n")
    term.answer("What did you learn? (Enter to skip): ", "nobody minded")
    term.expect(f"Logged: {title} on ")
    term.expect("(felt 30, rejected).")
    assert term.finish() == 0

    [attempt] = attempts_on_disk(path)
    assert attempt["retro"] is True and attempt["via"] == "shell"
    assert (attempt["status"], attempt["challenge_title"], attempt["level"]) == ("done", title, 4)
    assert (attempt["fear_before"], attempt["p_rejection"], attempt["fear_after"]) == (70, 60, 30)
    assert (attempt["outcome"], attempt["worry_happened"]) == ("rejected", False)
    assert (attempt["worry"], attempt["lesson"]) == ("people stare", "nobody minded")
    assert attempt["created_at"] == attempt["done_at"]  # one moment: when it happened
    [challenge] = challenges_on_disk(path)
    assert challenge["id"] == attempt["challenge_id"]
    assert (challenge["title"], challenge["level"], challenge["category"]) == (title, 4, "standing_out")
    assert challenge["source"] == "custom"
    assert inbox_files(path) == []
