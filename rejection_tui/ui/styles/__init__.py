"""The stylesheets, one per screen family (issue 12: start-up parses only ``APP``).

A screen names its file in ``CSS_PATH``; Textual reads it the first time the
screen opens and from then on applies it app-wide. The paths are absolute, so
a subclass defined elsewhere (a test's) finds the same file.
"""

from __future__ import annotations

from pathlib import Path

from textual.css.stylesheet import Stylesheet

_HERE = Path(__file__).parent

APP = _HERE / "app.tcss"
"""App-wide rules and the Dashboard's: the first screen drawn."""
TABLES = _HERE / "tables.tcss"
FORMS = _HERE / "forms.tcss"
DIALOGS = _HERE / "dialogs.tcss"
CHARTS = _HERE / "charts.tcss"
LADDER = _HERE / "ladder.tcss"
HELP = _HERE / "help.tcss"
PRACTICE_SETTINGS = _HERE / "practice_settings.tcss"
REPLAY = _HERE / "replay.tcss"
"""The day-after question, the self-compassion lines and the maintenance plan's dialogs (issue 16)."""


class IncrementalStylesheet(Stylesheet):
    """Textual's stylesheet, parsing again only what changed (issue 12).

    Textual re-parses every rule it holds, from scratch and with its parse
    cache dropped, each time a mode's screen is first shown (``refresh_css``)
    and each time a screen brings a new ``CSS_PATH``: three full parses of
    every stylesheet before the Dashboard's first frame, where one is enough.
    Here the cache (keyed by each source's text and location) is dropped only
    when the theme's variables really change, and a re-parse parses only the
    sources not parsed yet with those variables. The rules are the same.
    """

    @classmethod
    def replacing(cls, stylesheet: Stylesheet) -> IncrementalStylesheet:
        """An empty one with ``stylesheet``'s variables, to take its place before any CSS is read."""
        return cls(variables=stylesheet._variables)

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables != self._variables:
            super().set_variables(variables)

    def reparse(self) -> None:
        self.parse()
