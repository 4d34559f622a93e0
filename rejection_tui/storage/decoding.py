"""Reading a journal's bytes in one fast, typed pass (issue 12).

``safe_storage.parse`` is the strict reader: it refuses duplicate keys,
numbers JSON cannot hold, huge integers, bad document ids and text that is
not UTF-8, naming where, and ``Attempt.from_dict`` then checks each attempt
against the contract. Done that way a long journal spends most of its
start-up in Python. :func:`read_journal` gives the same answer faster:

- msgspec splits the file into tables and documents and decodes each
  attempt into a typed record whose fields carry the contract's limits;
  the rules msgspec cannot state (non-blank names, timestamps with a UTC
  offset within the years the journal accepts, after ratings only when
  done, no NUL) are checked here in a few lines per attempt.
- msgspec keeps the last of two equal keys without a word, so duplicates
  are found by counting: every key in the file ends with ``"`` then ``:``,
  and the count of ``":`` in the file must be exactly the number of keys
  the documents read (strings can only add to the count, never hide a key;
  keys with space before their colon send the file to the strict reader).
- Anything the fast pass does not accept as plainly valid goes to the
  strict path: an attempt msgspec refuses is read with the strict reader
  and judged by ``Attempt.from_dict`` (so it is set aside with today's
  readable reasons, and the others still open), and a file the fast pass
  cannot split at all (a lone UTF-16 surrogate, invalid JSON, a refused
  number) is read by ``parse`` whole, which refuses it with today's message
  or reads it attempt by attempt as before.

The parsed attempt documents are not kept: the journal holds the records,
and the storage holds the file's bytes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from rejection_tui.domain.models import DEEPER_FIELDS, OUTCOME_BY_VALUE, VIA_APP, Attempt, Status
from rejection_tui.domain.validation import (
    LEVEL_MAX,
    LEVEL_MIN,
    MAX_TEXT,
    SCORE_MAX,
    SCORE_MIN,
    YEAR_MAX,
    YEAR_MIN,
    ValidationError,
)

ATTEMPTS = "attempts"

Document = dict[str, dict[str, dict[str, Any]]]
Entry = tuple[int, Attempt] | tuple[int, ValidationError, Any]
"""A stored attempt, read (see ``Loaded``)."""

_Text = Annotated[str, msgspec.Meta(max_length=MAX_TEXT)]
_Name = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT)]
_Score = Annotated[int, msgspec.Meta(ge=SCORE_MIN, le=SCORE_MAX)]
_Level = Annotated[int, msgspec.Meta(ge=LEVEL_MIN, le=LEVEL_MAX)]


class _Stored(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """An attempt exactly as this version writes it: every field, nothing else.

    Anything else (a missing field, an extra one, a value out of range)
    is read by the strict path instead, so it is judged by ``from_dict``.
    """

    id: _Text
    challenge_id: _Text
    challenge_title: _Text
    level: _Level
    category: _Text
    status: Literal["planned", "done"]
    created_at: str
    done_at: str | None
    fear_before: _Score
    p_rejection: _Score | None
    worry: _Text | None
    worry_cost: _Score | None
    fear_after: _Score | None
    outcome: Literal["rejected", "accepted", "partial", "not_asked"] | None
    worry_happened: bool | None
    lesson: _Text | None
    note: _Text | None
    safety_behaviours: list[_Name] | None
    # Written only when they differ from these defaults (see Attempt.to_dict), so a
    # document holding "retro": false is counted one key short and read strictly.
    retro: Literal[True] | None = None
    via: Literal["shell"] | None = None
    # Schema 2 (issue 15): when and on which device the attempt was last saved; the
    # journal's merge reads them (storage.syncing), the attempt does not carry them.
    updated_at: str | None = None
    updated_by: str | None = None
    # The deeper-practice fields (issue 16: surprise … no_became_yes) are not here: they
    # are rare, and a document holding any of them is unknown here, so it is read by the
    # strict path and judged by ``Attempt.from_dict`` (fewer fields: a faster decode).


_DEEPER = {f.name: f.default for f in fields(Attempt) if f.name in DEEPER_FIELDS}
"""Attempt's deeper-practice fields as a document without them reads (set by ``_build``)."""
_OPTIONAL = 4
"""The fields above that a document may leave out (counted when present)."""
_FIELDS = len(_Stored.__struct_fields__) - _OPTIONAL
"""The keys every typed document has (retro, via and the stamps are counted when present)."""

