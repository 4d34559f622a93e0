"""The commands `encrypt`, `decrypt` and `passphrase`, and asking for a passphrase (issue 14).

A passphrase is typed at the terminal (never echoed, never an argument:
arguments land in shell history and `ps`) or, for scripts and tests, read
from REJECTION_TUI_PASSPHRASE, as restic and borg do — with the same risk:
anything that can read your environment can read it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rejection_tui.asking import forget_typed_ahead
from rejection_tui.cli import say
from rejection_tui.domain.text import visible
from rejection_tui.storage.envelope import RecoveryKey
from rejection_tui.storage.errors import JournalEncrypted, JournalError, JournalNotUnlocked
from rejection_tui.storage.journal import Journal

ENV_PASSPHRASE = "REJECTION_TUI_PASSPHRASE"
ENV_NEW_PASSPHRASE = "REJECTION_TUI_NEW_PASSPHRASE"
MIN_LENGTH = 8
EXIT_PROBLEM = 1
EXIT_JOURNAL = 2

NO_RECOVERY = (
    "If you forget this passphrase, nobody can open your journal again, not even you: "
    "there is no back door. A recovery key is a second way in; keep it somewhere safe and private."
)


class Stop(Exception):
    """One sentence for stderr and an exit status; nothing was changed."""

    def __init__(self, message: str, status: int = EXIT_PROBLEM) -> None:
        self.status = status
        super().__init__(message)


def at_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (ValueError, AttributeError):
        return False


def _typed(prompt: str) -> str:
    try:
        return getpass.getpass(visible(prompt))
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        raise Stop("Nothing was changed.", 130) from None


def passphrase_for(path: Path, *, recovery: bool = False, prompt: bool = True) -> Callable[[], str]:
    """What ``Journal.open`` calls for an encrypted journal: the environment, else a prompt
    (``prompt=False``: the environment only, ``JournalEncrypted`` without it)."""

    def ask() -> str:
        if recovery:
            if not at_terminal():
                raise JournalEncrypted(path)
            return RecoveryKey(_typed(f"Recovery key for {path}: "))
        given = os.environ.get(ENV_PASSPHRASE)
        if given is not None:
            return given
        if not prompt or not at_terminal():
            raise JournalEncrypted(path)
        return _typed(f"Passphrase for {path}: ")

    def asked() -> str:
        try:
            return ask()
        except Stop:  # ctrl+c or ctrl+d at the prompt
            raise JournalNotUnlocked(path) from None

    return asked


def new_passphrase(env: str) -> str:
    """A new passphrase: from ``env`` for scripts, else typed twice at the terminal."""
    given = os.environ.get(env)
    if given is not None:
        if len(given) < MIN_LENGTH:
            raise Stop(f"{env} must be at least {MIN_LENGTH} characters long. Nothing was changed.")
        return given
    if not at_terminal():
        raise Stop(f"type the new passphrase at a terminal, or set {env}. Nothing was changed.")
    while True:
        first = _typed(f"New passphrase (at least {MIN_LENGTH} characters): ")
        if len(first) < MIN_LENGTH:
            print(f"  It must be at least {MIN_LENGTH} characters long.", file=sys.stderr)
            continue
        if _typed("The same passphrase again: ") == first:
            return first
        print("  The two did not match; once more.", file=sys.stderr)


def want_recovery(flag: bool) -> bool:
    if flag or not at_terminal():
        return flag
    answer = input_line("Print a recovery key to keep somewhere safe? [Y/n] ")
    return answer.strip().casefold() in ("", "y", "yes")


def input_line(prompt: str) -> str:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    try:
        line = sys.stdin.readline()
    except KeyboardInterrupt:
        line = ""
    if not line:
        print(file=sys.stderr)
        raise Stop("Nothing was changed.", 130)
    return line


def add_arguments(commands: argparse._SubParsersAction[Any], db: argparse.ArgumentParser) -> None:
    note = (
        "The passphrase is typed at the terminal, or read from REJECTION_TUI_PASSPHRASE (the new one for "
        "`encrypt`; for `passphrase` the new one from REJECTION_TUI_NEW_PASSPHRASE) — never an argument. "
        "The app must be closed."
    )
    encrypt = commands.add_parser(
        "encrypt",
        parents=[db],
        help="encrypt the journal, its backups and its inbox with a passphrase",
        description="Encrypts the journal with a passphrase (AES-256-GCM, scrypt). A forgotten passphrase "
        "cannot be recovered; a recovery key can stand in for it. " + note,
    )
    encrypt.add_argument(
        "--recovery-key", action="store_true", help="print a recovery key (asked at a terminal)"
    )
    commands.add_parser(
        "decrypt",
        parents=[db],
        help="turn encryption off: a plain journal any TinyDB reads",
        description="Writes the journal and its backups plain again. " + note,
    )
    change = commands.add_parser(
        "passphrase",
        parents=[db],
        help="change the passphrase of an encrypted journal",
        description="Changes the passphrase (the recovery key stays valid unless you ask for a new one). "
        + note,
    )
    change.add_argument("--recovery", action="store_true", help="unlock with the recovery key instead")
    change.add_argument(
        "--new-recovery-key", action="store_true", help="print a new recovery key (the old stops)"
    )


COMMANDS = ("encrypt", "decrypt", "passphrase")


def run(command: str, path: Path, args: argparse.Namespace) -> int:
    try:
        if not path.exists():
            raise Stop(f"there is no journal at {path} yet.", EXIT_JOURNAL)
        recovery = command == "passphrase" and args.recovery
        try:
            journal = Journal.open(path, passphrase=passphrase_for(path, recovery=recovery))
        except JournalError as error:
            raise Stop(error.message, EXIT_JOURNAL) from None
        with journal:
            if journal.read_only:
                raise Stop(f"{journal.read_only} Nothing was changed.", EXIT_JOURNAL)
            if command == "encrypt":
                return run_encrypt(journal, args)
            if command == "decrypt":
                return run_decrypt(journal)
            return run_passphrase(journal, args)
    except Stop as stop:
        say(str(stop))
        return stop.status
    except JournalError as error:
        say(error.message)
        return EXIT_JOURNAL
    except KeyboardInterrupt:
        say(
            "interrupted. The journal is whole, as it was or as it was to become; "
            f"run `rejection-tui {command}` again to finish."
        )
        return 130
    finally:
        forget_typed_ahead()


def _told(taken: Any) -> None:
    """Say where each entry from the shell that could not be taken in is kept."""
    for kept, why in taken.set_aside:
        say(f"an entry from the shell was not taken in ({why}); it is kept at {kept}.")


def _backups_line(converted: Any, what: str) -> None:
    if converted.done:
        print(visible(f"{converted.done} backup(s) {what}."))
    for backup, why in converted.skipped:
        say(f"left {backup} as it is: {why}.")


def run_encrypt(journal: Journal, args: argparse.Namespace) -> int:
    from rejection_tui.storage.encryption import convert_backups, encrypt
    from rejection_tui.storage.inbox import take_in
    from rejection_tui.storage.sealed import new_recovery_key

    if journal.encrypted:
        keys = journal.storage().keys
        converted = convert_backups(journal.path, keys, keys)
        print(visible(f"{journal.path} is already encrypted."))
        _backups_line(converted, "left plain by an interrupted encrypt are encrypted now")
        return 0
    _told(take_in(journal))  # entries from the shell: into the journal before it is sealed
    print(visible(NO_RECOVERY), file=sys.stderr)
    passphrase = new_passphrase(ENV_PASSPHRASE)
    recovery = new_recovery_key() if want_recovery(args.recovery_key) else None
    converted = encrypt(journal, passphrase, recovery)
    # Recorded while the passphrase was being typed (plain then): in now, sealed with the rest.
    _told(take_in(journal))
    keys = journal.storage().keys
    converted.done += convert_backups(journal.path, keys, keys).done
    print(visible(f"Encrypted {journal.path}. You need the passphrase each time you open it."))
    _backups_line(converted, "encrypted")
    if recovery is not None:
        print(visible(f"Recovery key (write it down and keep it private): {recovery}"))
    print(visible("Exports you make stay plain text: keep them somewhere private."))
    return 0


def run_decrypt(journal: Journal) -> int:
    from rejection_tui.storage.encryption import decrypt
    from rejection_tui.storage.inbox import take_in

    if not journal.encrypted:
        return finish_decrypt(journal)
    _told(take_in(journal))  # sealed entries from the shell: only these keys open them
    converted = decrypt(journal)
    print(visible(f"{journal.path} is plain again: any TinyDB reads it, and so can anyone with the file."))
    _backups_line(converted, "written plain")
    return 0


def finish_decrypt(journal: Journal) -> int:
    """The journal is plain: write plain the backups an interrupted decrypt left sealed."""
    from rejection_tui.storage.encryption import convert_backups, sealed_copies
    from rejection_tui.storage.sealed import Keys, WrongPassphrase

    left = sealed_copies(journal.path)
    if not left:
        raise Stop(f"{journal.path} is not encrypted. Nothing was changed.")
    raw = left[0].read_bytes()
    try:
        keys = Keys.unlock(raw, passphrase_for(left[0])())
    except WrongPassphrase:
        raise Stop(f"That passphrase does not open {left[0]}. Nothing was changed.", EXIT_JOURNAL) from None
    except ValueError as error:
        raise Stop(f"{left[0]} cannot be opened ({error}). Nothing was changed.", EXIT_JOURNAL) from None
    converted = convert_backups(journal.path, keys, None)
    print(visible(f"{journal.path} was already plain."))
    _backups_line(converted, "left encrypted by an interrupted decrypt are plain now")
    return 0


def run_passphrase(journal: Journal, args: argparse.Namespace) -> int:
    from rejection_tui.storage.encryption import change_passphrase
    from rejection_tui.storage.sealed import new_recovery_key

    if not journal.encrypted:
        raise Stop(
            f"{journal.path} is not encrypted: `rejection-tui encrypt` turns it on. Nothing was changed."
        )
    passphrase = new_passphrase(ENV_NEW_PASSPHRASE)
    recovery = new_recovery_key() if args.new_recovery_key else None
    converted = change_passphrase(journal, passphrase, recovery, keep_recovery=recovery is None)
    print(visible(f"The passphrase of {journal.path} is changed."))
    _backups_line(converted, "moved to the new passphrase")
    if recovery is not None:
        print(visible(f"New recovery key (the old one no longer works): {recovery}"))
    return 0
