"""Export and import: round trips, reports, and all-or-nothing imports."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.journal_factory import sample_attempts, write_journal
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
    parse_import,
)
from rejection_tui.storage.journal import Journal
from tests.conftest import NOW, done, planned

TIME = next(c for c in builtin_challenges() if c.id == "ask-the-time")
safe_text = st.text(max_size=40).filter(
    lambda s: "\x00" not in s and not any(0xD800 <= ord(c) <= 0xDFFF for c in s)
)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rejection_tui", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )


@st.composite
def attempts(draw: st.DrawFn) -> Attempt:
    challenge = draw(st.sampled_from(builtin_challenges()))
    created = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=draw(st.integers(-12, 14))))) + timedelta(
        minutes=draw(st.integers(0, 500_000))
    )
    attempt = Attempt.plan(
        challenge,
        fear_before=draw(st.integers(0, 100)),
        p_rejection=draw(st.none() | st.integers(0, 100)),
        worry=draw(safe_text),
        worry_cost=draw(st.none() | st.integers(0, 100)),
        note=draw(safe_text),
        now=created,
    )
    if draw(st.booleans()):
        attempt = attempt.rate(
            fear_after=draw(st.integers(0, 100)),
            outcome=draw(st.sampled_from(list(Outcome))),
            worry_happened=draw(st.sampled_from([None, True, False])),
            lesson=draw(safe_text),
            safety_behaviours=tuple(
                draw(st.lists(st.sampled_from(["rehearsed", "apologised", "other"]), unique=True))
            ),
            now=created + timedelta(hours=1),
        )
    return attempt


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(attempts(), max_size=8))
def test_export_then_import_gives_an_identical_journal(tmp_path: Path, records: list[Attempt]) -> None:
    for export in (export_csv, export_json):
        back = parse_import(export(records))
        assert sorted(back, key=lambda a: a.id) == sorted(records, key=lambda a: a.id)
    # Into a fresh journal, through the real files.
    target = tmp_path / f"fresh-{os.urandom(4).hex()}.json"
    with Journal.open(target, clock=lambda: NOW) as journal:
        assert journal.merge_attempts(parse_import(export_json(records))) == (len(records), 0, 0)
        # Importing the same file again changes nothing.
        assert journal.merge_attempts(parse_import(export_csv(records))) == (0, 0, len(records))
    with Journal.open(target, clock=lambda: NOW) as journal:
        assert sorted(journal.list_attempts(), key=lambda a: a.id) == sorted(records, key=lambda a: a.id)


def test_csv_has_every_contract_field_and_planned_attempts() -> None:
    text = export_csv([done(TIME), planned(TIME)])
    header, *rows = text.splitlines()
    assert header.split(",") == [*FIELDS, *OPTIONAL_FIELDS]
    assert len(rows) == 2 and any(",planned," in r for r in rows)


def test_json_export_is_every_field() -> None:
    document = json.loads(export_json([done(TIME)]))
    assert set(document["attempts"][0]) == set(FIELDS)


def test_markdown_report_reads_like_before_and_after() -> None:
    attempt = planned(TIME, fear=70, worry="they laugh").rate(
        fear_after=30, outcome=Outcome.REJECTED, worry_happened=False, lesson="It was fine", now=NOW
    )
    report = export_markdown([attempt], summarise([attempt], NOW, rest_days=set()))
    assert "# Rejection practice report" in report
    for line in (
        "- Expected fear: 70/100",
        "- Afraid that: they laugh",
        "- What happened: rejected",
        "- Felt fear (peak): 30/100",
        "- Did the feared thing happen: no",
        "- Learned: It was fine",
        "- Rejection rate: 100 %",
    ):
        assert line in report


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda rows: rows.__setitem__(2, rows[2].replace(",70,", ",170,", 1)), "row 2: Fear before must be"),
        (
            lambda rows: rows.__setitem__(1, rows[1].replace("rejected", "won")),
            "row 1: Outcome must be one of",
        ),
        (
            lambda rows: rows.__setitem__(0, rows[0].replace("fear_after", "fear_later")),
            "missing columns: fear_after",
        ),
        (lambda rows: rows.append(rows[1]), "row 3: the id"),
    ],
)
def test_one_bad_row_rejects_the_whole_import_and_the_journal_stays_byte_identical(
    journal: Journal,
    journal_path: Path,
    mangle,
    reason: str,  # type: ignore[no-untyped-def]
) -> None:
    journal.add_attempt(done(TIME, at=NOW - timedelta(days=3)))
    before = journal_path.read_bytes()
    rows = export_csv([done(TIME, before=70), done(TIME, before=70)]).splitlines()
    mangle(rows)
    with pytest.raises(ImportProblem, match=reason):
        journal.merge_attempts(parse_import("\n".join(rows)))
    assert journal_path.read_bytes() == before


def test_import_updates_changed_rows_in_one_go_with_a_backup(journal: Journal, journal_path: Path) -> None:
    original = journal.add_attempt(planned(TIME))
    rated = original.rate(fear_after=10, outcome=Outcome.ACCEPTED, now=NOW)
    extra = done(TIME)
    assert journal.merge_attempts([rated, extra]) == (1, 1, 0)
    assert journal.get_attempt(original.id) == rated
    assert journal.count_attempts() == 2
    assert list((journal_path.parent / "backups").glob("*before-import*"))


def test_json_import_refuses_other_json() -> None:
    with pytest.raises(ImportProblem, match="'attempts' list"):
        parse_import('{"hello": 1}')
    with pytest.raises(ImportProblem, match="not valid JSON"):
        parse_import("{oops")


def test_cli_stats_export_import(tmp_path: Path) -> None:
    source = write_journal(tmp_path / "source.json", 40)
    stats = cli("--db", str(source), "stats")
    assert stats.returncode == 0 and "Done attempts:        38" in stats.stdout

    out = tmp_path / "out" / "all.csv"
    (tmp_path / "out").mkdir()
    exported = cli("--db", str(source), "export", "--format", "csv", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert len(out.read_text(encoding="utf-8").splitlines()) == 41

    markdown = cli("--db", str(source), "export", "--format", "markdown")
    assert markdown.stdout.startswith("# Rejection practice report")

    target = tmp_path / "target.json"
    imported = cli("--db", str(target), "import", str(out))
    assert imported.returncode == 0 and "40 added, 0 updated, 0 already there" in imported.stdout
    again = cli("--db", str(target), "import", str(out))
    assert "0 added, 0 updated, 40 already there" in again.stdout
    with Journal.open(target) as a, Journal.open(source) as b:
        assert sorted(a.list_attempts(), key=lambda x: x.id) == sorted(b.list_attempts(), key=lambda x: x.id)


def test_cli_bad_import_writes_nothing(tmp_path: Path) -> None:
    target = write_journal(tmp_path / "journal.json", 5)
    before = target.read_bytes()
    bad = tmp_path / "bad.csv"
    rows = export_csv(sample_attempts(5)).splitlines()
    rows[2] = rows[2].replace(",done,", ",finished,")
    bad.write_text("\n".join(rows), encoding="utf-8")
    result = cli("--db", str(target), "import", str(bad))
    assert result.returncode == 1
    assert "nothing imported" in result.stderr and "row 2: Status must be planned or done" in result.stderr
    assert target.read_bytes() == before


def test_cli_stats_without_a_journal_says_so(tmp_path: Path) -> None:
    result = cli("--db", str(tmp_path / "none.json"), "stats")
    assert result.returncode == 2 and "no journal" in result.stderr
    assert not (tmp_path / "none.json").exists()


def test_retro_and_via_survive_csv_and_json_and_old_csvs_still_import() -> None:
    logged = replace(done(TIME), retro=True, via="shell")
    for text in (export_csv([logged]), export_json([logged])):
        assert parse_import(text) == [logged]
    header, row = export_csv([done(TIME)]).splitlines()
    optional = len(OPTIONAL_FIELDS)
    old = ",".join(header.split(",")[: len(FIELDS)]) + "\n" + row.rsplit(",", optional)[0] + "\n"
    (read,) = parse_import(old)
    assert (read.retro, read.via) == (False, "app")
    with pytest.raises(ImportProblem, match='retro must be true, false or empty, not "maybe"'):
        parse_import(header + "\n" + row.rsplit(",", optional)[0] + ",maybe,app" + "," * (optional - 2) + "\n")
