"""Start-up time and peak memory of a program in a real terminal (tmux)."""

from __future__ import annotations

import glob
import shlex
import subprocess
import time
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Launch:
    seconds: float
    peak_rss_kib: int
    cpu_seconds: float = 0.0
    """CPU time the program used until ready (all its threads): less moved by a busy machine."""


def _tmux(socket: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=True).stdout


def _peak_rss(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _cpu(pid: int) -> float:
    total = 0
    for task in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            with open(task, encoding="ascii") as schedstat:
                total += int(schedstat.read().split()[0])  # nanoseconds on a CPU
        except OSError:  # the thread ended meanwhile
            continue
    return total / 1e9


def launch(command: list[str], ready_text: str, timeout: float = 30) -> Launch:
    """Seconds from launch until ``ready_text`` is on screen, and the peak RSS then."""
    socket = f"bench-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    _tmux(socket, "new-session", "-d", "-x", "80", "-y", "24", shlex.join(command))
    try:
        while True:
            if ready_text in _tmux(socket, "capture-pane", "-p"):
                elapsed = time.perf_counter() - started
                break
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{ready_text!r} did not appear within {timeout}s")
            time.sleep(0.005)  # polling the screen: the thing measured is outside this process
        pid = int(_tmux(socket, "display-message", "-p", "#{pane_pid}").strip())
        return Launch(elapsed, _peak_rss(pid), _cpu(pid))
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
