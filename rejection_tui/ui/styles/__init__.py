"""The stylesheets, one per screen family (issue 12: start-up parses only ``APP``).

A screen names its file in ``CSS_PATH``; Textual reads it the first time the
screen opens and from then on applies it app-wide. The paths are absolute, so
a subclass defined elsewhere (a test's) finds the same file.
"""

from pathlib import Path

_HERE = Path(__file__).parent

APP = _HERE / "app.tcss"
"""App-wide rules and the Dashboard's: the first screen drawn."""
TABLES = _HERE / "tables.tcss"
FORMS = _HERE / "forms.tcss"
DIALOGS = _HERE / "dialogs.tcss"
CHARTS = _HERE / "charts.tcss"
LADDER = _HERE / "ladder.tcss"
HELP = _HERE / "help.tcss"
