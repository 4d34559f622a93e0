"""Chart 5's numbers in `stats` and the Markdown report (issue 11, point 9).

They come from the chart's own functions (``calibration``, ``worry_check``):
no second definition to drift apart.
"""

from __future__ import annotations

from dataclasses import replace

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.domain.stats import calibration, summarise, summary_lines, worry_check
from rejection_tui.storage.formats import export_markdown
from tests.conftest import NOW, done

TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")


def predictions() -> list[Attempt]:
    def ask(p: int, outcome: Outcome, happened: bool | None = None) -> Attempt:
        return replace(done(TIME, outcome=outcome), p_rejection=p, worry_happened=happened, worry_cost=60)

    return [
        ask(10, Outcome.REJECTED, happened=False),
        ask(50, Outcome.REJECTED, happened=True),
        ask(55, Outcome.ACCEPTED, happened=False),
        ask(58, Outcome.ACCEPTED, happened=False),
        ask(90, Outcome.ACCEPTED),
        ask(90, Outcome.NOT_ASKED),  # not asked: left out of the bands, as in the chart
    ]


def test_stats_shows_the_predicted_and_actual_chance_of_a_no_per_band() -> None:
    attempts = predictions()
    lines = summary_lines(summarise(attempts, NOW, rest_days=set()))
    at = lines.index("Predicted vs actual chance of a no, by your prediction:")
    assert lines[at + 1 : at + 4] == [
        "  0–20 %:    predicted  10 %, actual 100 % no (1 ask)",
        "  40–60 %:   predicted  54 %, actual  33 % no (3 asks)",
        "  80–100 %:  predicted  90 %, actual   0 % no (1 ask)",
    ]
    assert "Feared outcome came true: 1 of 4 times (25 %)" in lines
    # The chart's numbers, exactly.
    bands = calibration(attempts)
    assert [(b.low, round(b.predicted), round(b.actual), b.count) for b in bands] == [
        (0, 10, 100, 1),
        (40, 54, 33, 3),
        (80, 90, 0, 1),
    ]
    assert worry_check(attempts).rate == 25


def test_stats_says_so_when_nothing_was_predicted() -> None:
    lines = summary_lines(summarise([], NOW, rest_days=set()))
    assert "Predicted vs actual:  — (no rated ask has a predicted chance of a no yet)" in lines
    assert "Feared outcome came true: —" in lines


def test_the_markdown_report_carries_the_same_numbers() -> None:
    attempts = predictions()
    report = export_markdown(attempts, summarise(attempts, NOW, rest_days=set()))
    assert "- Predicted vs actual chance of a no, by your prediction:\n" in report
    assert "  - 40–60 %: predicted 54 %, actual 33 % no (3 asks)\n" in report
    assert "- Feared outcome came true: 1 of 4 times (25 %)\n" in report
    assert "  - 6× Ask a stranger for the time\n" in report  # most practised, a sub-item as before
