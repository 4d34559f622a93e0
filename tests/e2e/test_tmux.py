"""The installed program in a real terminal (tmux), driven by keys alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PROGRAM = Path(sys.executable).with_name("rejection-tui")


class Terminal:
    def __init__(self, socket: str, session: str) -> None:
        self.socket = socket
        self.session = session

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def wait_gone(self, text: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while text in self.screen():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never went away:\n{self.screen()}")
            time.sleep(0.05)

    def key(self, key: str) -> None:
        self.tmux("send-keys", "-t", self.session, key)

    def type(self, text: str) -> None:
        """Type into the focused input one character at a time, waiting for each
        to appear inside the input box (its left edge is drawn as "▊  ")."""
        for index, char in enumerate(text):
            self.tmux("send-keys", "-t", self.session, "-l", char)
            self.wait_for("▊  " + text[: index + 1])

    def alive(self) -> bool:
        return subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", self.session]).returncode == 0


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    assert shutil.which("tmux"), "tmux is required; `make test` installs it"
    assert PROGRAM.exists(), f"the installed program is missing: {PROGRAM}"
    journal = tmp_path / "journal.json"
    term = Terminal(f"rt-{uuid.uuid4().hex[:8]}", "app")
    term.tmux("new-session", "-d", "-s", "app", "-x", "80", "-y", "24", f"{PROGRAM} --db {journal}")
    try:
        yield term, journal
    finally:
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True)


def test_one_attempt_from_plan_to_rating_with_keys_alone(terminal: tuple[Terminal, Path]) -> None:
    term, journal = terminal
    term.wait_for("Welcome to rejection-tui")
    term.key("Enter")
    term.wait_gone("Welcome to rejection-tui")

    term.key("c")
    term.wait_for("Lvl  Challenge")  # the table header: the Challenges screen is up
    term.key("/")
    # Keys sent before the focus moves go to the table, so wait for the footer
    # to show the search box's keys (letters are hidden while typing).
    term.wait_for("/ Search ? Help")
    term.type("for the time")
    term.key("Enter")
    term.wait_for("Pick someone who isn't")
    term.key("n")
    term.wait_for("› How afraid do you expect to be?")
    term.type("70")
    term.key("Tab")
    term.wait_for("› How likely is a “no”?")  # the focus has moved
    term.type("60")
    term.key("C-s")
    term.wait_for("Planned.")

    term.key("r")
    term.wait_for("› How afraid did you actually feel")
    term.type("30")
    term.key("Tab")
    # Off a text box, the footer shows "q Quit" again: focus is on the outcomes.
    term.wait_for("q Quit")
    term.key("Enter")  # the first outcome: rejected
    term.wait_for("What happened? — rejected")
    term.key("C-s")
    term.wait_for("You expected 70 and felt 30 — 40 points less than you feared.")

    [attempt] = json.loads(journal.read_text(encoding="utf-8"))["attempts"].values()
    assert attempt["challenge_id"] == "ask-the-time"
    assert (attempt["status"], attempt["fear_before"], attempt["p_rejection"]) == ("done", 70, 60)
    assert (attempt["fear_after"], attempt["outcome"]) == (30, "rejected")
    assert journal.stat().st_mode & 0o777 == 0o600

    term.key("Enter")
    term.key("q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not term.alive(), "the app did not quit on q"
