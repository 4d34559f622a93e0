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
from rejection_tui.domain.validation import ValidationError
from rejection_tui.locations import ENV_VAR, resolve_journal_path
from rejection_tui.storage.errors import JournalError
from rejection_tui.storage.files import atomic_write
from rejection_tui.storage.formats import FORMATS, ImportProblem, left_out_sentence, read_import_file
from rejection_tui.storage.journal import Journal

EXIT_JOURNAL = 2
EXIT_PROBLEMS = 1


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
    commands.add_parser(
        "check",
        help="list the entries in the journal that cannot be read (exit 1 when there are some)",
        description="Lists every record the journal cannot use, naming the table, the document and the "
        "field. Such records stay in the file as they are. Exit status: 0 none, 1 some, 2 the journal "
        "cannot be opened.",
    )
    keymap = commands.add_parser(
        "keymap",
        help="list the keys, or give one of them other keys",
        description="Without arguments: every key the app binds, by id. With ID KEYS: bind ID to KEYS "
        "(comma-separated Textual key names, e.g. ctrl+n or n,ctrl+n) from the next start of the app.",
    )
    keymap.add_argument("binding_id", metavar="ID", nargs="?", help="a binding id from the list")
    keymap.add_argument("keys", metavar="KEYS", nargs="?", help="e.g. ctrl+n, or n,ctrl+n")
    keymap.add_argument("--reset", metavar="ID", help="give ID its default keys back")
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


def problems_note(journal: Journal) -> str | None:
    """One sentence when some entries cannot be read (they are then left out of counts)."""
    count = len(journal.problems())
    if not count:
        return None
    problems = "1 problem" if count == 1 else f"{count:,} problems"
    return (
        f"Note: {problems} in your journal: some entries could not be read and are not counted. "
        "`rejection-tui check` lists them."
    )


def run_stats(journal: Journal) -> int:
    # Titles come from the journal: always shown, never obeyed (stats is for reading).
    print(visible("\n".join(summary_lines(journal.summary(now_local())))))
    note = problems_note(journal)
    if note:
        print(visible(note))
    return 0


