"""An exclusive, non-blocking lock held for as long as the journal is open.

``flock`` on a side file: the kernel releases it when the process dies, so a
crash never leaves a stale lock behind, and (unlike POSIX ``fcntl`` locks)
closing some other handle to the file does not drop it.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from pathlib import Path

from rejection_tui.storage.errors import JournalLocked
from rejection_tui.storage.files import FILE_MODE


def lock_path_for(journal: Path) -> Path:
    return journal.with_name(journal.name + ".lock")


class JournalLock:
    def __init__(self, journal: Path) -> None:
        self.journal = journal
        self.path = lock_path_for(journal)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock, or raise ``JournalLocked`` (someone holds it) or ``OSError``.

        An ``OSError`` means the lock file could not be created or written
        (read-only folder or file system, full disk, a folder in its place);
        the caller may then open the journal read-only, unlocked.
        """
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | os.O_CLOEXEC, FILE_MODE)
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
        # Record who holds it, so a refused second instance can say so.
        try:
            os.ftruncate(fd, 0)
            if os.pwrite(fd, f"{os.getpid()}\n".encode(), 0) == 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
        except BaseException:
            os.close(fd)  # closing the only handle drops the flock too
            raise
        self._fd = fd

    def still_ours(self) -> bool:
        """True while the lock file at ``path`` is the one we hold (not deleted or replaced)."""
        if self._fd is None:
            return False
        try:
            held, there = os.fstat(self._fd), os.stat(self.path)
        except OSError:
            return False
        return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)

    def reacquire(self) -> None:
        """Lock the file now at ``path`` (ours was deleted); raises like :meth:`acquire`."""
        old, self._fd = self._fd, None
        try:
            self.acquire()
        finally:
            if old is not None:
                os.close(old)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
        return int(text) if text else None
    except (OSError, UnicodeDecodeError, ValueError):
        return None
