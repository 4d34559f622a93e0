"""Actions declared once: bindings, palette, Help, README and the keymap all come from the registry."""

from __future__ import annotations

import stat
from collections import defaultdict
from pathlib import Path

import pytest
from textual.app import App
from textual.binding import Binding
from textual.widgets import Markdown, OptionList

from rejection_tui.ui.actions import ACTIONS, BY_ID, KEYMAP_SETTING, key_problem, parse_keymap
from rejection_tui.ui.app import RejectionApp
from rejection_tui.ui.commands import KEPT_TEXTUAL_COMMANDS
from rejection_tui.ui.keys import all_bindings, keys_text, readme_reference, readme_section
from rejection_tui.ui.screens.challenges import ChallengesScreen
from rejection_tui.ui.screens.dashboard import DashboardScreen
from rejection_tui.ui.screens.pickers import ChallengePicker
from rejection_tui.ui.screens.prompt import PromptScreen
from tests.ui.conftest import AppFactory, type_text, wait_until

README = Path(__file__).resolve().parents[2] / "README.md"


def with_keymap(keymap: object) -> object:
    return lambda journal: journal.set_setting(KEYMAP_SETTING, keymap)


# -- one declaration ------------------------------------------------------------


def test_every_binding_has_an_id_and_an_id_names_one_action() -> None:
    actions_by_id: dict[str, set[str]] = defaultdict(set)
    for where, binding in all_bindings():
        assert isinstance(binding, Binding), f"{where}: a tuple binding cannot have an id"
        assert binding.id, f"{where}: {binding.key!r} has no id, so it cannot be remapped"
        actions_by_id[binding.id].add(binding.action.removeprefix("app."))
    # The same id twice is only an alias (e.g. Dashboard showing `c` in its
    # footer): it must run the same action, so a keymap entry moves both.
    assert {i: a for i, a in actions_by_id.items() if len(a) > 1} == {}
    # Every class under ui/screens was looked at (a new screen is covered too).
    places = {where for where, _ in all_bindings()}
    assert {"anywhere", "HistoryScreen", "LadderScreen", "BeforeScreen", "ConfirmScreen"} <= places


def test_the_registry_is_the_apps_bindings() -> None:
    assert len(BY_ID) == len(ACTIONS)
    bound = [b for b in RejectionApp.BINDINGS if isinstance(b, Binding)]
    assert len(bound) == len(RejectionApp.BINDINGS)
    assert [(b.id, b.key, b.action) for b in bound] == [(a.id, a.keys, a.action) for a in ACTIONS if a.keys]
    # Palette titles and help are parsed as markup by Textual: keep them plain.
    assert not any("[" in a.title + a.help for a in ACTIONS)


def test_dashboard_aliases_follow_the_registry() -> None:
    aliases = {b.id: b for b in DashboardScreen.BINDINGS if isinstance(b, Binding) and b.id in BY_ID}
    assert set(aliases) == {"new_attempt", "rate", "challenges", "history", "charts", "ladder"}
    for action_id, binding in aliases.items():
        assert (binding.key, binding.action) == (BY_ID[action_id].keys, f"app.{BY_ID[action_id].action}")


# -- the palette ----------------------------------------------------------------


