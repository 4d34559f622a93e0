"""Finding the conflict copies file-sync tools leave beside the journal (issue 15, groundwork).

Sync tools never merge: when two devices changed the journal, they keep one
version under its name and the other beside it, named by the tool:

- Syncthing: ``journal.sync-conflict-20261127-101010-ABCDEFG.json``
- Dropbox: ``journal (Jane's conflicted copy 2026-11-27).json``
- Nextcloud: ``journal (conflicted copy 2026-11-27 101010).json``
- ownCloud (older): ``journal_conflict-20261127-101010.json``

This module only *names* candidates; reading, checking and merging them is
the next step of issue 15 (a copy that is not a valid journal is reported,
never merged and never deleted).
"""

from __future__ import annotations

import re
from pathlib import Path


def _patterns(journal: Path) -> list[re.Pattern[str]]:
    stem, suffix = re.escape(journal.stem), re.escape(journal.suffix)
    return [
        re.compile(rf"{stem}\.sync-conflict-\d{{8}}-\d{{6}}-[A-Z0-9]{{7}}{suffix}"),
        re.compile(rf"{stem} \([^()]*conflicted copy[^()]*\){suffix}"),
        re.compile(rf"{stem}_conflict-\d{{8}}-\d{{6}}{suffix}"),
    ]


def is_conflict_copy(journal: Path, candidate: Path) -> bool:
    """Whether ``candidate`` is named as a sync tool names a conflict copy of ``journal``."""
    return candidate.parent == journal.parent and any(
        pattern.fullmatch(candidate.name) for pattern in _patterns(journal)
    )


def conflict_copies(journal: Path) -> list[Path]:
    """The conflict copies of ``journal`` in its folder, by name, oldest name first."""
    try:
        names = [entry.name for entry in journal.parent.iterdir() if entry.is_file()]
    except OSError:
        return []
    patterns = _patterns(journal)
    return [journal.parent / name for name in sorted(names) if any(p.fullmatch(name) for p in patterns)]
