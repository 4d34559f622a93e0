"""Domain records: challenges and attempts, and their plain-dict form.

The dict form is the data-file contract (see DESIGN.md): field names are
stable, timestamps are ISO 8601 strings with a UTC offset.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from rejection_tui.domain.categories import category_error
from rejection_tui.domain.validation import (
    FieldProblem,
    ValidationError,
    field_problems,
    level_error,
    optional_score_error,
    parse_timestamp,
    score_error,
    text_error,
    timestamp_error,
)


class Outcome(StrEnum):
    REJECTED = "rejected"
    ACCEPTED = "accepted"
    PARTIAL = "partial"
    NOT_ASKED = "not_asked"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.REJECTED: "rejected",
    Outcome.ACCEPTED: "accepted",
    Outcome.PARTIAL: "partly yes",
    Outcome.NOT_ASKED: "didn't ask",
}


class Status(StrEnum):
    PLANNED = "planned"
    DONE = "done"


VIA_APP = "app"
VIA_SHELL = "shell"
VIAS = (VIA_APP, VIA_SHELL)
"""Where an attempt was entered: the app, or a shell command (``plan``, ``log``)."""


# Looked up once: checked for every attempt when a long journal loads.
STATUS_BY_VALUE = {s.value: s for s in Status}
OUTCOME_BY_VALUE = {o.value: o for o in Outcome}
OUTCOME_VALUES = frozenset(OUTCOME_BY_VALUE)
OUTCOMES = frozenset(Outcome)


def _timestamp(
    raw: object, name: str, label: str, problems: list[FieldProblem], *, optional: bool
) -> datetime | None:
    """An ISO timestamp with offset, or None with the reason added to ``problems``."""
    if raw is None and optional:
        return None
    if isinstance(raw, str):
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed  # the common case, without building any message (the range: in validated())
    try:
        return parse_timestamp(raw, label)
    except ValidationError as error:
        problems.extend(FieldProblem(name, message) for message in error.messages)
        return None


def _text_or_empty(value: object) -> object:
    """A missing text (null) reads as empty; anything else is kept for validation to judge."""
    return "" if value is None else value


SAFETY_BEHAVIOURS: dict[str, str] = {
    "rehearsed": "Rehearsed my lines",
    "avoided_eye_contact": "Avoided eye contact",
    "apologised": "Apologised first",
    "excuse_ready": "Had an excuse ready",
    "brought_friend": "Brought a friend",
    "other": "Something else",
}


def new_id() -> str:
    return str(uuid.uuid4())


def custom_id(title: str) -> str:
    """The id of a person's own challenge: readable, and unique whatever its title."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "challenge"
    return f"custom-{slug}-{new_id()[:8]}"


def now_local() -> datetime:
    """The current time with the local UTC offset (what the user lived)."""
    return datetime.now().astimezone()


@dataclass(frozen=True)
class Challenge:
    id: str
    title: str
    level: int
    category: str
    tip: str = ""
    safety: str = ""
    source: str = "builtin"
    archived: bool = False

    def field_problems(self) -> list[FieldProblem]:
        return field_problems(
            ("id", text_error(self.id, "Id", required=True)),
            ("title", text_error(self.title, "Title", required=True)),
            ("level", level_error(self.level)),
            ("category", category_error(self.category)),
            ("tip", text_error(self.tip, "Tip")),
            ("safety", text_error(self.safety, "Safety note")),
            ("source", None if self.source in ("builtin", "custom") else "Source must be builtin or custom"),
            ("archived", None if isinstance(self.archived, bool) else "Archived must be true or false"),
        )

    def problems(self) -> list[str]:
        return [p.message for p in self.field_problems()]

    def validated(self) -> Challenge:
        problems = self.field_problems()
        if problems:
            raise ValidationError.of(problems)
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Challenge:
        if not isinstance(data, dict):
            raise ValidationError(["A challenge must be an object"])
        challenge = cls(
            id=data.get("id", ""),
            title=data.get("title", ""),
            level=data.get("level", 0),
            category=data.get("category", ""),
            tip=_text_or_empty(data.get("tip")),  # type: ignore[arg-type]
            safety=_text_or_empty(data.get("safety")),  # type: ignore[arg-type]
            source=data.get("source", "builtin"),
            archived=data.get("archived", False),
        )
        return challenge.validated()


_CHECKED_FIELDS = (
    "id", "challenge_id", "challenge_title", "level", "category", "created_at", "fear_before",
    "p_rejection", "worry", "worry_cost", "note", "lesson",
)  # fmt: skip
"""The fields of the first checks in ``Attempt.field_problems``, in their order."""


