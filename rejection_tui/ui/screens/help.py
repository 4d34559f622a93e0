"""Help: what the practice is, how to do it kindly, and every key."""

from __future__ import annotations

from typing import Any, cast

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Markdown, Static

from rejection_tui.storage.journal import Journal
from rejection_tui.ui import styles
from rejection_tui.ui.actions import KEYMAP_SETTING, parse_keymap
from rejection_tui.ui.host import JournalHost
from rejection_tui.ui.keys import reference_markdown
from rejection_tui.ui.screens.base import PassingModal, SectionScreen
from rejection_tui.ui.text import plain

GUIDE = """\
## What is rejection therapy?

The fear of hearing "no" shrinks when you meet it on purpose, in small doses.
You choose an ask that is a little scary, predict how it will go, do it, and
compare what you expected with what happened. Most of the time the fear
beforehand is bigger than the fear in the moment — and seeing that, again and
again, is what makes the next ask easier.

## How to practise

- **Start small.** Pick an ask you would rate around 30–50 out of 100.
- **Predict first.** Before: how afraid you expect to be, how likely a no
  is, what you fear will happen.
- **Do it, then rate it.** After: how afraid you felt at the peak, what
  happened, whether the feared thing came true, what you learned.
- **Repeat, then climb.** Do a step until it feels like no big deal, then
  move one step up. A few times a week beats one big stunt.
- **A no is the goal.** If you nearly always hear yes, ask for more.
- **Backing out is information**, not failure: try a smaller step next.

## Away from the desk

The ask happens out there; record it from any terminal, even while this app
is open (it shows the entry within two seconds):

- `rejection-tui plan time` — the before part, in seconds;
- `rejection-tui rate` — finish the newest planned ask (`pending` lists them,
  the longest-waiting first; a day old is overdue);
- `rejection-tui log` — an ask you already made. Its "before" is hindsight,
  so it is left out of expected against felt and of your predictions;
- `rejection-tui remind` — one line when something waits to be rated.

Entries from the shell are marked `$` in History.

## A break, and the ladder's numbers

- **Pauses.** Ill, travelling, in the middle of exams? Add a pause (`b` on
  the Ladder). Its days count as neither practice nor missed: your streak,
  weekly goal and programs wait for you, and an ask you make anyway still
  counts.
- **Thresholds.** The same screen holds the numbers behind the ladder's
  advice: when a rung counts as mastered, when asks seem too easy, when a
  rung seems too hard. Each shows its default and why it was chosen. If you
  work with a therapist, they can adjust them with you.

## Asking kindly

- Accept every no at once, with thanks. Never argue, block or follow.
- Don't touch people, their things or their space without a clear yes.
- Don't film or photograph anyone without their consent.
- Choose moments when nobody is rushed, stressed or working under rules
  they can't bend.

## A kind note

This app is self-help, not therapy. If anxiety feels overwhelming, stops you
living the way you want, or comes with low mood, please talk to a doctor or a
licensed therapist: exposure with a professional works well, and you deserve
that support.
"""


def help_page(app: App[Any], journal: Journal) -> VerticalScroll:
    """The guide, every key (the same tables as README, with this person's keymap) and the journal's path."""
    keymap, _problems = parse_keymap(journal.get_setting(KEYMAP_SETTING))
    keys = reference_markdown(app.get_key_display, keymap)
    return VerticalScroll(
        Markdown(f"{GUIDE}\n## Keys\n\n{keys}\n## Your journal\n"),
        # The path is the person's, not Markdown: shown as it is.
        Static(plain(f"{journal.path} — it never leaves this computer."), id="help-path"),
        id="help",
    )


class HelpScreen(SectionScreen):
    CSS_PATH = styles.HELP
    TITLE = "Help"

    def compose(self) -> ComposeResult:
        yield Header()
        yield help_page(self.app, self.journal)
        yield Footer(compact=True)


class HelpOverForm(PassingModal):
    """Help opened from a form: escape returns to the form exactly as it was.

    A section key closes it and then asks before leaving the form, like
    anywhere else.
    """

    CSS_PATH = styles.HELP
    TITLE = "Help"
    BINDINGS = [Binding("escape,f1", "close", "Back to the form", id="help.close")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield help_page(self.app, cast(JournalHost, self.app).journal)
        yield Footer(compact=True)

    def action_close(self) -> None:
        self.dismiss(None)
