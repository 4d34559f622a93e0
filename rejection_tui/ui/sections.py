"""The top-level sections: which screen class each mode opens.

Kept apart from the app module so screens (Help lists every section's keys)
can read it without importing the app.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from textual.screen import Screen

# Sections are imported when first opened, so start-up pays only for the
# Dashboard (the charting and Markdown libraries are heavy).
SECTIONS = {
    "dashboard": ("dashboard", "DashboardScreen"),
    "challenges": ("challenges", "ChallengesScreen"),
    "history": ("history", "HistoryScreen"),
    "charts": ("charts", "ChartsScreen"),
    "ladder": ("ladder", "LadderScreen"),
    "help": ("help", "HelpScreen"),
}


def section_class(mode: str) -> type[Screen[Any]]:
    module_name, class_name = SECTIONS[mode]
    module = importlib.import_module(f"rejection_tui.ui.screens.{module_name}")
    cls: type[Screen[Any]] = getattr(module, class_name)
    return cls


def section(mode: str) -> Callable[[], Screen[Any]]:
    """A factory for Textual's MODES: builds the section's screen on first use."""
    return lambda: section_class(mode)()
