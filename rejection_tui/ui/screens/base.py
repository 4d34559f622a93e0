"""Base classes shared by the screens."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from rejection_tui.storage.journal import Journal
from rejection_tui.ui.widgets.fields import FieldChanged

if TYPE_CHECKING:
    from rejection_tui.ui.app import RejectionApp


class AppScreen(Screen[Any]):
    """A screen that reads the journal through the app."""

    @property
    def rt(self) -> RejectionApp:
        return cast("RejectionApp", self.app)

    @property
    def journal(self) -> Journal:
        return self.rt.journal

    def now(self) -> datetime:
        return self.rt.clock()


class SectionScreen(AppScreen):
    """A top-level section (Dashboard, Challenges, …): escape goes home."""

    BINDINGS = [Binding("escape", "app.go('dashboard')", "Back")]

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Re-read what the screen shows from the journal (cheap: in memory)."""


class TableSectionScreen(SectionScreen):
    """A section listing rows (keyed by record id) under a search box and filters.

    ``refresh_data`` rebuilds the table; typing in the search box or changing
    a filter re-runs it, and enter in the search box goes back to the table.
    """

    # The table, not the search box, so the screen's letter keys work at once.
    AUTO_FOCUS = "#table"

    def highlighted_key(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except CellDoesNotExist:
            return None

    def restore_cursor(self, key: str | None) -> None:
        """Put the cursor back on ``key`` if that row is still shown."""
        if key is not None:
            table = self.query_one(DataTable)
            with contextlib.suppress(RowDoesNotExist):  # filtered out: stay at the top
                table.move_cursor(row=table.get_row_index(key))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refresh_data()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()


class FormScreen(AppScreen):
    """A form: ``escape`` cancels, asking first when something was typed."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    dirty = False

    def on_field_changed(self, event: FieldChanged) -> None:
        self.dirty = True

    def action_cancel(self) -> None:
        self.leave()

    def leave(self, then: Callable[[], None] | None = None) -> None:
        """Close the form, asking before typed content is thrown away."""

        def close(sure: bool | None = True) -> None:
            if sure:
                self.dismiss(None)
                if then:
                    then()

        if not self.dirty:
            close()
            return
        from rejection_tui.ui.screens.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen("Discard what you typed?", yes="Discard", no="Keep editing"), close
        )
