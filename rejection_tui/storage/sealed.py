"""The encrypted journal format (issue 14): a self-describing, authenticated envelope.

Layout of a sealed file (docs/encryption.md has the whole format and a
decrypt recipe that needs only Python and ``cryptography``)::

    MAGIC (10 bytes: b"RJTUI-ENC\\n")
    header length (4 bytes, big-endian)
    header (UTF-8 JSON, see ``Header``)
    ciphertext (AES-256-GCM of the plaintext journal; the 14 + header bytes
                before it are its associated data, so no byte of the header
                can change unnoticed)

The journal's contents are sealed with a random 256-bit data key. The header
keeps that key wrapped (AES-GCM) by a key derived from the passphrase
(scrypt, its parameters and salt in the header) and, optionally, by a
recovery key. A passphrase change re-wraps the same data key.

The header also holds an X25519 public key for the inbox: a shell command
seals what it records to it (``seal_entry``) without the passphrase; the
matching private key is wrapped by the data key, so only an unlocked
journal opens those entries.

``cryptography`` is imported only here, and this module only when a file is
(or is to be) encrypted: a plain journal's start-up never pays for it.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from rejection_tui.storage.envelope import ENTRY_MAGIC, FORMAT, MAGIC, SealedUnreadable, split_header

CIPHER = "AES-256-GCM"
KDF = "scrypt"
# scrypt at 2^15 × 8: 32 MiB and ~0.1 s on this machine, derived once per unlock.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
NONCE = 12
KEY = 32
RECOVERY_GROUPS = 8
"""A recovery key: 8 groups of 5 base32 characters (200 bits)."""


class WrongPassphrase(ValueError):
    """The passphrase (or recovery key) does not open this file."""


class NoRecoveryKey(SealedUnreadable):
    """Unlocking with a recovery key a file that has none."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, what: str) -> bytes:
    if not isinstance(text, str):
        raise SealedUnreadable(f"its header's {what} is missing")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise SealedUnreadable(f"its header's {what} is not base64") from None


def _wrap(key: bytes, secret: bytes, label: bytes) -> dict[str, str]:
    nonce = os.urandom(NONCE)
    return {"nonce": _b64(nonce), "key": _b64(AESGCM(key).encrypt(nonce, secret, label))}


def _unwrap(key: bytes, slot: object, label: bytes) -> bytes:
    if not isinstance(slot, dict):
        raise SealedUnreadable("its header has no key slot")
    try:
        return AESGCM(key).decrypt(_unb64(slot.get("nonce"), "nonce"), _unb64(slot.get("key"), "key"), label)
    except InvalidTag:
        raise WrongPassphrase from None


def _scrypt(passphrase: str, kdf: dict[str, Any]) -> bytes:
    try:
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        salt = _unb64(kdf["salt"], "salt")
    except (KeyError, TypeError, ValueError):
        raise SealedUnreadable("its header's key derivation is incomplete") from None
    # Bounds that keep a changed header from asking for gigabytes (128 · n · r bytes).
    power_of_two = n > 1 and n & (n - 1) == 0
    if kdf.get("name") != KDF or not (power_of_two and 2**10 <= n <= 2**20 and 1 <= r <= 16 and 1 <= p <= 4):
        raise SealedUnreadable(
            f"its key derivation {kdf.get('name')!r} with these parameters is not supported"
        )
    try:
        return Scrypt(salt=salt, length=KEY, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    except (ValueError, MemoryError):
        raise SealedUnreadable("its key derivation's parameters cannot be used") from None


def _recovery_kek(recovery: str) -> bytes:
    cleaned = recovery.replace("-", "").replace(" ", "").upper()
    try:
        raw = base64.b32decode(cleaned)
    except ValueError:
        raise WrongPassphrase from None
    return HKDF(algorithm=hashes.SHA256(), length=KEY, salt=None, info=b"rejection-tui recovery").derive(raw)


def new_recovery_key() -> str:
    raw = secrets.token_bytes(RECOVERY_GROUPS * 5 * 5 // 8)
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i : i + 5] for i in range(0, len(text), 5))