_SPLIT = msgspec.json.Decoder(dict[str, dict[str, msgspec.Raw]])
_STORED = msgspec.json.Decoder(_Stored)
# float_hook=float: floats read exactly as json.loads reads them.
_ANY = msgspec.json.Decoder(float_hook=float)

_KEY_END = b'":'
# A key with white space before its colon is not counted by _KEY_END; a file
# holding none of these has no such key.
_LOOSE = (b"\t", b"\n", b"\r", b" :")
_NUL = b"\\u0000"


@dataclass
class Loaded:
    """A journal file, read: every table but the attempts, and the attempts as records.

    ``attempts`` is in file order: (document id, the attempt) for one that
    reads, (document id, why not, the stored document) for one that cannot be
    read. (A reader keeps the pairs as they are: no second tuple per attempt.)
    """

    tables: Document
    attempts: list[Entry] = field(default_factory=list)


class _Strict(Exception):
    """The fast pass stops: the strict reader decides."""


def _refuse(*_: object) -> Any:
    raise _Strict


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Strict
    return obj


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _Strict
    return value


def _strict_loads(data: memoryview | bytes) -> Any:
    """What ``parse`` would read for this part of the file; ``_Strict`` where it would refuse."""
    try:
        text = bytes(data).decode("utf-8")
        return json.loads(text, object_pairs_hook=_pairs, parse_float=_finite, parse_constant=_refuse)
    except (ValueError, RecursionError):  # JSONDecodeError, a huge int, not UTF-8
        raise _Strict from None


def _doc_ids(table: dict[str, Any]) -> list[int]:
    """The table's document ids as numbers; ``_Strict`` for ids ``parse`` refuses.

    ASCII digits, 1 to 19 of them (checked on all the keys at once), and no two
    that are one number ("7" and "007").
    """
    if not table:
        return []
    keys = list(table)
    joined = "".join(keys)
    if not (joined.isascii() and joined.isdigit()) or min(map(len, keys)) < 1 or max(map(len, keys)) > 19:
        raise _Strict
    ids = list(map(int, keys))
    if len(set(ids)) != len(ids):
        raise _Strict
    return ids


def _builder() -> Callable[..., Attempt]:
    """``Attempt(...)`` for values already checked, in Attempt's field order, without its
    frozen ``__init__`` (18 ``object.__setattr__`` calls): its slots are set directly.

    The result is an ordinary Attempt (equal, hashable, frozen); the tests compare it with
    ``Attempt.from_dict`` field by field.
    """
    names = [f.name for f in fields(Attempt)]
    assert tuple(names) == Attempt.__slots__
    given = [name for name in names if name not in _DEEPER]  # the deeper ones: their defaults
    setters = {f"_set_{name}": getattr(Attempt, name).__set__ for name in names}
    source = (
        f"def build({', '.join(given)}):\n    made = _new(_Attempt)\n"
        + "".join(f"    _set_{name}(made, {name})\n" for name in given)
        + "".join(f"    _set_{name}(made, _default_{name})\n" for name in _DEEPER)
        + "    return made\n"
    )
    namespace: dict[str, Any] = {
        "_new": object.__new__,
        "_Attempt": Attempt,
        **setters,
        **{f"_default_{name}": value for name, value in _DEEPER.items()},
    }
    exec(source, namespace)
    build: Callable[..., Attempt] = namespace["build"]
    return build


_build = _builder()


def _judged(doc: Any) -> Attempt | ValidationError:
    try:
        return Attempt.from_dict(doc)
    except ValidationError as error:
        return error


