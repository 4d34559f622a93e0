from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from rejection_tui.domain.categories import CATEGORIES
from rejection_tui.domain.library import builtin_challenges, parse_library
from rejection_tui.domain.validation import ValidationError

REPO = Path(__file__).resolve().parents[2]


def test_every_entry_is_valid_and_ids_are_unique() -> None:
    raw = json.loads((REPO / "assets" / "challenges.json").read_text(encoding="utf-8"))
    challenges = parse_library(raw)  # raises on any invalid entry
    assert len(challenges) == len(raw["challenges"]) >= 60
    assert len({c.id for c in challenges}) == len(challenges)
    for challenge in challenges:
        assert challenge.tip.strip(), challenge.id
        assert challenge.source == "builtin"


def test_every_level_has_at_least_four_and_there_are_six_categories() -> None:
    levels = Counter(c.level for c in builtin_challenges())
    assert sorted(levels) == list(range(1, 11))
    assert min(levels.values()) >= 4
    assert len({c.category for c in builtin_challenges()}) >= 6
    assert {c.category for c in builtin_challenges()} <= set(CATEGORIES)


def test_asks_touching_strangers_money_or_space_carry_a_safety_note() -> None:
    by_id = {c.id: c for c in builtin_challenges()}
    for needs_note in ("borrow-phone", "borrow-large-sum", "ask-for-lift", "walk-along", "ask-for-number"):
        assert by_id[needs_note].safety, needs_note


def test_a_broken_library_names_the_entry() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_library({"challenges": [{"id": "a", "title": "T", "level": 3, "category": "work", "tip": "t"},
                                      {"id": "a", "title": "", "level": 0, "category": "work"}]})  # fmt: skip
    assert caught.value.messages[0].startswith("entry 2: Title cannot be empty")


def test_the_wheel_carries_the_library_and_loads_it_from_elsewhere(tmp_path: Path) -> None:
    # A non-editable build, unpacked and imported from another directory,
    # must find the library inside the package, not in this checkout.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(REPO)],
        check=True, capture_output=True,
    )  # fmt: skip
    wheel = next(tmp_path.glob("rejection_tui-*.whl"))
    assert "rejection_tui/assets/challenges.json" in zipfile.ZipFile(wheel).namelist()
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import rejection_tui, rejection_tui.domain.library as lib\n"
        "print(rejection_tui.__file__); print(len(lib.builtin_challenges()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    module_file, count = result.stdout.split()
    assert module_file.startswith(str(site))
    assert int(count) == len(builtin_challenges())
