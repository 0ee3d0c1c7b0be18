"""What the schedule editor holds, and where it starts: the installed job (its schedule, its scheduler
and every option, as the backends read it back), else the defaults. When the editor follows the
installed job is the screen's call (EditorFollows)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from prompt_alchemy_scheduler_tui.backends.cron_syntax import (
    DEFAULT_EXPRESSION,
    CronSyntaxError,
    parse_expression,
)
from prompt_alchemy_scheduler_tui.backends.job_options import job_to_edit
from prompt_alchemy_scheduler_tui.backends.path_discovery import find_binary, find_config

if TYPE_CHECKING:
    from prompt_alchemy_scheduler_tui.backends.job_builder import JobRequest
    from prompt_alchemy_scheduler_tui.backends.scheduler_backend import JobListing


@dataclass(frozen=True)
class EditorChoice:
    """What the editor holds: the schedule, the method, and the job's options (None: the defaults, the
    binary and config found here, no variables, no limits)."""

    expression: str
    method: str  # "auto" or a registered scheduler's method
    options: JobRequest | None = None  # its `expression` is unused: the editor's own is the schedule


NOTHING_INSTALLED = EditorChoice(DEFAULT_EXPRESSION, "auto")
# How the editor meets the installed job once the jobs are loaded: it follows it unless the user changed
# something, takes it whatever it holds (after an install or restore), or keeps what it holds.
EditorFollows = Literal["follow", "take", "keep"]


def installed_choice(
    listings: list[JobListing], logs: Path, chosen: tuple[Path | None, Path | None]
) -> tuple[EditorChoice, str | None]:
    """The editor's values for the installed job, and a warning when its options could not be read back.
    `logs` is where this screen's job logs by default; `chosen` the binary and config given on the command
    line, which replace the installed job's. Looks at the disk and loads the job builder: for a worker."""
    from prompt_alchemy_scheduler_tui.backends.job_builder import request_for

    installed = job_to_edit(listings)
    if installed is None:
        return NOTHING_INSTALLED, None
    method = str(installed.method)
    if installed.job is None:
        try:
            expression = parse_expression(installed.expression).text
        except CronSyntaxError:  # launchd intervals no cron expression gives
            expression = DEFAULT_EXPRESSION
        warning = (
            f"The installed {method} job's options (environment, timeout, open files, paths) could "
            "not be read back, so the editor shows the defaults for them: look at the job (choose its "
            "row) and set them under Options before installing."
        )
        return EditorChoice(expression, method), warning
    options = replace(request_for(installed.job), expression="")
    if not installed.managed:
        # The old Go tool wrote its own path and no logs: where that path is gone, the binary and config
        # found here take over, and the logs go where this screen's do (the confirmation names each change).
        options = replace(
            options,
            binary=options.binary if find_binary(options.binary).usable else None,
            config=options.config if find_config(options.config).usable else None,
            log_directory=logs,
        )
    binary, config = chosen
    options = replace(
        options,
        binary=str(binary) if binary else options.binary,
        config=str(config) if config else options.config,
    )
    return EditorChoice(installed.job.schedule, method, options), None
