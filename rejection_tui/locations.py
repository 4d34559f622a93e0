"""Where the journal lives. Nothing is created at import time."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "rejection-tui"
ENV_VAR = "REJECTION_TUI_DB"
JOURNAL_NAME = "journal.json"


def default_journal_path() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / JOURNAL_NAME


def resolve_journal_path(option: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """``--db`` wins over ``REJECTION_TUI_DB``, which wins over the default."""
    chosen = option or environ.get(ENV_VAR) or None
    return Path(chosen).expanduser() if chosen else default_journal_path()


DEVICE_FILE = "device-id"
_DEVICE_ID = re.compile(r"[0-9a-f]{16}")
_made: dict[Path, str] = {}


def device_id() -> str:
    """This device's random id (16 hex digits), kept in the local config, never in the journal.

    It stamps each record a save changes (``updated_by``), so merging two
    copies of a journal (issue 15) orders edits made on different devices at
    the same moment. Made once, owner-only; when the config folder cannot be
    written, this run keeps a fresh one (still unique, just not remembered).
    """
    folder = platformdirs.user_config_path(APP_NAME, appauthor=False)
    path = folder / DEVICE_FILE
    for _ in range(3):
        try:
            text = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            text = ""
        if _DEVICE_ID.fullmatch(text):
            return text
        made = _made.setdefault(folder, os.urandom(8).hex())  # (not secrets: it imports hashlib)
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            if text:  # there, but not an id (a damaged file): ours to replace
                with contextlib.suppress(OSError):
                    path.unlink()
            continue  # else being written by another process: read theirs
        except OSError:
            return made
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(made + "\n")
        return made
    return _made[folder]
