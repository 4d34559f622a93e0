"""Deeper practice (issue 16) in the data surfaces: each new field refused when wrong, round trips
through CSV and JSON export and import, old journals and exports read as before, the `stats`
lines and the report's sections, and nos that became a yes counted apart from the rejections."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.domain.programs import rejection_days
from rejection_tui.domain.progress import rejection_rate, rejections, too_easy_rate
from rejection_tui.domain.stats import (
    Range,
    per_week,
    replay_check,
    summarise,
    summary_lines,
    surprise_check,
    weekly_rejection_rate,
)
from rejection_tui.domain.validation import ValidationError
from rejection_tui.storage.formats import (
    FIELDS,
    OPTIONAL_FIELDS,
    ImportProblem,
    export_csv,
    export_json,
    export_markdown,
    parse_import,
    read_import_file,
)
from rejection_tui.storage.journal import Journal
from tests.conftest import done

LIB = {c.id: c for c in builtin_challenges()}
TIME = LIB["ask-the-time"]
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STORAGE_FIXTURES = Path(__file__).resolve().parent / "storage" / "fixtures"


def at(days_ago: float) -> datetime:
    return NOW - timedelta(days=days_ago)


def rejected(days_ago: float = 0, **fields: Any) -> Attempt:
    return replace(done(TIME, outcome=Outcome.REJECTED, at=at(days_ago)), **fields).validated()


def accepted(days_ago: float = 0, **fields: Any) -> Attempt:
    return replace(done(TIME, outcome=Outcome.ACCEPTED, at=at(days_ago)), **fields).validated()


def deep() -> Attempt:
    """A rejected ask with every new field given, and text a spreadsheet or Markdown could run."""
    return rejected(
        surprise=80,
        cost_actual=10,
        p_rejection_next=35,
        replay=60,
        replay_note="=HYPERLINK(\"x\") <b>kind</b>; *really*",
        contexts=("phone", "the corner shop; Berlin", "+caller", "[odd]"),
        after_no=("asked_why", "tried_someone_else"),
        no_became_yes=True,
    )


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# -- each field: a bad value is refused with a readable message -----------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"surprise": 101}, "How surprised you were must be"),
        ({"cost_actual": -1}, "How bad it really was must be"),
        ({"p_rejection_next": "lots"}, "Next time's chance must be"),
        ({"replay": 200}, "How much you went over it must be"),
        ({"replay_skipped": "yes"}, "Replay skipped must be true or false"),
        ({"contexts": ("phone", "phone")}, "A context is listed twice"),
        ({"contexts": ("",)}, "Contexts must be a list of short names"),
        ({"after_no": ("begged",)}, "What you did after the no must be among asked_why"),
        ({"no_became_yes": "true"}, "Whether the no became a yes must be true or false"),
    ],
)
def test_each_new_field_refuses_a_bad_value_in_words(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as error:
        rejected(**fields)
    assert message in " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"after_no": ("asked_why",)}, "goes only with a rejected ask"),
        ({"no_became_yes": True}, "A no that became a yes goes only with a rejected ask"),
    ],
)
def test_after_a_no_goes_only_with_a_rejected_ask(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as error:
        accepted(**fields)
    assert message in " ".join(error.value.messages)


# -- round trips ----------------------------------------------------------------------


def test_every_new_field_survives_csv_and_json_export_and_import() -> None:
    attempts = [deep(), accepted(1, surprise=0, replay_skipped=True, contexts=("in person",)), rejected(2)]
    for text in (export_csv(attempts), export_json(attempts)):
        assert sorted(parse_import(text), key=lambda a: a.id) == sorted(attempts, key=lambda a: a.id)


def test_the_csv_has_a_column_per_new_field_and_clear_cells() -> None:
    text = export_csv([deep()])
    header = next(csv.reader(io.StringIO(text)))
    assert header == [*FIELDS, *OPTIONAL_FIELDS]
    for name in ("surprise", "cost_actual", "p_rejection_next", "replay", "replay_skipped", "replay_note",
                 "contexts", "after_no", "no_became_yes"):  # fmt: skip
        assert name in header
    (row,) = csv_rows(text)
    assert (row["surprise"], row["cost_actual"], row["p_rejection_next"], row["replay"]) == ("80", "10", "35", "60")
    assert row["after_no"] == "asked_why;tried_someone_else"
    assert row["no_became_yes"] == "true" and row["replay_skipped"] == "false"
    assert json.loads(row["contexts"]) == ["phone", "the corner shop; Berlin", "+caller", "[odd]"]
    assert row["replay_note"].startswith("'=HYPERLINK")  # neutralised, as other text


def test_no_new_cell_is_one_a_spreadsheet_would_run() -> None:
    odd = rejected(contexts=("=1+1",), replay_note="@SUM(A1)")
    cells = [cell for row in csv.reader(io.StringIO(export_csv([odd]), newline="")) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    (back,) = parse_import(export_csv([odd]))
    assert back.contexts == ("=1+1",) and back.replay_note == "@SUM(A1)"


def test_empty_cells_mean_not_given() -> None:
    plain = rejected()
    (row,) = csv_rows(export_csv([plain]))
    assert [row[name] for name in ("surprise", "cost_actual", "p_rejection_next", "replay", "replay_note",
                                   "contexts", "after_no")] == [""] * 7  # fmt: skip
    (back,) = parse_import(export_csv([plain]))
    assert back == plain and back.contexts == () and back.surprise is None and not back.no_became_yes


def test_hand_written_contexts_separated_by_semicolons_read_as_tags() -> None:
    text = export_csv([rejected()]).replace(",,,,false,,,,false\r\n", ",,,,false,,phone; a shop ,,false\r\n")
    (back,) = parse_import(text)
    assert back.contexts == ("phone", "a shop")


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("surprise", "lots", 'surprise must be a whole number, not "lots"'),
        ("surprise", "101", "How surprised you were must be a whole number from 0 to 100"),
        ("replay", "1.5", 'replay must be a whole number, not "1.5"'),
        ("replay_skipped", "maybe", 'replay_skipped must be true, false or empty, not "maybe"'),
        ("no_became_yes", "yes", 'no_became_yes must be true, false or empty, not "yes"'),
        ("after_no", "asked_why;pleaded", "What you did after the no must be among"),
        ("contexts", '["phone", 3]', "contexts must be a list of tags such as"),
        ("contexts", "[not json", "contexts must be a list of tags such as"),
    ],
)
def test_a_bad_new_cell_refuses_the_import_naming_row_and_reason(column: str, cell: str, message: str) -> None:
    (row,) = csv_rows(export_csv([rejected()]))
    row[column] = cell
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*FIELDS, *OPTIONAL_FIELDS], lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(row)
    with pytest.raises(ImportProblem, match="row 1: ") as error:
        parse_import(out.getvalue())
    assert message in str(error.value)


def test_after_a_no_on_an_accepted_row_is_refused_on_import() -> None:
    text = export_csv([accepted()]).replace(",false,,,,false\r\n", ",false,,,asked_why,false\r\n")
    with pytest.raises(ImportProblem, match="row 1: What you did after the no goes only with a rejected ask"):
        parse_import(text)


def test_a_json_import_refuses_a_bad_new_field_too() -> None:
    document = json.loads(export_json([rejected()]))
    document["attempts"][0]["contexts"] = "phone"
    with pytest.raises(ImportProblem, match="row 1: Contexts must be a list"):
        parse_import(json.dumps(document))


# -- old journals and exports ---------------------------------------------------------


def test_an_export_without_the_new_columns_still_imports_the_same() -> None:
    plain = rejected()
    header, row = export_csv([plain]).splitlines()
    issue_13 = len(FIELDS) + 2  # the columns up to retro and via
    older = ",".join(header.split(",")[:issue_13]) + "\n" + ",".join(row.split(",")[:issue_13]) + "\n"
    assert parse_import(older) == [plain]
    attempts = read_import_file(STORAGE_FIXTURES / "export_formulas.csv").attempts  # before issue 13
    assert attempts and all(
        (a.surprise, a.replay, a.contexts, a.after_no, a.no_became_yes) == (None, None, (), (), False)
        for a in attempts
    )


def test_a_json_export_of_attempts_without_the_fields_keeps_its_shape() -> None:
    plain = rejected()
    (saved,) = json.loads(export_json([plain]))["attempts"]
    assert not set(saved) & {"surprise", "cost_actual", "p_rejection_next", "replay", "replay_skipped",
                             "replay_note", "contexts", "after_no", "no_became_yes"}  # fmt: skip
    assert parse_import(export_json([plain])) == [plain]


def test_an_old_journal_reads_as_before_with_no_new_lines_in_stats(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    shutil.copy(FIXTURES / "journal_v1.json", path)
    with Journal.open(path) as journal:
        attempts = journal.list_attempts()
        summary = journal.summary(NOW)
    assert attempts and all(
        (a.surprise, a.cost_actual, a.p_rejection_next, a.replay, a.replay_skipped, a.replay_note,
         a.contexts, a.after_no, a.no_became_yes) == (None, None, None, None, False, "", (), (), False)
        for a in attempts
    )  # fmt: skip
    text = "\n".join(summary_lines(summary))
    for label in ("Surprised by it", "How bad it was", "Forecast updated", "Gone over it since", "became a yes"):
        assert label not in text
    report = export_markdown(attempts, summary)
    assert "What surprised you" not in report and "Going over it afterwards" not in report


# -- nos that became a yes: counted apart, never as rejections ------------------------


def test_a_no_that_became_a_yes_is_no_rejection_anywhere_it_is_counted() -> None:
    converted = rejected(0, no_became_yes=True)
    stayed = rejected(1)
    yes = accepted(2)
    attempts = [converted, stayed, yes]
    assert rejections(attempts) == 1
    assert rejection_rate(attempts) == pytest.approx(100 / 3)
    assert rejection_days([converted], NOW) == set()
    assert rejection_days(attempts, NOW) == {at(1).date()}
    summary = summarise(attempts, NOW, rest_days=set())
    assert (summary.rejections, summary.converted) == (1, 1)
    weekly = per_week(attempts, Range.WEEKS_4, NOW, 10)
    assert weekly.counts["rejected"][-1] == 2  # the no did happen: the outcome bars keep it
    assert weekly_rejection_rate(weekly)[-1] == pytest.approx(100 / 3)


def test_the_too_easy_check_sees_a_converted_no_as_a_yes() -> None:
    stayed = [rejected(i) for i in range(3)]
    converted = [rejected(10 + i, no_became_yes=True) for i in range(7)]
    assert too_easy_rate(stayed + converted) == pytest.approx(30)  # 3 nos in the last 10 asks


def test_stats_name_the_nos_that_became_a_yes_apart() -> None:
    summary = summarise([rejected(0, no_became_yes=True), rejected(1)], NOW, rest_days=set())
    lines = summary_lines(summary)
    assert "Rejections:           1" in lines
    assert "Nos that became a yes: 1 (counted apart, not as rejections)" in lines
    assert lines.index("Nos that became a yes: 1 (counted apart, not as rejections)") == 3


# -- stats lines ------------------------------------------------------------------------


def with_answers() -> list[Attempt]:
    return [
        rejected(0, surprise=80, cost_actual=10, p_rejection_next=30, replay=70, replay_note="It's fine"),
        accepted(1, surprise=20, cost_actual=30, p_rejection_next=60, replay=20),
        accepted(2, surprise=50, replay_skipped=True),
        replace(accepted(3, cost_actual=0, p_rejection_next=0), retro=True),  # hindsight: no forecast
    ]


def test_surprise_and_replay_are_summed_up_by_hand() -> None:
    attempts = [replace(a, worry_cost=90) if not a.retro else a for a in with_answers()]
    check = surprise_check(attempts)
    assert (check.rated, check.mean_surprise) == (3, 50)
    assert (check.costs, check.mean_cost_feared, check.mean_cost_actual) == (2, 90, 20)
    # p_rejection is 50 in tests.conftest's planned(): one lowered (30), one raised (60)
    assert (check.forecasts, check.mean_chance_before, check.mean_chance_next) == (2, 50, 45)
    assert (check.lowered, check.raised) == (1, 1)
    replay = replay_check(attempts)
    assert (replay.answered, replay.mean, replay.high, replay.skipped, replay.notes) == (2, 45, 1, 1, 1)


def test_stats_show_surprise_cost_forecast_and_replay_lines() -> None:
    attempts = [replace(a, worry_cost=90) if not a.retro else a for a in with_answers()]
    lines = summary_lines(summarise(attempts, NOW, rest_days=set()))
    assert "Surprised by it:      50 / 100 on average (3 asks)" in lines
    assert "How bad it was:       feared 90, really 20 (out of 100, mean of 2 asks)" in lines
    assert "Forecast updated:     chance of a no 50 % before, 45 % for next time (2 asks; lower 1, higher 1)" in lines
    assert "Gone over it since:   45 / 100 on average (2 answers, 1 at 50 or more, 1 skipped, 1 kind sentence)" in lines


def test_stats_show_a_skipped_replay_alone() -> None:
    lines = summary_lines(summarise([accepted(0, replay_skipped=True)], NOW, rest_days=set()))
    assert "Gone over it since:   — (1 skipped)" in lines
    assert not any(line.startswith(("Surprised by it", "How bad it was", "Forecast updated")) for line in lines)


def test_stats_command_prints_the_new_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rejection_tui import cli

    path = tmp_path / "journal.json"
    with Journal.open(path) as journal:
        journal.add_attempt(rejected(0, surprise=40, no_became_yes=True))
    assert cli.main(["stats", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Surprised by it:      40 / 100 on average (1 ask)" in out
    assert "Nos that became a yes: 1 (counted apart, not as rejections)" in out
    assert "Rejections:           0" in out


# -- the Markdown report --------------------------------------------------------------------


def test_the_report_has_surprise_and_replay_sections_with_nothing_run_as_markup() -> None:
    attempts = [replace(deep(), worry_cost=70), accepted(1, replay_skipped=True)]
    report = export_markdown(attempts, summarise(attempts, NOW, rest_days=set()))
    surprise = report.split("## What surprised you", 1)[1].split("##", 1)[0]
    assert "How surprised you were by what happened: 80 out of 100 on average, over 1 ask." in surprise
    assert "as feared beforehand: 70 out of 100 on average; how bad it really was: 10" in surprise
    assert "50 % on average; the chance you gave for next time, afterwards: 35 %" in surprise
    replay = report.split("## Going over it afterwards", 1)[1].split("##", 1)[0]
    assert "60 out of 100 on average, over 1 answer; 1 of them at 50 or more." in replay
    assert "The question was skipped once." in replay
    assert report.index("## What surprised you") < report.index("## Going over it afterwards") < report.index(
        "## Attempts"
    )
    # the summary keeps the stats lines but leaves these to their sections
    summary_part = report.split("## What surprised you", 1)[0]
    assert "Surprised by it" not in summary_part and "Nos that became a yes: 1" in summary_part
    # per attempt: the answers, and the person's words escaped
    assert "- How surprised by what happened: 80/100" in report
    assert "- How bad it really was: 10/100" in report
    assert "- Chance of a no next time: 35 %" in report
    assert "- After the no: I asked why, I tried someone else" in report
    assert "- In the end it became a yes (counted apart, not as a rejection)" in report
    assert "- Gone over it since, the day after: 60/100" in report
    assert "- Gone over it since, the day after: skipped" in report
    assert "\\<b\\>kind\\</b\\>" in report and "\\*really\\*" in report and "<b>" not in report
    assert "Contexts: phone, the corner shop; Berlin, +caller, \\[odd\\]" in report


def test_the_report_leaves_the_sections_out_without_answers() -> None:
    attempts = [rejected(), accepted(1)]
    report = export_markdown(attempts, summarise(attempts, NOW, rest_days=set()))
    assert "What surprised you" not in report and "Going over it afterwards" not in report
    assert "Contexts:" not in report and "became a yes" not in report


# -- any answers, any words: the round trip holds ---------------------------------------

_words = st.text(max_size=30).filter(
    lambda s: "\x00" not in s and not any(0xD800 <= ord(c) <= 0xDFFF for c in s)
)
_scores = st.none() | st.integers(0, 100)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scores=st.tuples(_scores, _scores, _scores, _scores),
    skipped=st.booleans(),
    note=_words,
    contexts=st.lists(_words.filter(lambda s: s.strip() != ""), max_size=10, unique=True),
    after_no=st.lists(st.sampled_from(["asked_why", "gave_reason", "tried_someone_else"]), unique=True),
    became_yes=st.booleans(),
    outcome=st.sampled_from(list(Outcome)),
)
def test_any_deeper_answers_come_back_exactly_through_csv_and_json(
    scores: tuple[int | None, int | None, int | None, int | None],
    skipped: bool,
    note: str,
    contexts: list[str],
    after_no: list[str],
    became_yes: bool,
    outcome: Outcome,
) -> None:
    rejected_ask = outcome == Outcome.REJECTED
    attempt = replace(
        done(TIME, outcome=outcome, at=NOW),
        surprise=scores[0],
        cost_actual=scores[1],
        p_rejection_next=scores[2],
        replay=scores[3],
        replay_skipped=skipped,
        replay_note=note,
        contexts=tuple(contexts),
        after_no=tuple(after_no) if rejected_ask else (),
        no_became_yes=became_yes and rejected_ask,
    ).validated()
    for text in (export_csv([attempt]), export_json([attempt])):
        assert parse_import(text) == [attempt]
