"""Rolling backups in ``backups/`` beside the journal.

Two kinds, both owner-only, never written over an existing file:

- daily: ``journal-2026-11-20-1a2b3c4d.json``, the file as it was before the
  first write of a day on the device whose id starts ``1a2b3c4d`` (two
  devices sharing a synced folder never write the same backup file); the
  newest ``KEEP_DAILY`` of each device are kept (older versions wrote
  ``journal-2026-11-20.json``: still found, and pruned with this device's);
- merged: ``merged/`` holds the conflict copies a merge took in and the
  versions it did not keep (``journal-older-versions-…json``), never pruned;
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
import errno
import os
import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from rejection_tui.storage.files import atomic_write, create_unique, ensure_dir, fsync_dir

KEEP_DAILY = 14
KEEP_PER_REASON = 10
SHRINK_FACTOR = 2


def backup_dir(journal: Path) -> Path:
    return journal.parent / "backups"


DEVICE_TAG = 8
"""How many characters of the device id name a daily backup."""


def daily_backup_path(journal: Path, day: date, device: str = "") -> Path:
    tag = f"-{device[:DEVICE_TAG]}" if device else ""
    return backup_dir(journal) / f"{journal.stem}-{day.isoformat()}{tag}{journal.suffix}"


def _daily_pattern(journal: Path, device: str | None = None) -> re.Pattern[str]:
    if device is None:
        tag = r"(?:-[0-9a-f]{8})?"  # any device's
    else:
        tag = rf"(?:-{re.escape(device[:DEVICE_TAG])})?" if device else ""
    return re.compile(re.escape(journal.stem) + r"-\d{4}-\d{2}-\d{2}" + tag + re.escape(journal.suffix) + "$")


def _any_pattern(journal: Path) -> re.Pattern[str]:
    # Only this journal's backups: not those of "journal-work.json" in the same folder.
    stamp = r"-\d{4}-\d{2}-\d{2}(?:-[0-9a-f]{8}|T\d{6}(?:-\d+)?-.+)?"
    return re.compile(re.escape(journal.stem) + stamp + re.escape(journal.suffix) + "$")


def _one_off_pattern(journal: Path, reason: str) -> re.Pattern[str]:
    return re.compile(
        re.escape(journal.stem)
        + r"-(\d{4}-\d{2}-\d{2}T\d{6})(?:-(\d+))?-"
        + re.escape(reason)
        + re.escape(journal.suffix)
        + "$"
    )


def daily_backups(journal: Path, device: str | None = None) -> list[Path]:
    """The journal's daily backups (those of ``device`` and untagged ones, when given), oldest first."""
    folder = backup_dir(journal)
    if not folder.is_dir():
        return []
    pattern = _daily_pattern(journal, device)
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


def ensure_daily_backup(journal: Path, content: bytes, today: date, device: str = "") -> Path | None:
    """Copy ``content`` as today's backup (of this device) if there is none yet; rotate old ones."""
    target = daily_backup_path(journal, today, device)
    if target.exists():
        return None
    write_backup(journal, target, content)
    prune(daily_backups(journal, device), KEEP_DAILY)
    return target


def merged_dir(journal: Path) -> Path:
    return backup_dir(journal) / "merged"


def merged_files(journal: Path) -> list[Path]:
    """The merged copies and versions not kept in ``merged/`` (encrypt and decrypt convert them)."""
    folder = merged_dir(journal)
    try:
        return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    except OSError:
        return []


def save_older_versions(journal: Path, content: bytes, digest: str, now: datetime) -> Path:
    """Keep the versions a merge did not keep (``content``, a journal) in ``merged/``.

    Named by ``digest`` (of what they are): a merge run again after a crash
    finds its file there and writes no second one.
    """
    folder = merged_dir(journal)
    ensure_dir(folder)
    for existing in folder.glob(f"{journal.stem}-older-versions-*-{digest}{journal.suffix}"):
        return existing
    stamp = now.strftime("%Y-%m-%dT%H%M%S")
    return create_unique(
        folder, f"{journal.stem}-older-versions-{stamp}-{digest}", journal.suffix, content,
        temp_for=backup_temp_name(journal),
    )  # fmt: skip


def put_away(journal: Path, copy: Path) -> Path:
    """Move a conflict copy that was merged into ``merged/`` (never over a file there)."""
    folder = merged_dir(journal)
    ensure_dir(folder)
    name = copy.name.lstrip(".")  # an aside file is hidden beside the journal, not in here
    target = folder / name
    for number in range(2, 10_000):
        try:
            os.link(copy, target)
        except FileExistsError:
            target = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
            continue
        os.unlink(copy)
        fsync_dir(folder)
        fsync_dir(copy.parent)
        return target
    raise FileExistsError(errno.EEXIST, "too many merged copies with that name", str(target))


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
