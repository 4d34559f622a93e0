"""Base classes shared by the screens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from textual.binding import Binding
from textual.screen import Screen

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
