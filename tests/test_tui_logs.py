"""The TUI facing hostile log files: planted links, FIFOs, and hundreds of matching files."""

from __future__ import annotations

import os
from pathlib import Path

from backends.log_files import LogState
from tests.tui_support import main_screen, make_app, record_notifications, wait_until
from widgets.log_pane import LogPane

BASHRC = "export PATH=$HOME/bin:$PATH\n"


async def test_run_now_refuses_a_planted_symlink_in_words(tmp_path: Path, stand_in_binary: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    victim = tmp_path / "home" / ".bashrc"
    victim.write_text(BASHRC)
    (logs / "prompt-alchemy-nightly.log").symlink_to(victim)
    app = make_app(tmp_path / "state", logs, stand_in_binary)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        await wait_until(pilot, lambda: main_screen(app).populated)
        await pilot.press("r")
        await wait_until(pilot, lambda: any("Refusing to write" in note for note in notes))
        refusal = next(note for note in notes if "Refusing to write" in note)
        assert f"is a symbolic link to {victim}" in refusal
        assert "Errno" not in refusal and "Traceback" not in refusal
        assert app.is_running
    assert victim.read_text() == BASHRC
    assert not (logs / "prompt-alchemy-nightly.error.log").exists()


async def test_run_now_failure_to_start_is_said_in_words(tmp_path: Path, stand_in_binary: Path) -> None:
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        await wait_until(pilot, lambda: main_screen(app).populated)
        stand_in_binary.write_text("#!/nonexistent/interpreter\n")  # execve fails: ENOENT
        await pilot.press("r")
        await wait_until(pilot, lambda: any("Could not run the job" in note for note in notes))
        failure = next(note for note in notes if "Could not run the job" in note)
        assert failure == f"Could not run the job: {stand_in_binary}: No such file or directory"


async def test_a_planted_fifo_gets_a_pane_saying_so_and_q_still_quits(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "prompt-alchemy-nightly.log").write_text("last night\n")
    fifo = logs / "prompt-alchemy-nightly-x.log"
    os.mkfifo(fifo)
    app = make_app(tmp_path / "state", logs, stand_in_binary)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.populated and len(screen.query(LogPane)) == 3)
        panes = {pane.info.path: pane for pane in screen.query(LogPane)}
        assert panes[fifo].info.state is LogState.UNREADABLE
        assert f"{fifo} is a FIFO (named pipe), not a log file: not opened" in panes[fifo].warnings
        await wait_until(
            pilot, lambda: "last night" in panes[logs / "prompt-alchemy-nightly.log"].log_view.lines
        )
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running)
