"""The fast typed read (storage/decoding.py, issue 12) gives exactly what the strict reader gives.

Every journal below is read twice: by ``read_journal`` (msgspec, typed, with
per-record fallback) and by today's strict path (``parse`` then
``Attempt.from_dict`` on each attempt). Both must refuse the same files
with the same message, or read the same tables, the same attempts (field by
field, types included), the same reasons for the unreadable ones and the
same stored documents.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.journal_factory import sample_attempts, write_journal
from rejection_tui.domain.models import Outcome
from rejection_tui.locations import device_id
from rejection_tui.storage import decoding
from rejection_tui.storage.decoding import from_document, materialize, read_journal
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.migrations import SCHEMA_VERSION, new_document
from rejection_tui.storage.safe_storage import parse
from rejection_tui.storage.stamps import stamp, stamped, tombstone
from tests.conftest import NOW

FIXTURES = Path(__file__).parent / "fixtures"


def outcome(read: Any, raw: bytes) -> tuple[Any, ...]:
    try:
        loaded = read(raw)
    except ValueError as error:
        return ("refused", str(error))
    attempts = []
    for entry in loaded.attempts:
        if len(entry) == 2:
            attempts.append((entry[0], repr(entry[1]), None))
        else:
            attempts.append((entry[0], ("unreadable", entry[1].messages, entry[1].fields), entry[2]))
    return ("read", loaded.tables, attempts)


def assert_same(raw: bytes) -> tuple[Any, ...]:
    fast = outcome(lambda r: read_journal(r, parse), raw)
    assert fast == outcome(lambda r: from_document(parse(r)), raw)
    if fast[0] == "read":
        assert materialize(raw, parse) == parse(raw)
    return fast


def took_fast_path(raw: bytes) -> bool:
    try:
        decoding._fast(raw)
    except decoding._Strict:
        return False
    return True


def base_record(index: int = 0) -> dict[str, Any]:
    return sample_attempts(4, seed=3)[index].to_dict()


def journal_text(records: list[str], *, separators: tuple[str, str] = (", ", ": ")) -> str:
    """A journal with these attempt documents (JSON text each), ids 1, 2, 3…"""
    document = new_document(NOW)
    document["settings"] = {"1": {"key": "welcomed", "value": True}}
    head = json.dumps(document, ensure_ascii=False, separators=separators)[:-1]
    item, key = separators
    body = item.join(f'"{i + 1}"{key}{text}' for i, text in enumerate(records))
    return f'{head}{item}"attempts"{key}{{{body}}}}}'


def record_text(record: dict[str, Any], **raw_fields: str) -> str:
    """``record`` as JSON, with fields given as raw JSON text (say ``1e400``) put in place."""
    text = json.dumps({**record, **{name: f"@@{name}@@" for name in raw_fields}}, ensure_ascii=False)
    for name, raw in raw_fields.items():
        text = text.replace(f'"@@{name}@@"', raw)
    return text


def test_a_journal_the_app_wrote_takes_the_fast_path_and_reads_the_same(tmp_path: Path) -> None:
    raw = write_journal(tmp_path / "j.json", 300).read_bytes()
    assert took_fast_path(raw)
    result = assert_same(raw)
    assert result[0] == "read" and len(result[2]) == 300


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_every_hostile_fixture_reads_or_is_refused_as_before(fixture: str) -> None:
    assert_same((FIXTURES / fixture).read_bytes())


VALUES = [
    "null", '""', '"   "', "0", "-1", "1", "10", "11", "100", "101", "true", "false", "1.0", "5.5", "-0",
    "1e400", "-1e400", "NaN", "Infinity", "9" * 30, "9" * 5000, "[]", '["a"]', '[""]', '["a", 1]', "{}",
    '{"a": 1, "a": 2}', '"' + "x" * 2000 + '"', '"' + "x" * 2001 + '"', '"' + "é" * 2000 + '"',
    '"a\\u0000b"', '"\\ud800"', '"\\ud83d\\ude00"', '"\\"quoted\\": yes"', '":-)"', '"a\\nb"',
    '"planned"', '"done"', '"rejected"', '"maybe"', '"2026-01-01T10:00:00"', '"2026-01-01T10:00:00z"',
    '"2026-01-01T10:00:00Z"', '"2026-01-01T10:00:00.1234567+00:00"', '"1999-12-31T23:59:59+00:00"',
    '"2201-01-01T00:00:00+00:00"', '"2026-02-30T10:00:00+00:00"', '"not a date"', '"2026-01-01 10:00:00+01:30"',
]  # fmt: skip


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("name", list(base_record()))
def test_each_field_holding_each_odd_value_reads_as_before(name: str, value: str) -> None:
    for index in (0, 3):  # a done attempt and a planned one
        good = json.dumps(base_record(1), ensure_ascii=False)
        odd = record_text(base_record(index), **{name: value})
        assert_same(journal_text([good, odd, good.replace(base_record(1)["id"], "other-id")]).encode())


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace('"level": ', '"level": 3, "level": ', 1),  # a duplicate key
        lambda text: text.replace('"level": ', '"level" : 3, "level": ', 1),  # ... one with a space
        lambda text: text.replace('"level": ', '"level"\n: 3, "level": ', 1),
        lambda text: text.replace('"level": ', '"lev\\u0065l": 3, "level": ', 1),  # ... one escaped
        lambda text: text.replace('"level": ', '"level": 3, "lev\\u0065l": ', 1),
        lambda text: text.replace('"note": ', '"mood": "calm", "note": ', 1),  # an extra field
        lambda text: text.replace('"note": ', '"x": 1.5, "y": [1, {"z": null}], "note": ', 1),
        lambda text: text.replace('"note": ', '"x": 1e400, "note": ', 1),
        lambda text: text.replace('"note": ', '"x": {"a": 1, "a": 1}, "note": ', 1),
        lambda text: text.replace('"note": ', f'"x": {"9" * 4400}, "note": ', 1),
        lambda text: text.replace('"note": ""', '"note": "a\\" : b"', 1),  # text that looks like a key
        lambda text: text.replace('"level": 4', '"level": 4 ', 1),
        lambda text: text.replace(
            '"safety_behaviours": []', '"safety_behaviours": ["rehearsed", "other"]', 1
        ),
        lambda text: text.replace(', "safety_behaviours": []', "", 1),  # a missing field
        lambda text: text.replace("{", "[", 1),
    ],
)
def test_odd_records_read_as_before(change: Any) -> None:
    record = {**base_record(0), "level": 4, "note": ""}
    good = json.dumps(base_record(1), ensure_ascii=False)
    assert_same(journal_text([good, change(json.dumps(record, ensure_ascii=False)), good]).encode())


@pytest.mark.parametrize(
    "text",
    [
        lambda good: journal_text([good, good]).replace('"2": ', '"1": ', 1),  # a duplicate document id
        lambda good: journal_text([good, good]).replace('"2": ', '"01": ', 1),  # ... spelled apart
        lambda good: journal_text([good, good]).replace('"2": ', '"1" : ', 1),
        lambda good: journal_text([good, good]).replace('"2": ', '"2"\t: ', 1),
        lambda good: journal_text([good, good]).replace('"2": ', '"x": ', 1),
        lambda good: journal_text([good]).replace('"settings": ', '"settings": {}, "settings": ', 1),
        lambda good: journal_text([good]).replace('"settings": ', '"set\\u0074ings": {}, "settings": ', 1),
        lambda good: journal_text([good]).replace('"value": true', '"value": true, "value": false', 1),
        lambda good: journal_text([good]).replace('"value": true', '"value": NaN', 1),
        lambda good: journal_text([good]).replace('"value": true', '"value": 1e999', 1),
        lambda good: journal_text([good], separators=(",", ":")),
        lambda good: json.dumps(json.loads(journal_text([good])), indent=2),
        lambda good: "\ufeff" + journal_text([good]),
        lambda good: journal_text([good]) + " x",
        lambda good: journal_text([good]).replace(good, good.replace("e", "\\u0065")),
        lambda good: journal_text([good]).replace('"attempts": {', '"attempts": [', 1),
        lambda good: "[]",
        lambda good: "",
        lambda good: "{}",
    ],
)
def test_odd_files_read_or_are_refused_as_before(text: Any) -> None:
    good = json.dumps(base_record(1), ensure_ascii=False)
    assert_same(text(good).encode())


def test_invalid_utf8_in_an_attempt_is_refused_as_before() -> None:
    good = json.dumps(base_record(1), ensure_ascii=False)
    raw = journal_text([good, json.dumps({**base_record(0), "note": "@@"})]).encode().replace(b"@@", b"\xff")
    assert assert_same(raw) == ("refused", "the file is not UTF-8 text")


def test_a_journal_with_unreadable_records_opens_with_every_other_one(tmp_path: Path) -> None:
    """The fast path keeps per-record tolerance: bad records are set aside one by one, with today's
    reasons, and never send the file (or the other records) to the slow path."""
    records = [base_record(i) for i in range(4)]
    texts = [json.dumps(r, ensure_ascii=False) for r in records]
    texts[1] = record_text(records[1], fear_before="101")
    texts[2] = record_text(records[2], created_at='"yesterday"', extra="1")
    path = tmp_path / "j.json"
    path.write_text(journal_text(texts), encoding="utf-8")
    assert took_fast_path(path.read_bytes())
    with Journal.open(path, clock=lambda: NOW) as journal:
        assert {a.id for a in journal.list_attempts()} == {records[0]["id"], records[3]["id"]}
        problems = journal.problems()
    assert len(problems) == 2
    assert "document 2" in problems[0] and "Fear before must be a whole number from 0 to 100" in problems[0]
    assert "document 3" in problems[1] and "Created at is not a valid ISO 8601 date and time" in problems[1]


def test_a_save_after_a_fast_load_keeps_bad_records_and_extra_fields_byte_for_byte(tmp_path: Path) -> None:
    records = [base_record(i) for i in range(4)]
    bad = record_text(records[1], level="11")
    extra = json.dumps({**records[2], "mood": "calm", "x": 1.5, "y": [1, {"z": None}]}, ensure_ascii=False)
    texts = [
        json.dumps(records[0], ensure_ascii=False),
        bad,
        extra,
        json.dumps(records[3], ensure_ascii=False),
    ]
    path = tmp_path / "j.json"
    path.write_text(journal_text(texts), encoding="utf-8")
    assert took_fast_path(path.read_bytes())
    with Journal.open(path, clock=lambda: NOW) as journal:
        planned = journal.get_attempt(records[3]["id"])
        assert planned is not None and not planned.is_done
        journal.update_attempt(
            planned.with_before(fear_before=12, p_rejection=None, worry="", worry_cost=None)
        )
        shown = journal.get_attempt(records[2]["id"])
        assert shown is not None
        journal.update_attempt(shown.with_before(fear_before=13, p_rejection=None, worry="", worry_cost=None))
    saved = path.read_text(encoding="utf-8")
    assert f'"2": {bad}' in saved  # the unreadable one, untouched
    stored = json.loads(saved)["attempts"]
    assert stored["3"]["mood"] == "calm" and stored["3"]["x"] == 1.5 and stored["3"]["y"] == [1, {"z": None}]
    assert stored["3"]["fear_before"] == 13 and stored["4"]["fear_before"] == 12
    assert stored["1"] == records[0]


# -- saving: the attempts nobody changed are written back as they were (RawTable) ------------


def test_a_save_writes_what_json_dumps_of_the_whole_document_writes(tmp_path: Path) -> None:
    path = write_journal(tmp_path / "j.json", 200)
    before = json.loads(path.read_text(encoding="utf-8"))
    with Journal.open(path, clock=lambda: NOW) as journal:
        planned = next(a for a in journal.list_attempts() if not a.is_done)
        rated = journal.update_attempt(planned.rate(fear_after=10, outcome=Outcome.REJECTED, now=NOW))
        added = journal.add_attempt(sample_attempts(1, seed=11)[0])
        removed = journal.list_attempts()[5]
        journal.delete_attempt(removed.id)
        journal.set_setting("theme", "nord")
    raw = path.read_bytes()
    # Schema 2 (issue 15): what a save changes is stamped with the journal's clock and this
    # device; a deletion leaves a tombstone. The file is schema 2 already: no migration.
    assert before["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    now, device = stamp(NOW), device_id()
    expected = before
    key = next(k for k, doc in before["attempts"].items() if doc["id"] == planned.id)
    expected["attempts"][key] = stamped({**before["attempts"][key], **rated.to_dict()}, now, device)
    expected["attempts"]["201"] = stamped(added.to_dict(), now, device)
    del expected["attempts"][next(k for k, doc in before["attempts"].items() if doc["id"] == removed.id)]
    expected["settings"]["2"] = stamped({"key": "theme", "value": "nord"}, now, device)
    expected["tombstones"] = {"1": tombstone("attempts", removed.id, now, device)}
    assert raw == json.dumps(expected, ensure_ascii=False).encode()


def test_a_save_keeps_hand_formatted_documents_byte_for_byte(tmp_path: Path) -> None:
    records = [base_record(i) for i in range(4)]
    texts = [json.dumps(r, ensure_ascii=False, indent=1) for r in records]  # an editor's layout
    path = tmp_path / "j.json"
    path.write_text(journal_text(texts), encoding="utf-8")
    with Journal.open(path, clock=lambda: NOW) as journal:
        journal.add_attempt(sample_attempts(1, seed=12)[0])
    saved = path.read_text(encoding="utf-8")
    for text in texts:
        assert text in saved
    assert len(json.loads(saved)["attempts"]) == 5


def test_a_raw_table_reads_like_a_table_of_documents() -> None:
    good = json.dumps(base_record(1), ensure_ascii=False)
    raw = journal_text([good, good.replace(base_record(1)["id"], "other")]).encode()
    document = materialize(raw, parse)
    table = document["attempts"]
    assert isinstance(table, decoding.RawTable)
    plain = parse(raw)
    assert document == plain and table == plain["attempts"] and plain["attempts"] == table
    assert dict(table) == plain["attempts"] and {**table} == plain["attempts"]
    assert copy.deepcopy(table) == plain["attempts"] and type(copy.deepcopy(table)) is dict
    assert json.loads(json.dumps(table)) == plain["attempts"]
    assert list(table.values()) == list(plain["attempts"].values())
    assert table.get("9") is None and table.get("1") == plain["attempts"]["1"]
    assert table.pop("2") == plain["attempts"]["2"] and list(table) == ["1"]


def test_the_saved_bytes_of_a_long_journal_are_kept_packed_and_serve_every_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from rejection_tui.storage import safe_storage

    monkeypatch.setattr(safe_storage, "_PACK_FROM", 1024)
    path = write_journal(tmp_path / "j.json", 50)
    before = json.loads(path.read_text(encoding="utf-8"))

    def packed(journal: Journal) -> bool:
        for _ in range(200):  # packed on another thread
            if isinstance(journal._storage._committed, safe_storage._Packed):
                return True
            time.sleep(0.01)
        return False

    with Journal.open(path, clock=lambda: NOW) as journal:
        assert packed(journal)
        assert journal._storage.read() == before
        added = journal.add_attempt(sample_attempts(1, seed=13)[0])
        assert packed(journal)
        assert journal._storage._saved() == path.read_bytes()
    assert json.loads(path.read_text(encoding="utf-8"))["attempts"]["51"] == stamped(
        added.to_dict(), stamp(NOW), device_id()
    )


@pytest.mark.parametrize(
    "extra",
    [
        '"retro": true', '"retro": false', '"retro": null', '"retro": "yes"', '"retro": 1',
        '"via": "shell"', '"via": "app"', '"via": null', '"via": "phone"', '"via": ""',
        '"retro": true, "via": "shell"', '"retro": true, "retro": true', '"via": "shell", "via": "shell"',
        '"retro" : true',
    ],
)  # fmt: skip
def test_retro_and_via_read_as_before(extra: str) -> None:
    """Issue 13's fields: written only when not their default, read alike on both paths."""
    good = json.dumps(base_record(1), ensure_ascii=False)
    for index in (0, 3):
        odd = json.dumps(base_record(index), ensure_ascii=False)[:-1] + ", " + extra + "}"
        assert_same(journal_text([good, odd, good.replace(base_record(1)["id"], "other-id")]).encode())


def test_a_journal_with_entries_from_the_shell_keeps_the_fast_path(tmp_path: Path) -> None:
    from dataclasses import replace

    attempts = sample_attempts(6, seed=5)
    marked = [replace(a, via="shell", retro=i % 2 == 0) if i < 4 else a for i, a in enumerate(attempts)]
    document = new_document(NOW)
    document["attempts"] = {str(i + 1): a.to_dict() for i, a in enumerate(marked)}
    raw = json.dumps(document, ensure_ascii=False).encode()
    assert took_fast_path(raw)
    loaded = read_journal(raw, parse)
    assert [entry[1] for entry in loaded.attempts] == marked
    assert_same(raw)