@dataclass(frozen=True, slots=True)  # slots: a long history costs far less memory
class Attempt:
    """One exposure: rated before (planned), then after (done)."""

    id: str
    challenge_id: str
    challenge_title: str
    level: int
    category: str
    created_at: datetime
    fear_before: int
    status: Status = Status.PLANNED
    p_rejection: int | None = None
    worry: str = ""
    worry_cost: int | None = None
    note: str = ""
    done_at: datetime | None = None
    fear_after: int | None = None
    outcome: Outcome | None = None
    worry_happened: bool | None = None
    lesson: str = ""
    safety_behaviours: tuple[str, ...] = field(default_factory=tuple)
    retro: bool = False
    """Logged after the fact (``rejection-tui log``): its fear "before" is hindsight,
    so it is no prediction and stays out of the expected-vs-felt gap and calibration."""
    via: str = VIA_APP
    """Where it was entered (``VIAS``)."""
    # Deeper practice (issue 16): each optional, stored only when given.
    surprise: int | None = None
    """After: how surprised the person was by what happened (0-100)."""
    cost_actual: int | None = None
    """After: how bad it really was (0-100), set against the Before's ``worry_cost``."""
    p_rejection_next: int | None = None
    """After: the chance of a no the person would now give the same ask (0-100)."""
    replay: int | None = None
    """The day after: how much they have gone over it since (0-100): ``domain.replay``."""
    replay_skipped: bool = False
    """The replay question was skipped: it is not asked again."""
    replay_note: str = ""
    """The kind sentence written after a high replay (optional)."""
    contexts: tuple[str, ...] = ()
    """Tags: in person / phone / message, a place, a kind of person."""
    after_no: tuple[str, ...] = ()
    """After a rejected ask: asked_why, gave_reason, tried_someone_else (``domain.after_no``)."""
    no_became_yes: bool = False
    """A rejected ask that became a yes in the end: counted apart, never as a rejection."""

    @classmethod
    def plan(
        cls,
        challenge: Challenge,
        *,
        fear_before: int,
        p_rejection: int | None = None,
        worry: str = "",
        worry_cost: int | None = None,
        note: str = "",
        now: datetime | None = None,
        via: str = VIA_APP,
        retro: bool = False,
        attempt_id: str | None = None,
    ) -> Attempt:
        return cls(
            id=attempt_id or new_id(),
            challenge_id=challenge.id,
            challenge_title=challenge.title,
            level=challenge.level,
            category=challenge.category,
            created_at=now or now_local(),
            fear_before=fear_before,
            p_rejection=p_rejection,
            worry=worry,
            worry_cost=worry_cost,
            note=note,
            via=via,
            retro=retro,
        ).validated()

    def with_before(
        self,
        *,
        fear_before: int,
        p_rejection: int | None,
        worry: str,
        worry_cost: int | None,
        note: str | None = None,
    ) -> Attempt:
        """The same attempt with edited before ratings (the note too, when given)."""
        return replace(
            self,
            fear_before=fear_before,
            p_rejection=p_rejection,
            worry=worry,
            worry_cost=worry_cost,
            note=self.note if note is None else note,
        ).validated()

    def rate(
        self,
        *,
        fear_after: int,
        outcome: Outcome,
        worry_happened: bool | None = None,
        lesson: str = "",
        safety_behaviours: tuple[str, ...] = (),
        note: str | None = None,
        now: datetime | None = None,
    ) -> Attempt:
        """The same attempt, now done, with its after ratings."""
        return replace(
            self,
            status=Status.DONE,
            done_at=self.done_at or now or now_local(),
            fear_after=fear_after,
            outcome=outcome,
            worry_happened=worry_happened,
            lesson=lesson,
            safety_behaviours=tuple(safety_behaviours),
            note=self.note if note is None else note,
        ).validated()

    @property
    def is_done(self) -> bool:
        return self.status == Status.DONE

    @property
    def predicted(self) -> bool:
        """True when its fear before was a forecast (typed before the ask, not in hindsight)."""
        return not self.retro

    @property
    def gap(self) -> int | None:
        """Expected minus felt fear; positive means it was easier than feared.

        None for a retro entry: a "before" typed afterwards is no forecast.
        """
        if self.fear_after is None or self.retro:
            return None
        return self.fear_before - self.fear_after

    def field_problems(self) -> list[FieldProblem]:
        errors = (
            text_error(self.id, "Id", required=True),
            text_error(self.challenge_id, "Challenge id", required=True),
            text_error(self.challenge_title, "Challenge title", required=True),
            level_error(self.level),
            text_error(self.category, "Category"),
            timestamp_error(self.created_at, "Created at"),
            score_error(self.fear_before, "Fear before"),
            optional_score_error(self.p_rejection, "Likelihood of a no"),
            text_error(self.worry, "What you were afraid of"),
            optional_score_error(self.worry_cost, "How bad it would be"),
            text_error(self.note, "Note"),
            text_error(self.lesson, "What you learned"),
        )
        # Checked for every attempt of a long journal: no objects unless something is wrong.
        problems = field_problems(*zip(_CHECKED_FIELDS, errors, strict=True)) if any(errors) else []
        if not isinstance(self.status, Status):
            problems.append(FieldProblem("status", "Status must be planned or done"))
        if not (self.worry_happened is None or isinstance(self.worry_happened, bool)):
            problems.append(
                FieldProblem("worry_happened", "Whether the feared thing happened must be yes, no or empty")
            )
        if not isinstance(self.safety_behaviours, tuple) or not all(
            isinstance(b, str) and b and text_error(b, "") is None for b in self.safety_behaviours
        ):
            problems.append(FieldProblem("safety_behaviours", "Safety behaviours must be a list of names"))
        if not isinstance(self.retro, bool):
            problems.append(FieldProblem("retro", "Retro must be true or false"))
        if self.via not in VIAS:
            problems.append(FieldProblem("via", "Via must be app or shell"))
        if self.surprise is not None or self.cost_actual is not None or self.p_rejection_next is not None:
            problems += field_problems(
                ("surprise", optional_score_error(self.surprise, "How surprised you were")),
                ("cost_actual", optional_score_error(self.cost_actual, "How bad it really was")),
                ("p_rejection_next", optional_score_error(self.p_rejection_next, "Next time's chance")),
            )
            if self.status != Status.DONE:
                problems.append(FieldProblem("surprise", "A planned attempt cannot have after ratings yet"))
        if self.replay is not None or self.replay_skipped or self.replay_note:
            problems += _replay_problems(self)
        if self.contexts:
            problems += _context_problems(self.contexts)
        if self.after_no or self.no_became_yes:
            problems += _after_no_problems(self)
        if self.status == Status.DONE:
            problems += field_problems(
                ("fear_after", score_error(self.fear_after, "Fear after")),
                ("done_at", timestamp_error(self.done_at, "Done at")),
            )
            if not isinstance(self.outcome, Outcome):
                problems.append(
                    FieldProblem("outcome", "Outcome must be one of: " + ", ".join(o.value for o in Outcome))
                )
        else:
            for name in ("fear_after", "outcome", "done_at"):
                if getattr(self, name) is not None:
                    problems.append(FieldProblem(name, "A planned attempt cannot have after ratings yet"))
                    break
        return problems

    def problems(self) -> list[str]:
        return [p.message for p in self.field_problems()]

    def validated(self) -> Attempt:
        problems = self.field_problems()
        if problems:
            raise ValidationError.of(problems)
        return self

    def to_dict(self) -> dict[str, Any]:
        # retro, via and the deeper-practice fields only when they differ from their
        # defaults: the journals of people who never use them keep the shape they had.
        extra: dict[str, Any] = {}
        if self.retro:
            extra["retro"] = True
        if self.via != VIA_APP:
            extra["via"] = self.via
        for name in _OPTIONAL_SCORES:
            if getattr(self, name) is not None:
                extra[name] = getattr(self, name)
        if self.replay_skipped:
            extra["replay_skipped"] = True
        if self.replay_note:
            extra["replay_note"] = self.replay_note
        if self.contexts:
            extra["contexts"] = list(self.contexts)
        if self.after_no:
            extra["after_no"] = list(self.after_no)
        if self.no_became_yes:
            extra["no_became_yes"] = True
        return {
            "id": self.id,
            "challenge_id": self.challenge_id,
            "challenge_title": self.challenge_title,
            "level": self.level,
            "category": self.category,
            "status": self.status.value,
            "created_at": self.created_at.isoformat(),
            "done_at": self.done_at.isoformat() if self.done_at else None,
            "fear_before": self.fear_before,
            "p_rejection": self.p_rejection,
            "worry": self.worry,
            "worry_cost": self.worry_cost,
            "fear_after": self.fear_after,
            "outcome": self.outcome.value if self.outcome else None,
            "worry_happened": self.worry_happened,
            "lesson": self.lesson,
            "note": self.note,
            "safety_behaviours": list(self.safety_behaviours),
            **extra,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attempt:
        """Build and validate an attempt from its contract dict.

        Unknown extra fields are ignored here (storage keeps them on disk).
        """
        if not isinstance(data, dict):
            raise ValidationError(["An attempt must be an object"])
        problems: list[FieldProblem] = []
        created_at = _timestamp(data.get("created_at"), "created_at", "Created at", problems, optional=False)
        done_at = _timestamp(data.get("done_at"), "done_at", "Done at", problems, optional=True)
        status_raw = data.get("status")
        outcome_raw = data.get("outcome")
        status = STATUS_BY_VALUE.get(status_raw) if isinstance(status_raw, str) else None
        if status is None:
            problems.append(FieldProblem("status", "Status must be planned or done"))
        outcome = OUTCOME_BY_VALUE.get(outcome_raw) if isinstance(outcome_raw, str) else None
        if outcome_raw is not None and outcome is None:
            problems.append(
                FieldProblem("outcome", "Outcome must be one of: " + ", ".join(o.value for o in Outcome))
            )
        behaviours = data.get("safety_behaviours")
        if behaviours is None:
            behaviours = []
        elif not isinstance(behaviours, list):
            problems.append(FieldProblem("safety_behaviours", "Safety behaviours must be a list of names"))
            behaviours = []
        lists: dict[str, tuple[Any, ...]] = {}
        for name, what in (("contexts", "Contexts"), ("after_no", "What you did after the no")):
            raw = data.get(name)
            if raw is not None and not isinstance(raw, list):
                problems.append(FieldProblem(name, f"{what} must be a list"))
            lists[name] = tuple(raw) if isinstance(raw, list) else ()
        if problems:
            raise ValidationError.of(problems)
        assert created_at is not None and status is not None
        attempt = cls(
            id=data.get("id", ""),
            challenge_id=data.get("challenge_id", ""),
            challenge_title=data.get("challenge_title", ""),
            level=data.get("level", 0),
            category=data.get("category", ""),
            status=status,
            created_at=created_at,
            done_at=done_at,
            fear_before=data.get("fear_before"),  # type: ignore[arg-type]
            p_rejection=data.get("p_rejection"),
            worry=_text_or_empty(data.get("worry")),  # type: ignore[arg-type]
            worry_cost=data.get("worry_cost"),
            fear_after=data.get("fear_after"),
            outcome=outcome,
            worry_happened=data.get("worry_happened"),
            lesson=_text_or_empty(data.get("lesson")),  # type: ignore[arg-type]
            note=_text_or_empty(data.get("note")),  # type: ignore[arg-type]
            safety_behaviours=tuple(behaviours),
            retro=False if data.get("retro") is None else data["retro"],
            via=data.get("via") or VIA_APP,
            surprise=data.get("surprise"),
            cost_actual=data.get("cost_actual"),
            p_rejection_next=data.get("p_rejection_next"),
            replay=data.get("replay"),
            replay_skipped=False if data.get("replay_skipped") is None else data["replay_skipped"],
            replay_note=_text_or_empty(data.get("replay_note")),  # type: ignore[arg-type]
            contexts=lists["contexts"],
            after_no=lists["after_no"],
            no_became_yes=False if data.get("no_became_yes") is None else data["no_became_yes"],
        )
        return attempt.validated()


_OPTIONAL_SCORES = ("surprise", "cost_actual", "p_rejection_next", "replay")
DEEPER_FIELDS = (
    *_OPTIONAL_SCORES, "replay_skipped", "replay_note", "contexts", "after_no", "no_became_yes",
)  # fmt: skip
"""Issue 16's fields: each stored only when given (see ``to_dict``)."""
WRITTEN_WHEN_GIVEN = ("retro", "via", *DEEPER_FIELDS)
"""The fields ``to_dict`` leaves out while they hold their default."""
MAX_CONTEXTS = 10
"""Context tags per attempt: a few words each (a channel, a place, a kind of person)."""


def _replay_problems(attempt: Attempt) -> list[FieldProblem]:
    problems = field_problems(
        ("replay", optional_score_error(attempt.replay, "How much you went over it")),
        ("replay_note", text_error(attempt.replay_note, "Your kind sentence")),
    )
    if not isinstance(attempt.replay_skipped, bool):
        problems.append(FieldProblem("replay_skipped", "Replay skipped must be true or false"))
    if attempt.status != Status.DONE:
        problems.append(FieldProblem("replay", "Only a rated attempt can be gone over afterwards"))
    return problems


def _context_problems(contexts: tuple[Any, ...]) -> list[FieldProblem]:
    if len(contexts) > MAX_CONTEXTS:
        return [FieldProblem("contexts", f"At most {MAX_CONTEXTS} contexts per attempt")]
    if not all(isinstance(c, str) and c.strip() and text_error(c, "") is None for c in contexts):
        return [FieldProblem("contexts", "Contexts must be a list of short names")]
    if len(set(contexts)) != len(contexts):
        return [FieldProblem("contexts", "A context is listed twice")]
    return []


def _after_no_problems(attempt: Attempt) -> list[FieldProblem]:
    # Imported here: domain.after_no builds on this module's Outcome.
    from rejection_tui.domain.after_no import after_no_error, no_became_yes_error

    return field_problems(
        ("after_no", after_no_error(attempt.after_no, attempt.outcome)),
        ("no_became_yes", no_became_yes_error(attempt.no_became_yes, attempt.outcome)),
    )