def _fast(body: bytes) -> Loaded:
    """The fast pass; ``_Strict`` when the strict reader must decide."""
    try:
        split = _SPLIT.decode(body)
    except (msgspec.MsgspecError, ValueError):
        raise _Strict from None
    keys = len(split)  # the table names
    tables: Document = {}
    attempts: list[Entry] = []
    for name, docs in split.items():
        keys += len(docs)  # the document ids
        ids = _doc_ids(docs)
        if name != ATTEMPTS:
            table = {}
            for key, raw_doc in docs.items():
                doc = _strict_loads(memoryview(raw_doc))
                if not isinstance(doc, dict):
                    raise _Strict
                keys += bytes(memoryview(raw_doc)).count(_KEY_END)
                table[key] = doc
            tables[name] = table
            continue
        raws: list[msgspec.Raw | None] = list(docs.values())
        docs.clear()  # its keys and table go now; each Raw as soon as its attempt is read
        attempts, attempt_keys = _read_attempts(ids, raws, _NUL in body)
        keys += attempt_keys
    # Every key ends with `":` unless white space stands before its colon (JSON's
    # white space is space, tab, LF and CR; a file this app wrote has no raw tab,
    # LF or CR at all, so three quick byte searches and one for " :" rule them
    # out), and a string can add to the count but never hide a key: so the count
    # equals the keys read only when no key was read twice.
    if body.count(_KEY_END) != keys or any(ws in body for ws in _LOOSE):
        raise _Strict
    return Loaded(tables, attempts)


def _read_attempts(
    ids: list[int], docs: list[msgspec.Raw | None], maybe_nul: bool
) -> tuple[list[Entry], int]:
    """Each stored attempt read (typed and checked here, else judged by ``from_dict``), and
    how many `":` their keys account for (see ``_fast``).

    One loop with local names: it runs once per attempt of a long history.
    """
    decode, build, fromiso = _STORED.decode, _build, datetime.fromisoformat
    strings: dict[str, str] = {}
    same = strings.setdefault  # titles, categories and often notes repeat: one copy each
    done_status, planned_status, outcomes = Status.DONE, Status.PLANNED, OUTCOME_BY_VALUE
    year_min, year_max = YEAR_MIN, YEAR_MAX
    via_app = VIA_APP
    read: list[Entry] = []
    append = read.append
    typed = keys = 0
    for index, doc_id in enumerate(ids):
        raw_doc = docs[index]
        docs[index] = None  # released with this loop's next turn: the records reuse its memory
        assert raw_doc is not None
        attempt = None
        try:
            stored = decode(raw_doc)
        except (msgspec.MsgspecError, ValueError):
            stored = None
        if stored is not None and not (maybe_nul and _NUL in bytes(memoryview(raw_doc))):
            # The rules the typed record cannot state, as Attempt.from_dict applies them.
            # (fromisoformat gives a fixed-offset timezone or none: utcoffset() is never None.)
            try:
                created_at = fromiso(stored.created_at)
                done_at = None if stored.done_at is None else fromiso(stored.done_at)
            except ValueError:
                created_at = None
            done = stored.status == "done"
            if (
                created_at is not None
                and created_at.tzinfo is not None
                and year_min <= created_at.year <= year_max
                and (
                    (
                        done
                        and done_at is not None
                        and done_at.tzinfo is not None
                        and year_min <= done_at.year <= year_max
                        and stored.fear_after is not None
                        and stored.outcome is not None
                    )
                    or (not done and done_at is None and stored.fear_after is None and stored.outcome is None)
                )
                and stored.id.strip()
                and stored.challenge_id.strip()
                and stored.challenge_title.strip()
            ):
                worry, lesson, note = stored.worry, stored.lesson, stored.note
                behaviours = stored.safety_behaviours
                attempt = build(
                    stored.id,
                    same(stored.challenge_id, stored.challenge_id),
                    same(stored.challenge_title, stored.challenge_title),
                    stored.level,
                    same(stored.category, stored.category),
                    created_at,
                    stored.fear_before,
                    done_status if done else planned_status,
                    stored.p_rejection,
                    "" if worry is None else same(worry, worry),
                    stored.worry_cost,
                    "" if note is None else same(note, note),
                    done_at,
                    stored.fear_after,
                    None if stored.outcome is None else outcomes[stored.outcome],
                    stored.worry_happened,
                    "" if lesson is None else same(lesson, lesson),
                    tuple(behaviours) if behaviours else (),
                    stored.retro is True,
                    stored.via or via_app,
                )
                if stored.retro is not None or stored.via is not None:
                    keys += (stored.retro is not None) + (stored.via is not None)
                if stored.updated_at is not None or stored.updated_by is not None:
                    keys += (stored.updated_at is not None) + (stored.updated_by is not None)
        if attempt is not None:
            typed += 1
            append((doc_id, attempt))
            continue
        doc = _strict_loads(memoryview(raw_doc))
        if not isinstance(doc, dict):
            raise _Strict
        judged = _judged(doc)
        append((doc_id, judged, doc) if isinstance(judged, ValidationError) else (doc_id, judged))
        keys += bytes(memoryview(raw_doc)).count(_KEY_END)
    return read, keys + typed * _FIELDS


