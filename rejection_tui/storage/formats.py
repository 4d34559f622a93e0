"""Export and import formats: CSV, JSON and a Markdown report.

CSV and JSON carry every contract field of every attempt (planned ones
too) and read back into identical records. Markdown is a report for a
person — a therapist, say — and is not read back.

The JSON export is a **full backup** (``"kind": "rejection-tui backup"``,
version 2): beside the ``attempts`` list it holds the custom challenges
(archived ones too), the ladder and every setting (weekly goal, program,
rest days, theme, keymap…), so moving to a new machine loses nothing. A
reader that knows only version 1 still finds its ``attempts`` list; an
import of a version 1 file (attempts only) works as before. CSV and the
report stay attempt-level.

Entries the journal could not read (see ``Journal.problems``) are never
lost silently: the JSON export carries them as they are in an
``"unreadable"`` list, and its import stores them again (unless an exact
copy is already there); CSV ends with a one-cell note row (``# 2 entries
...``) and the Markdown report with a sentence saying how many were left
out. An import skips CSV rows of one cell starting with ``#``.

Columns added after the first version (``OPTIONAL_FIELDS``: retro and via
from issue 13; surprise, cost_actual, p_rejection_next, replay,
replay_skipped, replay_note, contexts, after_no and no_became_yes from
issue 16) are written by every CSV export and optional on import: an older
CSV without them reads as before, and an empty cell means "not given"
(a number left out, a flag not set, no list). ``after_no`` holds its
choices joined by ``;`` (as ``safety_behaviours``); ``contexts``, the
person's own words that may hold a ``;``, holds a JSON list of strings
(``["phone", "the corner shop"]``); a hand-written ``phone;shop`` is read
as two tags too.

CSV cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) are written with a ``'``
in front (OWASP's advice), and so is every cell that itself starts with
``'``; an import removes exactly one leading ``'`` from every cell that has
one. So the rule is unambiguous and every text reads back exactly.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from rejection_tui.domain.categories import category_label
from rejection_tui.domain.ladder import Ladder
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import SAFETY_BEHAVIOURS, Attempt, Challenge, Status
from rejection_tui.domain.progress import outcome_text
from rejection_tui.domain.validation import ValidationError, shown

if TYPE_CHECKING:  # domain.stats is imported where used: not before the app's first frame (issue 12)
    from rejection_tui.domain.stats import Summary

FORMATS = ("csv", "json", "markdown")
EXTENSIONS = {"csv": "csv", "json": "json", "markdown": "md"}
JSON_KIND = "rejection-tui attempts"
"""An attempts-only JSON document (version 1: what ``export_json`` writes without a backup)."""
BACKUP_KIND = "rejection-tui backup"
BACKUP_VERSION = 2
BACKUP_PARTS = ("challenges", "ladder", "settings")
"""What a full backup holds beside the attempts; a JSON file with any of them is a backup."""
FIELDS: tuple[str, ...] = (
    "id", "challenge_id", "challenge_title", "level", "category", "status", "created_at", "done_at",
    "fear_before", "p_rejection", "worry", "worry_cost", "fear_after", "outcome", "worry_happened",
    "lesson", "note", "safety_behaviours",
)  # fmt: skip
OPTIONAL_FIELDS: tuple[str, ...] = (
    "retro", "via",  # issue 13
    "surprise", "cost_actual", "p_rejection_next", "replay", "replay_skipped", "replay_note",
    "contexts", "after_no", "no_became_yes",  # issue 16
)  # fmt: skip
"""Columns added later: written by every export, optional on import."""
INT_FIELDS = {"level", "fear_before", "p_rejection", "worry_cost", "fear_after"}
OPTIONAL_INTS = ("surprise", "cost_actual", "p_rejection_next", "replay")
OPTIONAL_FLAGS = ("retro", "replay_skipped", "no_became_yes")
"""Optional true/false columns: an empty cell (or no column) is false."""
LIST_SEPARATOR = ";"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
NOTE_MARK = "#"
PROGRESS_EVERY = 10_000
"""Rows between two progress reports of an import."""


class ImportProblem(ValueError):
    """An import file that cannot be read; nothing was written."""


@dataclass(frozen=True)
class FullBackup:
    """What a full backup holds beside the attempts."""

    challenges: tuple[Challenge, ...] = ()
    """The custom challenges, archived ones too."""
    ladder: Ladder | None = None
    """None when there is no ladder (or an empty one)."""
    settings: dict[str, Any] = field(default_factory=dict)
    """Every setting by name, its value as stored (also ones this version does not know)."""


def left_out_sentence(count: int) -> str:
    entries = "1 entry" if count == 1 else f"{count:,} entries"
    verb = "is" if count == 1 else "are"
    return (
        f"{entries} in the journal could not be read and {verb} not in this file "
        "(a JSON export keeps them; `rejection-tui check` lists them)."
    )


# -- export ---------------------------------------------------------------------


def export_json(
    attempts: Sequence[Attempt], left_out: Sequence[dict[str, Any]] = (), backup: FullBackup | None = None
) -> str:
    """The attempts (and the unreadable entries) as JSON; with ``backup``, a full backup."""
    from rejection_tui.domain.stats import chronological

    document: dict[str, Any] = {
        "kind": JSON_KIND if backup is None else BACKUP_KIND,
        "version": 1 if backup is None else BACKUP_VERSION,
        "attempts": [a.to_dict() for a in chronological(attempts)],
        "unreadable": list(left_out),
    }
    if backup is not None:
        document["challenges"] = [c.to_dict() for c in backup.challenges]
        document["ladder"] = backup.ladder.to_dict() if backup.ladder else None
        document["settings"] = dict(backup.settings)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs: see the module's rule."""
    return QUOTE + cell if cell.startswith(FORMULA_START) or cell.startswith(QUOTE) else cell


