"""Finding the conflict copies file-sync tools leave beside the journal (issue 15, groundwork).

Sync tools never merge: when two devices changed the journal, they keep one
version under its name and the other beside it, named by the tool:

- Syncthing: ``journal.sync-conflict-20261127-101010-ABCDEFG.json``
- Dropbox: ``journal (Jane's conflicted copy 2026-11-27).json``
- Nextcloud: ``journal (conflicted copy 2026-11-27 101010).json``
- ownCloud (older): ``journal_conflict-20261127-101010.json``

Beside those, the journal's own save leaves an *aside* file for a moment
(``.journal.json.aside-…``: the file it replaces, renamed away so a file a
sync tool puts in its place is never overwritten); one found when the
journal is opened is what a crash left. This module only names the
candidates; ``Journal.merge_copies`` reads, checks and merges them.
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

_asides = itertools.count(1)


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


ASIDE = ".aside-"


def aside_name(journal: Path) -> Path:
    """A new name beside the journal for the file a save replaces (see the module doc)."""
    return journal.parent / f".{journal.name}{ASIDE}{os.getpid()}-{next(_asides)}"


def asides(journal: Path) -> list[Path]:
    """Aside files a crashed save left beside the journal, oldest first."""
    prefix = f".{journal.name}{ASIDE}"
    try:
        found = [entry for entry in journal.parent.iterdir() if entry.name.startswith(prefix)]
    except OSError:
        return []
    dated = []
    for entry in found:
        try:
            dated.append((entry.stat().st_mtime_ns, entry.name, entry))
        except OSError:
            continue
    return [entry for _, _, entry in sorted(dated)]


_COPY_WORDS = re.compile(r"(?i).*(?:conflict|copy|kopie|copie).*|\s\(\d+\)|\s\d+")
"""What tools whose naming we do not know add to a copy's name: "journal (1)", "journal 2"
(iCloud), "journal - Copy"... (``Journal.merge_copies`` then also checks it was made from
the same journal before merging it)."""


def maybe_copies(journal: Path) -> list[Path]:
    """Files named like the journal plus words a copy gets, not named by a known tool."""
    try:
        names = sorted(entry.name for entry in journal.parent.iterdir() if entry.is_file())
    except OSError:
        return []
    patterns = _patterns(journal)
    found = []
    for name in names:
        if not (name.startswith(journal.stem) and name.endswith(journal.suffix)) or name == journal.name:
            continue
        rest = name[len(journal.stem) : len(name) - len(journal.suffix)]
        if rest and _COPY_WORDS.fullmatch(rest) and not any(p.fullmatch(name) for p in patterns):
            found.append(journal.parent / name)
    return found