@dataclass
class Keys:
    """An unlocked journal's keys: what seals each save and opens its inbox."""

    data: bytes
    header: dict[str, Any]
    """The header as last written (slots, KDF, inbox key); a save only changes its nonce."""

    # -- making -----------------------------------------------------------

    @classmethod
    def new(cls, passphrase: str, schema: int, recovery: str | None = None) -> Keys:
        data = AESGCM.generate_key(bit_length=256)
        inbox = X25519PrivateKey.generate()
        header: dict[str, Any] = {
            "format": FORMAT,
            "schema": schema,
            "cipher": CIPHER,
            "inbox": {
                "public": _b64(inbox.public_key().public_bytes_raw()),
                "private": _wrap(data, inbox.private_bytes_raw(), b"inbox"),
            },
        }
        keys = cls(data, header)
        keys.set_passphrase(passphrase)
        if recovery is not None:
            keys.set_recovery(recovery)
        return keys

    def set_recovery(self, recovery: str) -> None:
        self.header["recovery"] = _wrap(_recovery_kek(recovery), self.data, b"data key")

    def set_passphrase(self, passphrase: str) -> None:
        kdf = {"name": KDF, "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(os.urandom(16))}
        self.header["kdf"] = kdf
        self.header["passphrase"] = _wrap(_scrypt(passphrase, kdf), self.data, b"data key")

    # -- opening ----------------------------------------------------------

    @classmethod
    def unlock(cls, raw: bytes, passphrase: str | None = None, *, recovery: str | None = None) -> Keys:
        """The keys of the sealed file ``raw``; ``WrongPassphrase``, ``SealedUnreadable``."""
        header, _aad, _body = split_header(raw)
        if recovery is not None:
            if "recovery" not in header:
                raise NoRecoveryKey("no recovery key was made when it was encrypted")
            data = _unwrap(_recovery_kek(recovery), header.get("recovery"), b"data key")
        else:
            kdf = header.get("kdf")
            if not isinstance(kdf, dict):
                raise SealedUnreadable("its header has no key derivation")
            data = _unwrap(_scrypt(passphrase or "", kdf), header.get("passphrase"), b"data key")
        keys = cls(data, header)
        keys.open(raw)  # the body must open too: a header from another file is not enough
        return keys

    def open(self, raw: bytes) -> bytes:
        """The plaintext of a sealed file made with these keys (any save of this journal)."""
        header, aad, body = split_header(raw)
        try:
            nonce = _unb64(header.get("nonce"), "nonce")
            return AESGCM(self.data).decrypt(nonce, body, aad)
        except InvalidTag:
            raise SealedUnreadable(
                "it does not match its authentication tag: it was damaged or changed outside rejection-tui"
            ) from None

    def seal(self, plaintext: bytes) -> bytes:
        """A new sealed file for ``plaintext``, with a fresh nonce."""
        nonce = os.urandom(NONCE)
        header = {**self.header, "nonce": _b64(nonce)}
        head = json.dumps(header, sort_keys=True).encode("utf-8")
        aad = MAGIC + len(head).to_bytes(4, "big") + head
        return aad + AESGCM(self.data).encrypt(nonce, plaintext, aad)

    # -- the inbox ----------------------------------------------------------

    def seal_entry(self, plaintext: bytes) -> bytes:
        """``plaintext`` sealed to this journal's inbox key (as ``seal_entry`` does from the file)."""
        return _seal_to(
            X25519PublicKey.from_public_bytes(_unb64(self.header["inbox"]["public"], "inbox key")), plaintext
        )

    def open_entry(self, raw: bytes) -> bytes:
        """The plaintext of an inbox entry sealed to this journal's inbox key."""
        private = X25519PrivateKey.from_private_bytes(
            _unwrap(self.data, self.header["inbox"]["private"], b"inbox")
        )
        if not raw.startswith(ENTRY_MAGIC) or len(raw) < len(ENTRY_MAGIC) + 32 + NONCE + 16:
            raise SealedUnreadable("it is not a sealed inbox entry")
        start = len(ENTRY_MAGIC)
        ephemeral = X25519PublicKey.from_public_bytes(raw[start : start + 32])
        nonce = raw[start + 32 : start + 32 + NONCE]
        key = _entry_key(private.exchange(ephemeral), raw[start : start + 32])
        try:
            return AESGCM(key).decrypt(nonce, raw[start + 32 + NONCE :], raw[: start + 32 + NONCE])
        except InvalidTag:
            raise SealedUnreadable("it does not match its authentication tag") from None


def _seal_to(public: X25519PublicKey, plaintext: bytes) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    key = _entry_key(ephemeral.exchange(public), ephemeral_raw)
    nonce = os.urandom(NONCE)
    head = ENTRY_MAGIC + ephemeral_raw + nonce
    return head + AESGCM(key).encrypt(nonce, plaintext, head)


def _entry_key(shared: bytes, ephemeral: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY, salt=ephemeral, info=b"rejection-tui inbox").derive(
        shared
    )


def seal_entry(journal_raw_head: bytes, plaintext: bytes) -> bytes:
    """``plaintext`` sealed to the inbox key in a sealed journal's header (no passphrase needed)."""
    header, _aad, _body = split_header(journal_raw_head, header_only=True)
    inbox = header.get("inbox")
    if not isinstance(inbox, dict):
        raise SealedUnreadable("its header has no inbox key")
    public = X25519PublicKey.from_public_bytes(_unb64(inbox.get("public"), "inbox key"))
    return _seal_to(public, plaintext)
