"""Telling a sealed (encrypted) file from a plain one, and reading its header.

No cryptography here: every build recognises the magic bytes and refuses a
format newer than it knows, whatever any local setting says (``sealed``
does the cryptography, imported only for sealed files).
"""

from __future__ import annotations

import json
from typing import Any

MAGIC = b"RJTUI-ENC\n"
"""The first bytes of a sealed journal (and of its backups): never valid JSON."""
ENTRY_MAGIC = b"RJTUI-BOX\n"
"""The first bytes of an inbox entry sealed to a journal's inbox key."""
FORMAT = 1
MAX_HEADER = 1 << 16


class RecoveryKey(str):
    """What a passphrase prompt gives when the person unlocks with their recovery key instead."""

    __slots__ = ()


class SealedUnreadable(ValueError):
    """A sealed file that cannot be opened (the reason in words)."""


class SealedTooNew(SealedUnreadable):
    def __init__(self, found: int) -> None:
        self.found = found
        super().__init__(
            f"it is encrypted in a newer format ({found}; this version reads {FORMAT}): "
            "please upgrade rejection-tui"
        )


def is_sealed(raw: bytes) -> bool:
    return raw.startswith(MAGIC)


def split_header(raw: bytes, *, header_only: bool = False) -> tuple[dict[str, Any], bytes, bytes]:
    """(header, the bytes the ciphertext authenticates, the ciphertext) of a sealed file.

    ``header_only``: ``raw`` may end after the header (the body is not needed).
    """
    if not raw.startswith(MAGIC):
        raise SealedUnreadable("it is not an encrypted rejection-tui journal")
    start = len(MAGIC) + 4
    if len(raw) < start:
        raise SealedUnreadable("it is cut short (its header is incomplete)")
    size = int.from_bytes(raw[len(MAGIC) : start], "big")
    if size > MAX_HEADER:
        raise SealedUnreadable("its header is too long to be one this version wrote")
    if len(raw) < start + size:
        raise SealedUnreadable("it is cut short (its header is incomplete)")
    try:
        header = json.loads(raw[start : start + size].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SealedUnreadable("its header is not readable") from None
    if not isinstance(header, dict):
        raise SealedUnreadable("its header is not readable")
    version = header.get("format")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SealedUnreadable("its header has no format version")
    if version > FORMAT:
        raise SealedTooNew(version)
    body = raw[start + size :]
    if not header_only and len(body) < 16:
        raise SealedUnreadable("it is cut short (its encrypted part is incomplete)")
    return header, raw[: start + size], body