def restore(cell: str) -> str:
    """Undo :func:`neutralise`: exactly one leading ``'`` goes."""
    return cell[1:] if cell.startswith(QUOTE) else cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return neutralise(LIST_SEPARATOR.join(value))
    return neutralise(str(value))


def export_csv(attempts: Sequence[Attempt], left_out: Sequence[dict[str, Any]] = ()) -> str:
    from rejection_tui.domain.stats import chronological

    out = io.StringIO()
    # RFC 4180 line ends: the writer then quotes any field holding \r or \n.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow((*FIELDS, *OPTIONAL_FIELDS))
    for attempt in chronological(attempts):
        data = attempt.to_dict()
        writer.writerow([*(_cell(data[f]) for f in FIELDS), *_optional_cells(attempt)])
    if left_out:
        writer.writerow([f"{NOTE_MARK} {left_out_sentence(len(left_out))}"])
    return out.getvalue()


def _optional_cells(attempt: Attempt) -> list[str]:
    """The ``OPTIONAL_FIELDS`` cells of one row, in their order."""
    contexts = json.dumps(list(attempt.contexts), ensure_ascii=False) if attempt.contexts else ""
    return [
        _cell(attempt.retro),
        attempt.via,
        *(_cell(getattr(attempt, name)) for name in OPTIONAL_INTS),
        _cell(attempt.replay_skipped),
        _cell(attempt.replay_note),
        neutralise(contexts),
        _cell(list(attempt.after_no)),
        _cell(attempt.no_became_yes),
    ]


_MD_ESCAPED = str.maketrans({c: "\\" + c for c in "\\`*_[]<>&|~#"})
_MD_LINE_START = re.compile(r"([-+=>]|\d+[.)])")


def md_text(text: str) -> str:
    """Text from a person as Markdown that shows exactly that text and nothing else.

    No raw HTML, links, images, code or emphasis can come of it: the
    characters that start them are backslash-escaped, and so is anything
    that would start a block (a list, a heading, a quote) at a line start.
    Line breaks stay line breaks, indented to stay in their list item.
    """
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip(" \t").translate(_MD_ESCAPED)
        match = _MD_LINE_START.match(line)
        if match:
            marker = match.group(1)
            line = marker[:-1] + "\\" + marker[-1] + line[len(marker) :]
        lines.append(line)
    return "  \n  ".join(lines)


def md_line(text: str) -> str:
    """:func:`md_text` on one line (for headings)."""
    return md_text(" ".join(text.split()))


