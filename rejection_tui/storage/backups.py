"""Rolling backups in ``backups/`` beside the journal."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from rejection_tui.storage.files import atomic_write, ensure_dir

KEEP_DAILY = 14


def backup_dir(journal: Path) -> Path:
    return journal.parent / "backups"


def daily_backup_path(journal: Path, day: date) -> Path:
    return backup_dir(journal) / f"{journal.stem}-{day.isoformat()}{journal.suffix}"


def _daily_pattern(journal: Path) -> re.Pattern[str]:
    return re.compile(re.escape(journal.stem) + r"-\d{4}-\d{2}-\d{2}" + re.escape(journal.suffix) + "$")


def daily_backups(journal: Path) -> list[Path]:
    """The journal's daily backups, oldest first."""
    folder = backup_dir(journal)
    if not folder.is_dir():
        return []
    pattern = _daily_pattern(journal)
    return sorted(p for p in folder.iterdir() if pattern.match(p.name))


def all_backups(journal: Path) -> list[Path]:
    folder = backup_dir(journal)
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.iterdir() if p.name.startswith(journal.stem + "-")),
        key=lambda p: p.stat().st_mtime_ns,
    )


def newest_backup(journal: Path) -> Path | None:
    backups = all_backups(journal)
    return backups[-1] if backups else None


def write_backup(journal: Path, target: Path, content: bytes) -> Path:
    ensure_dir(target.parent)
    atomic_write(target, content)
    return target


def backup_before(journal: Path, content: bytes, reason: str, now: datetime) -> Path:
    """A one-off copy before a risky change (migration, import, bulk delete)."""
    stamp = now.strftime("%Y-%m-%dT%H%M%S")
    target = backup_dir(journal) / f"{journal.stem}-{stamp}-{reason}{journal.suffix}"
    return write_backup(journal, target, content)


def ensure_daily_backup(journal: Path, content: bytes, today: date) -> Path | None:
    """Copy ``content`` as today's backup if there is none yet; rotate old ones."""
    target = daily_backup_path(journal, today)
    if target.exists():
        return None
    write_backup(journal, target, content)
    for old in daily_backups(journal)[:-KEEP_DAILY]:
        old.unlink(missing_ok=True)
    return target
