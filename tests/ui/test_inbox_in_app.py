"""The open app and the inbox when a save is refused (issue 13, found in review)."""

from __future__ import annotations

import json
from pathlib import Path

from rejection_tui.storage.inbox import ADD, Entry, hand_in, waiting_files
from tests.conftest import NOW, planned
from tests.ui.conftest import AppFactory, wait_until
from tests.ui.test_forms import TIME


async def test_a_refused_take_in_is_told_once_not_retried_every_second(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        # Another program puts a journal it cannot merge (a newer version's) under the open app ...
        document = json.loads(journal_path.read_text(encoding="utf-8"))
        document["meta"]["1"]["schema_version"] = 99
        journal_path.write_text(json.dumps(document), encoding="utf-8")
        # ... and a shell command hands in an entry.
        hand_in(journal_path, Entry(ADD, planned(TIME, at=NOW)))
        app.check_inbox()
        await wait_until(pilot, lambda: any(n.title == "Not saved" for n in app._notifications))
        recovered = list(journal_path.parent.glob("*.recovered-*"))
        for _ in range(5):  # the poll comes round again: nothing more is written or said
            app.check_inbox()
            await pilot.pause()
        assert list(journal_path.parent.glob("*.recovered-*")) == recovered
        assert sum(n.title == "Not saved" for n in app._notifications) == 1
        assert len(waiting_files(journal_path)) == 1  # the entry still waits, whole
