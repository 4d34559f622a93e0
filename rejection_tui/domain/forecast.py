"""How the forecast of a "no" changes with practice (expectancy violation).

Before an ask the person says how likely a no is (``p_rejection``, 0–100);
afterwards, optionally, how likely a no would be next time
(``p_rejection_next``). Across repetitions of a challenge the two, beside
what happened, show whether the expectation moves with experience. This
module gives the numbers for that chart and the one sentence on the result
card; the chart widget only draws them.

Callers pass one ``(p_rejection, p_rejection_next, outcome)`` triple per
done attempt of one challenge, oldest first, leaving out retro entries (a
"before" typed afterwards is no forecast, as in the calibration chart).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rejection_tui.domain.models import Outcome

OutcomeLike = Outcome | str | None
"""The ``Outcome`` enum, its stored value ("rejected"), or None (not rated)."""

HAPPENED: dict[Outcome, int | None] = {
    Outcome.REJECTED: 100,
    Outcome.PARTIAL: 50,
    Outcome.ACCEPTED: 0,
    Outcome.NOT_ASKED: None,
}
"""What happened, on the forecast's scale: a no is 100, a yes 0, a partly yes halfway; not asked is
a gap (there was nothing to forecast)."""


def as_outcome(value: OutcomeLike) -> Outcome | None:
    """``value`` as an ``Outcome``; ``ValueError`` for a string that names none."""
    if value is None or isinstance(value, Outcome):
        return value
    try:
        return Outcome(value)
    except ValueError:
        raise ValueError(f"Not an outcome: {value!r}") from None


@dataclass(frozen=True)
class ForecastSeries:
    """One value per repetition (None where there is none), oldest first."""

    numbers: list[int]
    """Which repetition each point is (1 = the first time), the chart's x axis."""
    predicted: list[int | None]
    """The chance of a no said before the ask."""
    updated: list[int | None]
    """The chance of a no said afterwards, for next time."""
    happened: list[int | None]
    """What happened, on the same scale (:data:`HAPPENED`)."""

    def points(self, series: list[int | None]) -> tuple[list[int], list[int]]:
        """The x and y values of one series without its gaps, ready for ``plt.plot``."""
        pairs = [(x, y) for x, y in zip(self.numbers, series, strict=True) if y is not None]
        return [x for x, _ in pairs], [y for _, y in pairs]


def forecast_series(
    triples: Sequence[tuple[int | None, int | None, OutcomeLike]], max_points: int | None = None
) -> ForecastSeries:
    """The chart's series; with ``max_points``, only the latest that many repetitions (numbered as
    they were), so the points drawn never outgrow the terminal."""
    start = 0 if max_points is None else max(0, len(triples) - max(1, max_points))
    chosen = triples[start:]
    outcomes = [as_outcome(outcome) for _, _, outcome in chosen]
    return ForecastSeries(
        numbers=list(range(start + 1, len(triples) + 1)),
        predicted=[before for before, _, _ in chosen],
        updated=[after for _, after, _ in chosen],
        happened=[None if o is None else HAPPENED[o] for o in outcomes],
    )


def forecast_change(p_rejection: int | None, p_rejection_next: int | None) -> int | None:
    """How many points the forecast of a no moved (negative: a no now seems less likely)."""
    if p_rejection is None or p_rejection_next is None:
        return None
    return p_rejection_next - p_rejection


_HEARD = {
    Outcome.REJECTED: " and heard a no",
    Outcome.ACCEPTED: " and heard a yes",
    Outcome.PARTIAL: " and got a partly yes",
}


def _article(number: int) -> str:
    """ "an" before numbers said with a vowel sound (8, 11, 18, 80–89), else "a"."""
    return "an" if number in (8, 11, 18) or 80 <= number <= 89 else "a"


def forecast_sentence(
    p_rejection: int | None, p_rejection_next: int | None, outcome: OutcomeLike = None
) -> str | None:
    """One sentence for the result card on how the forecast changed; None without a new forecast.

    "You expected a 70 % chance of a no and heard a yes; next time you'd say 40 %."
    It reports, never grades: a forecast that rises is as welcome as one that falls.
    """
    if p_rejection_next is None:
        return None
    if p_rejection is None:
        return f"Next time you'd put the chance of a no at {p_rejection_next} %."
    known = as_outcome(outcome)
    heard = _HEARD.get(known, "") if known is not None else ""
    expected = f"You expected {_article(p_rejection)} {p_rejection} % chance of a no{heard}"
    if p_rejection_next == p_rejection:
        return f"{expected}; you'd say the same next time."
    return f"{expected}; next time you'd say {p_rejection_next} %."
