"""The TUI facing hostile log files: planted links, FIFOs, and hundreds of matching files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from textual.widgets import Static

from prompt_alchemy_scheduler_tui.app.tui import SchedulerApp
from prompt_alchemy_scheduler_tui.backends.log_files import MAX_EXTRA_LOGS, LogState
from prompt_alchemy_scheduler_tui.backends.log_tail import MAX_LINES
from prompt_alchemy_scheduler_tui.widgets.log_pane import LogPane
from prompt_alchemy_scheduler_tui.widgets.logs_panel import LogsPanel
from prompt_alchemy_scheduler_tui.widgets.plan_screen import PlanScreen
from tests.conftest import read_crontab
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
        assert failure == (
            f"Could not run the job: {stand_in_binary}: No such file or directory "
            "(the file is there: the interpreter on its #! line is not)"
        )


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


def _extras(directory: Path, count: int, first: int = 0) -> list[Path]:
    """Extra matching logs, each modified a second after the previous (explicit times: no sleeping)."""
    paths = []
    for index in range(first, first + count):
        path = directory / f"prompt-alchemy-nightly-{index:03d}.log"
        path.write_text(f"extra {index}\n")
        os.utime(path, ns=(1_700_000_000_000_000_000 + index * 10**9,) * 2)
        paths.append(path)
    return paths


def _panel(app: SchedulerApp) -> LogsPanel:
    return main_screen(app).query_one(LogsPanel)


async def test_three_hundred_extra_logs_leave_the_app_responsive_and_bounded(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    extras = _extras(logs, 300)
    app = make_app(tmp_path / "state", logs, stand_in_binary, crontab_user=cron_user)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, PlanScreen))
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.press("escape")
        panel = _panel(app)
        assert [pane.info.path for pane in panel.query(LogPane)] == [
            logs / "prompt-alchemy-nightly.log",
            logs / "prompt-alchemy-nightly.error.log",
            *extras[-MAX_EXTRA_LOGS:],
        ]
        assert panel.border_title == (
            f"Logs ({logs}/prompt-alchemy-nightly*.log) · {300 - MAX_EXTRA_LOGS} older matching files not shown"
        )
        following = [worker for worker in app.workers if worker.group in ("logs", "follow-logs")]
        assert len(following) == 1  # one loop follows every pane, not a thread per file
    assert read_crontab(cron_user) is None


async def test_one_loop_follows_every_pane_and_refresh_keeps_the_bound(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    extras = _extras(logs, MAX_EXTRA_LOGS + 2)
    app = make_app(tmp_path / "state", logs, stand_in_binary)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated)
        panel = _panel(app)
        await wait_until(pilot, lambda: len(panel.panes) == 2 + MAX_EXTRA_LOGS)
        newest = panel.panes[extras[-1]]
        with extras[-1].open("a") as handle:
            handle.write("appended to an extra\n")
        await wait_until(pilot, lambda: "appended to an extra" in newest.log_view.lines, timeout=3)
        assert "2 older matching files not shown" in str(panel.border_title)

        fresh = _extras(logs, 1, first=len(extras))[0]
        await pilot.press("f5")
        await wait_until(pilot, lambda: fresh in panel.panes)
        assert len(panel.query(LogPane)) == len(panel.panes) == 2 + MAX_EXTRA_LOGS
        oldest_shown = extras[-MAX_EXTRA_LOGS]
        assert oldest_shown not in panel.panes and "3 older matching files" in str(panel.border_title)
        with fresh.open("a") as handle:
            handle.write("fresh line\n")
        await wait_until(pilot, lambda: "fresh line" in panel.panes[fresh].log_view.lines, timeout=3)


async def test_a_burst_larger_than_a_pane_keeps_is_cut_down_before_it_reaches_the_ui(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    flood = logs / "prompt-alchemy-nightly.log"
    flood.write_text("")
    app = make_app(tmp_path / "state", logs, stand_in_binary)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated)
        pane = _panel(app).panes[flood]
        with flood.open("a") as handle:
            handle.write("".join(f"{index}\n" for index in range(MAX_LINES + 5000)))
        last = str(MAX_LINES + 4999)
        await wait_until(pilot, lambda: bool(pane.log_view.lines) and pane.log_view.lines[-1] == last)
        assert pane.log_view.lines[0] == "… [5001 lines not shown: more arrived at once than a pane keeps]"
        assert len(pane.log_view.lines) == MAX_LINES


async def test_planted_names_and_link_targets_are_shown_as_text_not_escapes_or_markup(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    planted = logs / os.fsdecode(b"prompt-alchemy-nightly-\x1b]0;pwned\x07\xff.log")
    planted.write_text("x\n")
    target = "/nowhere/[b]not bold[/b]\x1b[2J"
    (logs / "prompt-alchemy-nightly.log").symlink_to(target)
    app = make_app(tmp_path / "state", logs, stand_in_binary)
    notes: list[str] = []
    markup: list[object] = []
    async with app.run_test(size=(120, 40)) as pilot:
        original = app.notify

        def recording(message: str, **options: Any) -> None:
            notes.append(message)
            markup.append(options.get("markup", True))
            original(message, **options)

        app.notify = recording  # type: ignore[method-assign]
        await wait_until(pilot, lambda: main_screen(app).populated)
        panel = _panel(app)
        await wait_until(pilot, lambda: planted in panel.panes)
        header = str(panel.panes[planted].query_one(".log-header", Static).render())
        assert "\x1b" not in header and "\udcff" not in header
        assert f"{logs}/prompt-alchemy-nightly-\u241b]0;pwned\u2407\ufffd.log" in header
        await pilot.press("r")
        await wait_until(pilot, lambda: any("Refusing to write" in note for note in notes))
        refusal = next(note for note in notes if "Refusing to write" in note)
        assert "is a symbolic link to /nowhere/[b]not bold[/b]\u241b[2J" in refusal
        assert markup[notes.index(refusal)] is False  # shown as text: brackets are not markup


async def test_the_pane_header_follows_the_file_and_the_view(tmp_path: Path, stand_in_binary: Path) -> None:
    """Never stale: missing, appeared, paused the moment the view scrolls up, following again at the
    bottom, deleted; warnings go when their file goes."""
    from prompt_alchemy_scheduler_tui.widgets.log_pane import LogPane
    from tests.tui_support import main_screen, make_app, wait_until

    log = tmp_path / "prompt-alchemy-nightly.log"
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.populated)
        pane = next(p for p in screen.query(LogPane) if p.info.path == log)

        def header() -> str:
            return str(pane.query_one(".log-header").render())

        assert "missing" in header()
        log.write_text("".join(f"line {i}\n" for i in range(200)))
        os.chmod(log, 0o666)  # writable by everyone: a warning while it lasts
        await wait_until(pilot, lambda: "line 199" in pane.log_view.lines, timeout=5)
        await wait_until(pilot, lambda: "appeared" in header() and "writable by every user" in header())
        pane.log_view.scroll_home(animate=False)
        await wait_until(pilot, lambda: "paused" in header(), timeout=2)
        pane.log_view.scroll_end(animate=False)
        await wait_until(pilot, lambda: "paused" not in header(), timeout=2)
        log.unlink()
        await wait_until(pilot, lambda: "was deleted" in header(), timeout=5)
        assert "writable by every user" not in header()
