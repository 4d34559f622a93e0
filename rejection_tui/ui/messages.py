"""Messages screens post up to the app, which decides what opens next.

Screens never call the app's methods: they say what the person asked for,
and the app (which owns navigation) handles it.
"""

from __future__ import annotations

from textual.message import Message

from rejection_tui.domain.models import Attempt, Challenge


class StartAttempt(Message):
    """Open the Before form: plan ``challenge`` (or edit the planned ``attempt``)."""

    def __init__(self, challenge: Challenge, attempt: Attempt | None = None) -> None:
        super().__init__()
        self.challenge = challenge
        self.attempt = attempt


class RateAttempt(Message):
    """Open the After form for ``attempt`` (``edit`` also shows its Before fields)."""

    def __init__(self, attempt: Attempt, *, edit: bool = False) -> None:
        super().__init__()
        self.attempt = attempt
        self.edit = edit

