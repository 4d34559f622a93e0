"""Bad input, cancelling, storage errors: the form keeps what was typed."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Challenge, Outcome
from rejection_tui.storage import files
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from rejection_tui.ui.screens.after import AfterScreen
from rejection_tui.ui.screens.before import BeforeScreen
from rejection_tui.ui.screens.challenge_form import ChallengeFormScreen
from rejection_tui.ui.screens.challenges import ChallengesScreen
from rejection_tui.ui.screens.confirm import ConfirmScreen
from rejection_tui.ui.screens.dashboard import DashboardScreen
from rejection_tui.ui.widgets.fields import ScoreField, TextField
from tests.conftest import NOW, planned
from tests.ui.conftest import AppFactory, saved_attempts, type_text, wait_until

TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")


async def open_before(app: RejectionApp, pilot: Pilot[None], fear: str = "", likely: str = "") -> None:
    """Open Before on "ask the time" and type the two numbers, when given."""
    app.open_before(TIME)
    await pilot.pause()
    if fear:
        await type_text(pilot, fear)
    if likely:
        await pilot.press("tab")
        await type_text(pilot, likely)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Fear must be a whole number from 0 to 100"),
        ("101", "Fear must be a whole number from 0 to 100"),
        ("12a", "Fear must be a whole number from 0 to 100"),
        ("4.5", "Fear must be a whole number from 0 to 100"),
    ],
)
async def test_bad_numbers_show_the_reason_beside_the_field_and_block_saving(
    make_app: AppFactory, journal_path: Path, typed: str, message: str
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_before(app, pilot)
        await type_text(pilot, typed)
        field = app.screen.query_one("#fear-before", ScoreField)
        error = field.query_one(".error")
        assert error.display and str(error.render()) == message
        await pilot.press("tab")
        await type_text(pilot, "50")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, BeforeScreen)  # still open, nothing written
        assert field.input.value == typed
    assert saved_attempts(journal_path) == []


async def test_missing_required_values_block_saving(make_app: AppFactory, journal_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_before(app, pilot)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, BeforeScreen)
    assert saved_attempts(journal_path) == []


async def test_plus_minus_and_arrows_step_by_five_and_show_the_anchor(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_before(app, pilot)
        field = app.screen.query_one("#fear-before", ScoreField)
        await type_text(pilot, "60")
        await pilot.press("plus", "plus", "right")
        assert field.input.value == "75"
        assert str(field.query_one(".hint").render()) == "75 — high"
        await pilot.press("minus", "left", "left", "left", "left", "left")
        assert field.input.value == "45"
        assert str(field.query_one(".hint").render()) == "45 — mild"
        await pilot.press(*["plus"] * 20)
        assert field.input.value == "100"


async def test_a_too_long_note_is_refused_with_the_reason(make_app: AppFactory, journal_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_before(app, pilot, "50", "50")
        note = app.screen.query_one("#worry", TextField)
        # Input's max_length stops typing at 2,000; a paste of more is cut too.
        note.input.value = "x" * 2000
        await pilot.pause()
        assert len(note.input.value) == 2000
        await pilot.press("ctrl+s")
    assert saved_attempts(journal_path)[0]["worry"] == "x" * 2000


async def test_escape_on_an_empty_form_just_closes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_before(app, pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_escape_with_typed_content_asks_before_discarding(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_before(app, pilot, "65")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, BeforeScreen)
        assert app.screen.query_one("#fear-before", ScoreField).input.value == "65"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, DashboardScreen)
    assert saved_attempts(journal_path) == []


async def test_global_keys_are_typed_into_text_fields_not_stolen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_before(app, pilot)
        await pilot.press("tab", "tab")
        await type_text(pilot, "dchgl? nrq")
        assert isinstance(app.screen, BeforeScreen)
        assert app.screen.query_one("#worry", TextField).input.value == "dchgl? nrq"


async def test_a_storage_error_is_shown_and_the_form_keeps_the_typing(
    make_app: AppFactory, journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_before(app, pilot, "55", "40")

        def disk_full(fd: int) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(files.os, "fsync", disk_full)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BeforeScreen)
        assert app.screen.query_one("#fear-before", ScoreField).input.value == "55"
        notices = [n.message for n in app._notifications]
        assert any("No space left on device" in m and "unchanged" in m for m in notices)
        monkeypatch.undo()
        await pilot.press("ctrl+s")  # space freed: the same form saves
        assert isinstance(app.screen, DashboardScreen)
    assert [a["fear_before"] for a in saved_attempts(journal_path)] == [55]


async def test_a_file_changed_on_disk_that_cannot_be_merged_is_not_overwritten(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        # A newer version's journal put in its place: it cannot be merged, so the save is refused.
        external = journal_path.read_bytes().replace(b'"schema_version": 2', b'"schema_version": 99')
        assert external != journal_path.read_bytes()
        journal_path.write_bytes(external)
        os.utime(journal_path, ns=(5, 5))
        await open_before(app, pilot, "55", "40")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, BeforeScreen)  # the typed form stays, nothing lost
        assert any("newer version of rejection-tui" in n.message for n in app._notifications)
    assert journal_path.read_bytes() == external


async def test_a_journal_changed_on_disk_by_a_sync_tool_is_merged_as_the_form_saves(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        external = json.loads(journal_path.read_text(encoding="utf-8"))
        external.setdefault("settings", {})["99"] = {
            "key": "theme", "value": "nord", "updated_at": "2026-11-20T17:00:00.000000+00:00",
            "updated_by": "0ther0device0000",
        }  # fmt: skip
        journal_path.write_text(json.dumps(external), encoding="utf-8")
        os.utime(journal_path, ns=(5, 5))
        await open_before(app, pilot, "55", "40")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, BeforeScreen))
        assert any("were merged" in n.message for n in app._notifications)
    saved = json.loads(journal_path.read_text(encoding="utf-8"))
    assert any(d["key"] == "theme" and d["value"] == "nord" for d in saved["settings"].values())
    assert [a["fear_before"] for a in saved["attempts"].values()] == [55]


async def test_save_and_rate_now_goes_straight_to_after(make_app: AppFactory, journal_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_before(app, pilot, "80", "90")
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, AfterScreen)
        focused = app.focused
        assert isinstance(focused, Input) and focused.parent is not None
        assert focused.parent.parent is not None and focused.parent.parent.id == "fear-after"
    assert saved_attempts(journal_path)[0]["status"] == "planned"


async def test_didnt_ask_is_recorded_kindly_with_a_smaller_step(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(planned(TIME, fear=70)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await type_text(pilot, "80")
        await pilot.press("tab", "down", "down", "down", "enter")
        await pilot.press("ctrl+s")
        message = app.screen.message  # type: ignore[attr-defined]
        assert message.startswith("You didn't ask this time, and that's recorded without judgement")
        assert "A smaller step could help next time" in message
        assert "fail" not in message.lower()
    assert saved_attempts(journal_path)[0]["outcome"] == "not_asked"


async def test_after_needs_an_outcome(make_app: AppFactory, journal_path: Path) -> None:
    app = make_app(setup=lambda j: j.add_attempt(planned(TIME)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await type_text(pilot, "30")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, AfterScreen)
        assert any("Choose what happened" in n.message for n in app._notifications)
    assert saved_attempts(journal_path)[0]["status"] == "planned"


async def test_several_planned_open_a_picker(make_app: AppFactory, journal_path: Path) -> None:
    def two(j: Journal) -> None:
        j.add_attempt(planned(TIME, fear=10, at=NOW - timedelta(hours=2)))
        j.add_attempt(planned(builtin_challenges()[-1], fear=90, at=NOW - timedelta(hours=1)))

    app = make_app(setup=two)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        from rejection_tui.ui.screens.pickers import PlannedPicker

        assert isinstance(app.screen, PlannedPicker)
        await pilot.press("down", "enter")
        assert isinstance(app.screen, AfterScreen)
        # Newest first: the second planned (fear 90) is listed first, so down picks fear 10.
        assert app.screen.attempt.fear_before == 10


async def test_rate_with_nothing_planned_explains(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, DashboardScreen)
        assert any("Nothing is waiting to be rated" in n.message for n in app._notifications)


async def test_a_save_runs_in_a_worker_keys_typed_meanwhile_land_on_the_form(
    make_app: AppFactory, journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    gate = threading.Event()
    calls: list[object] = []
    real_add = Journal.add_attempt

    def slow_add(self: Journal, attempt: object) -> object:
        calls.append(attempt)
        assert gate.wait(10), "the test never opened the gate"
        return real_add(self, attempt)  # type: ignore[arg-type]

    monkeypatch.setattr(Journal, "add_attempt", slow_add)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_before(app, pilot, "60", "40")
        form = app.screen
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(calls))
        # The disk write is stuck, yet the form answers keys and says why.
        assert form.sub_title == "Saving…"
        focused = app.focused
        await pilot.press("tab")
        assert app.screen is form and app.focused is not focused  # the key landed on the form
        await pilot.press("ctrl+s")  # a second save is refused while one runs
        assert "ctrl+s" not in {b.key for b in app.active_bindings.values() if b.binding.action == "save"}
        gate.set()
        await wait_until(pilot, lambda: not isinstance(app.screen, BeforeScreen))
        # Keys after the save reach the screen the person now sees.
        await pilot.press("h")
        assert app.current_mode == "history"
    assert len(calls) == 1
    assert [a["fear_before"] for a in saved_attempts(journal_path)] == [60]


async def test_section_keys_wait_while_a_dialog_is_open(make_app: AppFactory) -> None:
    app = make_app(welcomed=False)
    async with app.run_test(size=(100, 30)) as pilot:
        from rejection_tui.ui.screens.welcome import WelcomeScreen

        await pilot.press("h", "g", "l")  # keys the welcome doesn't name wait
        assert isinstance(app.screen, WelcomeScreen) and app.current_mode == "dashboard"
        await pilot.press("enter")
        await open_before(app, pilot, "50")
        await pilot.press("escape")  # typed content: asks first
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("h")
        assert isinstance(app.screen, ConfirmScreen) and app.current_mode == "dashboard"
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, BeforeScreen)


async def test_q_on_a_half_filled_after_form_asks_and_keeping_keeps_every_value(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(planned(TIME, fear=70)))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        form = app.screen
        assert isinstance(form, AfterScreen)
        await type_text(pilot, "35")
        await pilot.press("tab", "enter")  # focus on the outcome radios: "rejected"
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)  # it asks instead of quitting
        assert app.return_code is None
        await pilot.press("n")  # keep editing
        assert app.screen is form
        assert form.query_one("#fear-after", ScoreField).input.value == "35"
        outcome = next(b for b in form.query("#outcome RadioButton") if b.value)
        assert outcome.name == "rejected"
        # The same question for ctrl+q, Textual's own quit key, and a section key.
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.press("h")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # discard, then go
        await wait_until(pilot, lambda: app.current_mode == "history")
    assert [a["status"] for a in saved_attempts(journal_path)] == ["planned"]


async def test_q_on_an_untouched_form_quits_at_once(make_app: AppFactory) -> None:
    app = make_app(setup=lambda j: j.add_attempt(planned(TIME, fear=70)))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r", "tab")  # focus leaves the text box: q is a key, not a letter
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running)


@pytest.mark.parametrize("which", ["planned", "done"])
async def test_escape_on_an_untouched_attempt_edit_form_closes_without_asking(
    make_app: AppFactory, which: str
) -> None:
    attempt = planned(TIME, fear=70)
    if which == "done":
        attempt = attempt.rate(fear_after=30, outcome=Outcome.REJECTED, lesson="fine", now=NOW)

    app = make_app(setup=lambda j: j.add_attempt(attempt))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h", "e")
        assert isinstance(app.screen, BeforeScreen if which == "planned" else AfterScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.current_mode == "history" and app.screen.id != "confirm")
        assert not isinstance(app.screen, ConfirmScreen | BeforeScreen | AfterScreen)


async def test_escape_on_untouched_challenge_forms_closes_without_asking(make_app: AppFactory) -> None:
    custom = Challenge("custom-mine", "My own ask", 3, "small_talk", tip="smile", source="custom")
    app = make_app(setup=lambda j: j.add_challenge(custom))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("c", "a")
        assert isinstance(app.screen, ChallengeFormScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChallengesScreen))
        app.screen.query_one("#search", Input).value = "My own ask"
        await pilot.pause()
        await pilot.press("e")
        assert isinstance(app.screen, ChallengeFormScreen) and app.screen.challenge == custom
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChallengesScreen))
        # Typing and then typing it back is not a change either.
        await pilot.press("a")
        await type_text(pilot, "x")
        await pilot.press("backspace", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ChallengesScreen))


async def test_a_section_key_on_the_result_card_closes_it_and_goes_there(
    make_app: AppFactory, journal_path: Path
) -> None:
    from rejection_tui.ui.screens.result import ResultScreen

    app = make_app(setup=lambda j: j.add_attempt(planned(TIME, fear=70)))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        await type_text(pilot, "30")
        await pilot.press("tab", "enter", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen))
        await pilot.press("h")  # no extra enter needed first
        assert app.current_mode == "history" and not isinstance(app.screen, ResultScreen)
    assert [a["status"] for a in saved_attempts(journal_path)] == ["done"]


async def test_help_opens_over_a_form_and_escape_returns_to_it_intact(make_app: AppFactory) -> None:
    from rejection_tui.ui.screens.help import HelpOverForm

    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_before(app, pilot, "60", "40")
        form = app.screen
        await pilot.press("f1")
        assert isinstance(app.screen, HelpOverForm)
        await pilot.press("escape")
        assert app.screen is form
        assert form.query_one("#fear-before", ScoreField).input.value == "60"
        assert form.query_one("#p-rejection", ScoreField).input.value == "40"
        # A section key from the help still asks before the form is left.
        await pilot.press("f1", "h")
        assert isinstance(app.screen, ConfirmScreen)


async def test_the_before_form_shows_the_challenges_kindness_note(make_app: AppFactory) -> None:
    photo = next(c for c in builtin_challenges() if c.id == "photo-together")
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        app.open_before(photo)
        await pilot.pause()
        card = str(app.screen.query_one(".challenge-card").render())
        assert "Be kind:" in card and "Don't post it anywhere without their" in card


async def test_a_superscript_two_in_a_level_or_a_goal_is_refused_not_a_crash(make_app: AppFactory) -> None:
    from textual.widgets import Label

    from tests.ui.test_ladder import a_ladder

    app = make_app(setup=a_ladder)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("c", "a")
        await type_text(pilot, "Ask the baker for a roll")
        await pilot.press("tab", "backspace")
        await pilot.press("²")  # a key of its own on French keyboards
        assert app.is_running
        assert "Level must be a whole number" in str(app.screen.query_one("#level-error", Label).render())
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ChallengeFormScreen)  # refused, still editing
        await pilot.press("escape", "y", "l", "w", "backspace", "²", "enter")
        assert app.is_running and app.screen.query_one("#prompt-error", Label).render()


async def test_typing_into_a_note_that_already_holds_text_adds_to_it(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(planned(TIME, fear=70, note="plan note")))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        form = app.screen
        note = form.query_one("#after-note", TextField).input
        note.focus()
        await pilot.pause()
        await type_text(pilot, " more")
        assert note.value == "plan note more"


async def test_edit_forms_say_what_they_edit_in_the_header(make_app: AppFactory) -> None:
    attempt = planned(TIME, fear=70).rate(fear_after=30, outcome=Outcome.REJECTED, now=NOW)
    app = make_app(setup=lambda j: j.add_attempt(attempt))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h", "e")
        assert isinstance(app.screen, AfterScreen) and app.screen.sub_title == "Edit attempt"


async def test_a_rating_from_the_shell_while_after_is_open_is_not_overwritten_without_asking(
    make_app: AppFactory, journal_path: Path
) -> None:
    from rejection_tui.storage.inbox import RATE, Entry, hand_in, inbox_dir

    plan = planned(TIME, fear=70)
    app = make_app(setup=lambda j: j.add_attempt(plan))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await type_text(pilot, "30")
        await pilot.press("tab", "enter")  # rejected
        # Meanwhile, on the street: `rejection-tui rate --fear-after 10 --outcome accepted`.
        from_shell = plan.rate(fear_after=10, outcome=Outcome.ACCEPTED, lesson="typed on my phone", now=NOW)
        hand_in(journal_path, Entry(RATE, from_shell))
        app.check_inbox()
        await wait_until(pilot, lambda: app.journal.get_attempt(plan.id) == from_shell)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "expected 70 → felt 10 — accepted" in app.screen.question  # type: ignore[attr-defined]
        await pilot.press("n")  # back to the form: nothing was saved, nothing typed is lost
        await wait_until(pilot, lambda: isinstance(app.screen, AfterScreen))
        assert saved_attempts(journal_path)[0]["lesson"] == "typed on my phone"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Learned: typed on my phone" in app.screen.question  # type: ignore[attr-defined]
        await pilot.press("y")  # save mine
        await wait_until(pilot, lambda: saved_attempts(journal_path)[0]["fear_after"] == 30)
    assert saved_attempts(journal_path)[0]["outcome"] == "rejected"
    # The version saved over is kept, whole, where the app said.
    (kept,) = inbox_dir(journal_path).glob("*-replaced.json.kept")
    assert Entry.from_bytes(kept.read_bytes()).attempt == from_shell


async def test_editing_the_before_of_an_ask_rated_from_the_shell_meanwhile_asks_first(
    make_app: AppFactory, journal_path: Path
) -> None:
    from rejection_tui.storage.inbox import RATE, Entry, hand_in

    plan = planned(TIME, fear=70)
    app = make_app(setup=lambda j: j.add_attempt(plan))
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_before(TIME, plan)
        await pilot.pause()
        await pilot.press("backspace", "backspace")  # the 70 it was planned with
        await type_text(pilot, "50")
        hand_in(journal_path, Entry(RATE, plan.rate(fear_after=10, outcome=Outcome.ACCEPTED, now=NOW)))
        app.check_inbox()
        await wait_until(pilot, lambda: app.journal.get_attempt(plan.id) != plan)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, BeforeScreen))
    assert saved_attempts(journal_path)[0]["status"] == "done"  # the shell's rating stays
