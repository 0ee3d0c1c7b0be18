"""The TUI facing hostile log files: planted links, FIFOs, and hundreds of matching files."""

from __future__ import annotations

from pathlib import Path

from tests.tui_support import main_screen, make_app, record_notifications, wait_until

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
