"""Deeper practice in the forms (issue 16): the After form's optional section, the forecast
sentence on the result card, and the "because" tip before a small ask."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Checkbox, Collapsible, Input, Static
from textual.widgets._collapsible import CollapsibleTitle
from textual.widgets._footer import FooterKey

from rejection_tui.domain.after_no import AFTER_NO_LABELS, BECAUSE_HINT, NO_BECAME_YES_LABEL, AfterNo
from rejection_tui.domain.contexts import contexts_from, split_tags
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.ui.app import RejectionApp
from rejection_tui.ui.screens.after import AfterScreen, result_forecast
from rejection_tui.ui.screens.before import BeforeScreen
from rejection_tui.ui.screens.result import ResultScreen
from rejection_tui.ui.widgets.fields import ScoreField, TextField
from tests.conftest import NOW, planned
from tests.ui.conftest import AppFactory, saved_attempts, type_text, wait_until

TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")  # level 2
UPGRADE = next(c for c in builtin_challenges() if c.id == "ask-upgrade")  # level 6


def a_planned_ask(*, worry_cost: int | None = None) -> Attempt:
    return planned(TIME, fear=70, worry="they look annoyed", worry_cost=worry_cost)


async def open_after(pilot: Pilot[Any], fear: str = "35", *, rejected: bool = True) -> AfterScreen:
    """r on the one planned ask, the felt fear typed and (with ``rejected``) "Rejected" chosen."""
    await pilot.press("r")
    screen = pilot.app.screen
    assert isinstance(screen, AfterScreen)
    await type_text(pilot, fear)
    if rejected:
        await pilot.press("tab", "enter")  # the outcomes: the first is "Rejected"
    return screen


async def unfold(pilot: Pilot[Any]) -> None:
    """The section's title focused, and enter: as a person opens it."""
    pilot.app.screen.query_one("#more CollapsibleTitle", CollapsibleTitle).focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: not pilot.app.screen.query_one("#more", Collapsible).collapsed)


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector)
    field.query_one(Input).focus()
    await type_text(pilot, text)


def checkbox(app: RejectionApp, label: str) -> Checkbox:
    return next(box for box in app.screen.query(Checkbox) if str(box.label) == label)


async def tick(pilot: Pilot[Any], label: str) -> None:
    checkbox(pilot.app, label).focus()  # type: ignore[arg-type]
    await pilot.press("space")


def hint(app: RejectionApp, selector: str) -> str:
    return str(app.screen.query_one(selector, ScoreField).query_one(".hint", Static).render())


def after_no_shown(app: RejectionApp) -> bool:
    return app.screen.query_one("#after-no").display


# -- the optional section ---------------------------------------------------


async def test_the_optional_answers_are_saved_and_the_card_says_how_the_forecast_moved(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(a_planned_ask(worry_cost=60)))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_after(pilot)
        assert app.screen.query_one("#more", Collapsible).collapsed
        await unfold(pilot)
        # What was said before, beside the new answer.
        assert "you feared 60" in hint(app, "#cost-actual")
        assert "before, you said 50 %" in hint(app, "#p-rejection-next")
        await type_into(pilot, "#surprise", "80")
        await type_into(pilot, "#cost-actual", "20")
        await type_into(pilot, "#p-rejection-next", "30")
        await tick(pilot, "Phone")
        await type_into(pilot, "#tags", "café, a neighbour,, café")
        await tick(pilot, AFTER_NO_LABELS[AfterNo.TRIED_SOMEONE_ELSE])
        await tick(pilot, AFTER_NO_LABELS[AfterNo.ASKED_WHY])
        await tick(pilot, NO_BECAME_YES_LABEL)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen))
        card = str(app.screen.query_one("#result-message", Static).render())
        assert "You expected a 50 % chance of a no and heard a no; next time you'd say 30 %." in card
    [saved] = saved_attempts(journal_path)
    assert saved["status"] == "done" and saved["outcome"] == "rejected"
    assert (saved["surprise"], saved["cost_actual"], saved["p_rejection_next"]) == (80, 20, 30)
    assert saved["contexts"] == ["phone", "café", "a neighbour"]
    assert saved["after_no"] == ["asked_why", "tried_someone_else"]  # stored in their own order
    assert saved["no_became_yes"] is True


