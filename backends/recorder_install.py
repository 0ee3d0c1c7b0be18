"""Installing the run recorder alongside a job: its script as a planned file change, the record
store's directory, and the install event that missed-run counting starts from."""

from __future__ import annotations

import os
import time

from prompt_alchemy_scheduler_tui.backends.job_env_file import put_text_file, read_text_file
from prompt_alchemy_scheduler_tui.backends.private_files import make_private_directory
from prompt_alchemy_scheduler_tui.backends.run_recorder import SCRIPT_MODE, RunRecorder
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import (
    ConcurrentEditError,
    FileChange,
    SchedulerError,
)


def record_install(
    recorder: RunRecorder, method: str, when: float | None = None, owner: tuple[int, int] | None = None
) -> str | None:
    """Append an install event (the start of "missed run" counting); returns a note when it cannot."""
    line = f"v1 installed {int(when if when is not None else time.time())} {method}\n".encode()
    try:
        make_private_directory(recorder.records.parent, None if owner is None else owner[0])
        descriptor = os.open(
            recorder.records, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o600
        )
        try:
            if owner is not None:  # root installing another user's job: the job appends here as them
                os.fchown(descriptor, *owner)
            os.write(descriptor, line)
        finally:
            os.close(descriptor)
    except OSError as error:
        return f"The install time could not be recorded in {recorder.records} ({error.strerror or error})."
    return None


def recorder_change(recorder: RunRecorder | None) -> tuple[FileChange, ...]:
    """The recorder script as one of an install's file changes, shown whole in the dry run; () when it
    already says this (or the scheduler records nothing)."""
    if recorder is None:
        return ()
    try:
        before = read_text_file(recorder.script)
    except OSError as error:
        raise SchedulerError(
            f"Cannot read {recorder.script}: {error.strerror or error}; nothing was written."
        ) from error
    text = recorder.script_text
    if before == text:
        return ()
    return (FileChange(recorder.script, before, text, SCRIPT_MODE, text),)


def prepare_records(recorder: RunRecorder | None, owner: int | None = None) -> None:
    """Create the record store's private directory before an install writes anything; SchedulerError
    (nothing written) when it cannot be."""
    if recorder is None:
        return
    try:
        directory = recorder.records.parent
        if owner is not None:
            # Root installing another user's job: the directories are created for them, as theirs.
            for folder in (recorder.script.parent, directory):
                if not folder.exists():
                    folder.mkdir(parents=True, mode=0o700)
                    os.chown(folder, owner, -1)
        make_private_directory(directory, owner)
    except OSError as error:
        raise SchedulerError(
            f"Cannot create {recorder.records.parent} for the run records ({error.strerror or error}); nothing was written."
        ) from error


def install_recorder(recorder: RunRecorder | None, files: tuple[FileChange, ...]) -> None:
    """Before the scheduler's own write: the record directory, then the script if the plan writes it.
    ConcurrentEditError or SchedulerError (nothing of the scheduler's written yet) when either fails."""
    if recorder is None:
        return
    prepare_records(recorder)
    for change in files:
        if change.path != recorder.script:
            continue
        try:
            if read_text_file(change.path) != change.before:
                raise ConcurrentEditError(
                    f"{change.path} changed since it was read. Nothing was written; try again."
                )
            put_text_file(change.path, change.after, change.mode)
        except OSError as error:
            raise SchedulerError(
                f"Could not write {change.path} ({error.strerror or error}); nothing else was changed. Make that "
                "directory writable or free some space."
            ) from error


def recorder_problem(recorder: RunRecorder | None, recorded: bool) -> str | None:
    """Why a job that runs through the recorder would fail before `nightly` starts: its script is gone
    (every run then ends with "cannot open", and no record says so) or no longer what this tool wrote."""
    if recorder is None or not recorded:
        return None
    try:
        text = read_text_file(recorder.script)
    except OSError as error:
        return f"the run recorder {recorder.script} cannot be read ({error.strerror or error}): every run fails; install again"
    if text is None:
        return f"the run recorder {recorder.script} is missing: every run fails before nightly starts; install again"
    if text != recorder.script_text:
        return f"the run recorder {recorder.script} is not what this version writes (edited?): install again"
    return None