def export_markdown(
    attempts: Sequence[Attempt], summary: Summary, left_out: Sequence[dict[str, Any]] = ()
) -> str:
    from rejection_tui.domain.stats import chronological, replay_report, summary_lines, surprise_report

    lines = ["# Rejection practice report", "", "## Summary", ""]
    # The same lines as `stats` (the deeper-practice ones get sections of their own below);
    # an indented one is a sub-item of the line above it.
    lines += [
        f"  - {md_line(line)}" if line.startswith("  ") else f"- {md_line(line)}"
        for line in summary_lines(summary, deeper=False)
    ]
    if left_out:
        lines += ["", md_text(left_out_sentence(len(left_out)))]
    for title, sentences in (
        ("What surprised you", surprise_report(summary.surprise)),
        ("Going over it afterwards", replay_report(summary.replay)),
    ):
        if sentences:  # only when there is something to say
            lines += ["", f"## {title}", "", *(f"- {md_text(sentence)}" for sentence in sentences)]
    lines += ["", "## Attempts", ""]
    for a in chronological(attempts):
        when = (a.done_at or a.created_at).strftime("%Y-%m-%d %H:%M")
        lines += [f"### {when} — {md_line(a.challenge_title)}", ""]
        lines.append(f"*Level {a.level}, {md_line(category_label(a.category))}*")
        if a.contexts:
            lines += ["", f"Contexts: {md_text(', '.join(a.contexts))}"]
        lines += ["", "**Before**", ""]
        if a.retro:
            lines.append("- Logged afterwards: this *before* is hindsight, left out of the predictions")
        lines.append(f"- Expected fear: {a.fear_before}/100")
        if a.p_rejection is not None:
            lines.append(f"- Predicted chance of a no: {a.p_rejection} %")
        if a.worry:
            lines.append(f"- Afraid that: {md_text(a.worry)}")
        if a.worry_cost is not None:
            lines.append(f"- How bad that would be: {a.worry_cost}/100")
        lines += ["", "**After**", ""]
        if a.status == Status.DONE:
            lines.append(f"- What happened: {md_text(outcome_text(a))}")
            lines.append(f"- Felt fear (peak): {a.fear_after}/100")
            if a.worry_happened is not None:
                lines.append(f"- Did the feared thing happen: {'yes' if a.worry_happened else 'no'}")
            if a.lesson:
                lines.append(f"- Learned: {md_text(a.lesson)}")
            if a.safety_behaviours:
                names = ", ".join(SAFETY_BEHAVIOURS.get(b, b) for b in a.safety_behaviours)
                lines.append(f"- Leaned on: {md_text(names)}")
            lines += _deeper_after(a)
        else:
            lines.append("- Not done yet (planned)")
        if a.note:
            lines += ["", f"Note: {md_text(a.note)}"]
        lines.append("")
    return "\n".join(lines)


def _deeper_after(a: Attempt) -> list[str]:
    """The report's lines for an attempt's optional deeper-practice answers (issue 16)."""
    from rejection_tui.domain.after_no import AFTER_NO_LABELS, NO_BECAME_YES_LABEL, AfterNo

    lines = []
    if a.surprise is not None:
        lines.append(f"- How surprised by what happened: {a.surprise}/100")
    if a.cost_actual is not None:
        lines.append(f"- How bad it really was: {a.cost_actual}/100")
    if a.p_rejection_next is not None:
        lines.append(f"- Chance of a no next time: {a.p_rejection_next} %")
    if a.after_no:
        labels = [AFTER_NO_LABELS[AfterNo(value)] for value in a.after_no]
        lines.append(f"- After the no: {md_text(', '.join(labels))}")
    if a.no_became_yes:
        lines.append(f"- {md_text(NO_BECAME_YES_LABEL)} (counted apart, not as a rejection)")
    if a.replay is not None:
        lines.append(f"- Gone over it since, the day after: {a.replay}/100")
    elif a.replay_skipped:
        lines.append("- Gone over it since, the day after: skipped")
    if a.replay_note:
        lines.append(f"- A kind sentence: {md_text(a.replay_note)}")
    return lines


def export_path(journal: Path, fmt: str, day: date) -> Path:
    """Where the app's own exports go: ``exports/`` beside the journal."""
    return journal.parent / "exports" / f"{journal.stem}-{day.isoformat()}.{EXTENSIONS[fmt]}"


def render(
    fmt: str,
    attempts: Sequence[Attempt],
    summary: Summary,
    *,
    left_out: Sequence[dict[str, Any]] = (),
    backup: FullBackup | None = None,
) -> str:
    """An export; ``left_out`` are the journal's unreadable entries (``Journal.unreadable_documents``),
    ``backup`` the rest of the journal for JSON (``Journal.full_backup``)."""
    if fmt == "csv":
        return export_csv(attempts, left_out)
    if fmt == "json":
        return export_json(attempts, left_out, backup)
    if fmt == "markdown":
        return export_markdown(attempts, summary, left_out)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


