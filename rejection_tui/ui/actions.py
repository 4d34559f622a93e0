"""Every app-level action, declared once.

Each :class:`AppAction` is the single source for its key binding (the app's
``BINDINGS``), its command-palette entry (``App.get_system_commands``), its
row in the Help screen's key table and in README's key table
(:mod:`rejection_tui.ui.keys`). Screens declare their own keys in their
``BINDINGS``; every binding, here or there, has an ``id`` so the person can
remap it with a keymap (:func:`parse_keymap`, applied with ``App.set_keymap``).

This module imports no screen: the app imports it at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

# The same normalisation App.set_keymap applies ("?" -> "question_mark"), so
# what we check is exactly what Textual will bind.
from textual.keys import _normalize_key_list as normalize_keys

__all__ = [
    "ACTIONS",
    "BY_ID",
    "KEYMAP_SETTING",
    "AppAction",
    "alias",
    "app_bindings",
    "normalize_keys",
    "parse_keymap",
]

KEYMAP_SETTING = "keymap"
"""The journal setting holding the person's keymap: ``{binding id: "key,key"}``."""


@dataclass(frozen=True)
class AppAction:
    """One thing the person can ask the app to do, anywhere."""

    id: str
    """Binding id (what a keymap names) and palette identity."""
    action: str
    """The Textual action string the key and the palette run."""
    title: str
    """The command-palette title, and the action column of the key tables."""
    help: str
    """One sentence: the palette's help line and the key tables' description."""
    keys: str = ""
    """Default keys, Textual names, comma-separated; empty for palette-only actions."""
    description: str = ""
    """The footer label."""
    show: bool = True
    """Shown in the footer."""
    key_display: str | None = None
    """How the footer shows the first key (None: ``App.get_key_display``)."""

    def binding(self, *, show: bool | None = None, namespace: str = "") -> Binding:
        """The key binding; ``namespace="app"`` for a screen's alias of an app action."""
        if not self.keys:
            raise ValueError(f"{self.id} is a palette-only action: it has no key")
        return Binding(
            self.keys,
            f"{namespace}.{self.action}" if namespace else self.action,
            self.description or self.title,
            show=self.show if show is None else show,
            key_display=self.key_display,
            id=self.id,
        )


ACTIONS: tuple[AppAction, ...] = (
    AppAction(
        "dashboard",
        "go('dashboard')",
        "Dashboard",
        "Home: the next step, this week, recent attempts",
        keys="d",
        description="Home",
        show=False,
    ),
    AppAction(
        "challenges",
        "go('challenges')",
        "Challenges",
        "The graded library: search, sort, add your own",
        keys="c",
        show=False,
    ),
    AppAction(
        "new_attempt",
        "new_attempt",
        "New attempt",
        "Plan an attempt at the highlighted challenge (or pick one): rate your fear before",
        keys="n",
        description="New",
    ),
    AppAction(
        "rate",
        "rate",
        "Rate a planned attempt",
        "Record how it went: rate your fear after (a picker when several are waiting)",
        keys="r",
        description="Rate",
    ),
    AppAction(
        "history",
        "go('history')",
        "History",
        "Every attempt: search, detail, edit, delete",
        keys="h",
        show=False,
    ),
    AppAction(
        "charts",
        "go('charts')",
        "Charts",
        "Expected against felt fear over time, and six more charts",
        keys="g",
        show=False,
    ),
    AppAction(
        "ladder",
        "go('ladder')",
        "Ladder",
        "Your own fear ladder, a weekly goal or a 30/100-day program",
        keys="l",
        show=False,
    ),
    AppAction(
        "help",
        "go('help')",
        "Help",
        "How to practise kindly, and every key",
        keys="question_mark,f1",
        key_display="?",
    ),
    AppAction(
        "practice_settings",
        "practice_settings",
        "Pauses and thresholds",
        "Pause your goal, programs and streak for illness, travel or exams; adjust when a rung "
        "counts as mastered, too easy or too hard",
        keys="b",  # a break
        description="Pauses",
        # The footers are full at 80 columns: the Ladder shows it, Help and the palette list it.
        show=False,
    ),
    AppAction(
        "surprise",
        "surprise",
        "Surprise me",
        "A different ask at your level, more often from what you have practised least lately",
    ),
    AppAction(
        "export.csv",
        "export('csv')",
        "Export as CSV",
        "Every attempt, for a spreadsheet (saved in exports/ beside your journal)",
    ),
    AppAction(
        "export.json",
        "export('json')",
        "Export a full backup (JSON)",
        "Every attempt, your own challenges, the ladder and every setting, to import on another "
        "machine (saved in exports/ beside your journal)",
    ),
    AppAction(
        "export.markdown",
        "export('markdown')",
        "Export as Markdown report",
        "A readable report to share with a therapist (saved in exports/ beside your journal)",
    ),
    AppAction(
        "import",
        "import_file",
        "Import a file…",
        "Merge a JSON backup or a CSV export into your journal; your own ladder and settings are kept",
    ),
    AppAction(
        "screenshot",
        "save_screenshot",
        "Screenshot",
        "Save a picture (SVG) of this screen in exports/ beside your journal, readable by you only",
    ),
    AppAction("quit", "quit", "Quit", "Leave rejection-tui (a form you have typed in asks first)", keys="q"),
)

BY_ID: dict[str, AppAction] = {action.id: action for action in ACTIONS}


def app_bindings() -> list[Binding]:
    """The app's ``BINDINGS``: every action that has a key, in footer order."""
    return [action.binding() for action in ACTIONS if action.keys]


def alias(action_id: str, *, show: bool = True) -> Binding:
    """An app action bound again on one screen (to show it in that screen's footer).

    Same id, so a keymap entry remaps both.
    """
    return BY_ID[action_id].binding(show=show, namespace="app")


# -- the person's keymap -------------------------------------------------------

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# Named keys ("f2", "pageup", "slash"); single characters and Unicode names
# ("question_mark") are checked with key_to_character.
_NAMED = frozenset(str(key.value).rpartition("+")[2] for key in Keys) | set(KEY_NAME_REPLACEMENTS.values())


def key_problem(keys: object) -> str | None:
    """Why ``keys`` (one keymap value) cannot be bound, or None when it can."""
    if not isinstance(keys, str) or not keys.strip():
        return "no key given"
    for key in normalize_keys(keys).split(","):
        *modifiers, base = key.split("+")
        unknown = [m for m in modifiers if m not in MODIFIERS]
        if unknown or not base or not (len(base) == 1 or base in _NAMED or key_to_character(base)):
            return f"{key or '(empty)'!r} is not a key name (examples: x, ctrl+n, f2, question_mark)"
    return None


def parse_keymap(raw: Any, known_ids: Mapping[str, object] | None = None) -> tuple[dict[str, str], list[str]]:
    """The usable part of a keymap setting, and one line per entry left out.

    ``raw`` comes from the journal file and may be anything. With
    ``known_ids``, entries naming no binding are left out too.
    """
    if raw is None:
        return {}, []
    if not isinstance(raw, Mapping):
        return {}, ["the keymap is not a table of binding id → keys"]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in raw.items():
        if known_ids is not None and binding_id not in known_ids:
            problems.append(f"{binding_id!r}: no key has this id")
        elif problem := key_problem(keys):
            problems.append(f"{binding_id!r}: {problem}")
        else:
            keymap[str(binding_id)] = normalize_keys(str(keys))
    return keymap, problems
