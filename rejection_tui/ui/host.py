"""What screens may ask of the app, and what the app may ask of screens.

Small Protocols instead of the app class, so no screen imports the app
module and the app never probes screens with ``getattr``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Protocol, runtime_checkable

from rejection_tui.domain.models import Attempt, Challenge
from rejection_tui.storage.journal import Journal


class JournalHost(Protocol):
    """The app as screens see it: the open journal and the clock."""

    journal: Journal
    clock: Callable[[], datetime]
    write_lock: asyncio.Lock
    """Journal writes take it in turn, in the order they were asked for."""


@runtime_checkable
class ShowsChallenge(Protocol):
    """A screen with a highlighted challenge (``n`` plans that one)."""

    @property
    def highlighted_challenge(self) -> Challenge | None: ...


@runtime_checkable
class ShowsAttempt(Protocol):
    """A screen with a highlighted attempt (``r`` rates that one when it is planned)."""

    @property
    def highlighted_attempt(self) -> Attempt | None: ...
