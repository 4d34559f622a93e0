"""Trust in a real terminal: hostile journal text stays text, and q never drops a half-filled form.

The installed program runs in tmux at the two sizes people use (a laptop's
80×24 and a phone's 60×20 over SSH), driven by keys at human speed.
"""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from rejection_tui.storage.journal import Journal
from tests import hostile
from tests.conftest import NOW
from tests.e2e.test_tmux import PROGRAM, Terminal

SIZES = [(80, 24), (60, 20)]


def start(journal: Path, width: int, height: int) -> Terminal:
    term = Terminal(f"rt-{uuid.uuid4().hex[:8]}", "app")
    # A detached session may start at tmux's default size and shrink a moment
    # later, racing the program's first look at its size; so the pane is sized
    # first (running a shell) and the program is started in it afterwards.
    term.tmux("new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height))
    term.tmux("resize-window", "-t", "app", "-x", str(width), "-y", str(height))
    # Double quotes around the path: the folder name holds brackets and spaces.
    # Under pytest the program's size query fell back to 80×24 (an 80-column
    # layout in a 60-column pane); COLUMNS/LINES, which shutil reads first, say it.
    size = ["-e", f"COLUMNS={width}", "-e", f"LINES={height}"]
    term.tmux("respawn-pane", "-k", "-t", "app", *size, f'{PROGRAM} --db "{journal}"')
    return term


@pytest.fixture
def kill() -> Iterator[list[Terminal]]:
    started: list[Terminal] = []
    yield started
    for term in started:
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_hostile_titles_show_literally_and_never_reach_the_terminal(
    tmp_path: Path, kill: list[Terminal], width: int, height: int
) -> None:
    journal = tmp_path / hostile.FOLDER / "journal.json"
    with Journal.open(journal, clock=lambda: NOW) as opened:
        hostile.fill(opened)
        opened.set_setting("welcomed", True)
    term = start(journal, width, height)
    kill.append(term)
    term.wait_for("Dashboard")
    # The Dashboard's next step is the hostile rung: brackets shown, escape shown as ␛.
    screen = term.wait_for("[my boss]")
    assert "␛" in screen
    term.key("h")
    # Not "History": the Dashboard's footer says that too, and enter there would start an ask.
    term.wait_for("Outcome")  # the History table's header
    term.key("Enter")  # the newest attempt's detail
    term.wait_for("Expected fear")
    term.key("Escape")
    term.wait_gone("Expected fear")  # the detail closed: app keys work again
    term.key("l")
    term.wait_for("Ladder")
    # No OSC sequence reached the terminal: its title was never set to "pwned".
    assert "pwned" not in term.tmux("display-message", "-p", "-t", "app", "#{pane_title}")
    assert term.alive(), "the app stopped"


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_q_on_a_half_rated_attempt_asks_and_keeps_every_value(
    tmp_path: Path, kill: list[Terminal], width: int, height: int
) -> None:
    journal = tmp_path / "journal.json"
    term = start(journal, width, height)
    kill.append(term)
    term.wait_for("Welcome to rejection-tui")
    term.key("n")  # the welcome's own key: plan a first attempt
    term.wait_for("Which challenge?")
    term.key("Enter")  # the suggested one
    term.wait_for("› How afraid do you expect to be?")
    term.type("70")
    term.key("Tab")
    term.wait_for("› How likely is a “no”?")
    term.type("60")
    term.key("C-s")
    term.wait_for("Planned.")
    term.key("r")
    term.wait_for("› How afraid did you actually feel")
    term.type("35")
    term.key("Tab")
    term.wait_for("q Quit")  # off the text box: q is a key, not a letter
    term.key("Enter")  # outcome: rejected
    term.wait_for("What happened? — rejected")
    term.key("q")
    term.wait_for("Discard what you typed?")
    term.key("n")  # keep editing
    term.wait_gone("Discard what you typed?")
    screen = term.wait_for("What happened? — rejected")
    assert "▊  35" in screen or "35 —" in screen  # the typed fear is still there
    assert term.alive()
    [attempt] = json.loads(journal.read_text(encoding="utf-8"))["attempts"].values()
    assert attempt["status"] == "planned"  # nothing was saved or lost behind the person's back
    term.key("C-s")
    term.wait_for("Saved")
    [attempt] = json.loads(journal.read_text(encoding="utf-8"))["attempts"].values()
    assert (attempt["status"], attempt["fear_after"], attempt["outcome"]) == ("done", 35, "rejected")
    term.key("q")  # from the result card: quits at once
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not term.alive(), "q on the result card did not quit"
