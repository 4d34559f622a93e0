"""Encryption at rest in the storage (issue 14): round trips, refusals, the header parser.

scrypt's cost is lowered to 2^10 here (each unlock at the real 2^15 takes
~0.1 s; the header records the cost, so files made here unlock at 2^10
too). tests/test_cli_encryption.py runs the real parameters.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from rejection_tui.domain.models import Challenge, Outcome
from rejection_tui.locations import device_id
from rejection_tui.storage import sealed
from rejection_tui.storage.backups import all_backups, daily_backup_path
from rejection_tui.storage.decoding import read_journal
from rejection_tui.storage.encryption import change_passphrase, decrypt, encrypt
from rejection_tui.storage.envelope import (
    FORMAT,
    MAGIC,
    RecoveryKey,
    SealedTooNew,
    SealedUnreadable,
    is_sealed,
    split_header,
)
from rejection_tui.storage.errors import JournalHasNoRecoveryKey, JournalUnreadable, JournalWrongPassphrase
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.safe_storage import parse
from rejection_tui.storage.sealed import Keys, WrongPassphrase, new_recovery_key
from tests.conftest import NOW, planned

P1 = "correct horse battery"
P2 = "a different passphrase"
REFUSED = (JournalUnreadable, JournalWrongPassphrase)


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**10)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def document(raw: bytes, passphrase: str | None = None) -> dict[str, Any]:
    """The parsed journal in ``raw``, opened with ``passphrase`` when sealed."""
    if is_sealed(raw):
        assert passphrase is not None
        raw = Keys.unlock(raw, passphrase).open(raw)
    parsed: dict[str, Any] = json.loads(raw)
    return parsed


def everything(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sealed_journal(
    path: Path, *, with_attempt: Challenge | None = None, recovery: str | None = None
) -> bytes:
    """A new journal at ``path`` encrypted under P1; its bytes."""
    with Journal.open(path, clock=lambda: NOW) as journal:
        if with_attempt is not None:
            journal.add_attempt(planned(with_attempt, note="a note"))
        encrypt(journal, P1, recovery)
    return path.read_bytes()


# -- round trips ----------------------------------------------------------------


def test_encrypt_use_then_decrypt_gives_the_same_document_which_stock_tinydb_reads(
    tmp_path: Path, challenge: Challenge
) -> None:
    path = tmp_path / "data" / "journal.json"
    clock = Clock(NOW)
    recovery = new_recovery_key()
    with Journal.open(path, clock=clock) as journal:
        first = journal.add_attempt(planned(challenge, note="first note"))
        second = journal.add_attempt(planned(challenge, fear=30, note="second note"))
        plain = path.read_bytes()
        encrypt(journal, P1, recovery)
        raw = path.read_bytes()
        assert is_sealed(raw) and not is_sealed(plain)
        assert document(raw, P1) == json.loads(plain)  # the same journal, sealed
        # Used while encrypted: rate, add, delete; the next day's first save makes a daily backup.
        journal.update_attempt(first.rate(fear_after=20, outcome=Outcome.ACCEPTED, lesson="it was fine"))
        journal.delete_attempt(second.id)
        clock.now = NOW + timedelta(days=1)
        on_disk_before = path.read_bytes()
        third = journal.add_attempt(planned(challenge, fear=80, at=clock.now, note="third note"))
    daily = daily_backup_path(path, clock.now.date(), device_id())
    assert daily.read_bytes() == on_disk_before  # copied as ciphertext
    assert all(is_sealed(b.read_bytes()) for b in all_backups(path))
    with Journal.open(path, clock=clock, passphrase=lambda: P1) as journal:
        assert {a.id for a in journal.list_attempts()} == {first.id, third.id}
        before = document(path.read_bytes(), P1)
        converted = decrypt(journal)
    after = path.read_bytes()
    assert not is_sealed(after)
    assert json.loads(after) == before
    assert converted.done == len(all_backups(path)) and not converted.skipped
    for backup in all_backups(path):
        parse(backup.read_bytes())  # each one plain and a journal again
    assert document(daily.read_bytes()) == document(on_disk_before, P1)
    stock = TinyDB(path)
    try:
        assert stock.tables() == set(before)
        assert stock.table("attempts").all() == list(before["attempts"].values())
        assert {d["id"]: d["status"] for d in stock.table("attempts").all()} == {
            first.id: "done",
            third.id: "planned",
        }
    finally:
        stock.close()


def test_a_changed_passphrase_refuses_the_old_one_everywhere_and_the_recovery_key_still_opens(
    tmp_path: Path, challenge: Challenge
) -> None:
    path = tmp_path / "journal.json"
    recovery = new_recovery_key()
    sealed_journal(path, with_attempt=challenge, recovery=recovery)
    with Journal.open(path, passphrase=lambda: P1) as journal:
        attempts = journal.list_attempts()
        converted = change_passphrase(journal, P2, None, keep_recovery=True)
    assert converted.done == len(all_backups(path)) >= 2 and not converted.skipped
    raw = path.read_bytes()
    with pytest.raises(JournalWrongPassphrase):
        Journal.open(path, passphrase=lambda: P1)
    assert path.read_bytes() == raw
    with Journal.open(path, passphrase=lambda: P2) as journal:
        assert journal.list_attempts() == attempts
    with Journal.open(path, passphrase=lambda: RecoveryKey(recovery)) as journal:
        assert journal.list_attempts() == attempts
    for backup in all_backups(path):  # no copy still opens with the old passphrase
        copy = backup.read_bytes()
        Keys.unlock(copy, P2)
        with pytest.raises(WrongPassphrase):
            Keys.unlock(copy, P1)
    # A new recovery key: the old one stops working.
    fresh = new_recovery_key()
    with Journal.open(path, passphrase=lambda: P2) as journal:
        change_passphrase(journal, P1, fresh, keep_recovery=False)
    raw = path.read_bytes()
    Keys.unlock(raw, P1)
    Keys.unlock(raw, recovery=fresh)
    with pytest.raises(WrongPassphrase):
        Keys.unlock(raw, recovery=recovery)
    with pytest.raises(WrongPassphrase):
        Keys.unlock(raw, P2)


@pytest.mark.parametrize(
    "given",
    [P2, "", P1 + " ", P1.upper(), RecoveryKey(new_recovery_key()), RecoveryKey("not base32 at all!")],
    ids=["other", "empty", "trailing-space", "upper", "other-recovery-key", "garbled-recovery-key"],
)
def test_a_wrong_passphrase_is_refused_in_one_line_and_nothing_on_disk_changes(
    tmp_path: Path, challenge: Challenge, given: str
) -> None:
    path = tmp_path / "journal.json"
    sealed_journal(path, with_attempt=challenge, recovery=new_recovery_key())
    before = everything(tmp_path)
    with pytest.raises(JournalWrongPassphrase) as caught:
        Journal.open(path, passphrase=lambda: given)
    what = "recovery key" if isinstance(given, RecoveryKey) else "passphrase"
    assert "\n" not in caught.value.message
    assert f"That {what} does not open the journal {path}. The file was not changed." in caught.value.message
    assert everything(tmp_path) == before  # no file changed, none appeared (the lock file is kept)


def test_a_recovery_key_for_a_journal_that_has_none_says_so(tmp_path: Path, challenge: Challenge) -> None:
    path = tmp_path / "journal.json"
    sealed_journal(path, with_attempt=challenge)
    before = everything(tmp_path)
    with pytest.raises(JournalHasNoRecoveryKey) as caught:
        Journal.open(path, passphrase=lambda: RecoveryKey(new_recovery_key()))
    assert f"The journal {path} has no recovery key" in caught.value.message
    assert "\n" not in caught.value.message
    assert everything(tmp_path) == before


# -- damaged files ----------------------------------------------------------------


def refusal(path: Path, raw: bytes) -> str | None:
    """Write ``raw`` at ``path`` and open it: None when refused clearly and left as it was,
    else what went wrong (for a list of every failing case)."""
    path.write_bytes(raw)
    try:
        with Journal.open(path, passphrase=lambda: P1):
            return "opened"
    except REFUSED as error:
        if "\n" in error.message or str(path) not in error.message:
            return f"unclear: {error.message!r}"
    except Exception as error:
        return f"crashed: {error!r}"
    if path.read_bytes() != raw:
        return "the file was changed"
    return None


def test_a_flipped_bit_anywhere_in_the_header_or_body_is_refused_and_the_file_left_alone(
    tmp_path: Path,
) -> None:
    raw = sealed_journal(tmp_path / "journal.json")
    target = tmp_path / "tampered" / "journal.json"
    target.parent.mkdir()
    failures = []
    for position in range(len(raw)):
        tampered = raw[:position] + bytes([raw[position] ^ 0x01]) + raw[position + 1 :]
        problem = refusal(target, tampered)
        if problem:
            failures.append((position, raw[position : position + 1], problem))
    assert not failures, failures[:10]


def test_any_changed_byte_is_refused_whatever_it_becomes(tmp_path: Path) -> None:
    raw = sealed_journal(tmp_path / "journal.json")
    target = tmp_path / "tampered" / "journal.json"
    target.parent.mkdir()

    @settings(max_examples=200, deadline=None)
    @given(position=st.integers(0, len(raw) - 1), mask=st.integers(1, 255))
    def check(position: int, mask: int) -> None:
        tampered = raw[:position] + bytes([raw[position] ^ mask]) + raw[position + 1 :]
        assert refusal(target, tampered) is None

    check()


def test_a_header_from_another_journal_does_not_open_this_body(tmp_path: Path, challenge: Challenge) -> None:
    one = sealed_journal(tmp_path / "one" / "journal.json", with_attempt=challenge)
    other = sealed_journal(tmp_path / "other" / "journal.json")
    _, head, _ = split_header(one)
    _, _, body = split_header(other)
    problem = refusal(tmp_path / "spliced.json", head + body)
    assert problem is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("n", 1025),
        ("n", 2**40),
        ("n", 0),
        ("n", -1024),
        ("r", 10**6),
        ("p", 10**6),
        ("n", "1024x"),
        ("name", "argon2"),
    ],
)
def test_a_tampered_key_derivation_is_refused_in_words_never_a_crash_nor_gigabytes(
    tmp_path: Path, field: str, value: object
) -> None:
    """The header is authenticated only once the key is derived: its KDF part must be checked first."""
    raw = sealed_journal(tmp_path / "journal.json")
    header, _, body = split_header(raw)
    header["kdf"][field] = value
    head = json.dumps(header, sort_keys=True).encode()
    tampered = MAGIC + len(head).to_bytes(4, "big") + head + body
    assert refusal(tmp_path / "tampered.json", tampered) is None


def test_every_truncation_is_refused_and_left_alone(tmp_path: Path, challenge: Challenge) -> None:
    raw = sealed_journal(tmp_path / "journal.json", with_attempt=challenge)
    target = tmp_path / "cut" / "journal.json"
    target.parent.mkdir()
    failures = []
    for length in range(len(raw)):
        target.write_bytes(raw[:length])
        try:
            Journal.open(target, passphrase=lambda: P1).close()
            failures.append((length, "opened"))
        except JournalUnreadable as error:  # never "wrong passphrase": the header is intact or refused
            if "\n" in error.message:
                failures.append((length, error.message))
        except Exception as error:
            failures.append((length, repr(error)))
        if target.read_bytes() != raw[:length]:
            failures.append((length, "changed"))
    assert not failures, failures[:10]


def future_format(raw: bytes, passphrase: str) -> bytes:
    """``raw`` sealed again, properly, but saying it is in the next format."""
    keys = Keys.unlock(raw, passphrase)
    return Keys(keys.data, {**keys.header, "format": FORMAT + 1}).seal(keys.open(raw))


@pytest.mark.parametrize("reader", [False, True])
def test_a_newer_format_is_refused_and_never_overwritten(
    tmp_path: Path, challenge: Challenge, reader: bool
) -> None:
    path = tmp_path / "journal.json"
    newer = future_format(sealed_journal(path, with_attempt=challenge), P1)
    path.write_bytes(newer)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = everything(tmp_path)
    with pytest.raises(JournalUnreadable) as caught:
        Journal.open(path, reader=reader, passphrase=lambda: P1)
    assert f"newer format ({FORMAT + 1}; this version reads {FORMAT})" in caught.value.message
    assert "upgrade" in caught.value.message
    assert everything(tmp_path) == before
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_a_backup_in_a_newer_format_is_left_as_it_is_by_every_conversion(
    tmp_path: Path, challenge: Challenge
) -> None:
    path = tmp_path / "journal.json"
    raw = sealed_journal(path, with_attempt=challenge)
    future = daily_backup_path(path, (NOW - timedelta(days=3)).date(), device_id())
    future.write_bytes(future_format(raw, P1))
    kept = future.read_bytes()
    with Journal.open(path, passphrase=lambda: P1) as journal:
        changed = change_passphrase(journal, P2, None, keep_recovery=True)
        plain = decrypt(journal)
        again = encrypt(journal, P1, None)
    for converted in (changed, plain, again):
        assert [backup for backup, _ in converted.skipped] == [future]
    assert future.read_bytes() == kept


def test_an_encrypted_journal_is_refused_by_the_plain_reader_not_misread(
    tmp_path: Path, challenge: Challenge
) -> None:
    """What a build without encryption used: ``parse`` (and the fast path before it), stock TinyDB."""
    path = tmp_path / "journal.json"
    raw = sealed_journal(path, with_attempt=challenge)
    with pytest.raises(ValueError, match=r"not UTF-8 text|not valid JSON"):
        parse(raw)
    with pytest.raises(ValueError):
        read_journal(raw, parse)
    stock = TinyDB(path)
    try:
        with pytest.raises(ValueError):  # json's JSONDecodeError or UnicodeDecodeError
            stock.tables()
    finally:
        stock.close()
    assert path.read_bytes() == raw


# -- each save ------------------------------------------------------------------------


def test_every_save_has_a_fresh_nonce_and_keeps_the_same_keys(tmp_path: Path, challenge: Challenge) -> None:
    path = tmp_path / "journal.json"
    sealed_journal(path)
    headers = []
    with Journal.open(path, passphrase=lambda: P1) as journal:
        for fear in range(5):
            journal.add_attempt(planned(challenge, fear=fear))
            headers.append(split_header(path.read_bytes())[0])
    assert len({h["nonce"] for h in headers}) == len(headers)
    assert all({**h, "nonce": ""} == {**headers[0], "nonce": ""} for h in headers)


# -- the header parser ------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


def framed(head: bytes, body: bytes) -> bytes:
    return MAGIC + len(head).to_bytes(4, "big") + head + body


def only_refused(raw: bytes) -> None:
    """``split_header`` either returns or says why not (SealedUnreadable, SealedTooNew) — nothing else."""
    for header_only in (False, True):
        with contextlib.suppress(SealedUnreadable):
            split_header(raw, header_only=header_only)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_after_the_magic_are_refused_or_read_never_an_other_error(tail: bytes) -> None:
    only_refused(MAGIC + tail)


@settings(max_examples=300, deadline=None)
@given(head=st.binary(max_size=120), body=st.binary(max_size=40))
def test_any_header_bytes_of_the_stated_length_are_refused_or_read(head: bytes, body: bytes) -> None:
    only_refused(framed(head, body))


@settings(max_examples=300, deadline=None)
@given(value=json_values, body=st.binary(max_size=40))
def test_any_json_header_is_refused_or_read(value: Any, body: bytes) -> None:
    head = json.dumps(value).encode()
    only_refused(framed(head, body))
    nested = json.dumps({"format": value}).encode()
    only_refused(framed(nested, body))


@pytest.mark.parametrize(
    "head",
    [
        b'{"format": 1, "x": ' + b"[" * 30_000 + b"]" * 30_000 + b"}",  # deeper than json can go
        b'{"format": ' + b"9" * 5000 + b"}",  # longer than Python reads an int
        b'{"format": 1e400}',
        b'{"format": true}',
        b'{"format": 0}',
        b'{"format": "1"}',
        b'{"format": 1, "format": 2}',
        b"\xef\xbb\xbf{}",
        b"\xff\xfe",
        b"",
    ],
    ids=["deep", "long-int", "huge-float", "bool", "zero", "string", "twice", "bom", "not-utf8", "empty"],
)
def test_odd_headers_are_refused_in_words(head: bytes) -> None:
    raw = framed(head, bytes(32))
    if head == b'{"format": 1, "format": 2}':
        with pytest.raises(SealedTooNew):  # json keeps the last one
            split_header(raw)
        return
    with pytest.raises(SealedUnreadable) as caught:
        split_header(raw)
    assert not isinstance(caught.value, SealedTooNew)
    assert str(caught.value).startswith("its header")


@settings(max_examples=200, deadline=None)
@given(
    extra=st.dictionaries(st.text(max_size=6).filter(lambda k: k != "format"), json_values, max_size=6),
    version=st.integers(1, FORMAT),
    body=st.binary(min_size=16, max_size=64),
    spaced=st.booleans(),
)
def test_a_valid_header_reads_back_exactly(
    extra: dict[str, Any], version: int, body: bytes, spaced: bool
) -> None:
    header = {**extra, "format": version}
    head = json.dumps(header, sort_keys=True, indent=1 if spaced else None).encode()
    raw = framed(head, body)
    assert split_header(raw) == (header, raw[: len(raw) - len(body)], body)
    assert split_header(raw[: len(raw) - len(body)], header_only=True) == (
        header,
        raw[: len(raw) - len(body)],
        b"",
    )
    with pytest.raises(SealedUnreadable, match="cut short"):
        split_header(framed(head, body[:15]))


@settings(max_examples=100, deadline=None)
@given(version=st.integers(FORMAT + 1, 2**70), body=st.binary(min_size=16, max_size=32))
def test_a_newer_format_number_is_always_too_new(version: int, body: bytes) -> None:
    with pytest.raises(SealedTooNew) as caught:
        split_header(framed(json.dumps({"format": version}).encode(), body))
    assert caught.value.found == version


@functools.cache
def some_keys() -> Keys:
    return Keys.new(P1, 1, new_recovery_key())


@settings(max_examples=100, deadline=None)
@given(plaintext=st.binary(max_size=300))
def test_what_is_sealed_opens_to_the_same_bytes_and_keeps_its_header(plaintext: bytes) -> None:
    keys = some_keys()
    raw = keys.seal(plaintext)
    assert keys.open(raw) == plaintext
    assert raw != keys.seal(plaintext)  # a fresh nonce each time
    header, _, _ = split_header(raw)
    assert {**header, "nonce": None} == {**keys.header, "nonce": None}


def test_each_backup_is_converted_once_and_a_second_run_converts_none(
    journal_path: Path, challenge: Challenge
) -> None:
    from rejection_tui.storage.encryption import convert_backups

    with Journal.open(journal_path, clock=lambda: NOW) as journal:
        journal.add_attempt(planned(challenge))
        journal.storage().backup_now("by-hand")
        converted = encrypt(journal, "correct horse", None)
        # The daily one, the one by hand and the one encrypt takes first: each once.
        assert converted.done == len(all_backups(journal_path)) == 3
        keys = journal.storage().keys
        assert keys is not None
        again = convert_backups(journal_path, keys, keys)
    assert (again.done, again.skipped) == (0, [])
