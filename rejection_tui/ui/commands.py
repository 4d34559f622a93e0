"""The command palette: every registry action, plus the Textual commands we keep.

``RejectionApp.get_system_commands`` yields :func:`palette_commands`, so the
palette is derived from the same registry as the keys (no second table).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from textual.app import App, SystemCommand

from rejection_tui.ui.actions import ACTIONS

# Textual's own commands that stay, by title. Left out: its "Quit" (ours is
# in the registry, so it appeared twice) and its "Screenshot", which wrote an
# SVG of the journal, world-readable, to ~/Downloads (ours writes owner-only
# into exports/ beside the journal). A command a future Textual adds stays
# out until someone looks at it and lists it here.
KEPT_TEXTUAL_COMMANDS = frozenset({"Theme", "Keys", "Maximize", "Minimize"})


def palette_commands(app: App[Any], textual_commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    for action in ACTIONS:
        yield SystemCommand(action.title, action.help, partial(app.run_action, action.action))
    for command in textual_commands:
        if command.title in KEPT_TEXTUAL_COMMANDS:
            yield command