async def test_left_folded_nothing_extra_is_saved_and_the_card_has_no_forecast_sentence(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(a_planned_ask()))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_after(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen))
        card = str(app.screen.query_one("#result-message", Static).render())
        assert "chance of a no" not in card and "next time you'd" not in card
    [saved] = saved_attempts(journal_path)
    assert saved["status"] == "done"
    for key in ("surprise", "cost_actual", "p_rejection_next", "contexts", "after_no", "no_became_yes"):
        assert key not in saved


async def test_the_after_no_choices_show_only_for_a_no_and_clear_when_the_outcome_changes(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(a_planned_ask()))
    async with app.run_test(size=(100, 40)) as pilot:
        await open_after(pilot, rejected=False)
        await unfold(pilot)
        assert not after_no_shown(app)  # no outcome chosen yet
        outcomes = app.screen.query_one("#outcome")
        outcomes.focus()
        await pilot.press("enter")  # "Rejected"
        await wait_until(pilot, lambda: after_no_shown(app))
        await tick(pilot, AFTER_NO_LABELS[AfterNo.GAVE_REASON])
        await tick(pilot, NO_BECAME_YES_LABEL)
        assert checkbox(app, NO_BECAME_YES_LABEL).value
        outcomes.focus()
        await pilot.press("down", "enter")  # "Accepted"
        await wait_until(pilot, lambda: not after_no_shown(app))
        labels = [*AFTER_NO_LABELS.values(), NO_BECAME_YES_LABEL]
        assert not any(checkbox(app, label).value for label in labels)
        outcomes.focus()
        await pilot.press("up", "enter")  # back to "Rejected": shown again, and empty
        await wait_until(pilot, lambda: after_no_shown(app))
        assert not any(checkbox(app, label).value for label in labels)
        outcomes.focus()
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: not after_no_shown(app))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen))
    [saved] = saved_attempts(journal_path)
    assert saved["outcome"] == "accepted"
    assert "after_no" not in saved and "no_became_yes" not in saved


async def test_a_save_right_after_choosing_another_outcome_keeps_no_after_no_choices(
    make_app: AppFactory, journal_path: Path
) -> None:
    # The save reads the outcome from the buttons, not from the section's display.
    app = make_app(setup=lambda j: j.add_attempt(a_planned_ask()))
    async with app.run_test(size=(100, 40)) as pilot:
        await open_after(pilot)
        await unfold(pilot)
        await tick(pilot, AFTER_NO_LABELS[AfterNo.ASKED_WHY])
        app.screen.query_one("#outcome").focus()
        await pilot.press("down", "enter", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen))
    [saved] = saved_attempts(journal_path)
    assert saved["outcome"] == "accepted" and "after_no" not in saved


def a_rated_ask_with_more() -> Attempt:
    rated = a_planned_ask(worry_cost=60).rate(fear_after=30, outcome=Outcome.REJECTED, now=NOW)
    return replace(
        rated,
        surprise=75,
        cost_actual=15,
        p_rejection_next=35,
        contexts=("in person", "the bakery", "Main St, north end"),
        after_no=("gave_reason",),
        no_became_yes=True,
    ).validated()


