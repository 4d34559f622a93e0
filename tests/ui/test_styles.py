"""The split stylesheets and the incremental re-parse (issue 12) style screens as before."""

from __future__ import annotations

from textual.color import Color
from textual.widgets import Static

from rejection_tui.storage.journal import Journal
from tests.ui.conftest import AppFactory


async def test_a_new_theme_restyles_what_is_on_screen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        card = app.screen.query_one("#planned", Static)
        for theme in ("nord", "gruvbox", "textual-light"):
            app.theme = theme
            await pilot.pause()
            primary = Color.parse(app.get_css_variables()["primary"])
            assert card.styles.border_top == ("round", primary), theme


async def test_a_section_opened_later_gets_its_rules(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")  # History: its rules live in tables.tcss
        await pilot.pause()
        empty = app.screen.query_one("#empty", Static)
        assert tuple(empty.styles.padding) == (1, 2, 1, 2)
        assert app.screen.has_class("-wide")


async def test_the_saved_theme_is_on_the_first_frame(make_app: AppFactory) -> None:
    def nord(journal: Journal) -> None:
        journal.set_setting("theme", "nord")

    app = make_app(setup=nord)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        primary = Color.parse(app.get_css_variables()["primary"])
        assert primary == Color.parse(app.available_themes["nord"].primary)
        card = app.screen.query_one("#planned", Static)
        assert card.styles.border_top == ("round", primary)
