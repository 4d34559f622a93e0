"""Child for the encryption crash test: runs rejection-tui commands, each in a forked process.

The expensive part of a fresh ``python -m rejection_tui`` is the imports; this
process imports everything once (with scrypt's cost lowered to 2^10, which a
real run cannot do: there is no setting for it) and forks one child per
command, so the parent can SIGKILL a command at a chosen moment of the work
itself rather than of its start-up.

Protocol (one line each way per step):

    parent -> {"argv": [...], "env": {...}, "unset": [...], "out": PATH}
    child  -> "pid N"        (the command runs: cli.main(argv), stdout and stderr to PATH)
    child  -> "ended"        (it ended, by itself or killed; not yet reaped, so the
                              parent may still SIGKILL N without hitting another process)
    parent -> "reap"
    child  -> "status S"     (its exit status; -9 when killed)

An order with "die_after" (a number K) makes the command's process end with
os._exit(9) right after the K-th rename or hard link it makes: a kill at an
exact step of the work, between two durable states.
"""

from __future__ import annotations

import json
import os
import sys
import traceback

from rejection_tui.storage import sealed

sealed.SCRYPT_N = 2**10

# Everything the commands import lazily, so a fork starts with it loaded.
import rejection_tui.capture  # noqa: E402
import rejection_tui.storage.encryption  # noqa: E402
import rejection_tui.storage.inbox  # noqa: E402, F401
from rejection_tui import cli  # noqa: E402


def die_after(steps: int) -> None:
    """End this process with os._exit(9) right after the ``steps``-th rename or link."""
    seen = 0
    real = {"replace": os.replace, "link": os.link}

    def wrap(name: str) -> object:
        def step(*args: object, **kwargs: object) -> object:
            nonlocal seen
            result = real[name](*args, **kwargs)  # type: ignore[operator]
            seen += 1
            if seen == steps:
                os._exit(9)
            return result

        return step

    for name in real:
        setattr(os, name, wrap(name))


def run(order: dict[str, object]) -> None:
    """In the forked child: the command, then exit with its status (99: it raised)."""
    status = 99
    try:
        out = os.open(str(order["out"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        nothing = os.open(os.devnull, os.O_RDONLY)
        os.dup2(nothing, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        for name in order.get("unset", []):  # type: ignore[attr-defined]
            os.environ.pop(name, None)
        os.environ.update(order.get("env", {}))  # type: ignore[arg-type]
        if order.get("die_after"):
            die_after(int(order["die_after"]))  # type: ignore[call-overload]
        status = cli.main(order["argv"])  # type: ignore[arg-type]
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def main() -> None:
    while line := sys.stdin.readline():
        order = json.loads(line)
        pid = os.fork()
        if pid == 0:
            run(order)
        print(f"pid {pid}", flush=True)
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)  # ended, still not reaped
        print("ended", flush=True)
        assert sys.stdin.readline().strip() == "reap"
        _, status = os.waitpid(pid, 0)
        print(f"status {os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    main()
