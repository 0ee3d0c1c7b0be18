"""Run now in the TUI: one run at a time, its status line and cancel key while it goes, cancel stops
the whole process group, quitting during a run asks, and failures to start are said in words."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button

from prompt_alchemy_scheduler_tui.app.tui import SchedulerApp
from prompt_alchemy_scheduler_tui.widgets.quit_run_screen import QuitDuringRunScreen
from prompt_alchemy_scheduler_tui.widgets.run_status import RunStatus
from tests.run_jobs import alive, kill_group, needs_proc, read_pid, write_sleeping_job
from tests.tui_support import main_screen, make_app, record_notifications, wait_until

pytestmark = needs_proc


def _footer(app: SchedulerApp) -> str:
    return " ".join(str(key.render()) for key in app.screen.query("FooterKey"))


def _status(app: SchedulerApp) -> RunStatus:
    return main_screen(app).run_status


def _sleeping_app(tmp_path: Path, binary: Path, **options: bool) -> SchedulerApp:
    write_sleeping_job(binary, tmp_path, **options)
    return make_app(tmp_path / "state", tmp_path, binary)


async def test_one_run_at_a_time_with_a_status_line_and_a_cancel_key_while_it_goes(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    app = _sleeping_app(tmp_path, stand_in_binary)
    notes: list[str] = []
    job = None
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            record_notifications(app, notes)
            await wait_until(pilot, lambda: main_screen(app).populated)
            assert not _status(app).display and "Cancel run" not in _footer(app)
            await pilot.press("r", "r")  # the second press lands while the first run is starting
            await wait_until(pilot, lambda: read_pid(tmp_path / "job.pid") is not None)
            job = read_pid(tmp_path / "job.pid")
            await wait_until(pilot, lambda: "Cancel run" in _footer(app))
            assert _status(app).display
            assert str(_status(app).render()).startswith("Run now running: ")
            await wait_until(pilot, lambda: "Run now running: 1 s · x cancels" in str(_status(app).render()))
            refused = [note for note in notes if note.startswith("The job is already")]
            assert len(refused) == 1  # the second press, whether the run was starting or going
            await pilot.press("r")
            await wait_until(pilot, lambda: any("already running (" in note for note in notes))
            note = next(note for note in notes if "already running (" in note)
            assert note.endswith(" s): one run at a time. x cancels it.")
            log = (tmp_path / "prompt-alchemy-nightly.log").read_text()
            assert log.count(" started ") == 1 and " manual\n" in log  # one run, marked by the recorder
            await pilot.press("x")
            await wait_until(pilot, lambda: any(note.startswith("Run cancelled after") for note in notes))
            await wait_until(pilot, lambda: "Cancel run" not in _footer(app))
            assert not _status(app).display and _status(app).running is None
    finally:
        kill_group(job, tmp_path)


async def test_cancel_stops_the_job_and_its_grandchild(tmp_path: Path, stand_in_binary: Path) -> None:
    app = _sleeping_app(tmp_path, stand_in_binary)
    notes: list[str] = []
    job = None
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            record_notifications(app, notes)
            await wait_until(pilot, lambda: main_screen(app).populated)
            await pilot.press("r")
            await wait_until(pilot, lambda: read_pid(tmp_path / "grandchild.pid") is not None)
            job = read_pid(tmp_path / "job.pid")
            grandchild = read_pid(tmp_path / "grandchild.pid")
            assert job is not None and grandchild is not None and alive(job) and alive(grandchild)
            await wait_until(pilot, lambda: "Cancel run" in _footer(app))
            await pilot.press("x")
            await wait_until(pilot, lambda: any(note.startswith("Run cancelled after") for note in notes))
            assert not alive(job) and not alive(grandchild)
            ended = next(note for note in notes if note.startswith("Run cancelled after"))
            assert ": the job was ended by SIGTERM" in ended
            assert app.is_running
    finally:
        kill_group(job, tmp_path)


async def _quit_during_a_run(tmp_path: Path, app: SchedulerApp, pilot, quit_key: str) -> int:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: main_screen(app).populated)
    await pilot.press("r")
    await wait_until(pilot, lambda: read_pid(tmp_path / "grandchild.pid") is not None)
    await wait_until(pilot, lambda: _status(app).running is not None)
    await pilot.press(quit_key)
    await wait_until(pilot, lambda: isinstance(app.screen, QuitDuringRunScreen))
    job = read_pid(tmp_path / "job.pid")
    assert job is not None
    return job


async def test_quit_during_a_run_can_stay(tmp_path: Path, stand_in_binary: Path) -> None:
    app = _sleeping_app(tmp_path, stand_in_binary)
    job = None
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            job = await _quit_during_a_run(tmp_path, app, pilot, "q")
            assert "still running" in str(app.screen.query_one("#question").render())
            assert app.screen.focused is app.screen.query_one("#stay", Button)
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, QuitDuringRunScreen))
            assert app.is_running and alive(job) and _status(app).running is not None
    finally:
        kill_group(job, tmp_path)


async def test_quit_during_a_run_can_leave_it_running(tmp_path: Path, stand_in_binary: Path) -> None:
    app = _sleeping_app(tmp_path, stand_in_binary)
    job = None
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            job = await _quit_during_a_run(tmp_path, app, pilot, "ctrl+c")
            await pilot.press("l")
            await wait_until(pilot, lambda: not app.is_running)
        grandchild = read_pid(tmp_path / "grandchild.pid")
        assert grandchild is not None and alive(job) and alive(grandchild)
    finally:
        kill_group(job, tmp_path)


async def test_quit_during_a_run_can_stop_it_and_quits_once_it_has_ended(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    app = _sleeping_app(tmp_path, stand_in_binary)
    job = None
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            job = await _quit_during_a_run(tmp_path, app, pilot, "q")
            grandchild = read_pid(tmp_path / "grandchild.pid")
            assert grandchild is not None
            await pilot.click("#stop")
            await wait_until(pilot, lambda: not app.is_running)
            assert not alive(job) and not alive(grandchild)
    finally:
        kill_group(job, tmp_path)


async def test_stopping_a_run_that_ignores_sigterm_keeps_the_screen_alive_and_q_quits_at_once(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    app = _sleeping_app(tmp_path, stand_in_binary, ignore_term=True)
    notes: list[str] = []
    job = None
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            record_notifications(app, notes)
            job = await _quit_during_a_run(tmp_path, app, pilot, "q")
            await pilot.press("s")
            await wait_until(pilot, lambda: any(note.startswith("Stopping the run") for note in notes))
            await pilot.pause(0.5)
            assert app.is_running and "Run now stopping: " in str(_status(app).render())
            await pilot.press("q")
            await wait_until(pilot, lambda: not app.is_running)
    finally:
        kill_group(job, tmp_path)


async def test_a_run_that_ends_while_the_quit_question_is_open_closes_it(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    stand_in_binary.write_text(f"#!/bin/sh\necho $$ > {tmp_path}/job.pid\nsleep 1\n")
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        await wait_until(pilot, lambda: main_screen(app).populated)
        await pilot.press("r")
        await wait_until(pilot, lambda: _status(app).running is not None)
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, QuitDuringRunScreen))
        await wait_until(pilot, lambda: not isinstance(app.screen, QuitDuringRunScreen))
        assert app.is_running
        assert any(note.startswith("The job exited with status 0 after 1.") for note in notes)


async def test_a_binary_that_is_not_executable_is_explained(tmp_path: Path, stand_in_binary: Path) -> None:
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        await wait_until(pilot, lambda: main_screen(app).populated)
        stand_in_binary.chmod(0o644)  # after the platform panel found it executable
        await pilot.press("r")
        await wait_until(pilot, lambda: any(note.startswith("Cannot run") for note in notes))
        failure = next(note for note in notes if note.startswith("Cannot run"))
        assert failure == (
            f"Cannot run: binary {stand_in_binary}: not executable. Make it executable: "
            f"chmod +x {stand_in_binary}"
        )
        assert not (tmp_path / "prompt-alchemy-nightly.log").exists()
        assert "Cancel run" not in _footer(app) and _status(app).running is None
        stand_in_binary.chmod(0o755)
        await pilot.press("r")  # a failed start leaves nothing behind: the next one runs
        await wait_until(
            pilot, lambda: any(note.startswith("The job exited with status 0") for note in notes)
        )


async def test_the_status_line_shows_markup_in_a_path_as_text_and_a_second_cancel_says_so(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    binary = tmp_path / "[bold]odd dir" / "prompt-alchemy"
    binary.parent.mkdir()
    app = _sleeping_app(tmp_path, binary, ignore_term=True)
    notes: list[str] = []
    job = None
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            record_notifications(app, notes)
            await wait_until(pilot, lambda: main_screen(app).populated)
            await pilot.press("r")
            await wait_until(pilot, lambda: _status(app).running is not None)
            job = read_pid(tmp_path / "job.pid")
            assert f"'{binary}' --config" in str(_status(app).render())
            await pilot.press("x", "x")
            await wait_until(pilot, lambda: "Run now stopping: " in str(_status(app).render()))
            assert any(note.startswith("Already cancelling the run: SIGKILL follows") for note in notes)
            await wait_until(pilot, lambda: _status(app).running is None, timeout=15)
            assert any(note.endswith("so it was killed (SIGKILL).") for note in notes)
    finally:
        kill_group(job, tmp_path)
