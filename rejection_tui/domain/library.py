"""The built-in challenge library, shipped as assets/challenges.json."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from rejection_tui.domain.models import Challenge
from rejection_tui.domain.validation import ValidationError

_ASSET = "challenges.json"


def _asset_text() -> str:
    # An installed wheel carries the file inside the package
    # (rejection_tui/assets/); a source checkout (editable install) keeps it
    # in assets/ at the repo root. Plain paths first: importlib.resources
    # costs ~10 ms at start-up (its import pulls in zipfile) and is needed
    # only when the package is not plain files on disk (a zip import).
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "assets" / _ASSET, here.parents[1] / "assets" / _ASSET):
        try:
            return candidate.read_text(encoding="utf-8")
        except OSError:
            continue
    from importlib import resources  # e.g. imported from a zip file

    return resources.files("rejection_tui").joinpath("assets", _ASSET).read_text(encoding="utf-8")


def parse_library(document: Any) -> tuple[Challenge, ...]:
    """Validate the library document; every problem names the entry."""
    if not isinstance(document, dict) or not isinstance(document.get("challenges"), list):
        raise ValidationError(["The library must be an object with a 'challenges' list"])
    challenges: list[Challenge] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(document["challenges"], start=1):
        try:
            challenge = Challenge.from_dict({**entry, "source": "builtin"})
        except (ValidationError, TypeError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            problems += [f"entry {index}: {m}" for m in messages]
            continue
        if challenge.id in seen:
            problems.append(f"entry {index}: duplicate id {challenge.id!r}")
        seen.add(challenge.id)
        challenges.append(challenge)
    if problems:
        raise ValidationError(problems)
    return tuple(challenges)


@lru_cache(maxsize=1)
def builtin_challenges() -> tuple[Challenge, ...]:
    return parse_library(json.loads(_asset_text()))
