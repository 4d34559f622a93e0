"""The inbox: entries handed over by the shell commands, taken in exactly once."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from rejection_tui.domain.models import Attempt, Challenge, Outcome, Status
from rejection_tui.storage.inbox import (
    ADD,
    RATE,
    Entry,
    EntryUnreadable,
    hand_in,
    inbox_dir,
    overlay,
    read_status,
    take_in,
    waiting_files,
)
from rejection_tui.storage.journal import Journal
from tests.conftest import NOW, planned


def rated(attempt: Attempt, fear: int = 10) -> Attempt:
    return attempt.rate(fear_after=fear, outcome=Outcome.REJECTED, now=NOW + timedelta(hours=1))


def test_an_entry_file_is_whole_owner_only_and_reads_back(journal_path: Path, challenge: Challenge) -> None:
    entry = Entry(ADD, planned(challenge, via="shell"))
    path = hand_in(journal_path, entry)
    assert path.parent == inbox_dir(journal_path) and path.name.endswith(".json")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert Entry.from_bytes(path.read_bytes()) == entry
    assert waiting_files(journal_path) == [path]
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left


def test_taking_in_twice_changes_nothing_the_second_time(journal: Journal, challenge: Challenge) -> None:
    attempt = planned(challenge)
    path = hand_in(journal.path, Entry(ADD, attempt))
    saved = path.read_bytes()
    taken = take_in(journal)
    assert taken.added == [attempt] and not path.exists()
    on_disk = journal.path.read_bytes()
    # A crash after the save and before the delete: the file is back; taking it in again is a no-op.
    path.write_bytes(saved)
    again = take_in(journal)
    assert not again.changed and not path.exists()
    assert journal.path.read_bytes() == on_disk
    assert journal.list_attempts() == [attempt]


def test_a_rating_applies_to_a_planned_ask_and_again_is_a_no_op(journal: Journal, challenge: Challenge) -> None:
    attempt = journal.add_attempt(planned(challenge))
    done = rated(attempt)
    saved = hand_in(journal.path, Entry(RATE, done)).read_bytes()
    assert take_in(journal).rated == [done]
    assert journal.get_attempt(attempt.id) == done
    hand_in(journal.path, Entry.from_bytes(saved))
    assert not take_in(journal).changed
    assert waiting_files(journal.path) == []


def test_a_rating_for_an_ask_rated_differently_meanwhile_is_kept_aside(
    journal: Journal, challenge: Challenge
) -> None:
    attempt = journal.add_attempt(planned(challenge))
    in_app = journal.update_attempt(rated(attempt, fear=30))
    hand_in(journal.path, Entry(RATE, replace(rated(attempt, fear=5), lesson="from the shell")))
    taken = take_in(journal)
    assert journal.get_attempt(attempt.id) == in_app  # the app's rating stays
    ((kept, why),) = taken.set_aside
    assert "rated differently" in why and kept.name.endswith(".kept")
    assert "from the shell" in kept.read_text(encoding="utf-8")  # what was typed is not lost
    assert waiting_files(journal.path) == []
    assert any("is kept at" in sentence for sentence in taken.sentences())


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[]", b'{"inbox": 99, "kind": "add"}', b'{"inbox": 1, "kind": "delete"}', b"\xff\xfe"],
)
def test_an_unreadable_entry_is_kept_aside_and_the_rest_taken_in(
    journal: Journal, challenge: Challenge, content: bytes
) -> None:
    folder = inbox_dir(journal.path)
    folder.mkdir(mode=0o700)
    (folder / "0-bad.json").write_bytes(content)
    good = planned(challenge)
    hand_in(journal.path, Entry(ADD, good))
    taken = take_in(journal)
    assert taken.added == [good]
    ((kept, _why),) = taken.set_aside
    assert kept.read_bytes() == content
    with pytest.raises(EntryUnreadable):
        Entry.from_bytes(content)


def test_a_newer_inbox_format_is_named_as_such() -> None:
    with pytest.raises(EntryUnreadable, match="newer version"):
        Entry.from_bytes(b'{"inbox": 2, "kind": "add"}')


def test_a_custom_challenge_comes_with_its_attempt_once(journal: Journal) -> None:
    own = Challenge("custom-sing-1", "Sing in the street", 6, "standing_out", source="custom")
    attempt = Attempt.plan(own, fear_before=80, now=NOW, via="shell")
    path = hand_in(journal.path, Entry(ADD, attempt, own))
    saved = path.read_bytes()
    take_in(journal)
    path.write_bytes(saved)
    take_in(journal)
    assert journal.custom_challenges() == [own]
    assert journal.list_attempts() == [attempt]


def test_entries_are_taken_in_oldest_first(journal: Journal, challenge: Challenge) -> None:
    attempt = planned(challenge)
    # The rating was made after the plan: handed in after it, taken in after it.
    hand_in(journal.path, Entry(ADD, attempt, made_at=NOW))
    hand_in(journal.path, Entry(RATE, rated(attempt), made_at=NOW + timedelta(minutes=1)))
    taken = take_in(journal)
    assert [a.status for a in taken.added] == [Status.PLANNED] and len(taken.rated) == 1
    assert journal.get_attempt(attempt.id) == rated(attempt)


def test_overlay_shows_what_the_journal_will_hold(challenge: Challenge) -> None:
    a, b = planned(challenge), planned(challenge)
    entries = [Entry(ADD, b), Entry(RATE, rated(a)), Entry(ADD, replace(a, fear_before=1))]
    result = {x.id: x for x in overlay([a], entries)}
    assert result == {a.id: rated(a), b.id: b}


def test_every_save_keeps_the_status_file(journal: Journal, challenge: Challenge) -> None:
    attempt = journal.add_attempt(planned(challenge))
    assert read_status(journal.path) == {"pending": 1, "oldest": int(attempt.created_at.timestamp())}
    journal.update_attempt(rated(attempt))
    assert read_status(journal.path) == {"pending": 0, "oldest": 0}
    journal.delete_attempt(attempt.id)
    assert read_status(journal.path) == {"pending": 0, "oldest": 0}
