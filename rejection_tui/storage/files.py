"""Low-level file operations: atomic replace, owner-only modes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_SUFFIX = ".tmp"


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def ensure_dir(directory: Path) -> None:
    """Create ``directory`` (and parents) owner-only if missing; leave existing ones be."""
    if not directory.is_dir():
        directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        # mkdir's mode is filtered by the umask; make sure it is 0700.
        os.chmod(directory, DIR_MODE)


def fsync_dir(directory: Path) -> None:
    """Persist a rename: syncing a file does not sync its directory entry."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so a crash leaves either the old or the new file.

    Temporary file in the same directory, flush, fsync, ``os.replace``, then
    fsync the directory. The result is owner-only (mkstemp creates 0600).
    """
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path), suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    fsync_dir(path.parent)


def remove_stale_temps(folder: Path, pattern: str) -> list[Path]:
    """Delete temp files a crashed writer left in ``folder``; return them."""
    removed = []
    for candidate in folder.glob(pattern + TEMP_SUFFIX):
        with contextlib.suppress(OSError):
            candidate.unlink()
            removed.append(candidate)
    return removed