# -- import -------------------------------------------------------------------

Progress = Callable[[int, float | None], None]
"""Called as an import reads: (rows read so far, fraction of the file read or None)."""


@dataclass
class ImportFile:
    """What an import file holds, read and checked; nothing is written yet."""

    attempts: list[Attempt] = field(default_factory=list)
    unreadable: list[dict[str, Any]] = field(default_factory=list)
    """A JSON export's entries that its journal could not read, carried as they were."""
    rows: int = 0
    """Rows (CSV) or entries (JSON) read, unreadable ones included."""
    backup: FullBackup | None = None
    """A full backup's challenges, ladder and settings; None for CSV and attempts-only JSON."""


_WHOLE = re.compile(r"-?[0-9]{1,9}")


def _whole_cell(raw: str, name: str) -> int | None:
    if raw == "":
        return None
    if _WHOLE.fullmatch(raw.strip()):
        return int(raw)
    raise ValidationError([f"{name} must be a whole number, not {shown(raw)}"])


def _row_from_csv(row: Sequence[str], columns: dict[str, int]) -> dict[str, Any]:
    # Called once a row of a big import: plain text cells in one comprehension.
    cells: dict[str, Any] = {
        name: row[index][1:] if row[index][:1] == QUOTE else row[index] for name, index in columns.items()
    }
    for name in INT_FIELDS:
        raw = cells[name]
        plain = raw.isascii() and raw.isdigit() and len(raw) < 10
        cells[name] = None if raw == "" else int(raw) if plain else _whole_cell(raw, name)
    happened = cells["worry_happened"]
    if happened not in ("", "true", "false"):
        raise ValidationError([f"worry_happened must be true, false or empty, not {shown(happened)}"])
    cells["worry_happened"] = None if happened == "" else happened == "true"
    cells["safety_behaviours"] = [b for b in cells["safety_behaviours"].split(LIST_SEPARATOR) if b]
    cells["done_at"] = cells["done_at"] or None
    cells["outcome"] = cells["outcome"] or None
    for name in OPTIONAL_FLAGS:
        flag = cells.pop(name, "")
        if flag not in ("", "true", "false"):
            raise ValidationError([f"{name} must be true, false or empty, not {shown(flag)}"])
        if flag == "true":
            cells[name] = True
    if not cells.get("via"):
        cells.pop("via", None)
    _deeper_cells(cells)
    return cells


def _deeper_cells(cells: dict[str, Any]) -> None:
    """The cells of issue 16's columns as contract values, in place; empty ones left out."""
    for name in OPTIONAL_INTS:
        raw = cells.pop(name, "")
        if raw != "":
            cells[name] = _whole_cell(raw, name)
    if not cells.get("replay_note"):
        cells.pop("replay_note", None)
    after_no = cells.pop("after_no", "")
    if after_no:
        cells["after_no"] = [choice for choice in after_no.split(LIST_SEPARATOR) if choice]
    contexts = cells.pop("contexts", "")
    if contexts:
        cells["contexts"] = _contexts_cell(contexts)


def _contexts_cell(raw: str) -> list[str]:
    """A ``contexts`` cell: a JSON list of strings (as exports write), or tags joined by ``;``."""
    if not raw.lstrip().startswith("["):
        return [tag.strip() for tag in raw.split(LIST_SEPARATOR) if tag.strip()]
    try:
        tags = json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        tags = None
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ValidationError(
            [f'contexts must be a list of tags such as ["phone", "a shop"] or phone;a shop, not {shown(raw)}']
        )
    return tags