async def test_editing_a_rated_ask_shows_its_saved_answers_with_the_section_open(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(a_rated_ask_with_more()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h", "e")
        assert isinstance(app.screen, AfterScreen) and app.screen.edit
        assert not app.screen.query_one("#more", Collapsible).collapsed
        values = {
            selector: app.screen.query_one(selector, ScoreField).input.value
            for selector in ("#surprise", "#cost-actual", "#p-rejection-next")
        }
        assert values == {"#surprise": "75", "#cost-actual": "15", "#p-rejection-next": "35"}
        tags = app.screen.query_one("#tags", TextField).input.value
        assert tags == "the bakery, Main St, north end"
        assert checkbox(app, "In person").value and not checkbox(app, "Phone").value
        assert after_no_shown(app)
        assert checkbox(app, AFTER_NO_LABELS[AfterNo.GAVE_REASON]).value
        assert not checkbox(app, AFTER_NO_LABELS[AfterNo.ASKED_WHY]).value
        assert checkbox(app, NO_BECAME_YES_LABEL).value
        assert not app.screen.dirty  # shown as saved: nothing to discard yet
        await type_into(pilot, "#surprise", "")  # the person changes one answer: 75, down by 15
        await pilot.press("minus", "minus", "minus")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, AfterScreen))
    [saved] = saved_attempts(journal_path)
    assert (saved["surprise"], saved["cost_actual"], saved["p_rejection_next"]) == (60, 15, 35)
    # Left as shown, a tag typed in the shell with a comma in it stays one tag.
    assert saved["contexts"] == ["in person", "the bakery", "Main St, north end"]
    assert saved["after_no"] == ["gave_reason"] and saved["no_became_yes"] is True


async def test_editing_a_no_into_a_yes_drops_the_after_no_choices_from_the_file(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(a_rated_ask_with_more()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h", "e")
        assert isinstance(app.screen, AfterScreen)
        app.screen.query_one("#outcome").focus()
        await pilot.press("down", "enter")  # a yes after all
        await wait_until(pilot, lambda: not after_no_shown(app))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, AfterScreen))
    [saved] = saved_attempts(journal_path)
    assert saved["outcome"] == "accepted"
    # Left in the file, they would make the attempt unreadable (they go only with a no).
    assert "after_no" not in saved and "no_became_yes" not in saved
    assert (saved["surprise"], saved["cost_actual"], saved["p_rejection_next"]) == (75, 15, 35)


async def test_editing_a_rated_ask_without_them_keeps_the_section_folded(make_app: AppFactory) -> None:
    rated = a_planned_ask().rate(fear_after=30, outcome=Outcome.REJECTED, now=NOW)
    app = make_app(setup=lambda j: j.add_attempt(rated))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h", "e")
        assert isinstance(app.screen, AfterScreen)
        assert app.screen.query_one("#more", Collapsible).collapsed


async def test_a_wrong_number_in_the_folded_section_opens_it_and_is_shown_beside_the_field(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(a_planned_ask()))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_after(pilot)
        await unfold(pilot)
        await type_into(pilot, "#surprise", "150")
        app.screen.query_one("#more", Collapsible).collapsed = True  # folded again before saving
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not app.screen.query_one("#more", Collapsible).collapsed)
        error = app.screen.query_one("#surprise", ScoreField).query_one(".error", Static)
        assert error.display and "How surprised you were" in str(error.render())
        surprise = app.screen.query_one("#surprise", ScoreField).input
        await wait_until(pilot, lambda: app.focused is surprise)
        assert isinstance(app.screen, AfterScreen)
        assert any("How surprised you were" in n.message for n in app._notifications)
    assert saved_attempts(journal_path)[0]["status"] == "planned"


async def test_too_many_tags_are_refused_beside_the_field(make_app: AppFactory, journal_path: Path) -> None:
    app = make_app(setup=lambda j: j.add_attempt(a_planned_ask()))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_after(pilot)
        await unfold(pilot)
        await type_into(pilot, "#tags", ",".join(str(n) for n in range(11)))
        error = app.screen.query_one("#tags", TextField).query_one(".error", Static)
        assert error.display and "At most 10 tags" in str(error.render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AfterScreen)
    assert saved_attempts(journal_path)[0]["status"] == "planned"


def test_tags_are_split_on_commas_tidied_and_kept_once() -> None:
    assert split_tags(" café ,, a   neighbour ,") == ["café", "a neighbour"]
    assert contexts_from(["phone"], ["Phone", "Café", "café", "work"]) == ("phone", "Café", "work")
    assert contexts_from([], []) == ()


# -- the result card ---------------------------------------------------------


