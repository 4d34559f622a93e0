"""Hostile text: markup look-alikes and control characters are shown literally, everywhere.

Every free-text field of the journal in ``tests/hostile.py`` holds markup
(``[/]``, ``[b]``, ``[@click=app.quit]``, ``[link=…]``), ordinary brackets,
``$title``-style look-alikes and terminal control sequences, and the journal
folder's name is markup too. Each test tours one part of the app in one run
and, at every stop, reads what is really rendered (the compositor's full
update, the same render ``App.export_screenshot`` uses, modal backgrounds
included) and checks that:

(a) nothing raised: the app is still running;
(b) each hostile text the stop shows is on screen literally, as
    ``visible(text)`` (control characters as placeholders; a line may wrap);
(c) no rendered segment carries a raw control character (C0 other than
    newline, DEL, C1), and "␛" shows where an escape was;
(d) no segment links to the hostile URL or carries an ``@click`` action on
    words from a hostile ``[@click=…]`` text: user text never becomes
    something to click.

Problems are collected stop by stop, so one failing run lists every place
that mis-shows text, up to the first crash (which ends the tour).

Each tour also runs on the "control" journal (brackets swapped for
parentheses, control characters already placeholders): it must pass on any
version of the app, which proves the harness reads the screen right and that
a hostile failure is a finding about the app.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual._compositor import LayoutUpdate
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.widgets import DataTable, OptionList, RadioButton

from rejection_tui.domain.text import visible
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from rejection_tui.ui.screens.after import AfterScreen
from rejection_tui.ui.screens.attempt_detail import AttemptDetailScreen
from rejection_tui.ui.screens.before import BeforeScreen
from rejection_tui.ui.screens.challenge_form import ChallengeFormScreen
from rejection_tui.ui.screens.challenges import ChallengesScreen
from rejection_tui.ui.screens.charts import CHARTS, ChartsScreen
from rejection_tui.ui.screens.confirm import ConfirmScreen
from rejection_tui.ui.screens.dashboard import DashboardScreen
from rejection_tui.ui.screens.help import HelpScreen
from rejection_tui.ui.screens.history import HistoryScreen
from rejection_tui.ui.screens.ladder import LadderScreen
from rejection_tui.ui.screens.pickers import ChallengePicker, PlannedPicker, PractisedPicker
from rejection_tui.ui.screens.prompt import PromptScreen
from rejection_tui.ui.screens.result import ResultScreen
from rejection_tui.ui.screens.welcome import WelcomeScreen
from tests import hostile
from tests.hostile import (
    LESSON,
    NOTE,
    SAFETY,
    TIP,
    TITLE_CLICK,
    TITLE_LINK,
    TITLE_RAISE,
    WORRY,
    Hostile,
)
from tests.ui.conftest import AppFactory, type_text, wait_until

SIZE = (160, 50)

# Raw control characters that must never reach the terminal from a segment's text.
FORBIDDEN = frozenset(
    [chr(c) for c in range(0x20) if c != 0x0A] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
)

# The hostile texts holding an [@click=…] tag: none of their words may become clickable.
CLICKABLE = tuple(raw for raw in (*hostile.TITLES, *hostile.FIELDS) if "[@click" in raw)


@pytest.fixture(params=["hostile", "control"])
def variant(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def journal_path(tmp_path: Path, variant: str) -> Path:
    # Overrides the shared fixture: the journal's folder name is markup too.
    return tmp_path / hostile.folder_name(control=variant == "control") / "journal.json"


# -- reading the screen --------------------------------------------------------


def rendered_lines(app: RejectionApp) -> list[Strip]:
    """Every line the terminal would be sent, top to bottom, as strips of segments.

    The compositor's full update of the current screen, with the screens
    that show through a modal's translucent background (the same call
    ``App.export_screenshot`` makes, before it turns it into SVG).
    """
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    assert isinstance(update, LayoutUpdate)
    return [Strip.join(line) for line in update.strips]


def text_within(lines: list[Strip], regions: list[Region]) -> str:
    """The text inside ``regions`` of the screen (cropped by cells), region after region."""
    return "\n".join(
        lines[y].crop(region.x, region.right).text.rstrip()
        for region in regions
        for y in region.line_range
        if 0 <= y < len(lines)
    )


def own_regions(app: RejectionApp) -> list[Region]:
    """Where the current screen's own content is: a modal's dialog, not the screen dimmed behind it."""
    screen = app.screen
    if isinstance(screen, ModalScreen):
        return [child.region for child in screen.children if child.display]
    return [app.screen.region]


def notice_regions(app: RejectionApp) -> list[Region]:
    """Where the notifications (toasts) are."""
    return [toast.region for toast in app.screen.query("Toast")]


def shows(text: str, wanted: str) -> bool:
    """``wanted`` is on screen, on one line or wrapped at its spaces onto following lines.

    A wrapped line may end in a border and the next may start with other
    content (a table beside a detail pane, a dimmed screen beside a dialog).
    """
    if wanted in text:
        return True
    words = wanted.split()
    gap = r"(?: +|[^\n]*\n[^\n]*?)"
    return re.search(gap.join(re.escape(word) for word in words), text) is not None


class Stopped(Exception):
    """The tour cannot go on (the app raised, or the wrong screen is showing)."""


class Tour:
    """Visit stops in one app run; collect every problem instead of failing at the first."""

    def __init__(self, app: RejectionApp, pilot: Pilot[Any], hostile: Hostile) -> None:
        self.app = app
        self.pilot = pilot
        self.hostile = hostile
        self.problems: list[str] = []
        self.where = "launch (the Dashboard)"

    async def stop(
        self,
        where: str,
        *texts: str,
        screen: type[Screen[Any]] | None = None,
        notice: tuple[str, ...] = (),
    ) -> None:
        """Check what is on the terminal now.

        ``texts`` (raw hostile texts) must show in the current screen's own
        area (a modal's dialog, not what is dimmed behind it); ``notice``
        ones in a notification. Controls and clickables are checked on the
        whole terminal.
        """
        self.where = where
        await self.pilot.pause()
        self.alive()
        if screen is not None and not isinstance(self.app.screen, screen):
            self.problems.append(f"{where}: expected {screen.__name__}, got {type(self.app.screen).__name__}")
            raise Stopped
        lines = rendered_lines(self.app)
        everything = "\n".join(line.text for line in lines)
        for area, raws, regions in [
            ("", texts, own_regions(self.app)),
            (" in a notification", notice, notice_regions(self.app)),
        ]:
            text = text_within(lines, regions)
            for raw in raws:
                wanted = self.hostile.shown(raw)
                if not shows(text, wanted):
                    self.problems.append(f"{where}: not shown literally{area}: {wanted!r}")
                if "\x1b" in raw and "␛" not in text:
                    self.problems.append(f"{where}: an escape in {wanted!r} is not shown as ␛{area}")
        raw_controls = sorted({c for c in everything if c in FORBIDDEN})
        if raw_controls:
            self.problems.append(f"{where}: raw control characters sent to the terminal: {raw_controls!r}")
        for line in lines:
            for segment in line:
                style = segment.style
                if style is None:
                    continue
                if style.link and "example.invalid" in style.link:
                    self.problems.append(f"{where}: {segment.text!r} is a hyperlink to {style.link!r}")
                click = style.meta.get("@click") if style.meta else None
                words = segment.text.strip()
                if click and words and any(words in raw for raw in CLICKABLE):
                    self.problems.append(f"{where}: {segment.text!r} is clickable: @click={click!r}")

    def alive(self) -> None:
        error = self.app._exception
        if error is not None or self.app.return_code is not None:
            self.problems.append(f"{self.where}: the app stopped: {error!r}")
            raise Stopped

    def verdict(self) -> None:
        found = list(dict.fromkeys(self.problems))  # one line per problem, in order
        assert not found, "\n".join([f"{len(found)} problem(s) with hostile text:", *found])


Run = Callable[..., Any]


@pytest.fixture
def tour(make_app: AppFactory, variant: str) -> Run:
    """``async with tour() as t``: an app on the hostile (or control) journal, and its Tour.

    On leaving, every problem found is reported at once.
    """

    @asynccontextmanager
    async def start(*, welcomed: bool = True, attempts: bool = True) -> AsyncIterator[Tour]:
        built: list[Hostile] = []

        def setup(journal: Journal) -> None:
            built.append(hostile.fill(journal, control=variant == "control", attempts=attempts))

        app = make_app(welcomed=welcomed, setup=setup)
        current: Tour | None = None
        try:
            async with app.run_test(size=SIZE, notifications=True) as pilot:
                current = Tour(app, pilot, built[0])
                try:
                    yield current
                except Stopped:
                    pass
                except AssertionError as error:
                    current.problems.append(f"{current.where}: {error}")
        except Exception as error:
            # run_test re-raises the app's own exception when it shuts down.
            if current is None or error is not app._exception:
                raise
            if not any("the app stopped" in p for p in current.problems):
                current.problems.append(f"{current.where}: the app raised {error!r}")
        assert current is not None
        current.verdict()

    return start


async def press(t: Tour, *keys: str) -> None:
    t.alive()
    await t.pilot.press(*keys)


async def palette(t: Tour, command: str) -> None:
    """Run a command from the command palette, as a person would."""
    await press(t, "ctrl+p")
    await type_text(t.pilot, command)
    results = t.app.screen.query_one(OptionList)
    await wait_until(t.pilot, lambda: results.option_count > 0)
    await press(t, "enter")


async def move_to_row(t: Tour, key: str) -> None:
    """Arrow down the focused table until the row with ``key`` is highlighted."""
    table = t.app.screen.query_one(DataTable)
    for _ in range(table.row_count):
        if str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value) == key:
            return
        await press(t, "down")
    raise AssertionError(f"row {key} not found")


async def close_form(t: Tour) -> None:
    """Escape from a form; if it asks about discarding, discard (nothing was typed)."""
    await press(t, "escape")
    await t.pilot.pause()
    if isinstance(t.app.screen, ConfirmScreen):
        await press(t, "y")


# -- the tours -------------------------------------------------------------------


async def test_first_run_welcome_shows_the_bracketed_path(tour: Run) -> None:
    async with tour(welcomed=False, attempts=False) as t:
        # The folder's first word ends the long temp path, which may be folded
        # mid-word at the dialog's edge: check from the bracketed part on.
        await t.stop("Welcome", hostile.FOLDER.removeprefix("my "), screen=WelcomeScreen)
        await press(t, "enter")
        await t.stop("Dashboard (ladder, no attempts yet)", TITLE_RAISE, screen=DashboardScreen)


async def test_dashboard_help_and_export_notice(tour: Run) -> None:
    async with tour() as t:
        await t.stop("Dashboard", TITLE_RAISE, TITLE_CLICK, TITLE_LINK, screen=DashboardScreen)
        await press(t, "question_mark", "end")  # the journal's path is at the bottom
        await t.stop("Help (journal path)", hostile.FOLDER, screen=HelpScreen)
        await press(t, "d")
        before = len(t.app._notifications)
        await palette(t, "CSV")  # "Export as CSV"
        folder = t.app.journal.path.parent / "exports"
        await wait_until(
            t.pilot,
            lambda: len(t.app._notifications) > before and folder.exists() and any(folder.iterdir()),
        )
        await t.stop("Export notification (path)", notice=(hostile.FOLDER,))


async def test_challenges_detail_form_and_dialogs(tour: Run) -> None:
    async with tour() as t:
        await press(t, "c", "slash")
        await type_text(t.pilot, "boss")
        await press(t, "enter")
        await t.stop("Challenges: table and detail pane", TITLE_RAISE, TIP, SAFETY, screen=ChallengesScreen)
        assert isinstance(t.app.screen, ChallengesScreen)
        highlighted = t.app.screen.highlighted_challenge
        assert highlighted is not None and highlighted.id == t.hostile.raise_id
        await press(t, "x")
        await t.stop("Challenges x: archive question", TITLE_RAISE, screen=ConfirmScreen)
        await press(t, "n")
        await press(t, "e")
        await t.stop("Challenges e: edit form", TITLE_RAISE, TIP, SAFETY, screen=ChallengeFormScreen)
        await close_form(t)
        await t.stop("Challenges after the form", TITLE_RAISE, screen=ChallengesScreen)
        await press(t, "n")
        await t.stop("Challenges n: Before form header", TITLE_RAISE, TIP, screen=BeforeScreen)
        await close_form(t)


async def test_history_table_detail_and_delete_question(tour: Run) -> None:
    async with tour() as t:
        await press(t, "h")
        await t.stop("History table", TITLE_RAISE, TITLE_CLICK, TITLE_LINK, screen=HistoryScreen)
        await move_to_row(t, t.hostile.planned_raise_id)
        await press(t, "enter")
        await t.stop(
            "History enter: planned attempt detail", TITLE_RAISE, WORRY, NOTE, screen=AttemptDetailScreen
        )
        await press(t, "escape")
        await t.stop("History after the detail", screen=HistoryScreen)
        await move_to_row(t, t.hostile.done_raise_id)
        await press(t, "enter")
        await t.stop(
            "History enter: done attempt detail", TITLE_RAISE, WORRY, LESSON, NOTE, screen=AttemptDetailScreen
        )
        await press(t, "escape")
        await press(t, "x")
        await t.stop("History x: delete question", TITLE_RAISE, screen=ConfirmScreen)
        await press(t, "n")
        await t.stop("History after answering no", TITLE_RAISE, screen=HistoryScreen)
        assert t.app.journal.get_attempt(t.hostile.done_raise_id) is not None


async def test_every_chart_and_the_challenge_picker(tour: Run) -> None:
    async with tour() as t:
        await press(t, "g")
        for number in CHARTS:
            await press(t, str(number))
            shown = (TITLE_RAISE,) if number == 6 else ()  # chart 6 names the most practised
            await t.stop(f"Chart {number}", *shown, screen=ChartsScreen)
        await press(t, "6")  # the practised picker is chart 6's (7 is the replay chart)
        await t.stop("Chart 6 again", TITLE_RAISE, screen=ChartsScreen)
        await press(t, "v")  # chart 6's forecast view names the challenge too
        await t.stop("Chart 6 v: forecast view", TITLE_RAISE, screen=ChartsScreen)
        await press(t, "v")
        await press(t, "p")
        await t.stop(
            "Chart 6 p: practised picker", TITLE_RAISE, TITLE_CLICK, TITLE_LINK, screen=PractisedPicker
        )
        await press(t, "escape")
        await t.stop("Chart 6 after the picker", TITLE_RAISE, screen=ChartsScreen)


async def test_ladder_rungs_coaching_and_dialogs(tour: Run) -> None:
    async with tour() as t:
        await press(t, "l")
        # Rungs, "Now: <raise>", the nudge back to <click>, and the jump warning naming both.
        await t.stop("Ladder", TITLE_RAISE, TITLE_CLICK, screen=LadderScreen)
        await press(t, "x")  # the cursor is on the first rung: the click one
        await t.stop("Ladder x: remove question", TITLE_CLICK, screen=ConfirmScreen)
        await press(t, "n")
        await press(t, "a")
        await type_text(t.pilot, "boss")
        await t.stop("Ladder a: challenge picker, searched", TITLE_RAISE, screen=ChallengePicker)
        await press(t, "enter")  # already on the ladder: refused at once, naming it
        await t.stop("Ladder a: already-on-the-ladder notice", notice=(TITLE_RAISE,), screen=LadderScreen)
        await press(t, "e")  # edit the expected fear of the highlighted rung: the question names it
        await t.stop("Ladder e: expected-fear question", TITLE_CLICK, screen=PromptScreen)
        await press(t, "escape")
        await t.stop("Ladder after the prompt", TITLE_RAISE, TITLE_CLICK, screen=LadderScreen)
        await press(t, "enter")  # make the first rung current: a notification names it
        await t.stop("Ladder enter: current-rung notification", notice=(TITLE_CLICK,), screen=LadderScreen)
        assert len(t.app.journal.ladder().rungs) == 2


async def test_plan_and_rate_forms_pickers_and_result(tour: Run) -> None:
    async with tour() as t:
        await press(t, "n")
        await type_text(t.pilot, "boss")
        await t.stop("n: challenge picker, searched", TITLE_RAISE, screen=ChallengePicker)
        await press(t, "enter")
        await t.stop("Before form header (title, tip)", TITLE_RAISE, TIP, screen=BeforeScreen)
        await close_form(t)
        await press(t, "r")
        await t.stop("r: planned picker", TITLE_RAISE, TITLE_LINK, screen=PlannedPicker)
        await press(t, "enter")
        # Header: the title; the feared-outcome question quotes the worry; the note field holds the note.
        await t.stop("After form", TITLE_RAISE, WORRY, NOTE, screen=AfterScreen)
        assert isinstance(t.app.screen, AfterScreen) and t.app.screen.attempt.id == t.hostile.planned_raise_id
        await type_text(t.pilot, "40")
        didnt_ask = next(b for b in t.app.screen.query(RadioButton) if b.name == "not_asked")
        await t.pilot.click(didnt_ask)
        await press(t, "ctrl+s")
        await wait_until(
            t.pilot, lambda: isinstance(t.app.screen, ResultScreen) or t.app._exception is not None
        )
        # "didn't ask" on the raise suggests the only easier work ask: the click one.
        await t.stop("Result card (a smaller step)", TITLE_CLICK, screen=ResultScreen)
        await press(t, "enter")
        await t.stop("Dashboard after rating", TITLE_CLICK, TITLE_LINK, screen=DashboardScreen)


def test_the_checks_catch_markup_and_controls() -> None:
    """The harness itself: literal, wrapped and lost text; raw controls."""
    wanted = visible(TITLE_RAISE)
    assert shows(f"│ {wanted} │", wanted)
    first, rest = wanted.split(" for ")
    assert shows(f"table row │ {first}   ┃ dimmed\nother text │ for {rest} ┃", wanted)
    assert not shows("│ Ask  for a raise │", wanted)  # brackets eaten by markup
    assert not shows(f"│ {TITLE_RAISE} │", wanted)  # raw escape, no placeholder
    assert {c for c in TITLE_RAISE + TITLE_CLICK + TITLE_LINK if c in FORBIDDEN} == set("\x1b\x07\x7f\x9b")
