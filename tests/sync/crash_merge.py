"""Child for the crash test: merge the conflict copy beside a journal, dying at one step.

usage: crash_merge.py JOURNAL CALL WHEN NTH
  CALL: link | rename | unlink | fsync; WHEN: before | after; NTH: which call (1-based).
Prints "survived" when the merge ran to its end.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rejection_tui.storage.journal import Journal
from tests.sync.histories import Clock

path, call, when, nth = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
real = getattr(os, call)
seen = 0


def deadly(*args: object, **kwargs: object) -> object:
    global seen
    seen += 1
    if seen == nth and when == "before":
        os._exit(9)
    result = real(*args, **kwargs)
    if seen == nth and when == "after":
        os._exit(9)
    return result


setattr(os, call, deadly)
with Journal.open(path, clock=Clock().at(30)) as journal:
    setattr(os, call, real)
    assert journal.take_merges()[0].merged
print("survived", flush=True)
