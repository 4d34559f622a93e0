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

ASIDE = ".aside-"

_COPY_WORDS = re.compile(r"(?i).*(?:conflict|copy|kopie|copie).*|\s\(\d+\)|\s\d+")
"""What tools whose naming we do not know add to a copy's name: "journal (1)", "journal 2"
(iCloud), "journal - Copy"... (``Journal.merge_copies`` then also checks it was made from
the same journal before merging it)."""


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


class Found:
    """The files beside a journal that may be other copies of it, by kind, each oldest name first.

    (A plain class: a dataclass costs more to define than the whole scan, at every start.)
    """

    __slots__ = ("asides", "maybe", "named")

    def __init__(self) -> None:
        self.asides: list[Path] = []
        """What a save set aside (a crash left it when the journal is not open)."""
        self.named: list[Path] = []
        """Conflict copies named as Syncthing, Dropbox, Nextcloud or ownCloud name them."""
        self.maybe: list[Path] = []
        """Named like a copy by a tool whose naming we do not know (see ``_COPY_WORDS``)."""

    @property
    def known(self) -> list[Path]:
        """The asides and the named conflict copies: other copies of the journal for sure."""
        return [*self.asides, *self.named]


def scan(journal: Path) -> Found:
    """One look at the journal's folder (it runs as the app starts and then every second).

    Only names that start with the journal's own are looked at more closely, so the
    patterns are not even compiled in the usual folder, where there are none.
    """
    found = Found()
    aside_prefix = f".{journal.name}{ASIDE}"
    close: list[str] = []
    try:
        with os.scandir(journal.parent) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith(aside_prefix):
                    found.asides.append(Path(entry.path))
                elif (
                    name.startswith(journal.stem)
                    and name.endswith(journal.suffix)
                    and name != journal.name
                    and entry.is_file()
                ):
                    close.append(name)
    except OSError:
        return found
    if close:
        patterns = _patterns(journal)
        for name in sorted(close):
            if any(p.fullmatch(name) for p in patterns):
                found.named.append(journal.parent / name)
            elif _COPY_WORDS.fullmatch(name[len(journal.stem) : len(name) - len(journal.suffix)]):
                found.maybe.append(journal.parent / name)
    if found.asides:
        found.asides = _oldest_first(found.asides)
    return found


def _oldest_first(paths: list[Path]) -> list[Path]:
    dated = []
    for path in paths:
        try:
            dated.append((path.stat().st_mtime_ns, path.name, path))
        except OSError:
            continue
    return [path for _, _, path in sorted(dated)]


def conflict_copies(journal: Path) -> list[Path]:
    """The conflict copies of ``journal`` in its folder, by name, oldest name first."""
    return scan(journal).named


def maybe_copies(journal: Path) -> list[Path]:
    """Files named like the journal plus words a copy gets, not named by a known tool."""
    return scan(journal).maybe


def aside_name(journal: Path) -> Path:
    """A new name beside the journal for the file a save replaces (see the module doc)."""
    return journal.parent / f".{journal.name}{ASIDE}{os.getpid()}-{next(_asides)}"


def asides(journal: Path) -> list[Path]:
    """Aside files a crashed save left beside the journal, oldest first."""
    return scan(journal).asides
