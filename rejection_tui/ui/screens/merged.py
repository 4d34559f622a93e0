"""What merging other copies of the journal did (issue 15): one screen, read and closed."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from rejection_tui.storage.syncing import CopyMerge
from rejection_tui.ui import styles
from rejection_tui.ui.text import lines, plain, styled


class MergedScreen(ModalScreen[None]):
    CSS_PATH = styles.DIALOGS
    BINDINGS = [Binding("escape,enter", "dismiss(None)", "Close", id="merged.close")]

    def __init__(self, reports: Sequence[CopyMerge]) -> None:
        super().__init__()
        self.reports = list(reports)

    def compose(self) -> ComposeResult:
        merged = [r for r in self.reports if r.merged]
        title = "Merged from another device" if merged else "A copy of your journal was not merged"
        with Vertical(id="dialog", classes="detail"):
            yield Label(styled("[b]$title[/]", title=title))
            yield VerticalScroll(
                Static(
                    lines(
                        [
                            plain(
                                "A sync tool left another copy of your journal beside it. "
                                "Record by record, the newer version is kept; nothing is thrown away."
                                if merged
                                else "It is left exactly as it is; your journal is unchanged."
                            ),
                            plain(""),
                            *(plain(f"• {report.text()}") for report in self.reports),
                        ]
                    )
                )
            )
            yield Label(styled("[dim]enter or escape to close · README: Several devices[/]"))
