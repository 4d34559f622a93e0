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

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, NoReturn, TextIO, cast

from rejection_tui import __version__
from rejection_tui.domain.categories import category_label
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import now_local
from rejection_tui.domain.text import counted, visible
from rejection_tui.domain.validation import ValidationError
from rejection_tui.locations import ENV_VAR, resolve_journal_path
from rejection_tui.storage.errors import JournalError, JournalLocked
from rejection_tui.storage.files import NotDurable, atomic_write
from rejection_tui.storage.formats import (
    FORMATS,
    ImportFile,
    ImportProblem,
    import_kind,
    left_out_sentence,
    read_import_file,
)
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.lock import lock_path_for

if TYPE_CHECKING:
    import argparse

# Start-up (issue 12): opening the app (no arguments, or only --db PATH) needs
# neither argparse (nor the gettext it loads) nor the command modules
# (capture, privacy): they are imported only when the command line holds more.

EXIT_JOURNAL = 2
EXIT_PROBLEMS = 1


def say(message: str, *, prefix: bool = True) -> None:
    """One message line on stderr; paths and text from files are shown, never obeyed."""
    try:
        print(visible(f"rejection-tui: {message}" if prefix else message), file=sys.stderr)
    except BrokenPipeError:  # `2>&1 | head`: the reader left; nothing more can be said
        to_devnull(sys.stderr, "stderr")


def to_devnull(stream: TextIO, name: str) -> None:
    """Send what ``stream`` still holds, and all it is given later, to /dev/null.

    For a pipe whose reader left early (`rejection-tui stats | head`): that is
    not an error, and Python's own flush at exit must not print one either,
    so the file descriptor itself is pointed at /dev/null.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError):  # not a real file (a test's capture): replace the object
        setattr(sys, name, open(os.devnull, "w"))  # noqa: SIM115
    finally:
        os.close(devnull)


def reader_left() -> int:
    """Standard output's reader closed the pipe early: stop writing, quietly; exit status 0."""
    to_devnull(sys.stdout, "stdout")
    return 0


def tell(journal: Journal, *, read_only: bool = False, merges: bool = True) -> None:
    """What the journal has to say, on stderr, each sentence once: its notices (permissions
    tightened at open, a save the disk did not confirm), the copies merged as it opened and,
    with ``read_only``, why it is open read-only and the copies waiting to be merged."""
    for notice in journal.take_notices():
        say(notice)
    for report in journal.take_merges() if merges else ():  # copies merged as it opened
        say(report.text())
    if read_only and journal.read_only:
        say(journal.read_only)
    if read_only and journal.storage().reader:
        tell_copies_waiting(journal.path)


def tell_copies_waiting(path: Path) -> None:
    """One line naming the conflict copies beside the journal, for a command that only reads."""
    from rejection_tui.storage.conflicts import scan

    waiting = scan(path).known
    if waiting:
        names = ", ".join(copy.name for copy in waiting)
        say(
            f"beside your journal are copies a sync tool left ({names}); rejection-tui checks and "
            "merges them when it next opens the journal for writing (the app, or `rejection-tui merge`)."
        )


def writes(args: argparse.Namespace) -> bool:
    """True for the commands that change the journal."""
    if args.command == "keymap":
        return args.binding_id is not None or args.reset is not None
    return args.command in ("import", "merge")


def refuse_read_only(journal: Journal, args: argparse.Namespace) -> int:
    """One line for a command that would write to a read-only journal; exit 2, nothing touched."""
    read = getattr(args, "read", None)
    if isinstance(read, ImportRead):
        read.progress.done()  # clear a progress line left on the terminal
    if args.command == "import":
        what = f"nothing imported from {Path(args.file).expanduser()}"
    elif args.command == "merge":
        what = "nothing merged"
    else:
        what = "the keys were not changed"
    say(f"{what}: {journal.read_only} Nothing was written to {journal.path}.")
    return EXIT_JOURNAL


def for_terminal(text: str) -> str:
    """``text`` as a terminal should show it: CRLF line ends as newlines, controls visible."""
    return visible(text.replace("\r\n", "\n"))


