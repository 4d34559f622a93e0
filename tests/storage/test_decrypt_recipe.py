"""The decrypt recipe in docs/encryption.md opens a journal the app encrypted (issue 14)."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from rejection_tui.storage.encryption import encrypt
from rejection_tui.storage.journal import Journal
from tests.conftest import planned

DOCS = Path(__file__).resolve().parents[2] / "docs" / "encryption.md"


def recipe() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1, "docs/encryption.md has one Python block: the recipe"
    return blocks[0]


def test_the_recipe_in_the_docs_decrypts_a_journal_the_app_encrypted(
    journal_path: Path, challenge: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Journal.open(journal_path) as journal:
        journal.add_attempt(planned(challenge, worry="they laugh"))  # type: ignore[arg-type]
        plain = journal_path.read_bytes()
        encrypt(journal, "correct horse battery", None)
    sealed = journal_path.read_bytes()
    assert b"they laugh" not in sealed
    out = io.BytesIO()
    monkeypatch.setattr(sys, "argv", ["recipe", str(journal_path)])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "correct horse battery")
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="utf-8"))
    exec(compile(recipe(), str(DOCS), "exec"), {"__name__": "recipe"})
    sys.stdout.flush()
    assert json.loads(out.getvalue()) == json.loads(plain)
