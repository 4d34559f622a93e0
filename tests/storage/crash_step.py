"""Child for the step-crash test: die at one chosen step of an atomic write.

usage: crash_step.py JOURNAL CALL WHEN NTH
  CALL: fsync | replace | rename | link | unlink; WHEN: before | after; NTH: which call (1-based)
"""

from __future__ import annotations

import os
import sys

from rejection_tui.storage import files
from rejection_tui.storage.safe_storage import SafeJSONStorage

path, call, when, nth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
real = {"fsync": os.fsync, "replace": os.replace, "rename": os.rename, "link": os.link, "unlink": os.unlink}[
    call
]
seen = 0


def deadly(*args: object) -> object:
    global seen
    seen += 1
    if seen == nth and when == "before":
        os._exit(9)
    result = real(*args)  # type: ignore[operator]
    if seen == nth and when == "after":
        os._exit(9)
    return result


storage = SafeJSONStorage(path)
setattr(files.os, call, deadly)
storage.write({"attempts": {"1": {"state": "new", "pad": "y" * 5000}}})
setattr(files.os, call, real)
print("survived", flush=True)