def from_document(document: Document) -> Loaded:
    """A journal already parsed (by the strict reader, or migrated): its attempts judged one by one."""
    tables = {name: table for name, table in document.items() if name != ATTEMPTS}
    attempts = []
    for key, doc in document.get(ATTEMPTS, {}).items():
        judged = _judged(doc)
        doc_id = int(key)
        attempts.append((doc_id, judged, doc) if isinstance(judged, ValidationError) else (doc_id, judged))
    return Loaded(tables, attempts)


def read_journal(raw: bytes, strict: Callable[[bytes], Document]) -> Loaded:
    """Read a journal file's bytes (``strict`` is ``safe_storage.parse``).

    The result is what ``strict`` followed by ``Attempt.from_dict`` on every
    attempt would give; ``ValueError`` (from ``strict``) when the file cannot
    be read at all.
    """
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if body:
        try:
            return _fast(body)
        except _Strict:
            pass
    return from_document(strict(raw))


def _parse_saved(raw: msgspec.Raw) -> Any:
    """One document of bytes that were read (and so checked) before."""
    try:
        return _ANY.decode(raw)
    except (msgspec.MsgspecError, ValueError):  # a lone surrogate: msgspec refuses it, json does not
        return json.loads(bytes(memoryview(raw)).decode("utf-8"))


class RawTable(dict[str, Any]):
    """The attempts table as last saved: each document the file's own bytes until looked up.

    A change looks up and replaces a few documents; the others stay ``msgspec.Raw``
    slices of the saved file, and ``safe_storage.serialize_journal`` writes them
    back exactly as they were, without parsing 50,000 documents to write one
    (issue 12). Looking a document up parses it (and keeps it parsed); iterating
    the values or items, comparing or copying the table parses them all, so code
    that reads a whole table sees ordinary documents.
    """

    def __getitem__(self, key: str) -> Any:
        value = dict.__getitem__(self, key)
        if type(value) is msgspec.Raw:
            value = _parse_saved(value)
            dict.__setitem__(self, key, value)
        return value

    def __iter__(self) -> Iterator[str]:
        # Defined here so dict(table) and {**table} go through __getitem__, never copying a Raw.
        return dict.__iter__(self)

    def get(self, key: str, default: Any = None) -> Any:
        if key in self:
            return self[key]
        return default

    def values(self) -> list[Any]:  # type: ignore[override]
        return [self[key] for key in self]

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        return [(key, self[key]) for key in self]

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            value = self[key]
            dict.__delitem__(self, key)
            return value
        return dict.pop(self, key, *default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            dict.__setitem__(self, key, default)
        return self[key]

    def copy(self) -> dict[str, Any]:
        return dict(self.items())

    def __eq__(self, other: object) -> bool:
        return dict(self.items()) == other

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None

    def __reduce_ex__(self, protocol: Any) -> Any:  # copy.deepcopy and pickle: a plain dict
        return (dict, (self.items(),))

    def saved_items(self) -> Iterator[tuple[str, Any]]:
        """(key, the file's bytes as ``msgspec.Raw`` or the document looked up or put since)."""
        return iter(dict.items(self))

    def renumbered(self) -> RawTable:
        """The same table with its keys as TinyDB writes them ("7", never "007")."""
        return RawTable((str(int(key)), value) for key, value in dict.items(self))


def materialize(raw: bytes, strict: Callable[[bytes], Document], *, lazy: bool = True) -> Document:
    """The whole document of bytes that were read (and checked) before, for a change.

    The attempts table is a :class:`RawTable` (``lazy``): its documents are parsed
    when looked up. Every other table is parsed.
    """
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if lazy:
        try:
            split = _SPLIT.decode(body)
        except (msgspec.MsgspecError, ValueError):  # a lone surrogate: msgspec refuses it
            return strict(raw)
        return {
            name: RawTable(docs) if name == ATTEMPTS else {key: _parse_saved(d) for key, d in docs.items()}
            for name, docs in split.items()
        }
    try:
        document = _ANY.decode(body)
    except (msgspec.MsgspecError, ValueError):
        return strict(raw)
    if not isinstance(document, dict):
        return strict(raw)
    return document