def run_check(journal: Journal) -> int:
    """Every problem, one line each; exit 0 when there are none, 1 when there are some."""
    problems = journal.problems()
    if not problems:
        print(visible(f"No problems found in {journal.path}: every entry can be read."))
        return 0
    count = "1 problem" if len(problems) == 1 else f"{len(problems):,} problems"
    lines = [
        f"{count} in {journal.path}. These entries are kept in the file exactly as they are, "
        "but cannot be shown or counted until they are fixed:",
        *(f"- {problem}" for problem in problems),
    ]
    try:
        sys.stdout.write(visible("\n".join(lines)) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # piped into `head`: the reader left early
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    return EXIT_PROBLEMS


def run_export(journal: Journal, fmt: str, output: str | None) -> int:
    text = journal.export_text(fmt, now_local())
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
    left_out = len(journal.unreadable_documents())
    kept = (
        f" {left_out_sentence(left_out)}" if left_out and fmt != "json"
        else f" It keeps the {left_out:,} unreadable entries as they are." if left_out
        else ""
    )  # fmt: skip
    say(f"Wrote {journal.count_attempts()} attempts to {target} (readable by you only).{kept}", prefix=False)
    return 0


class ImportProgress:
    """A progress line on stderr while a long import reads, when stderr is a terminal."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shown = False
        self.enabled = sys.stderr.isatty()

    def __call__(self, rows: int, fraction: float | None) -> None:
        if not self.enabled:
            return
        percent = f"{fraction:.0%}, " if fraction is not None else ""
        sys.stderr.write(visible(f"\rReading {self.path.name}: {percent}{rows:,} rows") + "\x1b[K")
        sys.stderr.flush()
        self.shown = True

    def stage(self, text: str) -> None:
        if self.enabled and self.shown:
            sys.stderr.write("\r" + visible(text) + "\x1b[K")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False


def run_import(journal: Journal, source: str) -> int:
    path = Path(source).expanduser()
    progress = ImportProgress(path)
    try:
        imported = read_import_file(path, progress)
    except OSError as error:
        progress.done()
        say(f"cannot read {path}: {error.strerror or error}")
        return 1
    except ImportProblem as problem:
        progress.done()
        say(f"nothing imported from {path}: {problem}")
        return 1
    progress.stage(f"Read {imported.rows:,} rows; saving the journal…")
    try:
        result = journal.merge(imported.attempts, imported.unreadable, validated=True)
    except JournalError as error:
        progress.done()
        say(f"nothing imported from {path}: {error.message}")
        return 2
    except ValidationError as error:
        progress.done()
        say(f"nothing imported from {path}: {' '.join(error.messages)}")
        return 1
    progress.done()
    rows = "1 row" if imported.rows == 1 else f"{imported.rows:,} rows"
    summary = f"{result.added:,} added, {result.updated:,} updated, {result.unchanged:,} already there"
    if imported.unreadable:
        summary += f", {result.carried:,} unreadable entries kept as they were"
    print(visible(f"Imported from {path} ({rows} read): {summary}."))
    if result.carried:
        print(visible("`rejection-tui check` lists the entries that cannot be read."))
    return 0


def run_keymap(journal: Journal, binding_id: str | None, keys: str | None, reset: str | None) -> int:
    """List the keys (yours marked *), set ID's keys, or reset them (setting ``keymap``)."""
    from rejection_tui.domain.validation import ValidationError
    from rejection_tui.ui.actions import KEYMAP_SETTING, key_problem
    from rejection_tui.ui.keys import binding_ids, clashes, keymap_rows

    raw = journal.get_setting(KEYMAP_SETTING)
    keymap: dict[str, str] = dict(raw) if isinstance(raw, dict) else {}
    if binding_id is None and reset is None:
        rows = keymap_rows(keymap)
        width = max(len(row[0]) for row in rows)
        lines = [f"{'id':<{width}}  keys (* yours; default in brackets) and what they do"]
        for row_id, now, default, what in rows:
            mine = f"* {now} [{default}]" if row_id in keymap else now
            lines.append(f"{row_id:<{width}}  {mine:<22} {what}")
        try:
            sys.stdout.write(visible("\n".join(lines)) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:  # piped into `head`: the reader left early
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    target = reset if reset is not None else binding_id
    if binding_id is not None and reset is not None:
        say("give either ID KEYS or --reset ID, not both.")
        return 1
    if target not in binding_ids():
        say(f"no key has the id {target!r}; `rejection-tui keymap` lists them.")
        return 1
    if reset is not None:
        keymap.pop(reset, None)
    elif keys is None or (problem := key_problem(keys)):
        say(f"{target}: {'give the keys too, e.g. ctrl+n' if keys is None else problem}.")
        return 1
    else:
        keymap[target] = ",".join(key.strip() for key in keys.split(","))
    try:
        journal.set_setting(KEYMAP_SETTING, keymap)
    except (JournalError, ValidationError) as error:
        say(str(getattr(error, "message", error)))
        return 2
    if reset is not None:
        print(visible(f"{reset}: back to its default keys from the next start of the app."))
        return 0
    print(visible(f"{target}: {keymap[target]} from the next start of the app."))
    for note in clashes(target, keymap):
        print(visible(f"Note: {note}; change one of them if both should work."))
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
    if args.command in ("stats", "export", "check") and not resolve_journal_path(args.db).exists():
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
            if args.command == "keymap":
                return run_keymap(journal, args.binding_id, args.keys, args.reset)
            if args.command == "check":
                return run_check(journal)
            return run_import(journal, args.file)
    # Imported late: start-up errors above need no Textual at all.
    from rejection_tui.ui.app import RejectionApp

    try:
        app = RejectionApp(journal)
        app.run()
    finally:
        journal.close()
    return app.return_code or 0
