"""Nothing leaves the machine: no network socket, owner-only files."""

from __future__ import annotations

import socket
import stat
from pathlib import Path

import pytest

from rejection_tui.cli import main
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import some_history

NETWORK = {socket.AF_INET, socket.AF_INET6}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Fail any attempt to open an internet socket (local socket pairs are fine)."""
    attempts: list[object] = []
    real_init = socket.socket.__init__

    def guarded(self: socket.socket, family: int = -1, *args: object, **kwargs: object) -> None:
        if family in NETWORK or (family == -1 and kwargs.get("fileno") is None):
            attempts.append(family)
            raise PermissionError("network access attempted")
        real_init(self, family, *args, **kwargs)  # type: ignore[arg-type]

    def no_connection(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise PermissionError("network access attempted")

    monkeypatch.setattr(socket.socket, "__init__", guarded)
    monkeypatch.setattr(socket, "create_connection", no_connection)
    return attempts


def test_the_guard_itself_catches_a_connection(no_network: list[object]) -> None:
    with pytest.raises(PermissionError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    assert no_network


async def test_the_app_opens_no_socket(no_network: list[object], make_app: AppFactory) -> None:
    app = make_app(setup=some_history)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("c", "n", "escape", "h", "g", "2", "l", "question_mark", "d"):
            await pilot.press(key)
    assert no_network == []


def test_every_cli_command_opens_no_socket(
    no_network: list[object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "journal.json")
    export = tmp_path / "out.json"
    assert main(["--db", db, "import", str(write_sample(tmp_path))]) == 0
    assert main(["--db", db, "stats"]) == 0
    for fmt in ("csv", "json", "markdown"):
        assert main(["--db", db, "export", "--format", fmt]) == 0
    assert main(["--db", db, "export", "-o", str(export)]) == 0
    assert main(["challenges"]) == 0
    assert no_network == []
    for path in (Path(db), export, *(tmp_path / "backups").iterdir()):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700


def write_sample(folder: Path) -> Path:
    from benchmarks.journal_factory import sample_attempts
    from rejection_tui.storage.formats import export_json

    path = folder / "sample.json"
    path.write_text(export_json(sample_attempts(12)), encoding="utf-8")
    return path
