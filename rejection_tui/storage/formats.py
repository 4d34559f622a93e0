"""Export and import formats: CSV, JSON and a Markdown report.

CSV and JSON carry every contract field of every attempt (planned ones
too) and read back into identical records. Markdown is a report for a
person — a therapist, say — and is not read back.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from rejection_tui.domain.categories import category_label
from rejection_tui.domain.models import SAFETY_BEHAVIOURS, Attempt, Status
from rejection_tui.domain.progress import outcome_text
from rejection_tui.domain.stats import Summary, chronological, summary_lines
from rejection_tui.domain.validation import ValidationError

FORMATS = ("csv", "json", "markdown")
EXTENSIONS = {"csv": "csv", "json": "json", "markdown": "md"}
JSON_KIND = "rejection-tui attempts"
FIELDS: tuple[str, ...] = (
    "id", "challenge_id", "challenge_title", "level", "category", "status", "created_at", "done_at",
    "fear_before", "p_rejection", "worry", "worry_cost", "fear_after", "outcome", "worry_happened",
    "lesson", "note", "safety_behaviours",
)  # fmt: skip
INT_FIELDS = {"level", "fear_before", "p_rejection", "worry_cost", "fear_after"}
LIST_SEPARATOR = ";"


class ImportProblem(ValueError):
    """An import file that cannot be read; nothing was written."""


def export_json(attempts: Sequence[Attempt]) -> str:
    document = {"kind": JSON_KIND, "version": 1, "attempts": [a.to_dict() for a in chronological(attempts)]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)


def export_csv(attempts: Sequence[Attempt]) -> str:
    out = io.StringIO()
    # RFC 4180 line ends: the writer then quotes any field holding \r or \n.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for attempt in chronological(attempts):
        data = attempt.to_dict()
        writer.writerow([_cell(data[f]) for f in FIELDS])
    return out.getvalue()


def export_markdown(attempts: Sequence[Attempt], summary: Summary) -> str:
    lines = ["# Rejection practice report", "", "## Summary", ""]
    lines += [f"- {' '.join(line.split())}" for line in summary_lines(summary) if not line.startswith("  ")]
    if summary.most_practised:
        lines += [f"  - {title}: {n}×" for _, title, n in summary.most_practised]
    lines += ["", "## Attempts", ""]
    for a in chronological(attempts):
        when = (a.done_at or a.created_at).strftime("%Y-%m-%d %H:%M")
        lines += [f"### {when} — {a.challenge_title}", ""]
        lines.append(f"*Level {a.level}, {category_label(a.category)}*")
        lines += ["", "**Before**", ""]
        lines.append(f"- Expected fear: {a.fear_before}/100")
        if a.p_rejection is not None:
            lines.append(f"- Predicted chance of a no: {a.p_rejection} %")
        if a.worry:
            lines.append(f"- Afraid that: {a.worry}")
        if a.worry_cost is not None:
            lines.append(f"- How bad that would be: {a.worry_cost}/100")
        lines += ["", "**After**", ""]
        if a.status == Status.DONE:
            lines.append(f"- What happened: {outcome_text(a)}")
            lines.append(f"- Felt fear (peak): {a.fear_after}/100")
            if a.worry_happened is not None:
                lines.append(f"- Did the feared thing happen: {'yes' if a.worry_happened else 'no'}")
            if a.lesson:
                lines.append(f"- Learned: {a.lesson}")
            if a.safety_behaviours:
                names = ", ".join(SAFETY_BEHAVIOURS.get(b, b) for b in a.safety_behaviours)
                lines.append(f"- Leaned on: {names}")
        else:
            lines.append("- Not done yet (planned)")
        if a.note:
            lines += ["", f"Note: {a.note}"]
        lines.append("")
    return "\n".join(lines)


def export_path(journal: Path, fmt: str, day: date) -> Path:
    """Where the app's own exports go: ``exports/`` beside the journal."""
    return journal.parent / "exports" / f"{journal.stem}-{day.isoformat()}.{EXTENSIONS[fmt]}"


def render(fmt: str, attempts: Sequence[Attempt], summary: Summary) -> str:
    if fmt == "csv":
        return export_csv(attempts)
    if fmt == "json":
        return export_json(attempts)
    if fmt == "markdown":
        return export_markdown(attempts, summary)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


# -- import -------------------------------------------------------------------


def _row_from_csv(row: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in FIELDS:
        raw = row.get(field)
        if raw is None:
            raise ValidationError([f"the column {field!r} is missing"])
        if field in INT_FIELDS:
            if raw == "":
                data[field] = None
            else:
                try:
                    data[field] = int(raw)
                except ValueError:
                    raise ValidationError([f"{field} must be a whole number, not {raw!r}"]) from None
        elif field == "worry_happened":
            if raw not in ("", "true", "false"):
                raise ValidationError([f"worry_happened must be true, false or empty, not {raw!r}"])
            data[field] = None if raw == "" else raw == "true"
        elif field == "safety_behaviours":
            data[field] = [b for b in raw.split(LIST_SEPARATOR) if b]
        elif field in ("done_at", "outcome"):
            data[field] = raw or None
        else:
            data[field] = raw
    return data


def parse_import(text: str) -> list[Attempt]:
    """Read a CSV or JSON export; one bad row rejects the whole file."""
    stripped = text.lstrip("\ufeff").lstrip()
    rows: list[tuple[int, dict[str, Any]]]
    if stripped.startswith("{"):
        try:
            document = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise ImportProblem(f"not valid JSON ({error.msg} at line {error.lineno})") from None
        if not isinstance(document, dict) or not isinstance(document.get("attempts"), list):
            raise ImportProblem("a JSON import must be an object with an 'attempts' list (as export writes)")
        rows = list(enumerate(document["attempts"], start=1))
    else:
        # newline="": carriage returns inside quoted notes must survive.
        reader = csv.DictReader(io.StringIO(stripped, newline=""))
        missing = [f for f in FIELDS if f not in (reader.fieldnames or [])]
        if missing:
            raise ImportProblem(
                "not a rejection-tui CSV export (missing columns: " + ", ".join(missing) + ")"
            )
        rows = []
        for number, row in enumerate(reader, start=1):
            try:
                rows.append((number, _row_from_csv(row)))
            except ValidationError as error:
                raise ImportProblem(f"row {number}: {'; '.join(error.messages)}") from None
    attempts: list[Attempt] = []
    seen: set[str] = set()
    for number, data in rows:
        try:
            attempt = Attempt.from_dict(data)
        except ValidationError as error:
            raise ImportProblem(f"row {number}: {'; '.join(error.messages)}") from None
        except (TypeError, AttributeError):
            raise ImportProblem(f"row {number}: not an attempt record") from None
        if attempt.id in seen:
            raise ImportProblem(f"row {number}: the id {attempt.id} appears twice in the file")
        seen.add(attempt.id)
        attempts.append(attempt)
    return attempts
