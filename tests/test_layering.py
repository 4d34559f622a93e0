"""Nothing below the UI loads Textual when the program runs.

The static layering (domain < storage < ui < cli, no Textual/TinyDB/plotext
in the domain, none of Textual/plotext in storage, no screen importing the
app module) is stated as import-linter contracts in pyproject.toml and
checked by `lint-imports` in `make lint`. This test covers what a static
check cannot see: modules pulled in indirectly when the code actually runs.
"""

from __future__ import annotations

import subprocess
import sys


def test_importing_domain_and_storage_loads_no_textual_at_run_time() -> None:
    code = (
        "import sys, pkgutil, importlib, rejection_tui.domain as d, rejection_tui.storage as s\n"
        "for pkg in (d, s):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'tinydb', 'plotext', 'rich'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Storage needs TinyDB; nothing below the UI may pull in Textual, plotext or Rich.
    assert result.stdout.strip() == "['tinydb']"
