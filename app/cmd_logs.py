"""`logs [-n N] [-f] [FILE ...]`: the end of each log under a header, then (with -f) new lines as they come."""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from pathlib import Path

from prompt_alchemy_scheduler_tui.app.cli_parser import MAX_LOG_FILES, fail
from prompt_alchemy_scheduler_tui.backends.log_files import (
    LOG_DIRECTORY,
    LOG_PATTERN,
    LogState,
    inspect_log,
    installed_log_directory,
    select_logs,
)
from prompt_alchemy_scheduler_tui.backends.log_follow import (
    FollowEvent,
    FollowEventKind,
    LogFollower,
    follow_many,
)
from prompt_alchemy_scheduler_tui.backends.log_tail import last_lines, visible
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerError
from prompt_alchemy_scheduler_tui.backends.service_factory import make_service


def run_logs(args: argparse.Namespace, directory: Path | None = None) -> int:
    """Named files, or the logs found in `directory` (bounded as the TUI's panes are, the rest counted);
    a FIFO or device among them is named, not opened. Without a directory: where the installed job
    logs (its private log directory, if it was installed with one), else /tmp."""
    if len(args.files) > MAX_LOG_FILES:
        return fail(f"{len(args.files)} files given; at most {MAX_LOG_FILES} can be shown at once.", 2)
    try:
        paths = [Path(f).absolute() for f in args.files]
    except OSError:  # getcwd() fails once the working directory is deleted
        return fail("The current directory no longer exists: give the log files as absolute paths.", 2)
    selection = None if paths else select_logs(directory or _job_log_directory(args.crontab_user))
    infos = [inspect_log(path) for path in paths] if selection is None else selection.logs
    followers = []
    for info in infos:
        print(
            f"==> {visible(str(info.path))} ({info.state.value}{_size(info.size) if info.size else ''}) <=="
        )
        for warning in info.warnings:
            sys.stderr.write(f"warning: {visible(warning)}\n")
        offset = 0
        if info.state is LogState.PRESENT:
            try:
                chunk = last_lines(info.path, args.lines)
            except OSError as error:
                sys.stderr.write(f"cannot read {visible(str(info.path))}: {visible(str(error.strerror))}\n")
            else:
                if chunk.lines:
                    print("\n".join(chunk.lines))
                offset = chunk.end_offset
        followers.append(
            LogFollower(info.path, start_offset=offset if info.state is not LogState.MISSING else None)
        )
    if selection is not None and selection.skipped:
        print(
            f"({selection.skipped} more {LOG_PATTERN} files in {visible(str(selection.directory))} not shown: only the "
            f"{selection.max_extras} most recently modified are; name files as arguments to see others)"
        )
    sys.stdout.flush()
    if not args.follow:
        return 0
    printer = _Printer()
    with contextlib.suppress(KeyboardInterrupt):
        follow_many(followers, printer, threading.Event())
    return 0


class _Printer:
    """Prints events, with a `==> file <==` header whenever the file changes (as tail does)."""

    def __init__(self) -> None:
        self.current: Path | None = None

    def __call__(self, event: FollowEvent) -> None:
        if event.path != self.current:
            print(f"\n==> {visible(str(event.path))} <==")
            self.current = event.path
        if event.kind is FollowEventKind.LINES:
            print("\n".join(event.lines), flush=True)
        else:
            sys.stderr.write(f"{event.kind.value}: {visible(event.message)}\n")
            sys.stderr.flush()


def _size(size: int) -> str:
    if size < 1024:
        return f", {size} B"
    scaled = float(size)
    for unit in ("KiB", "MiB", "GiB"):
        scaled /= 1024
        if scaled < 1024 or unit == "GiB":
            break
    return f", {scaled:.1f} {unit}"


def _job_log_directory(crontab_user: str | None) -> Path:
    try:
        listings = make_service(crontab_user=crontab_user).list_all()
    except SchedulerError:
        return LOG_DIRECTORY
    return installed_log_directory(listings) or LOG_DIRECTORY