def build_parser() -> argparse.ArgumentParser:
    import argparse

    from rejection_tui import capture, privacy

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            # argparse quotes some arguments with repr() but not all ("unrecognized arguments").
            super().error(visible(message))

    parser = Parser(
        prog="rejection-tui",
        description="A private, offline coach for rejection therapy.",
        epilog=f"The journal path can also be set with the {ENV_VAR} environment variable.",
    )
    parser.add_argument("--db", metavar="PATH", help="journal file to open (created if missing)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # --db after the command word too ("rejection-tui pending --db FILE"): a parent for every command.
    db = Parser(add_help=False)
    db.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="journal file to open")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("challenges", help="print the built-in challenge library")
    commands.add_parser("stats", parents=[db], help="print a plain-text summary of your practice")
    capture.add_arguments(commands, db)
    privacy.add_arguments(commands, db)
    export = commands.add_parser(
        "export",
        parents=[db],
        help="write a full backup (JSON), or every attempt as CSV or a Markdown report",
        description="json (the default) is a full backup: every attempt, your own challenges, the ladder "
        "and every setting, for `import` on another machine. csv and markdown hold the attempts only.",
    )
    export.add_argument("--format", choices=FORMATS, default="json", help="default: json (a full backup)")
    export.add_argument("-o", "--output", metavar="FILE", help="write here (owner-only) instead of stdout")
    importer = commands.add_parser(
        "import",
        parents=[db],
        help="merge a CSV or JSON export (or a full backup) into the journal, by id",
        description="Attempts and your own challenges merge by id. From a full backup, the ladder and "
        "each setting are taken only where this journal has none: your own are kept, and the output "
        "says which were not taken. The file is checked first; one write saves all of it or none.",
    )
    importer.add_argument("file", metavar="FILE")
    merger = commands.add_parser(
        "merge",
        parents=[db],
        help="merge another copy of the journal (or an export) into it, record by record",
        description="Without FILE: merge the conflict copies a sync tool (Syncthing, Dropbox, Nextcloud…) "
        "left beside the journal, and move them to backups/merged/. With FILE: merge that journal, "
        "conflict copy or export, and leave the file where it is. Per record the newer version is kept; "
        "every version not kept is saved in backups/merged/. A backup is taken first.",
    )
    merger.add_argument("file", metavar="FILE", nargs="?")
    commands.add_parser(
        "check",
        parents=[db],
        help="list the entries in the journal that cannot be read (exit 1 when there are some)",
        description="Lists every record the journal cannot use, naming the table, the document and the "
        "field, and the entries kept beside it (from the shell, or a version saved over). Such records "
        "stay as they are. Exit status: 0 none, 1 some, 2 the journal cannot be opened.",
    )
    keymap = commands.add_parser(
        "keymap",
        parents=[db],
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


def open_or_explain(option: str | None, *, reader: bool = False, hand_over: bool = False) -> Journal | None:
    """The journal, or None with one line on stderr. ``hand_over``: ``JournalLocked`` (the app
    has it open) is raised, for the caller to hand its change to the app instead."""
    path = resolve_journal_path(option)
    try:
        return Journal.open(path, reader=reader, passphrase=passphrase_for(path))
    except JournalLocked as locked:
        if hand_over:
            raise
        say(locked.message)
    except JournalError as error:
        say(error.message)
    except OSError as error:
        say(f"cannot open the journal {path}: {error.strerror or error}")
    return None


def passphrase_for(path: Path) -> Callable[[], str]:
    """``privacy.passphrase_for``, imported only when an encrypted journal asks for it."""

    def ask() -> str:
        from rejection_tui.privacy import passphrase_for

        return passphrase_for(path)()

    return ask


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
    from rejection_tui.domain.stats import summary_lines

    print(visible("\n".join(summary_lines(journal.summary(now_local())))))
    note = problems_note(journal)
    if note:
        print(visible(note))
    return 0


def run_check(journal: Journal) -> int:
    """Every problem, one line each; exit 0 when there are none, 1 when there are some."""
    from rejection_tui.storage.inbox import KEPT_SUFFIX, inbox_dir

    problems = journal.problems()
    kept = sorted(inbox_dir(journal.path).glob("*" + KEPT_SUFFIX))
    if not problems and not kept:
        print(visible(f"No problems found in {journal.path}: every entry can be read."))
        return 0
    lines = []
    if problems:
        count = "1 problem" if len(problems) == 1 else f"{len(problems):,} problems"
        lines += [
            f"{count} in {journal.path}. These entries are kept in the file exactly as they are, "
            "but cannot be shown or counted until they are fixed:",
            *(f"- {problem}" for problem in problems),
        ]
    if kept:
        # Set aside by the inbox (a rating that clashed, a version saved over, an unreadable file).
        lines += [
            f"{counted(len(kept), 'entry', 'entries')} from the shell or saved over in the app "
            f"{'is' if len(kept) == 1 else 'are'} kept beside the journal, not in it "
            "(open one to see what it holds):",
            *(f"- {path}" for path in kept),
        ]
    try:
        sys.stdout.write(visible("\n".join(lines)) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # piped into `head`: the reader left early
        reader_left()
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
    except NotDurable as error:  # written: only its folder's sync failed
        say(f"{target} is written, but the disk did not confirm it yet ({error.strerror}).")
    except OSError as error:
        say(f"cannot write {target}: {error.strerror or error}")
        return 1
    left_out = len(journal.unreadable_documents())
    kept = (
        f" {left_out_sentence(left_out)}" if left_out and fmt != "json"
        else " It keeps the unreadable entry as it is." if left_out == 1
        else f" It keeps the {left_out:,} unreadable entries as they are." if left_out
        else ""
    )  # fmt: skip
    attempts = counted(journal.count_attempts(), "attempt")
    if fmt == "json":
        attempts = f"a full backup ({attempts}, your own challenges, the ladder and settings)"
    plain = ""
    if journal.encrypted:
        plain = " It is not encrypted, though your journal is: keep it somewhere private."
    say(f"Wrote {attempts} to {target} (readable by you only).{kept}{plain}", prefix=False)
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


@dataclass
class ImportRead:
    """A file to import, read and checked before the journal is opened."""

    path: Path
    imported: ImportFile
    progress: ImportProgress


def read_for_import(source: str) -> ImportRead | None:
    """Read and check ``source``; None (with one line on stderr) when it cannot be imported.

    Done before the journal is opened, so a file that cannot be imported
    never leaves a new, empty journal behind.
    """
    path = Path(source).expanduser()
    progress = ImportProgress(path)
    try:
        return ImportRead(path, read_import_file(path, progress), progress)
    except OSError as error:
        progress.done()
        say(f"cannot read {path}: {error.strerror or error}")
    except ImportProblem as problem:
        progress.done()
        say(f"nothing imported from {path}: {problem}")
    return None


def run_import(journal: Journal, read: ImportRead) -> int:
    path, imported, progress = read.path, read.imported, read.progress
    progress.stage(f"Read {imported.rows:,} rows; saving the journal…")
    try:
        result = journal.merge(imported.attempts, imported.unreadable, validated=True, backup=imported.backup)
    except (JournalError, ValidationError) as error:
        progress.done()
        if journal.created:  # this import made it: nothing of it may stay behind
            discard_new_journal(journal)
        why = error.message if isinstance(error, JournalError) else " ".join(error.messages)
        say(f"nothing imported from {path}: {why}")
        return 2 if isinstance(error, JournalError) else 1
    progress.done()
    rows = "1 row" if imported.rows == 1 else f"{imported.rows:,} rows"
    summary = result.summary(unreadable=bool(imported.unreadable))
    print(visible(f"Imported from {path} ({rows} read): {summary}."))
    for note in result.notes():
        print(visible(note))
    if result.carried:
        print(visible("`rejection-tui check` lists the entries that cannot be read."))
    return 0


def import_into_open_app(path: Path, read: ImportRead) -> int:
    """The app has the journal open: hand it a copy of the (checked) file to merge."""
    from rejection_tui.storage.inbox import hand_in_import

    read.progress.done()
    try:
        data = read.path.read_bytes()
        head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip().decode("utf-8", errors="ignore")
        kind = "csv" if import_kind(head, read.path.suffix) == "csv" else "json"
        hand_in_import(path, data, kind)
    except NotDurable:
        pass  # in place; only its folder's sync is unconfirmed
    except OSError as error:
        say(f"nothing imported from {read.path}: cannot hand it to the open app ({error.strerror or error}).")
        return EXIT_JOURNAL
    rows = "1 row" if read.imported.rows == 1 else f"{read.imported.rows:,} rows"
    print(
        visible(
            f"Read {rows} from {read.path}. The app has your journal open: it merges them within "
            "a couple of seconds and says what it took."
        )
    )
    return 0


def discard_new_journal(journal: Journal) -> None:
    """Remove a journal this run created (and its lock file) after its first write failed."""
    journal.close()
    for path in (journal.path, lock_path_for(journal.path)):
        with contextlib.suppress(OSError):
            path.unlink()


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
        sys.stdout.write(visible("\n".join(lines)) + "\n")
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


def run_command(journal: Journal, args: argparse.Namespace) -> int:
    if args.command == "stats":
        return run_stats(journal)
    if args.command == "export":
        return run_export(journal, args.format, args.output)
    if args.command == "keymap":
        return run_keymap(journal, args.binding_id, args.keys, args.reset)
    if args.command == "check":
        return run_check(journal)
    if args.command == "merge":
        return run_merge(journal, args.file)
    return run_import(journal, args.read)


def _where(path: Path) -> Path:
    """``path`` with its folder resolved (the file itself may have been moved meanwhile)."""
    absolute = path.expanduser().absolute()
    return absolute.parent.resolve() / absolute.name


def run_merge(journal: Journal, file: str | None) -> int:
    """Merge FILE (or report the copies merged as the journal opened); exit 1 if one was not."""
    reports = journal.take_merges()  # the copies beside it, merged as it opened
    if file is None:
        if not reports:
            print(visible(f"Nothing to merge: no copies of the journal are beside {journal.path}."))
    elif any(report.copy == _where(Path(file)) for report in reports):
        pass  # one of the copies beside it: merged as the journal opened
    else:
        source = Path(file).expanduser().absolute()
        if not source.is_file():
            say(f"there is no file at {source}.")
            return 1
        if source.resolve() == journal.path:
            say(f"{source} is the journal itself: name another copy of it, or an export.")
            return 1
        reports += filter(None, [journal.merge_file(source)])
    for report in reports:
        print(visible(report.text()))
    return 0 if all(report.merged for report in reports) else 1


def only_opens_the_app(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The arguments when they only open the app (none, or ``--db PATH``), without argparse.

    Anything else (a command, --help, --version, a PATH starting with '-', a
    mistake) returns None, for the full parser to read exactly as always.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    if not words:
        db = None
    elif len(words) == 2 and words[0] == "--db" and not words[1].startswith("-"):
        db = words[1]
    elif len(words) == 1 and words[0].startswith("--db="):
        db = words[0].removeprefix("--db=")
    else:
        return None
    # The attributes argparse would give: the option, and no command.
    return cast("argparse.Namespace", SimpleNamespace(db=db, command=None))


def main(argv: Sequence[str] | None = None) -> int:
    args = only_opens_the_app(argv) or build_parser().parse_args(argv)
    if args.command == "challenges":
        try:
            print_challenges(sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            return reader_left()
        return 0
    if args.command is not None:
        from rejection_tui import capture, privacy  # loaded already, by build_parser

        if args.command in capture.COMMANDS:
            return capture.run(args.command, resolve_journal_path(args.db), args)
        if args.command in privacy.COMMANDS:
            return privacy.run(args.command, resolve_journal_path(args.db), args)
    if args.command in ("stats", "export", "check", "merge") and not resolve_journal_path(args.db).exists():
        say(f"there is no journal at {resolve_journal_path(args.db)} yet.")
        return EXIT_JOURNAL
    if args.command == "import":
        args.read = read_for_import(args.file)  # before the journal is opened (or created)
        if args.read is None:
            return 1
    # Start-up (issue 12): no cyclic GC while the journal loads and the first
    # frame is drawn (nearly every object made then lives for the whole run,
    # and each collection would walk the whole history again); the app turns
    # it back on after its first frame, with what exists then frozen.
    gc.disable()
    # Commands that only read take a snapshot without the lock: they work while the app is open.
    reader = args.command is not None and not writes(args)
    try:
        journal = open_or_explain(args.db, reader=reader, hand_over=args.command == "import")
    except JournalLocked:
        gc.enable()
        return import_into_open_app(resolve_journal_path(args.db), args.read)
    if journal is None:
        gc.enable()
        return EXIT_JOURNAL
    # Said before anything else, once (the app then has no notices left to show).
    tell(journal, read_only=not writes(args), merges=args.command not in (None, "merge"))
    if args.command is not None:
        gc.enable()
        with journal:
            if writes(args) and journal.read_only:
                return refuse_read_only(journal, args)
            try:
                status = run_command(journal, args)
                sys.stdout.flush()  # a closed pipe shows here, not in Python's flush at exit
            except BrokenPipeError:
                return reader_left()
            finally:
                tell(journal)  # what saves had to say (a journal written back, a sync not confirmed)
            return status
    # Imported late: start-up errors above need no Textual at all.
    from rejection_tui.ui.app import RejectionApp

    try:
        app = RejectionApp(journal)
        app.run()
    finally:
        journal.close()
        gc.enable()
    return app.return_code or 0
