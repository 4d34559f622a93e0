"""An exclusive, non-blocking lock held for as long as the journal is open.

``flock`` on a side file: the kernel releases it when the process dies, so a
crash never leaves a stale lock behind, and (unlike POSIX ``fcntl`` locks)
closing some other handle to the file does not drop it.

A lock file is removed only by the process that created it and still holds
it, when the open it was taken for is refused (:meth:`JournalLock.abandon`).
That is safe because :meth:`JournalLock.acquire` checks, once it holds the
lock, that the file it locked is still the one at the path: a process that
opened the file just before it was removed, and locked it just after, finds
the path gone (or another file there) and starts again, so two processes
never each hold "the" lock on two different files.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from pathlib import Path

from rejection_tui.storage.errors import JournalLocked
from rejection_tui.storage.files import FILE_MODE

# How often to start again when the lock file vanishes under us (see acquire).
_TRIES = 5


def lock_path_for(journal: Path) -> Path:
    return journal.with_name(journal.name + ".lock")


class JournalLock:
    def __init__(self, journal: Path) -> None:
        self.journal = journal
        self.path = lock_path_for(journal)
        self._fd: int | None = None
        self.created = False
        """True when the lock held now was taken on a file this lock created."""

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock, or raise ``JournalLocked`` (someone holds it) or ``OSError``.

        An ``OSError`` means the lock file could not be created or written
        (read-only folder or file system, full disk, a folder in its place);
        the caller may then open the journal read-only, unlocked.
        """
        for _ in range(_TRIES):
            fd, created = self._open()
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise OSError(errno.EINVAL, "it is not a plain file", str(self.path))
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = _read_pid(fd)
                os.close(fd)
                raise JournalLocked(self.journal, pid) from None
            except BaseException:
                os.close(fd)
                raise
            if self._is_at_path(fd):
                break
            # Removed (or replaced) between our open and our flock by a refused
            # open that held it: a lock on that file guards nothing. Again.
            os.close(fd)
        else:
            raise OSError(errno.EAGAIN, "the lock file keeps being replaced", str(self.path))
        # Record who holds it, so a refused second instance can say so.
        try:
            os.ftruncate(fd, 0)
            if os.pwrite(fd, f"{os.getpid()}\n".encode(), 0) == 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
        except BaseException:
            os.close(fd)  # closing the only handle drops the flock too
            raise
        self._fd = fd
        self.created = created

    def _open(self) -> tuple[int, bool]:
        """A handle on the lock file, and whether this call created it."""
        flags = os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC
        for _ in range(_TRIES):
            try:
                return os.open(self.path, flags | os.O_CREAT | os.O_EXCL, FILE_MODE), True
            except FileExistsError:
                pass
            try:
                return os.open(self.path, flags), False
            except FileNotFoundError:
                continue  # removed in between: create it then
        # Something odd at the path (a dangling symbolic link, say): open it as before.
        return os.open(self.path, flags | os.O_CREAT, FILE_MODE), False

    def _is_at_path(self, fd: int) -> bool:
        try:
            held, there = os.fstat(fd), os.stat(self.path)
        except OSError:
            return False
        return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)

    def still_ours(self) -> bool:
        """True while the lock file at ``path`` is the one we hold (not deleted or replaced)."""
        return self._fd is not None and self._is_at_path(self._fd)

    def reacquire(self) -> None:
        """Lock the file now at ``path`` (ours was deleted); raises like :meth:`acquire`."""
        old, self._fd = self._fd, None
        try:
            self.acquire()
        finally:
            if old is not None:
                os.close(old)

    def release(self) -> None:
        """Let go; the (emptied) lock file stays for the next open."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def abandon(self) -> None:
        """Let go after a refused open: a lock file this lock created goes too.

        Removed while still held, and only while it is the file at ``path``
        (see the module's docstring for why that is safe); a lock file that
        was there before is left, like :meth:`release` leaves it.
        """
        if self._fd is not None and self.created and self.still_ours():
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
        return int(text) if text else None
    except (OSError, UnicodeDecodeError, ValueError):
        return None
