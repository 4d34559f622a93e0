"""Command line: argument parsing and the non-interactive commands.

The journal is opened (and locked) before any UI is imported, so a bad
file, a newer schema or a second instance fails fast with one line on
stderr and exit status 2, without needing a terminal.

Control characters in paths and journal text never reach a terminal:
messages, `stats` and `challenges` always show them as visible placeholders
(``domain.text.visible``), and so does `export` when standard output is a
terminal. An export to a file (``-o``) or to a pipe keeps the exact text,
so it reads back byte for byte.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from rejection_tui import __version__
from rejection_tui.domain.categories import category_label
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import now_local
from rejection_tui.domain.stats import summary_lines
from rejection_tui.domain.text import visible
from rejection_tui.locations import ENV_VAR, resolve_journal_path
from rejection_tui.storage.errors import JournalError
from rejection_tui.storage.files import atomic_write
from rejection_tui.storage.formats import FORMATS, ImportProblem, parse_import, render
from rejection_tui.storage.journal import Journal

EXIT_JOURNAL = 2


def say(message: str, *, prefix: bool = True) -> None:
    """One message line on stderr; paths and text from files are shown, never obeyed."""
    print(visible(f"rejection-tui: {message}" if prefix else message), file=sys.stderr)


def for_terminal(text: str) -> str:
    """``text`` as a terminal should show it: CRLF line ends as newlines, controls visible."""
    return visible(text.replace("\r\n", "\n"))


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse quotes some arguments with repr() but not all ("unrecognized arguments").
        super().error(visible(message))


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="rejection-tui",
        description="A private, offline coach for rejection therapy.",
        epilog=f"The journal path can also be set with the {ENV_VAR} environment variable.",
    )
    parser.add_argument("--db", metavar="PATH", help="journal file to open (created if missing)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("challenges", help="print the built-in challenge library")
    commands.add_parser("stats", help="print a plain-text summary of your practice")
    export = commands.add_parser("export", help="write every attempt as CSV, JSON or a Markdown report")
    export.add_argument("--format", choices=FORMATS, default="json", help="default: json")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (owner-only) instead of stdout")
    importer = commands.add_parser("import", help="merge a CSV or JSON export into the journal, by id")
    importer.add_argument("file", metavar="FILE")
    return parser


def print_challenges(out: TextIO) -> None:
    challenges = sorted(builtin_challenges(), key=lambda c: (c.level, c.category, c.title))
    width = max(len(category_label(c.category)) for c in challenges)
    out.write(f"{'level':>5}  {'category':<{width}}  title\n")
    for challenge in challenges:
        line = f"{challenge.level:>5}  {category_label(challenge.category):<{width}}  {challenge.title}"
        out.write(visible(line) + "\n")


def open_or_explain(option: str | None) -> Journal | None:
    path = resolve_journal_path(option)
    try:
        return Journal.open(path)
    except JournalError as error:
        say(error.message)
    except OSError as error:
        say(f"cannot open the journal {path}: {error.strerror or error}")
    return None


def run_stats(journal: Journal) -> int:
    # Titles come from the journal: always shown, never obeyed (stats is for reading).
    print(visible("\n".join(summary_lines(journal.summary(now_local())))))
    return 0


def run_export(journal: Journal, fmt: str, output: str | None) -> int:
    text = render(fmt, journal.list_attempts(), journal.summary(now_local()))
    if output is None:
        # A pipe or a redirect gets the exact text (exports round-trip); a terminal is shown it.
        sys.stdout.write(for_terminal(text) if sys.stdout.isatty() else text)
        return 0
    target = Path(output).expanduser()
    try:
        atomic_write(target, text.encode("utf-8"))
    except OSError as error:
        say(f"cannot write {target}: {error.strerror or error}")
        return 1
    say(f"Wrote {journal.count_attempts()} attempts to {target} (readable by you only).", prefix=False)
    return 0


def run_import(journal: Journal, source: str) -> int:
    path = Path(source).expanduser()
    try:
        attempts = parse_import(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        say(f"cannot read {path}: {getattr(error, 'strerror', None) or error}")
        return 1
    except ImportProblem as problem:
        say(f"nothing imported from {path}: {problem}")
        return 1
    try:
        added, updated, unchanged = journal.merge_attempts(attempts)
    except JournalError as error:
        say(error.message)
        return 2
    print(visible(f"Imported from {path}: {added} added, {updated} updated, {unchanged} already there."))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "challenges":
        try:
            print_challenges(sys.stdout)
        except BrokenPipeError:
            # Piped into `head`: the reader left early; that is not an error.
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    if args.command in ("stats", "export") and not resolve_journal_path(args.db).exists():
        say(f"there is no journal at {resolve_journal_path(args.db)} yet.")
        return EXIT_JOURNAL
    journal = open_or_explain(args.db)
    if journal is None:
        return EXIT_JOURNAL
    if args.command is not None:
        with journal:
            if args.command == "stats":
                return run_stats(journal)
            if args.command == "export":
                return run_export(journal, args.format, args.output)
            return run_import(journal, args.file)
    # Imported late: start-up errors above need no Textual at all.
    from rejection_tui.ui.app import RejectionApp

    try:
        app = RejectionApp(journal)
        app.run()
    finally:
        journal.close()
    return app.return_code or 0
