"""The job's options (everything but its schedule) as people read them: what an install changes
compared with the installed job, and a one-line summary for the editor. Secrets are never shown."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import InstalledJob, JobListing
from prompt_alchemy_scheduler_tui.backends.secret_masking import is_secret

if TYPE_CHECKING:  # read, never built here: the editor shows a summary before the builder is loaded
    from prompt_alchemy_scheduler_tui.backends.job_builder import JobRequest

_SHOWN_VALUE_LENGTH = 40  # a changed value longer than this is only named
_NOTHING_SET = "none set"


def option_changes(old: NightlyJob | None, new: NightlyJob) -> list[str]:
    """One line per option that differs ("timeout: 600 s → none", "environment: NAME added"); [] when
    nothing is installed (`old` None) or nothing differs. Variables are named, values shown only when
    short and not secret-looking."""
    if old is None:
        return []
    changes = [
        f"{what}: {_shown(before)} → {_shown(after)}"
        for what, before, after in (
            ("binary", old.binary, new.binary),
            ("config", old.config, new.config),
            ("data directory", old.data_dir or Path("none"), new.data_dir or Path("none")),
        )
        if before != after
    ]
    changes += _environment_changes(old.environment, new.environment)
    if old.timeout_seconds != new.timeout_seconds:
        changes.append(f"timeout: {_seconds(old.timeout_seconds)} → {_seconds(new.timeout_seconds)}")
    if old.number_of_files != new.number_of_files:
        changes.append(f"open files: {_count(old.number_of_files)} → {_count(new.number_of_files)}")
    if old.ping_url != new.ping_url:
        if old.ping_url and new.ping_url:
            changes.append("ping: another URL")  # the URL is a credential: never printed
        else:
            changes.append(f"ping: {'on' if old.ping_url else 'off'} → {'on' if new.ping_url else 'off'}")
    changes += _log_changes(old, new)
    return changes


def options_summary(
    request: JobRequest | None,
    found: tuple[Path | None, Path | None],
    shared_logs: Path,
    private_logs: Path,
) -> str:
    """The options on one line: variables by name (never a value), limits, and the binary, config and
    log directory where they are not the ones found here or the default."""
    if request is None:
        return _NOTHING_SET
    parts = []
    if request.timeout_seconds is not None:
        parts.append(f"timeout {request.timeout_seconds}s")
    if request.number_of_files is not None:
        parts.append(f"open files {request.number_of_files}")
    if request.environment:
        parts.append("env " + ", ".join(item.partition("=")[0] for item in request.environment))
    for what, path, usual in (("binary", request.binary, found[0]), ("config", request.config, found[1])):
        if path is not None and Path(path) != usual:
            parts.append(f"{what} {_shown(Path(path))}")
    if request.log_directory == private_logs:
        parts.append("logs private")
    elif request.log_directory not in (None, shared_logs):
        parts.append(f"logs {_shown(request.log_directory)}")
    return " · ".join(parts) if parts else _NOTHING_SET


def job_to_edit(listings: Sequence[JobListing]) -> InstalledJob | None:
    """The installed job an editor starts from: ours before the old Go tool's, one in a scheduler usable
    here before one that is not, then in registry order; None when nothing is installed."""
    jobs = [(listing.available, job) for listing in listings for job in listing.jobs]
    ranked = sorted(range(len(jobs)), key=lambda i: (not jobs[i][0], not jobs[i][1].managed, i))
    return jobs[ranked[0]][1] if ranked else None


def _environment_changes(old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]) -> list[str]:
    before, after = dict(old), dict(new)
    changes = [f"environment: {name} removed" for name in before if name not in after]
    for name, value in after.items():
        if name not in before:
            changes.append(f"environment: {name} added")
        elif before[name] != value:
            changes.append(f"environment: {name} changed{_values(name, before[name], value)}")
    return changes


def _values(name: str, before: str, after: str) -> str:
    """` (a → b)` for short values that are not secret-looking; "" otherwise."""
    if any(is_secret(name, value) or len(value) > _SHOWN_VALUE_LENGTH for value in (before, after)):
        return ""
    return f" ({shown_text(repr(before))} → {shown_text(repr(after))})"


def _log_changes(old: NightlyJob, new: NightlyJob) -> list[str]:
    """Both logs moving to another directory under the same names is one change (`--private-logs`)."""
    pairs = ((old.stdout_log, new.stdout_log), (old.stderr_log, new.stderr_log))
    if all(a != b and a.name == b.name and a.parent == pairs[0][0].parent for a, b in pairs) and (
        new.stdout_log.parent == new.stderr_log.parent
    ):
        return [f"logs: {_shown(old.stdout_log.parent)} → {_shown(new.stdout_log.parent)}"]
    return [
        f"{what}: {_shown(before)} → {_shown(after)}"
        for what, (before, after) in zip(("log", "error log"), pairs, strict=True)
        if before != after
    ]


def _shown(path: Path) -> str:
    return shown_text(str(path))


def _seconds(seconds: int | None) -> str:
    return "none" if seconds is None else f"{seconds} s"


def _count(count: int | None) -> str:
    return "none" if count is None else str(count)
