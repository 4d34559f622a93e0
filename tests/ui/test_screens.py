"""Dashboard, first run, challenges, history filters, help, palette, theme."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable, Input, Markdown, OptionList, Select, Static

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Outcome
from rejection_tui.locations import device_id
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.stamps import stamp
from rejection_tui.ui.screens.before import BeforeScreen
from rejection_tui.ui.screens.challenge_form import ChallengeFormScreen
from rejection_tui.ui.screens.challenges import ChallengesScreen
from rejection_tui.ui.screens.charts import ChartsScreen
from rejection_tui.ui.screens.dashboard import DashboardScreen
from rejection_tui.ui.screens.help import HelpScreen
from rejection_tui.ui.screens.history import HistoryScreen
from rejection_tui.ui.screens.ladder import LadderScreen
from rejection_tui.ui.screens.welcome import WelcomeScreen
from tests.conftest import NOW, done, planned
from tests.ui.conftest import AppFactory, type_text, wait_until, written

TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")


def text_of(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def some_history(journal: Journal) -> None:
    for days_ago, (before, after, outcome) in enumerate(
        [(70, 40, Outcome.REJECTED), (60, 30, Outcome.ACCEPTED), (50, 50, Outcome.REJECTED)]
    ):
        journal.add_attempt(
            done(TIME, before=before, after=after, outcome=outcome, at=NOW - timedelta(days=days_ago))
        )
    journal.add_attempt(planned(builtin_challenges()[0], fear=45, at=NOW))


async def test_first_run_welcome_once(make_app: AppFactory, journal_path: Path) -> None:
    app = make_app(welcomed=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        assert str(journal_path) in text_of(app, "#welcome-path")
        assert "not therapy" in text_of(app, "#welcome-text")
        await pilot.press("enter")
        assert isinstance(app.screen, DashboardScreen)
    app = make_app(welcomed=False)
    async with app.run_test(size=(80, 24)):
        assert isinstance(app.screen, DashboardScreen)


async def test_dashboard_empty_state(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert app.screen.title == "Dashboard"
        assert "Nothing recorded yet" in text_of(app, "#recent")
        assert "0 / 3" in text_of(app, "#week")
        assert "level 1" in text_of(app, "#suggestion")


async def test_dashboard_with_data(make_app: AppFactory) -> None:
    app = make_app(setup=some_history)
    async with app.run_test(size=(100, 30)):
        recent = text_of(app, "#recent")
        assert "Ask a stranger for the time — expected 70 → felt 40 — rejected" in recent
        assert recent.count("•") == 3
        assert "3 / 3" in text_of(app, "#week")  # NOW is a Friday; all three this week
        assert text_of(app, "#streak").startswith("3")
        assert text_of(app, "#rejections").startswith("2")
        assert "Waiting to be rated (1)" in text_of(app, "#planned")


async def test_dashboard_refreshes_after_saving(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # start the suggested challenge
        assert isinstance(app.screen, BeforeScreen)
        await type_text(pilot, "40")
        await pilot.press("tab")
        await type_text(pilot, "50")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, DashboardScreen)
        assert "Waiting to be rated (1)" in text_of(app, "#planned")


async def test_every_section_key_has_its_titled_screen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for key, screen_type, title in [
            ("c", ChallengesScreen, "Challenges"),
            ("h", HistoryScreen, "History"),
            ("g", ChartsScreen, "Charts"),
            ("l", LadderScreen, "Ladder"),
            ("question_mark", HelpScreen, "Help"),
            ("f1", HelpScreen, "Help"),
            ("d", DashboardScreen, "Dashboard"),
        ]:
            await pilot.press(key)
            assert isinstance(app.screen, screen_type) and app.screen.title == title
        await pilot.press("c", "escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_n_from_the_dashboard_opens_a_searchable_picker(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await type_text(pilot, "raise")
        await pilot.press("enter")
        assert isinstance(app.screen, BeforeScreen)
        assert app.screen.challenge.id == "ask-for-raise"


async def test_help_lists_every_key_from_the_bindings(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        source = app.screen.query_one(Markdown).source
        for key in (
            "`d`",
            "`c`",
            "`n`",
            "`r`",
            "`h`",
            "`g`",
            "`l`",
            "`? / f1`",
            "`q`",
            "`esc`",
            "`^p`",
        ):
            assert key in source
        assert "self-help, not therapy" in source


async def test_every_action_is_a_palette_command(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "History")
        results = app.screen.query_one(OptionList)
        await wait_until(pilot, lambda: results.option_count > 0)  # the palette searches in a worker
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_the_chosen_theme_is_remembered(make_app: AppFactory, journal_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    saved = json.loads(journal_path.read_text(encoding="utf-8"))["settings"]
    # Stamped as saved now on this device (schema 2, issue 15).
    theme = {"key": "theme", "value": "nord", "updated_at": stamp(NOW), "updated_by": device_id()}
    assert [doc for doc in saved.values() if doc["key"] == "theme"] == [theme]
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert app.theme == "nord"


async def test_challenges_filter_by_search_category_and_level(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        screen = app.screen
        assert isinstance(screen, ChallengesScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == len(builtin_challenges())
        screen.query_one("#category", Select).value = "work"
        screen.query_one("#levels", Select).value = "7-10"
        await pilot.pause()
        shown = [screen.journal.find_challenge(str(k.value)) for k in table.rows]
        assert shown and all(c is not None and c.category == "work" and c.level >= 7 for c in shown)
        screen.query_one("#search", Input).value = "raise"
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("s")  # sort hardest first: no crash, same single row
        assert table.row_count == 1


async def test_detail_pane_shows_tip_safety_and_history(make_app: AppFactory) -> None:
    app = make_app(setup=some_history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "slash")
        await type_text(pilot, "for the time")
        await pilot.press("enter")
        detail = text_of(app, "#detail-text")
        assert "Pick someone who isn't rushing" in detail
        assert "done 3× · expected 60 on average → felt 40" in detail
        await pilot.press("slash", *["backspace"] * 12)
        await type_text(pilot, "borrow a stranger")
        await pilot.press("enter")
        assert "hand it straight back" in text_of(app, "#detail-text")


async def test_add_edit_archive_a_custom_challenge(make_app: AppFactory, journal_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "a")
        assert isinstance(app.screen, ChallengeFormScreen)
        await pilot.press("ctrl+s")  # empty title: refused
        assert isinstance(app.screen, ChallengeFormScreen)
        await type_text(pilot, "Ask the baker for a roll")
        await pilot.press("tab", "backspace")
        await type_text(pilot, "12")
        await pilot.press("ctrl+s")  # level 12: refused
        assert isinstance(app.screen, ChallengeFormScreen)
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "4")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ChallengesScreen)
        mine = app.screen.highlighted_challenge
        assert mine is not None and mine.title == "Ask the baker for a roll" and mine.level == 4
        stored = json.loads(journal_path.read_text(encoding="utf-8"))["challenges"]
        assert [c["title"] for c in stored.values()] == ["Ask the baker for a roll"]

        await pilot.press("e")
        await pilot.press("end")
        await type_text(pilot, " please")
        await pilot.press("ctrl+s")
        assert app.screen.highlighted_challenge.title == "Ask the baker for a roll please"

        await pilot.press("x", "y")
        stored = json.loads(journal_path.read_text(encoding="utf-8"))["challenges"]
        assert [c["archived"] for c in stored.values()] == [True]
        assert all(c.id != mine.id for c in app.screen.matching())


async def test_builtin_challenges_cannot_be_edited(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "e")
        assert isinstance(app.screen, ChallengesScreen)
        assert any("can't be edited" in n.message for n in app._notifications)


async def test_history_filters_and_empty_state(make_app: AppFactory) -> None:
    app = make_app(setup=some_history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        screen = app.screen
        table = screen.query_one(DataTable)
        assert table.row_count == 4
        screen.query_one("#outcome", Select).value = "planned"
        await pilot.pause()
        assert table.row_count == 1 and "planned" in str(table.get_row_at(0)[5])
        screen.query_one("#outcome", Select).value = "rejected"
        await pilot.pause()
        assert table.row_count == 2
        screen.query_one("#search", Input).value = "no such words"
        await pilot.pause()
        assert table.row_count == 0
        assert "Nothing matches" in text_of(app, "#empty")


async def test_history_rates_a_highlighted_planned_attempt(make_app: AppFactory) -> None:
    app = make_app(setup=some_history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        app.screen.query_one("#outcome", Select).value = "planned"
        await pilot.pause()
        app.screen.query_one(DataTable).focus()
        await pilot.press("r")
        from rejection_tui.ui.screens.after import AfterScreen

        assert isinstance(app.screen, AfterScreen) and app.screen.attempt.fear_before == 45


async def test_help_lists_each_screens_own_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f1")
        source = app.screen.query_one(Markdown).source
        for expected in (
            "| Ladder |",
            "`z` Plan a rest day",
            "| Charts |",
            "`t` Time range",
            "`^r` Save & rate now",
            "`u` Undo delete",
        ):
            assert expected in source


async def test_the_welcome_names_only_keys_that_work_and_q_quits_from_it(make_app: AppFactory) -> None:
    app = make_app(welcomed=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("c")  # named on the welcome: shows the challenges
        assert app.current_mode == "challenges" and not isinstance(app.screen, WelcomeScreen)
    app = make_app(welcomed=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_no_welcome_on_a_journal_that_already_holds_attempts(make_app: AppFactory) -> None:
    app = make_app(welcomed=False, setup=lambda j: j.add_attempt(done(TIME)))
    async with app.run_test(size=(80, 24)):
        assert not isinstance(app.screen, WelcomeScreen)


async def test_dashboard_and_ladder_count_one_streak_across_a_planned_rest_day(make_app: AppFactory) -> None:
    def setup(journal: Journal) -> None:
        for days_ago in (2, 3, 4):
            journal.add_attempt(done(TIME, at=NOW - timedelta(days=days_ago)))
        journal.set_rest_days({NOW.date() - timedelta(days=1)})

    app = make_app(setup=setup)
    async with app.run_test(size=(100, 30)) as pilot:
        assert text_of(app, "#streak").startswith("3\n")
        await pilot.press("l")
        assert "streak 3 days" in text_of(app, "#ladder-program")


async def test_home_and_end_move_the_table_cursor_to_the_first_and_last_row(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        table = app.screen.query_one(DataTable)
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1 > 0
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_escape_in_the_search_box_returns_to_the_table_not_home(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c", "slash")
        await type_text(pilot, "time")
        await pilot.press("escape")
        assert app.current_mode == "challenges" and isinstance(app.focused, DataTable)
        assert app.screen.query_one("#search", Input).value == "time"
        await pilot.press("escape")
        assert app.current_mode == "dashboard"


async def test_archived_challenges_can_be_shown_and_restored(
    make_app: AppFactory, journal_path: Path
) -> None:
    from rejection_tui.domain.models import Challenge

    mine = Challenge(
        "custom-baker", "Ask the baker for a roll", 4, "small_talk", source="custom", archived=True
    )
    app = make_app(setup=lambda j: j.add_challenge(mine))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        assert all(c.id != mine.id for c in app.screen.matching())
        await pilot.press("v")  # show archived ones
        app.screen.query_one("#search", Input).value = "Ask the baker for a roll"
        await wait_until(pilot, lambda: getattr(app.screen.highlighted_challenge, "id", None) == mine.id)
        await pilot.press("x")  # restore: no question, nothing is lost
        await wait_until(
            pilot,
            lambda: (
                [
                    c["archived"]
                    for c in json.loads(journal_path.read_text(encoding="utf-8"))["challenges"].values()
                ]
                == [False]
            ),
        )


async def test_a_new_challenge_hidden_by_the_filters_is_shown_by_clearing_them(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        app.screen.query_one("#levels", Select).value = "7-10"
        await pilot.pause()
        await pilot.press("a")
        await type_text(pilot, "Ask the baker for a roll")  # level 3 by default: outside 7–10
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ChallengesScreen))
        await wait_until(
            pilot,
            lambda: (
                app.screen.highlighted_challenge is not None
                and app.screen.highlighted_challenge.title == "Ask the baker for a roll"
            ),
        )
        assert app.screen.query_one("#levels", Select).value == "1-10"


async def test_a_second_export_the_same_day_never_replaces_the_first(
    make_app: AppFactory, journal_path: Path
) -> None:
    app = make_app(setup=some_history)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        exports = journal_path.parent / "exports"
        await app.run_action("export('csv')")
        await wait_until(pilot, lambda: len(written(exports)) == 1)
        [first] = written(exports)
        content = first.read_bytes()
        await app.run_action("export('csv')")
        await wait_until(pilot, lambda: len(written(exports)) == 2)
        assert first.read_bytes() == content
        assert all(p.stat().st_mode & 0o777 == 0o600 for p in written(exports))
        assert any(n.title == "Exported" and "4 attempts written" in n.message for n in app._notifications)
