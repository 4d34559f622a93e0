"""Low-level file operations: atomic replace, no-clobber create, owner-only modes."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_SUFFIX = ".tmp"
# Group and other bits: the ones README promises are never set.
OTHERS = 0o077


class NotRegularFile(OSError):
    """The path holds a FIFO, a device, a socket or a folder, not a file."""

    def __init__(self, path: Path, kind: str) -> None:
        self.kind = kind
        super().__init__(errno.EINVAL, f"it is {kind}, not a regular file", str(path))


class NotDurable(OSError):
    """The new file is in place, but its folder could not be synced to the disk.

    Raised after the rename (or link) succeeded: every program now sees the
    new file, but a power cut before the disk catches up may bring back the
    state before it. ``filename`` is the new file; ``strerror`` the sync's
    own error. Not "unchanged": the caller must treat the write as done.
    """

    def __init__(self, path: Path, cause: OSError) -> None:
        self.cause = cause
        super().__init__(cause.errno or errno.EIO, cause.strerror or str(cause), str(path))


def kind_of(mode: int) -> str:
    """What a non-regular ``st_mode`` is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def ensure_dir(directory: Path) -> list[Path]:
    """Create ``directory`` and each missing parent owner-only (0700); return the created ones.

    Existing folders are left as they are.
    """
    missing = []
    current = directory
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    created = []
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue
        # mkdir's mode is filtered by the umask; make sure it is 0700.
        os.chmod(folder, DIR_MODE)
        created.append(folder)
    return created


def sync_after(path: Path) -> None:
    """Sync ``path``'s folder once ``path`` is in place; ``NotDurable`` if that fails."""
    try:
        fsync_dir(path.parent)
    except OSError as error:
        raise NotDurable(path, error) from error


def fsync_dir(directory: Path) -> None:
    """Persist a rename: syncing a file does not sync its directory entry."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_temp(path: Path, data: bytes, prefix: str, *, sync: bool = True) -> str:
    """A synced owner-only temp file beside ``path`` holding ``data``; its name."""
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return temp_name


def atomic_write(path: Path, data: bytes, *, temp_for: Path | None = None, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so a crash leaves either the old or the new file.

    Temporary file in the same directory, flush, fsync, ``os.replace``, then
    fsync the directory. The result is owner-only (mkstemp creates 0600).
    ``temp_for`` names the file whose temp-file prefix to use (so the
    journal's stale-temp cleanup finds what a crash left).

    Any ``OSError`` but ``NotDurable`` means ``path`` was not changed;
    ``NotDurable`` means the new file is in place but the folder's sync
    failed after the rename.

    ``durable=False`` skips both syncs: for a small cache that can be rebuilt
    (the status file), still never seen half-written, but after a power cut
    possibly the old one again.
    """
    temp_name = _write_temp(path, data, temp_prefix(temp_for or path), sync=durable)
    try:
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    if durable:
        sync_after(path)


def create_new(path: Path, data: bytes, *, temp_for: Path | None = None) -> None:
    """Like :func:`atomic_write`, but never replaces a file: ``FileExistsError`` if one is there.

    The complete temp file is hard-linked to ``path`` (see :func:`link_into_place`),
    so the new name appears whole or not at all.
    """
    temp_name = _write_temp(path, data, temp_prefix(temp_for or path))
    try:
        link_into_place(temp_name, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
    sync_after(path)  # NotDurable: the new file is there, its folder not synced


def write_temp(path: Path, data: bytes, *, temp_for: Path | None = None) -> str:
    """A synced owner-only temp file beside ``path`` holding ``data`` (named for the
    stale-temp cleanup of ``temp_for``); its name. The caller removes it."""
    return _write_temp(path, data, temp_prefix(temp_for or path))


def link_into_place(temp_name: str, path: Path) -> None:
    """Give the complete file ``temp_name`` the name ``path``, never over a file there
    (``FileExistsError``); the caller removes the temp name if it is still there.

    ``link`` fails if the name exists, so the new name appears whole or not at
    all. On file systems without hard links the name is claimed with
    ``O_EXCL`` first and then replaced by the complete file.
    """
    try:
        os.link(temp_name, path)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        try:
            os.replace(temp_name, path)  # (the temp name is gone then: nothing to remove)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(path)  # the empty name we claimed: nothing half-made stays
            raise


def create_unique(folder: Path, stem: str, suffix: str, data: bytes, *, temp_for: Path) -> Path:
    """Write ``data`` to ``folder/stem+suffix``, or ``stem-2+suffix``, ``-3``…: never over a file."""
    for number in range(1, 10_000):
        target = folder / (f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}")
        if target.exists() or target.is_symlink():
            continue
        try:
            create_new(target, data, temp_for=temp_for)
        except FileExistsError:
            continue
        return target
    raise FileExistsError(errno.EEXIST, "too many files with that name", str(folder / stem))


def read_regular(path: Path) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` and its ``fstat``.

    Refuses (``NotRegularFile``) anything else before reading it, and opens
    with ``O_NONBLOCK``, so a FIFO swapped in after the check cannot hang us.
    """
    before = os.stat(path)
    if not stat.S_ISREG(before.st_mode):
        raise NotRegularFile(path, kind_of(before.st_mode))
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path, kind_of(info.st_mode))
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks), info
    finally:
        os.close(fd)


def tighten(path: Path, info: os.stat_result, keep: int) -> int | None:
    """Drop group/other bits of our own ``path`` (never add any); the old mode if changed."""
    old = stat.S_IMODE(info.st_mode)
    new = old & keep
    if new == old or info.st_uid != os.geteuid():
        return None
    os.chmod(path, new)
    return old


def remove_stale_temps(folder: Path, pattern: str) -> list[Path]:
    """Delete temp files a crashed writer left in ``folder``; return them."""
    removed = []
    for candidate in folder.glob(pattern + TEMP_SUFFIX):
        with contextlib.suppress(OSError):
            candidate.unlink()
            removed.append(candidate)
    return removed
