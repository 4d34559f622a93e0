"""Merging copies of a journal record by record (domain/merge.py, issue 15)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rejection_tui.domain.merge import Key, Merged, Version, canonical, merge, summary

KEYS = st.tuples(st.sampled_from(["attempts", "challenges", "settings", "ladder"]), st.sampled_from("abcde"))
VERSIONS = st.builds(
    Version,
    updated_at=st.sampled_from(
        ["2026-11-01T10:00:00+00:00", "2026-11-02T10:00:00+00:00", "2026-11-03T10:00:00+00:00"]
    ),
    updated_by=st.sampled_from(["laptop", "desktop", "phone"]),
    document=st.one_of(st.none(), st.sampled_from(['{"fear":10}', '{"fear":20}', '{"note":"x"}'])),
)
COPIES = st.dictionaries(KEYS, VERSIONS, max_size=8).map(Merged.of)


@given(COPIES, COPIES)
def test_merge_is_commutative(a: Merged, b: Merged) -> None:
    assert merge(a, b) == merge(b, a)


@given(COPIES, COPIES, COPIES)
def test_merge_is_associative(a: Merged, b: Merged, c: Merged) -> None:
    assert merge(a, merge(b, c)) == merge(merge(a, b), c)


@given(COPIES)
def test_merge_is_idempotent(a: Merged) -> None:
    assert merge(a, a) == a
    assert merge(merge(a, a), a) == a


@given(COPIES, COPIES)
def test_nothing_is_lost_every_version_is_a_winner_or_a_loser(a: Merged, b: Merged) -> None:
    merged = merge(a, b)
    for side in (a, b):
        for key in side.winners:
            assert side.versions(key) <= merged.versions(key)


def v(at: str, by: str, document: dict[str, object] | None) -> Version:
    return Version(f"2026-11-{at}T10:00:00+00:00", by, None if document is None else canonical(document))


def test_the_rule_case_by_case() -> None:
    key: Key = ("attempts", "a1")
    only_mine: Key = ("attempts", "a2")
    edited_both: Key = ("attempts", "a3")
    deleted_then_edited: Key = ("attempts", "a4")
    edited_then_deleted: Key = ("attempts", "a5")
    mine = Merged.of({
        key: v("01", "laptop", {"fear": 10}),
        only_mine: v("01", "laptop", {"fear": 20}),
        edited_both: v("02", "laptop", {"fear": 30}),
        deleted_then_edited: v("02", "laptop", None),
        edited_then_deleted: v("02", "laptop", {"fear": 40}),
    })  # fmt: skip
    theirs = Merged.of({
        key: v("01", "laptop", {"fear": 10}),
        edited_both: v("03", "desktop", {"fear": 35}),
        deleted_then_edited: v("03", "desktop", {"fear": 45}),
        edited_then_deleted: v("03", "desktop", None),
        ("settings", "weekly_goal"): v("01", "desktop", {"value": 4}),
    })  # fmt: skip
    merged = merge(mine, theirs)
    assert merged.winners[key] == mine.winners[key] and key not in merged.losers
    assert merged.winners[only_mine] == mine.winners[only_mine]
    assert merged.winners[edited_both].document == canonical({"fear": 35})
    assert merged.losers[edited_both] == {mine.winners[edited_both]}  # the older edit is kept
    assert merged.winners[deleted_then_edited].document == canonical(
        {"fear": 45}
    )  # an edit after a delete wins
    assert merged.winners[edited_then_deleted].deleted  # a delete after an edit wins
    assert merged.losers[edited_then_deleted] == {mine.winners[edited_then_deleted]}
    assert merged.winners[("settings", "weekly_goal")].document == canonical({"value": 4})
    counts = summary(mine, theirs, merged)
    assert (counts.added, counts.changed, counts.both) == (1, 3, 3)
