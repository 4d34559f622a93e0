"""Where the journal lives. Nothing is created at import time."""

from __future__ import annotations

import os
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
