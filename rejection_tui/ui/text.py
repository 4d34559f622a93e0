"""The one way user- and file-supplied text reaches the screen.

Titles, worries, lessons, notes, paths and imported rows are data: they are
never parsed as markup (``[/]`` in a note must not crash the app, and
``[@click=app.quit]`` must not become a button), and their control
characters are shown, not sent to the terminal. Screens build styled text
with :func:`styled`, which substitutes values into a markup template of our
own, so a value can never be read as markup; :func:`plain` shows a value
as it is. A test fails if a screen formats a user field into markup itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.content import Content

from rejection_tui.domain.text import one_line, visible

__all__ = ["cell", "lines", "plain", "styled", "visible"]


def styled(template: str, **values: object) -> Content:
    """Markup ``template`` (ours) with ``$name`` placeholders filled by ``values`` (anyone's).

    Values are substituted as literal text, never parsed: ``styled("[b]$title[/]", title="[/]")``
    shows a bold ``[/]``.
    """
    return Content.from_markup(template, **{key: visible(str(value)) for key, value in values.items()})


def plain(text: str) -> Content:
    """``text`` shown exactly as written (control characters made visible)."""
    return Content(visible(text))


def cell(text: str) -> Text:
    """A one-line table cell or option prompt showing ``text`` literally."""
    return Text(one_line(text), no_wrap=True, overflow="ellipsis")


def lines(parts: Iterable[Content]) -> Content:
    """Content pieces (from :func:`styled` or :func:`plain`), one per line."""
    return Content("\n").join(parts)
