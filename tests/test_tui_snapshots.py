"""Snapshots of the main screen at 120x40 and 80x24 (pytest-textual-snapshot), from fixed data."""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import write_crontab
from tests.tui_support import main_screen, make_app, wait_until

LOG_DIRECTORY = Path("/tmp/pa-snapshot-logs")  # fixed: the pane headers show the path
BINARY = Path("/home/dev/go/bin/prompt-alchemy")
CONFIG = Path("/home/dev/.prompt-alchemy/config.yaml")
CRONTAB = (
    "# backups (not ours)\nMAILTO=ops@example.com\n0 5 * * * /usr/bin/backup --fast\n"
    "0 3 * * * /usr/local/bin/prompt-alchemy --config /home/dev/.prompt-alchemy/config.yaml nightly\n"
    "0 2 * * * /home/dev/go/bin/prompt-alchemy --config /home/dev/.prompt-alchemy/config.yaml nightly"
    " >>/tmp/prompt-alchemy-nightly.log 2>>/tmp/prompt-alchemy-nightly.error.log # prompt-alchemy-scheduler-tui:nightly\n"
)


@pytest.fixture
def snapshot_logs() -> Iterator[Path]:
    """The fixed log directory, held by one test at a time: pytest-xdist workers (and other checkouts on
    the same machine) would otherwise delete each other's logs mid-test."""
    with open(f"{LOG_DIRECTORY}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield from _fresh_logs()


def _fresh_logs() -> Iterator[Path]:
    shutil.rmtree(LOG_DIRECTORY, ignore_errors=True)
    LOG_DIRECTORY.mkdir()
    (LOG_DIRECTORY / "prompt-alchemy-nightly.log").write_text(
        "[prompt-alchemy-scheduler-tui] run 1764122400-4242 started 2026-11-26T02:00:00+0000 scheduled\n"
        'time="2026-11-26T02:00:01Z" level=info msg="nightly: loading interactions"\n'
        'time="2026-11-26T02:00:02Z" level=debug msg="batch 1 of 3"\n'
        'time="2026-11-26T02:00:03Z" level=error msg="Failed to write config"\n'
        'time="2026-11-26T02:00:04Z" level=info msg="retrained 1841 prompt rankings in 2.9 s"\n'
        "[prompt-alchemy-scheduler-tui] run 1764122400-4242 ended 2026-11-26T02:00:04+0000 exit 1\n"
    )
    (LOG_DIRECTORY / "prompt-alchemy-nightly.error.log").write_text(
        'time="2026-11-25T02:00:02Z" level=warning msg="provider openai returned HTTP 429, retrying"\n'
        "Error: nightly failed: Failed to write config\n"
    )
    yield LOG_DIRECTORY
    shutil.rmtree(LOG_DIRECTORY, ignore_errors=True)


async def _populated(pilot: Pilot[None]) -> None:
    await wait_until(pilot, lambda: main_screen(pilot.app).populated)  # type: ignore[arg-type]
    await pilot.pause(0.2)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_main_screen(
    snap_compare, cron_user: str, tmp_path: Path, snapshot_logs: Path, size: tuple[int, int]
) -> None:  # type: ignore[no-untyped-def]
    write_crontab(cron_user, CRONTAB)
    app = make_app(tmp_path / "state", snapshot_logs, BINARY, crontab_user=cron_user, config=CONFIG)
    assert snap_compare(app, terminal_size=size, run_before=_populated)


async def _searched_and_filtered(pilot: Pilot[None]) -> None:
    """The stdout log maximized, errors only, the search on "config"."""
    await _populated(pilot)
    await pilot.press("l", "m", "f", "slash", *"config", "enter")
    await pilot.pause(0.2)


def test_a_maximized_log_pane_searched_and_filtered(
    snap_compare, cron_user: str, tmp_path: Path, snapshot_logs: Path
) -> None:  # type: ignore[no-untyped-def]
    write_crontab(cron_user, CRONTAB)
    app = make_app(tmp_path / "state", snapshot_logs, BINARY, crontab_user=cron_user, config=CONFIG)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_searched_and_filtered)
