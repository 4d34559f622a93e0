"""Command line: argument parsing and the non-interactive commands.

The journal is opened (and locked) before any UI is imported, so a bad
file, a newer schema or a second instance fails fast with one line on
stderr and exit status 2, without needing a terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from rejection_tui import __version__
from rejection_tui.domain.categories import category_label
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.locations import ENV_VAR, resolve_journal_path
from rejection_tui.storage.errors import JournalError
from rejection_tui.storage.journal import Journal

EXIT_JOURNAL = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rejection-tui",
        description="A private, offline coach for rejection therapy.",
        epilog=f"The journal path can also be set with the {ENV_VAR} environment variable.",
    )
    parser.add_argument("--db", metavar="PATH", help="journal file to open (created if missing)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("challenges", help="print the built-in challenge library")
    return parser


def print_challenges(out: TextIO) -> None:
    challenges = sorted(builtin_challenges(), key=lambda c: (c.level, c.category, c.title))
    width = max(len(category_label(c.category)) for c in challenges)
    out.write(f"{'level':>5}  {'category':<{width}}  title\n")
    for challenge in challenges:
        out.write(f"{challenge.level:>5}  {category_label(challenge.category):<{width}}  {challenge.title}\n")


def open_or_explain(option: str | None) -> Journal | None:
    path = resolve_journal_path(option)
    try:
        return Journal.open(path)
    except JournalError as error:
        print(f"rejection-tui: {error.message}", file=sys.stderr)
    except OSError as error:
        print(f"rejection-tui: cannot open the journal {path}: {error.strerror or error}", file=sys.stderr)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "challenges":
        try:
            print_challenges(sys.stdout)
        except BrokenPipeError:
            # Piped into `head`: the reader left early; that is not an error.
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    journal = open_or_explain(args.db)
    if journal is None:
        return EXIT_JOURNAL
    # Imported late: start-up errors above need no Textual at all.
    from rejection_tui.ui.app import RejectionApp

    try:
        app = RejectionApp(journal)
        app.run()
    finally:
        journal.close()
    return app.return_code or 0
