"""Base classes shared by the screens."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual._context import NoActiveAppError
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual.widgets import Input, Select

from rejection_tui.domain.models import Attempt
from rejection_tui.domain.validation import ValidationError
from rejection_tui.storage.errors import JournalError
from rejection_tui.storage.journal import Journal, NotFound
from rejection_tui.ui import styles
from rejection_tui.ui.actions import ACTIONS, alias
from rejection_tui.ui.host import JournalHost

T = TypeVar("T")


def report_failure(app: App[Any], error: Exception) -> None:
    """Tell the person why a change was not saved (the screen keeps what they typed)."""
    if isinstance(error, JournalError):
        app.notify(error.message, title="Not saved", severity="error", timeout=15)
    elif isinstance(error, ValidationError):
        app.notify("\n".join(error.messages), title="Not saved", severity="error", timeout=10)
    else:
        app.notify("That entry no longer exists.", title="Not saved", severity="warning")


class AppScreen(Screen[Any]):
    """A screen that reads the journal through the app."""

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name, id, classes)
        self._preset_breakpoints()

    def _preset_breakpoints(self) -> None:
        """The breakpoint classes (``-narrow``, ``-wide``) for the terminal's size, set now.

        Textual sets them on the screen's first resize, after its widgets are
        styled, and so styles every widget a second time before the first
        frame (issue 12). Set here, before anything is styled, that first
        resize finds nothing to change; later resizes work as before.
        """
        try:
            app = self.app
        except NoActiveAppError:  # made outside a running app: Textual sets them on resize
            return
        horizontal = self.HORIZONTAL_BREAKPOINTS
        vertical = self.VERTICAL_BREAKPOINTS
        width, height = app.size
        for size, breakpoints in (
            (width, app.HORIZONTAL_BREAKPOINTS if horizontal is None else horizontal),
            (height, app.VERTICAL_BREAKPOINTS if vertical is None else vertical),
        ):
            if not breakpoints:
                continue
            reached = next((name for least, name in sorted(breakpoints, reverse=True) if size >= least), None)
            self.update_classes({name: name == reached for _, name in breakpoints}, update=False)

    @property
    def host(self) -> JournalHost:
        return cast(JournalHost, self.app)

    @property
    def journal(self) -> Journal:
        return self.host.journal

    def now(self) -> datetime:
        return self.host.clock()

    async def write(self, change: Callable[[Journal], T]) -> T | None:
        """Run one change on the journal in a thread; the saved record, or None when it failed.

        Call it from a worker (``@work``): the write never holds the event
        loop, so keys pressed meanwhile reach the screen being shown. On
        failure the person is told why where they are looking. Never from
        an ``exclusive`` worker: a second key would cancel the first worker
        half-way, after the write but before the screen learns of it.
        """
        saved, result = await self._run(change)
        return result if saved else None

    async def apply(self, change: Callable[[Journal], object]) -> bool:
        """Like :meth:`write`, for changes that return nothing: True when saved."""
        saved, _ = await self._run(change)
        return saved

    async def _run(self, change: Callable[[Journal], T]) -> tuple[bool, T | None]:
        # One write at a time, in the order they were asked for (the lock is
        # first come, first served), so a later change never lands first.
        async with self.host.write_lock:
            try:
                result = await asyncio.to_thread(change, self.journal)
            except (JournalError, ValidationError, NotFound) as error:
                report_failure(self.app, error)
                return False, None
            for notice in self.journal.take_notices():  # e.g. a deleted journal written back
                self.notify(notice, title="Your journal", timeout=15)
            return True, result

    async def settled(self) -> None:
        """Wait until every write asked for so far has landed (or failed)."""
        async with self.host.write_lock:
            return

    async def confirm(self, question: str, *, yes: str = "Yes", no: str = "No") -> bool:
        """Ask a yes/no question in a dialog (from a worker); True when the answer is yes."""
        from rejection_tui.ui.screens.confirm import ConfirmScreen

        answer: bool = await self.app.push_screen_wait(ConfirmScreen(question, yes=yes, no=no))
        return answer


class SectionScreen(AppScreen):
    """A top-level section (Dashboard, Challenges, …): escape goes home."""

    BINDINGS = [Binding("escape", "back", "Back", id="back")]

    async def action_back(self) -> None:
        await self.run_action("app.go('dashboard')")

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Re-read what the screen shows from the journal (cheap: in memory)."""


