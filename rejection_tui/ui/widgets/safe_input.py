"""An Input that shows control characters instead of sending them to the terminal."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input

from rejection_tui.domain.text import visible


class SafeInput(Input):
    """Input whose text is drawn through :func:`visible`.

    A value from an imported or hand-edited journal may hold escape
    sequences; drawn raw, they would reach the terminal. Each control
    character becomes one visible placeholder character, so the cursor and
    selection still line up, and ``value`` itself is never changed.
    """

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(visible(self.value), no_wrap=True, overflow="ignore", end="")
        return self.highlighter(text) if self.highlighter is not None else text
