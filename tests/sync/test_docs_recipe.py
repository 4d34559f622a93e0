"""The two-folder recipe in docs/several-devices.md works as written (issue 15).

The ```sh block is run exactly as a reader pastes it (bash, the installed
``rejection-tui`` first on the PATH, every home folder inside tmp_path), and
what it prints must be what the doc's expected-output block says.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "several-devices.md"
COPY = "journal.sync-conflict-20261127-101010-ABCDEFG.json"


def recipe_section() -> str:
    text = DOCS.read_text(encoding="utf-8")
    return text[text.index("## Try it: two folders") :]


def recipe() -> str:
    blocks: list[str] = re.findall(r"```sh\n(.*?)```", recipe_section(), re.DOTALL)
    assert len(blocks) == 1, "the 'Try it' section has one shell block: the recipe"
    return blocks[0]


def expected_lines() -> list[str]:
    blocks: list[str] = re.findall(r"```text\n(.*?)```", recipe_section(), re.DOTALL)
    assert len(blocks) == 1, "the 'Try it' section has one block of expected output"
    return blocks[0].splitlines()


def as_pattern(line: str) -> re.Pattern[str]:
    """An expected line, where "…" stands for the temporary folder, dates and times."""
    return re.compile(".+".join(re.escape(part) for part in line.split("…")))


def stored(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def test_the_two_folder_recipe_in_the_docs_merges_as_the_doc_says(tmp_path: Path) -> None:
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    bin_dir = Path(sys.executable).parent  # .venv/bin: rejection-tui is installed beside python
    assert (bin_dir / "rejection-tui").exists()
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "TMPDIR": str(temp),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    env.pop("REJECTION_TUI_DB", None)  # as in a reader's shell: the recipe names its journals
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", recipe()],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
    # What a reader sees, line for line, is what the doc says they should see.
    shown, expected = result.stdout.splitlines(), expected_lines()
    assert len(shown) == len(expected), result.stdout
    for line, want in zip(shown, expected, strict=True):
        assert as_pattern(want).fullmatch(line), f"{line!r} is not what the doc shows: {want!r}"
    assert "1 attempt added; 1 attempt updated to the newer version." in shown[-1]

    [demo] = temp.iterdir()  # the recipe's mktemp -d
    journal, merged = demo / "Sync" / "journal.json", demo / "Sync" / "backups" / "merged"
    # The copy is put away, not left beside the journal.
    assert not (demo / "Sync" / COPY).exists()
    assert (merged / COPY).read_bytes() == (demo / "desktop" / "journal.json").read_bytes()
    # Both devices' asks, each once; the newer rating (the desktop's) kept.
    laptop = (demo / "laptop-config" / "rejection-tui" / "device-id").read_text(encoding="ascii").strip()
    desktop = (demo / "desktop-config" / "rejection-tui" / "device-id").read_text(encoding="ascii").strip()
    assert laptop != desktop
    attempts = {doc["challenge_title"]: doc for doc in stored(journal)["attempts"].values()}
    assert sorted(attempts) == ["Ask a passer-by for directions", "Ask a stranger for the time"]
    time, directions = attempts["Ask a stranger for the time"], attempts["Ask a passer-by for directions"]
    assert (time["fear_after"], time["outcome"], time["updated_by"]) == (30, "rejected", desktop)
    assert time["worry"] == "they ignore me"  # typed on the laptop, before the journal was copied
    assert directions["lesson"] == "people like to help" and directions["updated_by"] == desktop
    # The laptop's rating, which lost, is in the older-versions file the report names.
    [older] = merged.glob("journal-older-versions-*.json")
    assert str(older) in shown[-1]
    [lost] = stored(older)["attempts"].values()
    assert (lost["id"], lost["fear_after"], lost["outcome"]) == (time["id"], 20, "accepted")
    assert lost["lesson"] == "most people are kind" and lost["updated_by"] == laptop
    # A backup was taken before the merge.
    assert list((demo / "Sync" / "backups").glob("journal-*-before-merge.json"))