def test_the_forecast_sentence_needs_both_forecasts_and_never_comes_from_a_retro_entry() -> None:
    rated = a_planned_ask().rate(fear_after=30, outcome=Outcome.ACCEPTED, now=NOW)
    assert result_forecast(rated) is None  # no forecast for next time
    updated = replace(rated, p_rejection_next=20)
    assert result_forecast(updated) == (
        "You expected a 50 % chance of a no and heard a yes; next time you'd say 20 %."
    )
    assert result_forecast(replace(updated, p_rejection=None)) is None
    assert result_forecast(replace(updated, retro=True)) is None


# -- the Before form's "because" tip -----------------------------------------


async def test_the_because_tip_shows_before_a_small_ask_and_not_a_bigger_one(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        for challenge, shown in ((TIME, True), (UPGRADE, False)):
            app.open_before(challenge)
            await wait_until(pilot, lambda: bool(app.screen.query(".challenge-card")))
            assert isinstance(app.screen, BeforeScreen)
            card = str(app.screen.query_one(".challenge-card", Static).render())
            assert (BECAUSE_HINT in card) is shown, challenge.level
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, BeforeScreen))


# -- 80×24: the required answers need no scrolling ----------------------------


async def test_at_80x24_the_required_answers_and_the_save_key_are_on_screen_without_scrolling(
    make_app: AppFactory,
) -> None:
    app = make_app(setup=lambda j: j.add_attempt(a_planned_ask(worry_cost=60)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_after(pilot, rejected=False)
        await pilot.pause()
        form = screen.query_one(".form")
        assert form.scroll_y == 0
        visible = form.content_region
        for selector in ("#fear-after", "#outcome-question", "#outcome"):
            region = screen.query_one(selector).region
            assert region.height > 0 and visible.contains_region(region), selector
        save = [key for key in screen.query(FooterKey) if key.action == "save"]
        assert save and save[0].region.height == 1 and screen.region.contains_region(save[0].region)
        assert "Save" in str(save[0].render())


async def settle(pilot: Pilot[Any]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_the_after_form_at_80x24_with_the_optional_section_folded(
    make_app: AppFactory, snap_compare: Any
) -> None:
    async def fill(pilot: Pilot[Any]) -> None:
        await open_after(pilot)
        await settle(pilot)

    app = make_app(setup=lambda j: j.add_attempt(a_planned_ask(worry_cost=60)))
    assert snap_compare(app, run_before=fill, terminal_size=(80, 24))


def test_the_after_form_at_80x24_ends_with_the_folded_section(
    make_app: AppFactory, snap_compare: Any
) -> None:
    async def fill(pilot: Pilot[Any]) -> None:
        await open_after(pilot)
        pilot.app.screen.query_one(".form").scroll_end(animate=False)
        await settle(pilot)

    app = make_app(setup=lambda j: j.add_attempt(a_planned_ask(worry_cost=60)))
    assert snap_compare(app, run_before=fill, terminal_size=(80, 24))


def test_the_attempt_detail_shows_every_deeper_practice_answer_given() -> None:
    """Found by the new-user walk: History's detail left them all out."""
    from dataclasses import replace as changed

    from rejection_tui.ui.screens.attempt_detail import describe

    base = planned(TIME, fear=60).rate(fear_after=30, outcome=Outcome.REJECTED, now=NOW)
    full = changed(
        base, worry_cost=70, surprise=80, cost_actual=20, p_rejection_next=30, contexts=("phone", "[b]café"),
        after_no=("asked_why",), no_became_yes=True, replay=65, replay_note="I was [i]brave",
    ).validated()  # fmt: skip
    text = describe(full).plain
    for shown in (
        "Surprised", "80", "How bad, really", "20 (you feared 70)", "Next time, a no", "30 %",
        "phone, [b]café", "I asked why", "the no became a yes", "65 (the day after)", "I was [i]brave",
    ):  # fmt: skip
        assert shown in text, shown
    assert "Surprised" not in describe(base).plain and "Gone over it" not in describe(base).plain
