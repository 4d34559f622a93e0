"""The Textual application: sections as modes, forms pushed on top."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from random import Random
from typing import Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from rejection_tui.domain.ladder import surprise, surprise_level
from rejection_tui.domain.models import Attempt, Challenge, Status, now_local
from rejection_tui.domain.text import counted, visible
from rejection_tui.domain.validation import ValidationError
from rejection_tui.storage.errors import JournalError
from rejection_tui.storage.journal import Journal, NotFound
from rejection_tui.ui import styles
from rejection_tui.ui.actions import app_bindings
from rejection_tui.ui.commands import palette_commands
from rejection_tui.ui.host import ShowsAttempt, ShowsChallenge
from rejection_tui.ui.messages import RateAttempt, StartAttempt
from rejection_tui.ui.screens.base import FormScreen, PassingModal, SectionScreen, report_failure
from rejection_tui.ui.sections import SECTIONS, section

INBOX_POLL_SECONDS = 1.0
"""How often the app looks for entries from the shell: they show within two seconds."""


class RejectionApp(App[None]):
    TITLE = "rejection-tui"
    # The rest of the styles come with the screens that use them (rejection_tui/ui/styles).
    CSS_PATH = styles.APP
    MODES = {mode: section(mode) for mode in SECTIONS}
    DEFAULT_MODE = "dashboard"
    # Below 70 columns (a phone over SSH) screens switch to a compact layout.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    # Every app key, palette entry and key-table row: rejection_tui/ui/actions.py.
    BINDINGS: ClassVar[list[BindingType]] = [*app_bindings()]

    def __init__(
        self, journal: Journal, *, clock: Callable[[], datetime] = now_local, rng: Random | None = None
    ) -> None:
        super().__init__()
        self.stylesheet = styles.IncrementalStylesheet.replacing(self.stylesheet)
        # The saved theme, before any CSS is read: set in on_mount, it re-parsed
        # and restyled everything once more before the first frame (issue 12).
        theme = journal.get_setting("theme")
        if theme != self.theme and isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
            self.stylesheet.set_variables(self.get_css_variables())
        self.journal = journal
        self.clock = clock
        self.write_lock = asyncio.Lock()
        self.rng = rng or Random()
        """The randomness of "surprise me" (a test passes a seeded one)."""
        self.last_surprise: str | None = None
        """The challenge id "surprise me" offered last: never offered twice in a row."""

    # -- start-up -----------------------------------------------------------

    def on_mount(self) -> None:
        self.load_keymap()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.tell_notices()
        if self.journal.read_only:
            self.notify(self.journal.read_only, title="Read-only", severity="warning", timeout=20)
        # The welcome is for a journal with nothing in it yet, not for one
        # that was imported or carried over from another machine.
        if not self.journal.get_setting("welcomed") and self.journal.count_attempts() == 0:
            self.run_worker(self._welcome(), group="welcome")

    def on_ready(self) -> None:
        """The first frame is on screen: cyclic GC back on (``cli`` holds it during start-up).

        What exists now (the journal, the widgets) lives for the whole run:
        frozen, so no collection walks it again.
        """
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
        self.show_merges()  # copies merged as the journal opened (after the first frame: over it)
        # Entries the shell commands hand over while the app holds the journal (storage.inbox).
        self._taking_in = False
        self._inbox_stopped = False
        self.set_interval(INBOX_POLL_SECONDS, self.check_inbox)
        self.check_inbox()
        if not self.journal.read_only:
            self.run_worker(asyncio.to_thread(self.journal.refresh_status), group="status")

    def check_inbox(self) -> None:
        """Take in what the shell commands recorded (one directory listing when there is none),
        and merge the copies of the journal a sync tool leaves beside it meanwhile."""
        if self._taking_in or self._inbox_stopped or self.journal.read_only:
            return
        if self.journal.copies_to_merge():
            self._taking_in = True
            self.run_worker(self._merge_copies(), group="inbox")
            return
        # Imported here, after the first frame: nothing before it needs the inbox (issue 12).
        from rejection_tui.storage.inbox import waiting_files

        if not waiting_files(self.journal.path):
            return
        self._taking_in = True
        self.run_worker(self._take_in(), group="inbox")

    async def _take_in(self) -> None:
        from rejection_tui.storage.inbox import take_in

        try:
            async with self.write_lock:  # never beside a save the person asked for
                taken = await asyncio.to_thread(take_in, self.journal)
        except (JournalError, ValidationError, NotFound) as error:
            # Once, not every second: the entries wait, whole, until a restart can save them.
            self._inbox_stopped = True
            report_failure(self, error)
            self.notify(
                "Entries from the shell wait, safe, beside the journal; they are taken in "
                "when rejection-tui starts again.",
                title="From the shell",
                timeout=15,
            )
            return
        finally:
            self._taking_in = False
        self.tell_notices()
        sentences = taken.sentences()
        if sentences:
            self.notify("\n".join(sentences), title="From the shell", timeout=10)
        # (A section under a form refreshes when the form closes: on_screen_resume.)
        if taken.changed and isinstance(self.screen, SectionScreen):
            self.screen.refresh_data()

    async def _merge_copies(self) -> None:
        try:
            async with self.write_lock:  # never beside a save the person asked for
                await asyncio.to_thread(self.journal.merge_copies)
        except (JournalError, ValidationError, NotFound) as error:
            self._inbox_stopped = True  # told once, not every second
            report_failure(self, error)
            return
        finally:
            self._taking_in = False
        self.tell_notices()
        section = self.screen  # (before the summary goes over it)
        if self.show_merges() and isinstance(section, SectionScreen):
            section.refresh_data()

    def show_merges(self) -> bool:
        """The one-screen summary of copies merged (or not) since it was last shown."""
        reports = self.journal.take_merges()
        if reports:
            from rejection_tui.ui.screens.merged import MergedScreen

            self.push_screen(MergedScreen(reports))
        return any(report.merged for report in reports)

    async def _welcome(self) -> None:
        from rejection_tui.ui.screens.welcome import WelcomeScreen

        next_step = await self.push_screen_wait(WelcomeScreen(self.journal.path))
        self._change_in_background(lambda j: j.set_setting("welcomed", True))
        if next_step:
            await self.run_action(next_step)

    def _remember_theme(self, theme: Theme) -> None:
        if self.journal.get_setting("theme") != theme.name:
            self._change_in_background(lambda j: j.set_setting("theme", theme.name))

    def tell_notices(self) -> None:
        """What the journal has to say once (permissions tightened, a deleted file written back)."""
        for notice in self.journal.take_notices():
            self.notify(notice, title="Your journal", timeout=15)

    @work(thread=True, group="settings")
    def _change_in_background(self, change: Callable[[Journal], object]) -> None:
        """A small change the person did not ask to save (a theme, the welcome seen)."""
        if self.journal.read_only:
            return  # nothing they asked for; the read-only notice already says why
        try:
            change(self.journal)
        except (JournalError, ValidationError, NotFound) as error:
            self.call_from_thread(report_failure, self, error)

    # -- text ---------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text: they carry titles, notes and paths.

        ``markup`` is ignored on purpose (widgets pass True by default).
        """
        super().notify(
            visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False
        )

    # -- navigation ---------------------------------------------------------

    def action_go(self, mode: str) -> None:
        if mode == "help" and isinstance(self.screen, FormScreen):
            # Help over the form, not instead of it: nothing typed is at stake.
            from rejection_tui.ui.screens.help import HelpOverForm

            self.push_screen(HelpOverForm())
            return
        self._leave_then(lambda: self._switch(mode))

    async def action_quit(self) -> None:
        self._leave_then(self.exit)

    def _leave_then(self, then: Callable[[], object]) -> None:
        """Close the form on top (asking first if it holds typed work), then ``then``.

        ``escape``, ``q`` and the section keys all come through here, so no
        key throws away what a person typed without asking.
        """
        if isinstance(self.screen, PassingModal):
            self.screen.dismiss(None)
        form = self.screen
        if not isinstance(form, FormScreen):
            then()
            return

        async def leave() -> None:
            if await form.confirm_leave():
                if not form.closed:
                    await form.dismiss(None)
                if isinstance(self.screen, PassingModal):  # the result of a save that just ended
                    await self.screen.dismiss(None)
                then()

        self.run_worker(leave(), group="leave", exclusive=True)

    def _switch(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_new_attempt(self) -> None:
        if isinstance(self.screen, PassingModal):
            self.screen.dismiss(None)
        if isinstance(self.screen, ShowsChallenge):
            challenge = self.screen.highlighted_challenge
            if challenge is not None:
                self.open_before(challenge)
                return
        self.run_worker(self._pick_challenge(), group="dialog", exclusive=True)

    async def _pick_challenge(self) -> None:
        from rejection_tui.ui.screens.pickers import ChallengePicker

        challenge = await self.push_screen_wait(ChallengePicker(self.journal))
        if challenge is not None:
            self.open_before(challenge)

    def on_start_attempt(self, message: StartAttempt) -> None:
        self.open_before(message.challenge, message.attempt)

    def on_rate_attempt(self, message: RateAttempt) -> None:
        self.open_after(message.attempt, edit=message.edit)

    def action_surprise(self) -> None:
        """Surprise me: a varied ask at the person's level, never the one offered last time."""
        if isinstance(self.screen, PassingModal):
            self.screen.dismiss(None)
        if isinstance(self.screen, FormScreen):
            return
        attempts = self.journal.list_attempts()
        now = self.clock()
        level = surprise_level(self.journal.ladder(), attempts, now, t=self.journal.thresholds())
        pick = surprise(
            self.journal.all_challenges(), attempts, level, now, self.rng, last=self.last_surprise
        )
        if pick is None:
            self.notify("No other challenge fits your level yet.")
            return
        self.last_surprise = pick.id
        from rejection_tui.domain.contexts import least_practised_channel

        channel = least_practised_channel(attempts, now)
        how = f" Maybe {'by ' if channel != 'in person' else ''}{channel} this time?" if channel else ""
        self.notify(
            f"Something different: {pick.title} (level {pick.level}). Varied practice makes it stick.{how}"
        )
        self.open_before(pick)

    def open_before(self, challenge: Challenge, attempt: Attempt | None = None) -> None:
        from rejection_tui.ui.screens.before import BeforeScreen

        if isinstance(self.screen, FormScreen):
            return
        self.push_screen(BeforeScreen(challenge, attempt))

    def action_practice_settings(self) -> None:
        """Pauses and the ladder's thresholds (issue 16)."""
        if isinstance(self.screen, PassingModal):
            self.screen.dismiss(None)
        if isinstance(self.screen, FormScreen):
            return
        from rejection_tui.ui.screens.practice_settings import PracticeSettingsScreen

        self.push_screen(PracticeSettingsScreen())

    def action_rate(self) -> None:
        if isinstance(self.screen, PassingModal):
            self.screen.dismiss(None)
        if isinstance(self.screen, FormScreen):
            return
        highlighted = self.screen.highlighted_attempt if isinstance(self.screen, ShowsAttempt) else None
        if highlighted is not None and highlighted.status == Status.PLANNED:
            self.open_after(highlighted)
            return
        planned = self.journal.list_attempts(Status.PLANNED)
        if not planned:
            self.notify("Nothing is waiting to be rated. Press n to plan an attempt first.")
        elif len(planned) == 1:
            self.open_after(planned[0])
        else:
            self.run_worker(self._pick_planned(planned), group="dialog", exclusive=True)

    async def _pick_planned(self, planned: list[Attempt]) -> None:
        from rejection_tui.ui.screens.pickers import PlannedPicker

        attempt = await self.push_screen_wait(PlannedPicker(planned))
        if attempt is not None:
            self.open_after(attempt)

    def open_after(self, attempt: Attempt, *, edit: bool = False) -> None:
        from rejection_tui.ui.screens.after import AfterScreen

        if isinstance(self.screen, FormScreen):
            return
        self.push_screen(AfterScreen(attempt, edit=edit))

    @work(thread=True, group="export")
    def action_export(self, fmt: str) -> None:
        """Write an export beside the journal, owner-only, and say where."""
        from rejection_tui.storage.files import create_unique, ensure_dir
        from rejection_tui.storage.formats import export_path

        count = self.journal.count_attempts()
        text = self.journal.export_text(fmt, self.clock())
        planned = export_path(self.journal.path, fmt, self.clock().date())
        try:
            ensure_dir(planned.parent)
            # A second export the same day gets "-2": an earlier one is never replaced.
            target = create_unique(
                planned.parent, planned.stem, planned.suffix, text.encode("utf-8"), temp_for=planned
            )
        except OSError as error:
            reason = error.strerror or error
            self.notify(f"Could not write {planned}: {reason}", title="Not exported", severity="error")
            return
        what = (
            f"A full backup ({counted(count, 'attempt')}, your own challenges, the ladder and settings)"
            if fmt == "json"
            else counted(count, "attempt")
        )
        self.notify(
            f"{what} written to {target}. It is not encrypted: keep it somewhere private.",
            title="Exported",
            timeout=10,
        )

    def action_import_file(self) -> None:
        """Import a file (palette): ask for its path, then check it and merge it in a worker."""
        if isinstance(self.screen, PassingModal):
            self.screen.dismiss(None)
        if isinstance(self.screen, FormScreen):
            self.notify("Save or close this form first, then import.", title="Import")
            return
        # Not exclusive: a second import must never cancel the first half-way through its write.
        self.run_worker(self._import_file(), group="import")

    async def _import_file(self) -> None:
        from rejection_tui.storage.formats import ImportProblem, export_path, read_import_file
        from rejection_tui.ui.screens.prompt import PromptScreen

        exports = export_path(self.journal.path, "json", self.clock().date()).parent
        answer = await self.push_screen_wait(
            PromptScreen(
                "Import which file? A JSON backup or a CSV export: attempts merge by id, and your own "
                "ladder and settings are kept.",
                value=f"{exports}{os.sep}" if exports.is_dir() else "",
                check=lambda text: None if text.strip() else "Type the path of the file to import.",
            )
        )
        if answer is None:
            return
        path = Path(answer).expanduser()
        if path.is_dir():
            folder = f"{path} is a folder: give the file's name too."
            self.notify(folder, title="Not imported", severity="error")
            return
        theme, keymap = self.journal.get_setting("theme"), self.journal.get_setting("keymap")
        try:
            imported = await asyncio.to_thread(read_import_file, path)
            async with self.write_lock:  # after any save asked for before, never beside it
                result = await asyncio.to_thread(
                    self.journal.merge,
                    imported.attempts,
                    imported.unreadable,
                    validated=True,
                    backup=imported.backup,
                )
        except OSError as error:
            why = error.strerror or error
            self.notify(f"Could not read {path}: {why}", title="Not imported", severity="error", timeout=15)
            return
        except ImportProblem as problem:
            self.notify(
                f"Nothing imported from {path}: {problem}", title="Not imported", severity="error", timeout=20
            )
            return
        except (JournalError, ValidationError) as error:
            why = error.message if isinstance(error, JournalError) else " ".join(error.messages)
            self.notify(
                f"Nothing imported from {path}: {why}", title="Not imported", severity="error", timeout=20
            )
            return
        self.tell_notices()
        rows = counted(imported.rows, "row")
        lines = [
            f"From {path} ({rows} read): {result.summary(unreadable=bool(imported.unreadable))}.",
            *result.notes(),
        ]
        if result.carried:
            lines.append("The Dashboard lists the entries that cannot be read (!).")
        self.notify("\n".join(lines), title="Imported", timeout=20)
        # What the import brought: its theme and keys work at once, the screen shows its records.
        saved_theme = self.journal.get_setting("theme")
        if saved_theme != theme and isinstance(saved_theme, str) and saved_theme in self.available_themes:
            self.theme = saved_theme
        if self.journal.get_setting("keymap") != keymap:
            self.load_keymap()
        if isinstance(self.screen, SectionScreen):
            self.screen.refresh_data()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A dialog (welcome, confirm, picker, prompt) is answered first: going
        # elsewhere underneath it would leave it stranded on another section.
        # A card that only informs (the result) is closed by going on.
        dialog = isinstance(self.screen, ModalScreen) and not isinstance(self.screen, PassingModal)
        if (
            action in ("go", "new_attempt", "rate", "surprise", "export", "import_file", "practice_settings")
            and dialog
        ):
            return False
        # Quitting from a dialog over a form with typed work would skip the question.
        if (
            action == "quit"
            and dialog
            and any(isinstance(s, FormScreen) and s.dirty for s in self.screen_stack)
        ):
            return False
        # New/Rate make no sense while a form is already open: hide them.
        hidden_on_forms = ("new_attempt", "rate", "surprise", "practice_settings")
        return not (action in hidden_on_forms and isinstance(self.screen, FormScreen))

    # -- actions declared once (rejection_tui/ui/actions.py) ------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: every registry action, plus the Textual commands we keep."""
        return palette_commands(self, super().get_system_commands(screen))

    def load_keymap(self) -> None:
        """Apply the person's keymap (setting ``keymap``: binding id → keys).

        Entries that cannot be used are left out (their default keys stay)
        and named in one notification; nothing in the setting can crash the app.
        """
        from rejection_tui.ui.actions import KEYMAP_SETTING, parse_keymap

        raw = self.journal.get_setting(KEYMAP_SETTING)
        if not raw:
            return
        keymap, problems = parse_keymap(raw)
        self.set_keymap(keymap)
        self._check_keymap_ids(keymap, problems)

    @work(thread=True, group="keymap", exit_on_error=False)
    def _check_keymap_ids(self, keymap: dict[str, str], problems: list[str]) -> None:
        # Knowing every id means importing every screen: off the event loop.
        from rejection_tui.ui.keys import binding_ids

        known = binding_ids()
        unknown = [binding_id for binding_id in keymap if binding_id not in known]
        problems = problems + [f"{binding_id!r}: no key has this id" for binding_id in unknown]
        if not problems:
            return
        message = (
            "Left out of your keymap (the default keys still work):\n"
            + "\n".join(problems)
            + "\nSee: rejection-tui keymap"
        )
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            if unknown:
                known_only = {i: k for i, k in keymap.items() if i in known}
                self.call_from_thread(self.set_keymap, known_only)
            self.call_from_thread(self.notify, message, title="Keymap", timeout=15)

    def action_save_screenshot(self) -> None:
        """An SVG of the screen, owner-only, in exports/ beside the journal.

        Replaces Textual's palette command, which wrote a world-readable file
        to ~/Downloads: a screenshot shows titles, worries and notes.
        """
        # After the palette has closed, so the picture shows the screen itself.
        self.set_timer(0.1, self._save_screenshot)

    def _save_screenshot(self) -> None:
        from rejection_tui.storage.files import atomic_write, ensure_dir
        from rejection_tui.storage.formats import export_path

        moment = self.clock()
        folder = export_path(self.journal.path, "json", moment.date()).parent
        target = folder / f"{self.journal.path.stem}-screenshot-{moment:%Y-%m-%d-%H%M%S}.svg"
        try:
            ensure_dir(folder)
            atomic_write(target, self.export_screenshot().encode("utf-8"))
        except OSError as error:
            why = error.strerror or error
            self.notify(f"Could not write {target}: {why}", title="No screenshot", severity="error")
            return
        self.notify(
            f"Saved {target}. It is readable by you only and not encrypted: keep it somewhere private.",
            title="Screenshot",
            timeout=10,
        )
