"""Help: what the practice is, how to do it kindly, and every key."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown

from rejection_tui.ui.screens.base import SectionScreen

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


def readable_key(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return " / ".join(k.replace("question_mark", "?").replace("slash", "/") for k in binding.key.split(","))


def screen_key_hints() -> list[tuple[str, list[tuple[str, str]]]]:
    """(screen title, [(key, what it does)]) from each screen's own bindings."""
    from rejection_tui.ui.screens.after import AfterScreen
    from rejection_tui.ui.screens.before import BeforeScreen
    from rejection_tui.ui.sections import SECTIONS, section_class

    classes: list[type[Screen[Any]]] = [section_class(mode) for mode in SECTIONS]
    classes += [BeforeScreen, AfterScreen]
    found = []
    for cls in classes:
        hints = [
            (readable_key(b), b.description)
            for b in cls.BINDINGS
            if isinstance(b, Binding) and b.description and b.key != "escape"
        ]
        if hints:
            found.append((str(cls.TITLE), hints))
    return found


class HelpScreen(SectionScreen):
    TITLE = "Help"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help"):
            yield Markdown(self._text())
        yield Footer()

    def _text(self) -> str:
        rows = "\n".join(f"| `{key}` | {text} |" for key, text in self.rt.key_hints())
        per_screen = "\n\n".join(
            f"**{title}**: " + " · ".join(f"`{key}` {text}" for key, text in hints)
            for title, hints in screen_key_hints()
        )
        keys = (
            "## Keys\n\n| key | action |\n|---|---|\n"
            + rows
            + "\n| `escape` | Back, or cancel a form (asks first if you typed something) |"
            + "\n| `ctrl+s` | Save the form |"
            + "\n| `ctrl+r` | On Before: save and rate straight away |"
            + "\n| `ctrl+p` | Command palette: every action, searchable |"
        )
        return (
            f"{GUIDE}\n{keys}\n\n### On each screen\n\n{per_screen}\n\n"
            f"## Your journal\n\n`{self.journal.path}` — it never leaves this computer.\n"
        )
