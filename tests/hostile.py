"""A hostile journal: every free-text field holds markup look-alikes and terminal control text.

Titles, tips, safety notes, worries, lessons, notes, attempt title snapshots
and ladder rungs all carry Rich/Textual markup (unbalanced ``[/]``, ``[b]``,
``[@click=app.quit]``, ``[link=…]``), ordinary brackets ("Ask [my boss] for a
raise"), ``$title``/``$fear`` template look-alikes and control characters
(OSC window title and clipboard, CSI clear screen, a C1 CSI, DEL). The
journal folder has brackets in its name too. Everything goes in through the
public domain and storage API: validation accepts control characters (it
refuses only NUL), so the text arrives exactly as it would from a
hand-edited file or an import.

Screens must show every one of these literally, as ``visible(text)`` (control
characters as placeholders: ESC → ␛, BEL → ␇, DEL → ␡, C1 → U+FFFD), and
never parse, run or forward them. Settings hold no free text (theme,
welcomed, weekly goal, program and rest days are all checked values), so
none is set here.

``control=True`` builds the same journal with every bracket swapped for a
parenthesis and every control character already a placeholder: text that no
screen can misread. It proves the reading harness itself: the same checks
pass on it today, so a hostile failure is a finding about the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from rejection_tui.domain.ladder import Ladder, Rung
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Challenge, Outcome
from rejection_tui.domain.text import visible
from rejection_tui.storage.journal import Journal
from tests.conftest import NOW

# -- the pieces ---------------------------------------------------------------

OSC_TITLE = "\x1b]0;pwned\x07"  # set the terminal window title
OSC_CLIPBOARD = "\x1b]52;c;SGVsbG8=\x07"  # write the clipboard
CSI_CLEAR = "\x1b[2J"  # clear the screen
C1_CSI = "\x9b"  # the 8-bit CSI
DEL = "\x7f"

# A folder name that is markup: unbalanced "[/]" and a bold tag.
FOLDER = "my [b]journal[/] dir [/]"

# -- the texts (each short enough for a table cell or a dialog line at 160 columns) --

# The current ladder rung (work, level 4).
TITLE_RAISE = "Ask [my boss] for a raise [/]" + OSC_TITLE
# The rung below it (work, level 3): the only easier "work" ask, so the
# result card after "didn't ask" on the raise suggests it.
TITLE_CLICK = "[b]No[/b] [@click=app.quit]click me[/]" + CSI_CLEAR + DEL
# A built-in challenge's title as snapshotted in attempts (an import or a hand edit).
TITLE_LINK = "[link=https://example.invalid]Time?[/link] $title" + C1_CSI

TIP = "Smile first [dim]then[/dim] ask; $fear is fine" + OSC_CLIPBOARD
SAFETY = "Accept a no [/] [@click=app.quit]quit[/]" + C1_CSI + DEL
WORRY = "They'll laugh [/] [b]at me[/b] $fear" + OSC_TITLE
LESSON = "Nobody laughed [link=https://example.invalid]really[/link]" + CSI_CLEAR
NOTE = "Note [@click=app.quit]click me[/] [my notes]" + C1_CSI + DEL

TITLES = (TITLE_RAISE, TITLE_CLICK, TITLE_LINK)
FIELDS = (TIP, SAFETY, WORRY, LESSON, NOTE)

CONTROL_CHARACTERS = "\x1b\x07\x7f\x9b"


def tame(text: str) -> str:
    """The control variant of ``text``: nothing left to misread (same widths)."""
    return visible(text).translate(str.maketrans("[]", "()"))


@dataclass(frozen=True)
class Hostile:
    """What was written, and how each text must look on screen."""

    control: bool
    raise_id: str
    click_id: str
    time_id: str
    planned_raise_id: str
    done_raise_id: str
    folder: str

    def text(self, raw: str) -> str:
        """The text as stored in this journal."""
        return tame(raw) if self.control else raw

    def shown(self, raw: str) -> str:
        """The text as a screen must show it: literally, control characters as placeholders."""
        return visible(self.text(raw))


def folder_name(*, control: bool = False) -> str:
    return tame(FOLDER) if control else FOLDER


def _challenges(control: bool) -> tuple[Challenge, Challenge]:
    text = tame if control else (lambda s: s)
    raise_it = Challenge(
        id="custom-raise",
        title=text(TITLE_RAISE),
        level=4,
        category="work",
        tip=text(TIP),
        safety=text(SAFETY),
        source="custom",
    )
    click = Challenge(
        id="custom-click",
        title=text(TITLE_CLICK),
        level=3,
        category="work",
        tip=text(TIP),
        safety=text(SAFETY),
        source="custom",
    )
    return raise_it, click


def fill(journal: Journal, *, control: bool = False, attempts: bool = True) -> Hostile:
    """Write the hostile challenges, attempts and ladder into ``journal``."""
    text = tame if control else (lambda s: s)
    raise_it, click = _challenges(control)
    journal.add_challenge(raise_it)
    journal.add_challenge(click)
    the_time = next(c for c in builtin_challenges() if c.id == "ask-the-time")
    ids: dict[str, str] = {"planned_raise": "", "done_raise": ""}
    if attempts:
        day = timedelta(days=1)

        def plan(challenge: Challenge, fear: int, days_ago: float, odds: int) -> Attempt:
            return Attempt.plan(
                challenge,
                fear_before=fear,
                p_rejection=odds,
                worry=text(WORRY),
                worry_cost=60,
                note=text(NOTE),
                now=NOW - days_ago * day,
            )

        def rated(
            challenge: Challenge,
            fear: int,
            felt: int,
            outcome: Outcome,
            days_ago: float,
            odds: int,
            happened: bool | None,
        ) -> Attempt:
            return plan(challenge, fear, days_ago, odds).rate(
                fear_after=felt,
                outcome=outcome,
                worry_happened=happened,
                lesson=text(LESSON),
                safety_behaviours=("rehearsed",),
                now=NOW - days_ago * day,
            )

        def snapshot(attempt: Attempt) -> Attempt:
            # The built-in title as an old import stored it.
            return replace(attempt, challenge_title=text(TITLE_LINK)).validated()

        # Three done on the raise (the most practised, so chart 6 shows it; the
        # last two "didn't ask", so the ladder says to step back down to the
        # click rung), and one planned on it, the newest attempt of all. Every
        # outcome occurs, and every attempt has a predicted chance of a no.
        first = rated(raise_it, 70, 60, Outcome.REJECTED, 10, 80, True)
        ids["done_raise"] = first.id
        journal.add_attempt(first)
        journal.add_attempt(rated(raise_it, 65, 65, Outcome.NOT_ASKED, 6, 70, None))
        journal.add_attempt(rated(raise_it, 60, 55, Outcome.NOT_ASKED, 3, 60, None))
        planned_raise = plan(raise_it, 55, 1 / 24, 60)
        ids["planned_raise"] = planned_raise.id
        journal.add_attempt(planned_raise)
        journal.add_attempt(rated(click, 50, 20, Outcome.ACCEPTED, 14, 30, False))
        for days_ago, outcome, odds, felt in [
            (20, Outcome.PARTIAL, 40, 30),
            (30, Outcome.REJECTED, 90, 35),
        ]:
            journal.add_attempt(snapshot(rated(the_time, 45, felt, outcome, days_ago, odds, False)))
        journal.add_attempt(snapshot(plan(the_time, 40, 1, 50)))
    # The ladder: click (25) then raise (60), a jump the ladder warns about; raise is current.
    ladder = Ladder().add(Rung.of(click, 25)).add(Rung.of(raise_it, 60))
    journal.save_ladder(ladder.set_current(1))
    return Hostile(
        control=control,
        raise_id=raise_it.id,
        click_id=click.id,
        time_id=the_time.id,
        planned_raise_id=ids["planned_raise"],
        done_raise_id=ids["done_raise"],
        folder=folder_name(control=control),
    )


def setup(*, control: bool = False, attempts: bool = True) -> Callable[[Journal], Hostile]:
    """A ``make_app(setup=...)`` callable."""
    return lambda journal: fill(journal, control=control, attempts=attempts)
