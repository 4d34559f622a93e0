"""The domain stays pure and storage never reaches into the UI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "rejection_tui"


def offenders(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    """Every import under ``folder`` of a module in (or under) ``forbidden``."""
    found = []
    for source in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    found.append(f"{source.relative_to(folder)} imports {name}")
    return found


def test_domain_imports_neither_textual_nor_tinydb_nor_other_layers() -> None:
    forbidden = (
        "textual",
        "tinydb",
        "plotext",
        "textual_plotext",
        "rejection_tui.storage",
        "rejection_tui.ui",
    )
    assert offenders(PACKAGE / "domain", forbidden) == []


def test_storage_does_not_import_the_ui() -> None:
    assert offenders(PACKAGE / "storage", ("textual", "plotext", "rejection_tui.ui")) == []


def test_the_checker_notices_a_forbidden_import(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("import os\nfrom textual.app import App\n", encoding="utf-8")
    assert offenders(tmp_path, ("textual",)) == ["bad.py imports textual.app"]


def test_importing_domain_and_storage_loads_no_textual_at_run_time() -> None:
    # The static check misses imports made indirectly; this one reads sys.modules.
    code = (
        "import sys, pkgutil, importlib, rejection_tui.domain as d, rejection_tui.storage as s\n"
        "for pkg in (d, s):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'tinydb', 'plotext'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Storage needs TinyDB; nothing below the UI may pull in Textual or plotext.
    assert result.stdout.strip() == "['tinydb']"
