"""README's safety section names the tests behind each promise: those files must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def safety_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## The journal is kept safe")
    return text[start : text.index("\n## ", start + 1)]


def test_every_test_file_the_safety_section_names_exists() -> None:
    named = set(re.findall(r"`((?:[a-z_]+/)*test_[a-z_]+\.py)`", safety_section()))
    assert len(named) >= 15
    missing = sorted(name for name in named if not (ROOT / "tests" / name).is_file())
    assert not missing, f"README names tests that do not exist: {missing}"
