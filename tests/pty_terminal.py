"""A program on a pseudo-terminal of its own, for tests that answer its prompts."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time

WAIT = 15.0
"""The longest wait for one prompt (a start-up under load included); a test's usual whole run is ~1 s."""


class Terminal:
    """``rejection-tui ARGS`` on a pseudo-terminal of its own."""

    def __init__(self, *args: str, drop_env: tuple[str, ...] = ()) -> None:
        master, slave = pty.openpty()
        env = {k: v for k, v in os.environ.items() if k not in drop_env}
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "rejection_tui", *args],
                stdin=slave,
                stdout=slave,
                stderr=slave,
                close_fds=True,
                env=env,
                # Its own session, with the pty as its controlling terminal: ctrl+c is a SIGINT.
                start_new_session=True,
                preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)  # the child's copies are the only ones left: EOF when it ends
        self.master = master
        self.raw = b""
        self.seen = 0
        self.ended = False

    @property
    def output(self) -> str:
        return self.raw.decode("utf-8", errors="replace")

    def _read(self, deadline: float) -> None:
        """Read what comes before ``deadline``; sets ``ended`` at the end of the output."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # EIO: every slave end is closed, the program has ended
            chunk = b""
        if chunk:
            self.raw += chunk
        else:
            self.ended = True

    def expect(self, text: str, timeout: float = WAIT) -> str:
        """Wait until ``text`` appears after what was already matched; what came before it."""
        deadline = time.monotonic() + timeout
        while True:
            output = self.output
            found = output.find(text, self.seen)
            if found >= 0:
                before = output[self.seen : found]
                self.seen = found + len(text)
                return before
            if self.ended:
                raise AssertionError(f"the program ended before {text!r}; the terminal showed:\n{output}")
            if time.monotonic() >= deadline:
                raise AssertionError(f"{text!r} never came; the terminal showed:\n{output}")
            self._read(deadline)

    def type(self, line: str) -> None:
        """Type ``line`` and Enter."""
        os.write(self.master, line.encode("utf-8") + b"\n")

    def answer(self, prompt: str, line: str) -> str:
        """Wait for ``prompt``, then type ``line``; what came before the prompt."""
        before = self.expect(prompt)
        self.type(line)
        return before

    def key(self, prompt: str, key: bytes) -> None:
        """Wait for ``prompt``, then press ``key`` at once (b"\\x04" ctrl+d: end of input;
        b"\\x03" ctrl+c, which may land while the prompt is still being written)."""
        self.expect(prompt)
        os.write(self.master, key)

    def finish(self, timeout: float = WAIT) -> int:
        """Read to the end of the output; the exit status."""
        deadline = time.monotonic() + timeout
        while not self.ended and time.monotonic() < deadline:
            self._read(deadline)
        assert self.ended, f"the program did not end; the terminal showed:\n{self.output}"
        return self.process.wait(timeout=max(0.1, deadline - time.monotonic()))

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)