async def test_the_palette_lists_each_command_once(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        assert {a.title for a in ACTIONS} <= set(titles)
        assert set(titles) - {a.title for a in ACTIONS} <= KEPT_TEXTUAL_COMMANDS
        assert "Theme" in titles
        # And what a person actually sees after ctrl+p:
        await pilot.press("ctrl+p")
        options = app.screen.query_one(OptionList)
        await wait_until(pilot, lambda: options.option_count >= len(titles))
        shown = [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]
        assert sorted(shown) == sorted(titles)
        assert shown.count("Quit") == 1


async def test_screenshot_is_owner_only_beside_the_journal(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "Screenshot")
        options = app.screen.query_one(OptionList)
        await wait_until(pilot, lambda: options.option_count > 0)
        await pilot.press("enter")
        folder = app.journal.path.parent / "exports"
        await wait_until(pilot, lambda: folder.exists() and any(folder.glob("*.svg")))
        [picture] = list(folder.glob("*.svg"))
        assert stat.S_IMODE(picture.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert "Dashboard" in picture.read_text(encoding="utf-8")
        assert "for&#160;commands" not in picture.read_text(encoding="utf-8")  # taken once the palette closed
        assert any(str(picture) in n.message for n in app._notifications)
    assert not home.exists()  # nothing in ~/Downloads


# -- Help and README --------------------------------------------------------------


async def test_help_shows_a_key_for_every_registry_action(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        source = app.screen.query_one(Markdown).source
        for action in ACTIONS:
            if action.keys:
                keys = keys_text(action.binding(), app.get_key_display, {})
                assert f"| `{keys}` | {action.title} |" in source
            else:  # palette-only: named in the ctrl+p row
                assert action.title in source.split("| `^p` |")[1].splitlines()[0]
        assert "| `esc` | Back |" in source
        assert "`x / del` Delete" in source  # a screen's own keys, from its bindings
        assert "self-help, not therapy" in source


def test_readme_key_table_is_the_generated_one() -> None:
    # After changing a key or an action: python -m rejection_tui.ui.keys --write README.md
    assert readme_section(README.read_text(encoding="utf-8")) == readme_reference()


def test_the_reference_names_keys_as_the_footer_does() -> None:
    display = App().get_key_display
    assert keys_text(BY_ID["help"].binding(), display, {}) == "? / f1"
    assert keys_text(BY_ID["help"].binding(), display, {"help": "f2,ctrl+h"}) == "f2 / ^h"


# -- the keymap -------------------------------------------------------------------


def test_keymap_entries_are_checked() -> None:
    keymap, problems = parse_keymap(
        {"new_attempt": "ctrl+n", "help": "?,f2", "rate": "", "quit": "Ctrl+Q", "dashboard": 3, "x": "crtl+x"}
    )
    assert keymap == {"new_attempt": "ctrl+n", "help": "question_mark,f2"}
    assert len(problems) == 4
    assert parse_keymap(["n"])[0] == {} and len(parse_keymap(["n"])[1]) == 1
    assert parse_keymap(None) == ({}, [])
    assert parse_keymap({"nope": "n"}, known_ids={"rate": 1})[0] == {}
    for good in ("x", "K", "ctrl+n", "f2", "shift+up", "question_mark", "slash", "space", "delete", "ctrl+shift+z"):
        assert key_problem(good) is None, good
    for bad in ("", " ", "ctrl+", "Ctrl+N", "ctrl++", "hyperspace", None, 7):
        assert key_problem(bad) is not None, bad


async def test_a_keymap_remaps_app_keys_and_names_what_it_left_out(make_app: AppFactory) -> None:
    keymap = {"new_attempt": "ctrl+n", "bogus.id": "x", "rate": "", "help": "Ctrl+H"}
    app = make_app(setup=with_keymap(keymap))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        [note] = app._notifications
        assert note.title == "Keymap"
        assert all(name in note.message for name in ("bogus.id", "rate", "help"))
        assert "new_attempt" not in note.message
        await pilot.press("n")  # no longer bound
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ChallengePicker)
        await pilot.press("escape")
        await pilot.press("question_mark")  # the invalid entry left the default key working
        await pilot.pause()
        source = app.screen.query_one(Markdown).source
        assert "| `^n` | New attempt |" in source


async def test_a_keymap_remaps_a_screen_key(make_app: AppFactory) -> None:
    app = make_app(setup=with_keymap({"ladder.goal": "ctrl+g", "challenges.sort": "o"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l", "ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("escape", "c")
        await pilot.pause()
        assert isinstance(app.screen, ChallengesScreen)
        footer_keys = [b.binding.key for b in app.screen.active_bindings.values() if b.binding.id == "challenges.sort"]
        assert footer_keys == ["o"]
        assert not app._notifications


async def test_a_keymap_that_is_not_a_table_is_ignored_calmly(make_app: AppFactory) -> None:
    app = make_app(setup=with_keymap(["n", "ctrl+n"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app._notifications) == 1
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ChallengePicker)
