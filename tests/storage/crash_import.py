"""Child for the SIGKILL import test: open the journal, say "ready", import one file.

usage: crash_import.py JOURNAL IMPORT_FILE
Prints "ready" just before the import starts and "done SECONDS" when it returned.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rejection_tui.storage.formats import read_import_file
from rejection_tui.storage.journal import Journal

imported = read_import_file(Path(sys.argv[2]))
with Journal.open(Path(sys.argv[1])) as journal:
    print("ready", flush=True)
    started = time.perf_counter()
    journal.merge(imported.attempts, imported.unreadable, validated=True)
    print(f"done {time.perf_counter() - started:.4f}", flush=True)
