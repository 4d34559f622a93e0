from __future__ import annotations

from rejection_tui.domain.models import Challenge
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.app import RejectionApp
from tests.conftest import done


async def test_dashboard_shows_path_and_count_and_q_quits(journal: Journal, challenge: Challenge) -> None:
    journal.add_attempt(done(challenge))
    app = RejectionApp(journal)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.screen.title == "Dashboard"
        text = str(app.screen.query_one("#attempt-count").render())
        assert text == "Attempts recorded: 1"
        await pilot.press("q")
    assert app.return_code == 0
