"""Asking for values at a terminal, or taking them from flags and standard input.

The shell commands (``plan``, ``rate``, ``log``) ask only for what their
flags did not give, and only when standard input is a terminal; without one
a missing value is an error (a script or cron job gets one clear line and
nothing is written). Prompts go to stderr, so stdout stays for results.

Free text (what you fear, what you learned, a note) is never an argument:
arguments end up in shell history and in ``ps`` for every user of the
machine to read. It is typed at a prompt, or read from standard input when
that is not a terminal: lines starting ``worry:``, ``lesson:`` or ``note:``
fill those fields, and other lines fill the command's main one.
"""

from __future__ import annotations

import select
import sys
from collections.abc import Callable, Sequence
from typing import TextIO, TypeVar

from rejection_tui.domain import validation
from rejection_tui.domain.text import visible
from rejection_tui.domain.validation import MAX_TEXT, ValidationError, text_error

T = TypeVar("T")

TEXT_FIELDS = ("worry", "lesson", "note")
HINT_AFTER = 0.5
"""Seconds of silence on standard input before saying what it is read for."""


def forget_typed_ahead() -> None:
    """Drop what was typed (or pasted) at the terminal and not read yet, so a second pasted
    line never reaches the shell as a command (and its history) once the program ends."""
    try:
        if sys.stdin.isatty():
            import termios

            termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
    except (OSError, ValueError, AttributeError):
        pass


class Cancelled(Exception):
    """The person ended the prompts (ctrl+d or ctrl+c): nothing is recorded."""


class Missing(Exception):
    """A required value has no flag and there is no terminal to ask at."""


class Asker:
    def __init__(self, stdin: TextIO | None = None, prompts: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.prompts = prompts or sys.stderr
        try:
            self.interactive = self.stdin.isatty()
        except (ValueError, AttributeError):
            self.interactive = False

    def _line(self, prompt: str) -> str:
        self.prompts.write(visible(prompt))
        self.prompts.flush()
        try:
            line = self.stdin.readline()
        except KeyboardInterrupt:
            self.prompts.write("\n")
            raise Cancelled from None
        if not line:  # ctrl+d
            self.prompts.write("\n")
            raise Cancelled
        return line.rstrip("\r\n")

    def ask(self, prompt: str, parse: Callable[[str], tuple[T | None, str | None]], flag: str) -> T:
        """Ask until ``parse`` accepts the answer: (value, None) or (None, the problem)."""
        if not self.interactive:
            raise Missing(f"give {flag} (there is no terminal to ask at)")
        while True:
            value, problem = parse(self._line(prompt))
            if problem is None:
                assert value is not None
                return value
            self.prompts.write(visible(f"  {problem}\n"))

    def score(self, prompt: str, label: str, flag: str) -> int:
        return self.ask(prompt, lambda text: parse_score(text, label), flag)

    def optional(self, prompt: str, parse: Callable[[str], tuple[T | None, str | None]]) -> T | None:
        """An optional value: asked at a terminal (Enter skips), else left empty."""
        if not self.interactive:
            return None
        while True:
            answer = self._line(prompt)
            if not answer.strip():
                return None
            value, problem = parse(answer)
            if problem is None:
                return value
            self.prompts.write(visible(f"  {problem}\n"))

    def choose(self, prompt: str, options: Sequence[str], flag: str) -> int:
        """A numbered choice (1-based on screen); the chosen index."""
        for number, option in enumerate(options, start=1):
            self.prompts.write(visible(f"  {number}. {option}\n"))

        def parse(text: str) -> tuple[int | None, str | None]:
            number = validation.whole_number(text)
            if number is not None and 1 <= number <= len(options):
                return number - 1, None
            return None, f"Type a number from 1 to {len(options)}."

        return self.ask(prompt, parse, flag)

    def yes(self, prompt: str) -> bool:
        """A yes/no question at a terminal (Enter means yes)."""
        answer = self._line(prompt).strip().casefold()
        return answer in ("", "y", "yes")

    def texts(self, prompts: dict[str, str], main: str) -> dict[str, str]:
        """The free-text fields: asked at a terminal (Enter skips each), else read from stdin."""
        if self.interactive:
            found = {}
            for name, prompt in prompts.items():
                answer = self.optional(prompt, lambda text: (text.strip(), text_error(text, "That text")))
                if answer:
                    found[name] = answer
            return found
        self._hint_when_waiting(main)
        try:
            text = self.stdin.read()
        except (OSError, ValueError):
            return {}
        return split_text(text, main)

    def _hint_when_waiting(self, main: str) -> None:
        """Standard input is no terminal but nothing comes (``ssh host rejection-tui log …``
        without ``-t``): say what it waits for, where a person can see it, instead of hanging."""
        try:
            if not self.prompts.isatty():
                return
            ready, _, _ = select.select([self.stdin], [], [], HINT_AFTER)
        except (OSError, ValueError, TypeError, AttributeError):
            return
        if not ready:
            self.prompts.write(f"(Reading the {main} from standard input: type it, then ctrl+d.)\n")
            self.prompts.flush()


def parse_score(text: str, label: str) -> tuple[int | None, str | None]:
    try:
        return validation.parse_score(text, label), None
    except ValidationError as error:
        return None, " ".join(error.messages) + "."


def split_text(text: str, main: str) -> dict[str, str]:
    """Text from standard input: ``worry:``/``lesson:``/``note:`` lines fill those fields,
    every other line the ``main`` one. ``TooLong`` when one is longer than a journal keeps."""
    fields: dict[str, list[str]] = {}
    current = main
    for line in text.replace("\r\n", "\n").split("\n"):
        key, colon, rest = line.partition(":")
        if colon and key.strip().casefold() in TEXT_FIELDS:
            current = key.strip().casefold()
            line = rest.strip()
        fields.setdefault(current, []).append(line)
    result = {}
    for name, lines in fields.items():
        joined = "\n".join(lines).strip()
        if len(joined) > MAX_TEXT:
            raise TooLong(
                f"the {name} read from standard input has {len(joined):,} characters; "
                f"a journal keeps at most {MAX_TEXT:,}"
            )
        if joined:
            result[name] = joined
    return result


class TooLong(ValueError):
    """Text longer than the journal keeps: refused whole, never cut."""
