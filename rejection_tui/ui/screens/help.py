"""Help: what the practice is, how to do it kindly, and every key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Markdown, Static

from rejection_tui.ui.actions import KEYMAP_SETTING, parse_keymap
from rejection_tui.ui.keys import reference_markdown
from rejection_tui.ui.screens.base import SectionScreen
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


class HelpScreen(SectionScreen):
    TITLE = "Help"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help"):
            yield Markdown(self._text())
            # The path is the person's, not Markdown: shown as it is.
            yield Static(plain(f"{self.journal.path} — it never leaves this computer."), id="help-path")
        yield Footer()

    def _text(self) -> str:
        """The guide, then every key: the same tables as README, with this person's keymap."""
        keymap, _problems = parse_keymap(self.journal.get_setting(KEYMAP_SETTING))
        keys = reference_markdown(self.app.get_key_display, keymap)
        return f"{GUIDE}\n## Keys\n\n{keys}\n## Your journal\n"
