"""Snapshots of the key screens at 100×30 with a frozen clock.

Regenerate on purpose with `pytest --snapshot-update`, and look at the SVGs
in tests/ui/__snapshots__ before committing them.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from rejection_tui.domain.library import builtin_challenges
from tests.conftest import planned
from tests.ui.conftest import AppFactory, type_text
from tests.ui.test_screens import some_history

SIZE = (100, 30)
TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")


async def no_blink(pilot: Pilot[Any]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_dashboard_empty(make_app: AppFactory, snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_dashboard_with_data(make_app: AppFactory, snap_compare: Any) -> None:
    assert snap_compare(make_app(setup=some_history), terminal_size=SIZE)


def test_challenges(make_app: AppFactory, snap_compare: Any) -> None:
    assert snap_compare(make_app(setup=some_history), press=["c", "down", "down"], terminal_size=SIZE)


def test_before(make_app: AppFactory, snap_compare: Any) -> None:
    async def fill(pilot: Pilot[Any]) -> None:
        pilot.app.open_before(TIME)  # type: ignore[attr-defined]
        await pilot.pause()
        await type_text(pilot, "70")
        await pilot.press("tab")
        await type_text(pilot, "150")
        await no_blink(pilot)

    assert snap_compare(make_app(), run_before=fill, terminal_size=SIZE)


def test_after(make_app: AppFactory, snap_compare: Any) -> None:
    async def fill(pilot: Pilot[Any]) -> None:
        await pilot.press("r")
        await type_text(pilot, "35")
        await no_blink(pilot)

    app = make_app(setup=lambda j: j.add_attempt(planned(TIME, fear=70, worry="they look annoyed")))
    assert snap_compare(app, run_before=fill, terminal_size=SIZE)


def test_history(make_app: AppFactory, snap_compare: Any) -> None:
    assert snap_compare(make_app(setup=some_history), press=["h"], terminal_size=SIZE)
