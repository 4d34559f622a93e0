"""Hostile journal files (issue 10, points 2, 4, 8, 9, 13): refused with one sentence, never changed.

Each file shape is a fixture in ``fixtures/`` (the huge ones are made here).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from rejection_tui import cli
from rejection_tui.storage.errors import JournalChangedOnDisk, JournalUnreadable, JournalWriteFailed
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.safe_storage import SafeJSONStorage
from tests.conftest import NOW

FIXTURES = Path(__file__).with_name("fixtures")


def reopen(path: Path) -> Journal:
    return Journal.open(path, clock=lambda: NOW)


def refused(path: Path) -> str:
    """Open ``path``: it must be refused with the file byte-identical; the message."""
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    with pytest.raises(JournalUnreadable) as caught:
        reopen(path)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    message = caught.value.message
    assert str(path) in message and "The file was not changed." in message
    assert "Traceback" not in message
    return message


@pytest.fixture
def place(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder / "journal.json"


def copy_fixture(name: str, target: Path) -> Path:
    shutil.copyfile(FIXTURES / name, target)
    return target


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail (instead of hanging the suite) if the test blocks for 10 s, and every second after."""

    def timeout(signum: int, frame: object) -> None:
        raise TimeoutError("blocked for 10 s")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.setitimer(signal.ITIMER_REAL, 10, 1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- 2. duplicate keys -----------------------------------------------------------


def test_two_documents_with_one_id_are_refused_naming_the_table_and_the_id(place: Path) -> None:
    message = refused(copy_fixture("duplicate_document_id.json", place))
    assert "table 'attempts' has two documents with id '1'" in message


def test_a_duplicated_field_is_refused_naming_the_document_and_the_field(place: Path) -> None:
    message = refused(copy_fixture("duplicate_field.json", place))
    assert "document 1 in table 'attempts' has the field 'note' twice" in message


def test_a_duplicated_table_and_a_nested_duplicate_are_refused(place: Path) -> None:
    place.write_bytes(b'{"meta": {"1": {"schema_version": 1}}, "attempts": {}, "attempts": {}}')
    assert "the table 'attempts' appears twice" in refused(place)
    place.write_bytes(
        b'{"meta": {"1": {"schema_version": 1}}, "settings": {"1": {"key": "k", "value": {"a": 1, "a": 2}}}}'
    )
    assert "field 'value' of document 1 in table 'settings' has the field 'a' twice" in refused(place)


# -- 8 (document ids) ------------------------------------------------------------


def test_a_document_id_int_cannot_read_is_refused_not_a_traceback(place: Path) -> None:
    message = refused(copy_fixture("superscript_document_id.json", place))
    assert "table 'attempts' has a document with the id '²'" in message
    assert 'plain digits such as "12"' in message


def test_two_spellings_of_one_document_id_are_refused(place: Path) -> None:
    # TinyDB turns "01" into 1 at the first write: one of the two would vanish.
    message = refused(copy_fixture("colliding_document_ids.json", place))
    assert "table 'attempts' has two documents with id 1 ('1' and '01'" in message


# -- 4 (non-finite numbers) ------------------------------------------------------


def test_1e400_is_refused_at_read_naming_the_field(place: Path) -> None:
    message = refused(copy_fixture("huge_float.json", place))
    assert "field 'fear_before' of document 1 in table 'attempts' is 1e400, a number too large to store" in (
        message
    )


def test_nan_is_refused_naming_the_field(place: Path) -> None:
    message = refused(copy_fixture("nan.json", place))
    assert "field 'p_rejection' of document 1 in table 'attempts' is NaN, which is not valid JSON" in message


@pytest.mark.parametrize(
    ("literal", "said"),
    [
        ("Infinity", "is Infinity, which is not valid JSON"),
        ("-Infinity", "is -Infinity, which is not valid JSON"),
        ("-1e400", "is -1e400, a number too large to store"),
    ],
)
def test_infinities_are_refused_naming_the_field(place: Path, literal: str, said: str) -> None:
    template = (FIXTURES / "nan.json").read_text(encoding="utf-8")
    place.write_text(template.replace("NaN", literal), encoding="utf-8")
    assert f"field 'p_rejection' of document 1 in table 'attempts' {said}" in refused(place)


def test_a_value_json_cannot_hold_fails_the_save_saying_where(place: Path) -> None:
    storage = SafeJSONStorage(place, clock=lambda: NOW)
    storage.write({"attempts": {"1": {"v": 1}}, "settings": {"4": {"key": "k", "value": [1, 2]}}})
    before = place.read_bytes()
    data = storage.read()
    data["settings"]["4"]["value"][1] = float("inf")
    with pytest.raises(JournalWriteFailed) as caught:
        storage.write(data)
    assert "field 'value'[1] of document 4 in table 'settings' is inf, which JSON cannot hold" in str(caught.value)
    assert place.read_bytes() == before
    storage.close()


# -- 13. messages: a BOM, a 5,000-digit integer -----------------------------------


def test_a_bom_from_an_editor_is_accepted_and_dropped_at_the_next_save(place: Path) -> None:
    copy_fixture("bom.json", place)
    with reopen(place) as journal:
        (attempt,) = journal.list_attempts()
        assert attempt.note == "déjà vu"
        journal.update_attempt(attempt)  # any save
    saved = place.read_bytes()
    assert not saved.startswith(b"\xef\xbb\xbf")
    assert json.loads(saved)["attempts"]["1"]["note"] == "déjà vu"  # stock json reads it again


def test_a_5000_digit_integer_is_one_clear_sentence(place: Path) -> None:
    template = (FIXTURES / "huge_float.json").read_text(encoding="utf-8")
    place.write_text(template.replace("1e400", "9" * 5000), encoding="utf-8")
    message = refused(place)
    assert "field 'fear_before' of document 1 in table 'attempts' is a number 5,000 digits long" in message
    assert "set_int_max_str_digits" not in message


# -- 9. non-regular files -----------------------------------------------------------


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays


def make_device_link(path: Path) -> None:
    path.symlink_to("/dev/null")


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (make_fifo, "a named pipe (FIFO)"),
        (make_socket, "a socket"),
        (make_device_link, "a character device"),
        (os.mkdir, "a folder"),
    ],
)
def test_anything_but_a_file_is_refused_at_once(
    tmp_path: Path, make: object, kind: str, no_hang: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "j"  # short: socket paths are limited to about 100 bytes
    make(path)  # type: ignore[operator]
    with pytest.raises(JournalUnreadable, match=re.escape(f"it is {kind}, not a regular file")):
        reopen(path)
    for command in (["stats"], []):
        assert cli.main(["--db", str(path), *command]) == cli.EXIT_JOURNAL
        err = capsys.readouterr().err
        assert f"it is {kind}, not a regular file" in err and "Traceback" not in err
    assert not list(tmp_path.glob("*.lock"))  # refused before anything was created


def test_a_fifo_swapped_in_while_open_is_not_read(place: Path, no_hang: None) -> None:
    storage = SafeJSONStorage(place, clock=lambda: NOW)
    place.unlink()
    os.mkfifo(place)
    with pytest.raises(JournalChangedOnDisk, match="was replaced by a named pipe"):
        storage.write({"attempts": {}})
    assert stat.S_ISFIFO(place.stat().st_mode)
    storage.close()
