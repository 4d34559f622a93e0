"""Child process for the inbox crash test: holds the journal as the open app does and
takes the inbox in, over and over (tests/storage/test_inbox_crash.py kills it).

Prints "holding" once it has the journal's lock.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rejection_tui.storage.errors import JournalLocked
from rejection_tui.storage.inbox import take_in
from rejection_tui.storage.journal import Journal

PAUSE = 0.01
"""Between passes (the app waits a second; shorter here, so kills land inside passes more often)."""


def main(path: str) -> None:
    while True:
        try:
            journal = Journal.open(Path(path))
        except JournalLocked:  # a writer is taking the inbox in itself for a moment
            time.sleep(0.005)
            continue
        break
    print("holding", flush=True)
    with journal:
        while True:
            take_in(journal)
            time.sleep(PAUSE)


if __name__ == "__main__":
    main(sys.argv[1])