class TableSectionScreen(SectionScreen):
    """A section listing rows (keyed by record id) under a search box and filters.

    ``refresh_data`` rebuilds the table; typing in the search box or changing
    a filter re-runs it, and enter in the search box goes back to the table.
    """

    CSS_PATH = styles.TABLES
    # The table, not the search box, so the screen's letter keys work at once.
    AUTO_FOCUS = "#table"

    # Form and table widgets are imported where used: the Dashboard, drawn first, has none
    # (issue 12: nothing before the first frame that the first frame does not show).

    def highlighted_key(self) -> str | None:
        from textual.widgets import DataTable
        from textual.widgets.data_table import CellDoesNotExist

        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except CellDoesNotExist:
            return None

    def restore_cursor(self, key: str | None) -> None:
        """Put the cursor back on ``key`` if that row is still shown."""
        from textual.widgets import DataTable
        from textual.widgets.data_table import RowDoesNotExist

        if key is not None:
            table = self.query_one(DataTable)
            with contextlib.suppress(RowDoesNotExist):  # filtered out: stay at the top
                table.move_cursor(row=table.get_row_index(key))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from textual.widgets import DataTable

        self.query_one(DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refresh_data()

    def action_focus_search(self) -> None:
        from textual.widgets import Input

        self.query_one("#search", Input).focus()

    async def action_back(self) -> None:
        # From the search box, escape goes back to the table (the search
        # stays), not out of the section.
        from textual.widgets import DataTable, Input

        if isinstance(self.focused, Input):
            self.query_one(DataTable).focus()
            return
        await super().action_back()


class FormScreen(AppScreen):
    """A form that knows its own state.

    It remembers what its fields held when it opened and is *dirty* only
    while they hold something else. Every way out — ``escape``, ``q``, a
    section key — goes through :meth:`confirm_leave`, which asks before
    anything typed is thrown away. A save runs in a worker; while it runs
    the form says so and cannot be saved again.
    """

    CSS_PATH = styles.FORMS
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form.cancel")]

    saving: reactive[bool] = reactive(False, init=False)
    _initial: tuple[Hashable, ...] | None = None

    def __init__(self) -> None:
        super().__init__()
        self._idle = asyncio.Event()
        self._idle.set()

    def on_mount(self) -> None:
        # After the first refresh every field holds its starting value.
        self.call_after_refresh(self._remember_initial)

    def _remember_initial(self) -> None:
        self._initial = self.field_values()

    def field_values(self) -> tuple[Hashable, ...]:
        """What every field of the form holds now, in order."""
        from textual.widgets import Checkbox, Input, RadioButton, Select, TextArea

        values: list[Hashable] = []
        for widget in self.query("Input, TextArea, Checkbox, RadioButton, Select"):
            if isinstance(widget, Input):
                values.append(widget.value)
            elif isinstance(widget, TextArea):
                values.append(widget.text)
            elif isinstance(widget, Checkbox | RadioButton):
                values.append(widget.value)
            elif isinstance(widget, Select):
                values.append(cast(Hashable, widget.value))
        return tuple(values)

    @property
    def dirty(self) -> bool:
        return self._initial is not None and self.field_values() != self._initial

    # The actions that save; a subclass with others lists them.
    SAVE_ACTIONS: tuple[str, ...] = ("save",)
    _sub_title_before_save: str | None = ""

    def watch_saving(self, saving: bool) -> None:
        if saving:
            self._sub_title_before_save = self.sub_title
        self.sub_title = "Saving…" if saving else self._sub_title_before_save
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # One save at a time.
        return not (self.saving and action in self.SAVE_ACTIONS)

    @property
    def closed(self) -> bool:
        return self not in self.app.screen_stack

    async def confirm_leave(self) -> bool:
        """True when the form may close: nothing typed, or the person chose to discard it.

        Asked while a save runs (escape, q or a section key pressed just
        after ctrl+s), it waits for the save: once saved there is nothing to
        discard; if the save failed, the form is still there and it asks.
        """
        await self._idle.wait()
        if self.closed or not self.dirty:
            return True
        return await self.confirm("Discard what you typed?", yes="Discard", no="Keep editing")

    def action_cancel(self) -> None:
        self.run_worker(self._leave(), group="leave", exclusive=True)

    async def _leave(self) -> None:
        if await self.confirm_leave() and not self.closed:
            self.dismiss(None)

    async def still_current(self, original: Attempt) -> bool:
        """True when the journal still holds ``original`` (what the form opened with), or when
        the person chooses to save over what changed meanwhile (a rating from the shell)."""
        from rejection_tui.domain.progress import summary_line

        current = self.journal.get_attempt(original.id)
        if current is None or current == original:
            return True
        typed = (("Learned", current.lesson), ("Note", current.note))
        words = "".join(f"\n{label}: {text}" for label, text in typed if text)
        if not await self.confirm(
            f"While this form was open, this ask was changed elsewhere (from the shell?): "
            f"{summary_line(current)}.{words}\n\nSave yours over it? That version is kept in a file.",
            yes="Save mine",
            no="Back to the form",
        ):
            return False
        from rejection_tui.storage.inbox import keep_replaced

        try:
            kept = await asyncio.to_thread(keep_replaced, self.journal.path, current)
        except (OSError, ValueError) as error:
            self.notify(f"The other version could not be kept ({error}), so yours was not saved over it.")
            return False
        self.notify(f"The version you saved over is kept at {kept}.", title="Kept", timeout=15)
        return True

    async def save_with(self, change: Callable[[Journal], T]) -> T | None:
        """Write ``change`` while the form shows it is saving; None when it failed or is running."""
        if self.saving:
            return None
        self.saving = True
        self._idle.clear()
        try:
            return await self.write(change)
        finally:
            self.saving = False
            self._idle.set()


class PassingModal(ModalScreen[Any]):
    """A card that only informs: any app key closes it and then does its work.

    Textual gives a modal screen none of the app's keys, so they are bound
    here again (same ids, so a keymap remaps these too).
    """

    CSS_PATH = styles.DIALOGS
    BINDINGS = [alias(action.id, show=False) for action in ACTIONS if action.keys]
