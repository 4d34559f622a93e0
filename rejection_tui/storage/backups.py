"""Rolling backups in ``backups/`` beside the journal.

Two kinds, both owner-only, never written over an existing file:

- daily: ``journal-2026-11-20.json``, the file as it was before the first
  write of a day; the newest ``KEEP_DAILY`` are kept;
- one-off: ``journal-2026-11-20T183000-before-import.json`` (``-2``, ``-3``…
  after the time when several fall in the same second), taken before a
  migration, an import or another risky change; the newest
  ``KEEP_PER_REASON`` of each reason are kept.

Rotation never removes the only copy of a bigger journal: when every kept
backup is less than half the size of an older one (the journal shrank
suspiciously: a bad import, an editor that dropped half of it), the largest
such older one stays too.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from rejection_tui.storage.files import atomic_write, create_unique, ensure_dir

KEEP_DAILY = 14
KEEP_PER_REASON = 10
SHRINK_FACTOR = 2


def backup_dir(journal: Path) -> Path:
    return journal.parent / "backups"


def daily_backup_path(journal: Path, day: date) -> Path:
    return backup_dir(journal) / f"{journal.stem}-{day.isoformat()}{journal.suffix}"


def _daily_pattern(journal: Path) -> re.Pattern[str]:
    return re.compile(re.escape(journal.stem) + r"-\d{4}-\d{2}-\d{2}" + re.escape(journal.suffix) + "$")


def _any_pattern(journal: Path) -> re.Pattern[str]:
    # Only this journal's backups: not those of "journal-work.json" in the same folder.
    stamp = r"-\d{4}-\d{2}-\d{2}(?:T\d{6}(?:-\d+)?-.+)?"
    return re.compile(re.escape(journal.stem) + stamp + re.escape(journal.suffix) + "$")


def _one_off_pattern(journal: Path, reason: str) -> re.Pattern[str]:
    return re.compile(
        re.escape(journal.stem)
        + r"-(\d{4}-\d{2}-\d{2}T\d{6})(?:-(\d+))?-"
        + re.escape(reason)
        + re.escape(journal.suffix)
        + "$"
    )


def daily_backups(journal: Path) -> list[Path]:
    """The journal's daily backups, oldest first."""
    folder = backup_dir(journal)
    if not folder.is_dir():
        return []
    pattern = _daily_pattern(journal)
    return sorted(p for p in folder.iterdir() if pattern.match(p.name))


def one_off_backups(journal: Path, reason: str) -> list[Path]:
    """The journal's backups taken before ``reason`` (e.g. "before-import"), oldest first."""
    folder = backup_dir(journal)
    if not folder.is_dir():
        return []
    pattern = _one_off_pattern(journal, reason)
    found = []
    for candidate in folder.iterdir():
        match = pattern.match(candidate.name)
        if match:
            found.append(((match[1], int(match[2] or 1)), candidate))
    return [path for _, path in sorted(found)]


def all_backups(journal: Path) -> list[Path]:
    """Every backup of this journal, oldest first (by modification time)."""
    folder = backup_dir(journal)
    if not folder.is_dir():
        return []
    pattern = _any_pattern(journal)
    found = []
    for candidate in folder.iterdir():
        if pattern.match(candidate.name):
            with contextlib.suppress(OSError):
                found.append((candidate.stat().st_mtime_ns, candidate))
    return [path for _, path in sorted(found)]


def newest_backup(journal: Path) -> Path | None:
    backups = all_backups(journal)
    return backups[-1] if backups else None


def backup_temp_name(journal: Path) -> Path:
    """Temp files in ``backups/`` start ``.<journal name>.backup.``; the journal's open cleans them."""
    return Path(f"{journal.name}.backup")


def write_backup(journal: Path, target: Path, content: bytes) -> Path:
    ensure_dir(target.parent)
    atomic_write(target, content, temp_for=backup_temp_name(journal))
    return target


def backup_before(journal: Path, content: bytes, reason: str, now: datetime) -> Path:
    """A one-off copy before a risky change (migration, import, bulk delete); a new file each time."""
    folder = backup_dir(journal)
    ensure_dir(folder)
    stamp = now.strftime("%Y-%m-%dT%H%M%S")
    # A second one in the same second is "<stem>-<stamp>-2-<reason><suffix>".
    target = create_unique(
        folder, f"{journal.stem}-{stamp}", f"-{reason}{journal.suffix}", content,
        temp_for=backup_temp_name(journal),
    )  # fmt: skip
    prune(one_off_backups(journal, reason), KEEP_PER_REASON)
    return target


def ensure_daily_backup(journal: Path, content: bytes, today: date) -> Path | None:
    """Copy ``content`` as today's backup if there is none yet; rotate old ones."""
    target = daily_backup_path(journal, today)
    if target.exists():
        return None
    write_backup(journal, target, content)
    prune(daily_backups(journal), KEEP_DAILY)
    return target


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def prune(backups: list[Path], keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` of ``backups`` (oldest first); return the deleted.

    When the journal shrank suspiciously (the largest doomed copy is more than
    ``SHRINK_FACTOR`` times the newest and bigger than every kept one), that
    copy is spared: it may be the only one holding what the journal lost.
    """
    doomed, kept = backups[:-keep], backups[-keep:]
    if not doomed:
        return []
    largest = max(doomed, key=_size)
    if _size(largest) > SHRINK_FACTOR * _size(kept[-1]) and _size(largest) > max(map(_size, kept)):
        doomed.remove(largest)
    return _unlink_all(doomed)


def _unlink_all(paths: Iterable[Path]) -> list[Path]:
    removed = []
    for old in paths:
        with contextlib.suppress(OSError):
            old.unlink()
            removed.append(old)
    return removed