def _csv_rows(
    lines: Iterable[str], imported: ImportFile, report: Callable[[], None]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The data rows of a CSV export as contract dicts, numbered from 1 (the row after the header)."""
    reader = csv.reader(lines, strict=True)
    number = 0
    try:
        header = next(reader, None)
        if header is None:
            raise ImportProblem("the file is empty")
        missing = [f for f in FIELDS if f not in header]
        if missing:
            names = ", ".join(missing)
            raise ImportProblem(f"not a rejection-tui CSV export (missing columns: {names})")
        twice = sorted({f for f in (*FIELDS, *OPTIONAL_FIELDS) if header.count(f) > 1})
        if twice:
            raise ImportProblem("the header names a column twice: " + ", ".join(twice))
        columns = {name: header.index(name) for name in (*FIELDS, *OPTIONAL_FIELDS) if name in header}
        for row in reader:
            if not row or (len(row) == 1 and row[0].startswith(NOTE_MARK)):
                continue  # a blank line, or a note such as "# 2 entries ... could not be read"
            number += 1
            imported.rows = number
            if number % PROGRESS_EVERY == 0:
                report()
            if len(row) != len(header):
                raise ImportProblem(
                    f"row {number} has {len(row)} cells but the header has {len(header)}; "
                    "every row must have one cell per column"
                )
            try:
                yield number, _row_from_csv(row, columns)
            except ValidationError as error:
                raise ImportProblem(f"row {number}: {'; '.join(error.messages)}") from None
    except csv.Error as error:
        raise ImportProblem(f"row {number + 1} is not valid CSV ({error})") from None


def _refuse_constant(name: str) -> Any:
    raise ImportProblem(f"the file holds {name}, which is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ImportProblem(f"the file holds the number {text[:20]}, which is too large to keep")
    return value


def _whole_number(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > (sys.get_int_max_str_digits() or 4300):
        raise ImportProblem(f"the file holds a number with {digits:,} digits, too long to read")
    return int(text)


def _json_rows(text: str, imported: ImportFile) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        document = json.loads(
            text, parse_constant=_refuse_constant, parse_float=_finite, parse_int=_whole_number
        )
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ImportProblem(f"not valid JSON ({error.msg} at {where})") from None
    except RecursionError:
        raise ImportProblem("the file is nested too deeply to be an export") from None
    if not isinstance(document, dict) or not isinstance(document.get("attempts"), list):
        raise ImportProblem("a JSON import must be an object with an 'attempts' list (as export writes)")
    unreadable = document.get("unreadable", [])
    if not isinstance(unreadable, list) or not all(isinstance(doc, dict) for doc in unreadable):
        raise ImportProblem("the 'unreadable' entries of a JSON import must be a list of objects")
    for number, doc in enumerate(unreadable, start=1):
        if not _storable(doc):
            raise ImportProblem(f"unreadable entry {number} cannot be kept in a journal")
    imported.unreadable = unreadable
    if any(part in document for part in BACKUP_PARTS):
        imported.backup = _backup_part(document)
    imported.rows = len(document["attempts"]) + len(unreadable)
    yield from enumerate(document["attempts"], start=1)


def _storable(value: object) -> bool:
    try:
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ValueError, RecursionError):
        return False
    return True


def _backup_part(document: dict[str, Any]) -> FullBackup:
    """A backup's challenges, ladder and settings, checked; ``ImportProblem`` names what is wrong."""
    raw = document.get("challenges", [])
    if not isinstance(raw, list) or not all(isinstance(doc, dict) for doc in raw):
        raise ImportProblem("the 'challenges' of a backup must be a list of objects")
    builtin = {c.id for c in builtin_challenges()}
    challenges: list[Challenge] = []
    seen: set[str] = set()
    for number, doc in enumerate(raw, start=1):
        try:
            challenge = Challenge.from_dict(doc)
        except ValidationError as error:
            raise ImportProblem(f"challenge {number}: {'; '.join(error.messages)}") from None
        except (TypeError, ValueError, RecursionError):
            raise ImportProblem(f"challenge {number}: not a challenge record") from None
        if challenge.source != "custom":
            raise ImportProblem(
                f"challenge {number} ({shown(challenge.title)}) is not a custom one; "
                "built-in challenges come with the app"
            )
        if challenge.id in builtin:
            raise ImportProblem(
                f"challenge {number} ({shown(challenge.title)}) has the id {shown(challenge.id)}, "
                "which a built-in challenge has"
            )
        if challenge.id in seen:
            raise ImportProblem(f"challenge {number}: the id {shown(challenge.id)} appears twice in the file")
        seen.add(challenge.id)
        challenges.append(challenge)
    raw_ladder = document.get("ladder")
    if raw_ladder is not None and not isinstance(raw_ladder, dict):
        raise ImportProblem("the 'ladder' of a backup must be an object, or null when there is none")
    try:
        ladder = Ladder.from_dict(raw_ladder)
    except ValidationError as error:
        raise ImportProblem(f"the ladder: {'; '.join(error.messages)}") from None
    except (TypeError, ValueError, RecursionError):
        raise ImportProblem("the ladder is not a ladder record") from None
    settings = document.get("settings", {})
    if not isinstance(settings, dict):
        raise ImportProblem("the 'settings' of a backup must be an object of names and values")
    for key, value in settings.items():
        if not _storable(value):
            raise ImportProblem(f"the setting {shown(key)} cannot be kept in a journal")
    return FullBackup(tuple(challenges), ladder if ladder.rungs else None, dict(settings))


def _attempts(rows: Iterable[tuple[int, object]], imported: ImportFile) -> ImportFile:
    seen: set[str] = set()
    for number, data in rows:
        try:
            attempt = Attempt.from_dict(data)  # type: ignore[arg-type]
        except ValidationError as error:
            raise ImportProblem(f"row {number}: {'; '.join(error.messages)}") from None
        except (TypeError, AttributeError, ValueError, OverflowError, RecursionError):
            raise ImportProblem(f"row {number}: not an attempt record") from None
        if attempt.id in seen:
            raise ImportProblem(f"row {number}: the id {attempt.id} appears twice in the file")
        seen.add(attempt.id)
        imported.attempts.append(attempt)
    return imported


REPORT_START = "# Rejection practice report"


def import_kind(head: str, suffix: str = "") -> str:
    """What a file is, "json", "csv" or "markdown": by its content when that tells (its first
    characters, ``head``), else by its extension (``suffix``, such as ".json"); CSV otherwise.

    So a damaged ``.json`` is told what is wrong with it as JSON, never that it is
    "not a CSV export".
    """
    first_line = head.split("\n", 1)[0]
    if head.startswith(("{", "[")):
        return "json"
    if head.startswith(REPORT_START):
        return "markdown"
    if "challenge_id" in first_line and "," in first_line:
        return "csv"  # a CSV export's header, whatever the file is called
    return {".json": "json", ".md": "markdown", ".markdown": "markdown"}.get(suffix.lower(), "csv")


def read_import(text: str, *, suffix: str = "") -> ImportFile:
    """Read a CSV or JSON export held in ``text``; one bad row rejects the whole file.

    ``suffix`` is the file's extension, when there is a file (see :func:`import_kind`).
    """
    stripped = text.removeprefix("\ufeff").lstrip()
    imported = ImportFile()
    kind = import_kind(stripped[:4096], suffix)
    if kind == "markdown":
        raise ImportProblem(
            "this is a Markdown report, which is for reading and cannot be imported; "
            "import a JSON or CSV export instead"
        )
    if kind == "json":
        if not stripped:
            raise ImportProblem("the file is empty")
        return _attempts(_json_rows(stripped, imported), imported)
    # newline="": carriage returns inside quoted notes must survive.
    return _attempts(_csv_rows(io.StringIO(stripped, newline=""), imported, lambda: None), imported)


def read_import_file(path: Path, progress: Progress | None = None) -> ImportFile:
    """Read an export file: CSV streamed row by row (memory stays small), JSON at once.

    Bytes are decoded as UTF-8 (a byte order mark is fine) without touching
    line ends, so CR and CRLF inside a quoted CSV cell read back exactly.
    ``OSError`` when the file cannot be opened; ``ImportProblem`` otherwise.
    """
    with open(path, "rb") as raw:
        return read_import_stream(raw, path.suffix, progress)


def read_import_stream(raw: BinaryIO, suffix: str, progress: Progress | None = None) -> ImportFile:
    """``read_import_file`` of an open binary file (``suffix``: the name's, as a hint)."""
    size = _size(raw)
    start = raw.read(4096)
    head = start.removeprefix(b"\xef\xbb\xbf").lstrip()
    raw.seek(0)
    try:
        if import_kind(head.decode("utf-8", errors="ignore"), suffix) != "csv":
            return read_import(raw.read().decode("utf-8-sig"), suffix=suffix)
        imported = ImportFile()

        def report() -> None:
            if progress is not None:
                progress(imported.rows, raw.tell() / size if size else None)

        lines = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        result = _attempts(_csv_rows(lines, imported, report), imported)
        if progress is not None:
            progress(imported.rows, 1.0)
        lines.detach()
        return result
    except UnicodeDecodeError as error:
        where = f"{error.reason} near byte {error.start:,}"
        raise ImportProblem(f"the file is not UTF-8 text ({where})") from None


def _size(raw: BinaryIO) -> int:
    try:
        return raw.seek(0, io.SEEK_END)
    finally:
        raw.seek(0)


def parse_import(text: str) -> list[Attempt]:
    """The attempts of a CSV or JSON export held in ``text``; one bad row rejects the whole file."""
    return read_import(text).attempts
