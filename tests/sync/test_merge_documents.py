"""``storage.syncing.merge_documents`` on whole journal documents (issue 15): the same result
whichever copy merges first, how the copies are grouped or how often; no record twice; every
version that lost kept among ``older``."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rejection_tui.storage.syncing import Document, merge_documents

STAMPS = st.sampled_from(["", "2026-11-01T10:00:00.000000+00:00", "2026-11-02T10:00:00.000000+00:00"])
DEVICES = st.sampled_from(["", "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"])


@st.composite
def documents(draw: st.DrawFn) -> Document:
    attempts: dict[str, Any] = {}
    stones: dict[str, Any] = {}
    for record_id in draw(st.lists(st.sampled_from("abcd"), unique=True, max_size=4)):
        stamp, device = draw(STAMPS), draw(DEVICES)
        if draw(st.booleans()):
            note = draw(st.sampled_from(["x", "y"]))
            attempts[str(len(attempts) + 1)] = {
                "id": record_id,
                "note": note,
                "updated_at": stamp,
                "updated_by": device,
            }
        else:
            stones[str(len(stones) + 1)] = {
                "table": "attempts",
                "id": record_id,
                "deleted_at": stamp,
                "deleted_by": device,
            }
    settings = {
        str(n): {
            "key": key,
            "value": draw(st.integers(1, 2)),
            "updated_at": draw(STAMPS),
            "updated_by": draw(DEVICES),
        }
        for n, key in enumerate(
            draw(st.lists(st.sampled_from(["weekly_goal", "theme"]), unique=True)), start=1
        )
    }
    return {
        "meta": {"1": {"schema_version": 2}},
        "attempts": attempts,
        "tombstones": stones,
        "settings": settings,
    }


def records(document: Document) -> set[str]:
    """The document's records as a set (where each sits in the file does not matter)."""
    found = []
    for table in ("attempts", "tombstones", "settings", "challenges", "ladder"):
        for doc in (document.get(table) or {}).values():
            found.append(json.dumps([table, doc], sort_keys=True))
    assert len(found) == len(set(found))
    return set(found)


def merged(a: Document, b: Document) -> Document:
    return merge_documents(a, b).document


@given(documents(), documents())
def test_merging_is_commutative(a: Document, b: Document) -> None:
    assert records(merged(a, b)) == records(merged(b, a))


@given(documents(), documents(), documents())
def test_merging_is_associative(a: Document, b: Document, c: Document) -> None:
    assert records(merged(a, merged(b, c))) == records(merged(merged(a, b), c))


@given(documents())
def test_merging_a_copy_with_itself_changes_nothing(a: Document) -> None:
    result = merge_documents(a, a)
    assert not result.changed and result.older == []
    assert records(merged(merged(a, a), a)) == records(a)


@given(documents(), documents())
def test_each_key_once_and_every_other_version_kept(a: Document, b: Document) -> None:
    result = merge_documents(a, b)
    keys = [doc["id"] for table in ("attempts", "tombstones") for doc in result.document[table].values()]
    assert len(keys) == len(set(keys))  # a record or its tombstone, never both, never twice
    kept = records(result.document) | {
        json.dumps(["attempts", doc], sort_keys=True) for _, doc in result.older
    }
    for side in (a, b):
        for doc in side["attempts"].values():
            assert json.dumps(["attempts", doc], sort_keys=True) in kept or any(
                json.loads(k)[1].get("id") == doc["id"] and json.loads(k)[1].get("note") == doc["note"]
                for k in kept
            )
