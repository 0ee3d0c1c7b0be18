"""Turn what the user asked for (flags or the editor's fields) into a NightlyJob, or say what is wrong."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.crontab_text import strip_blanks
from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text
from prompt_alchemy_scheduler_tui.backends.log_safety import log_problems, private_log_directory
from prompt_alchemy_scheduler_tui.backends.nightly_job import (
    DEFAULT_STDERR_LOG,
    DEFAULT_STDOUT_LOG,
    JobError,
    NightlyJob,
    check_environment_count,
    check_environment_size,
    check_environment_variable,
    check_job_path,
    check_number_of_files,
    check_timeout,
)
from prompt_alchemy_scheduler_tui.backends.nightly_preflight import data_dir_fix
from prompt_alchemy_scheduler_tui.backends.path_discovery import PathCheck, find_binary, find_config
from prompt_alchemy_scheduler_tui.backends.schedule import Schedule
from prompt_alchemy_scheduler_tui.backends.secret_masking import is_secret

_WHOLE_NUMBER = re.compile(r"^[+-]?[0-9]+$")


@dataclass(frozen=True)
class JobRequest:
    """The user's choices; None means "find it" for paths."""

    expression: str
    binary: str | None = None
    config: str | None = None
    environment: tuple[str, ...] = ()  # NAME=VALUE, or NAME to copy from the current environment
    timeout_seconds: int | None = None
    number_of_files: int | None = None
    log_directory: Path | None = None  # None: /tmp, where Prompt Alchemy's documentation puts the logs
    data_dir: str | None = None  # None: the config's data_dir, else ~/.prompt-alchemy written as --data-dir
    ping_url: str | None = None


@dataclass(frozen=True)
class BuiltJob:
    job: NightlyJob
    binary: PathCheck
    config: PathCheck
    data_dir_added: bool = False  # --data-dir was written because nothing else names the database

    @property
    def problems(self) -> list[str]:
        """Why the job could not run as is (a missing binary, an unreadable config); [] when fine."""
        return [
            f"{c.kind} {c.path}: {c.status.value}. {c.hint}"
            for c in (self.binary, self.config)
            if not c.usable
        ]

    @property
    def advice(self) -> list[str]:
        """Things that work but deserve attention (a config others can read, API keys it does not need)."""
        paths = [
            f"{c.kind} {c.path}: {c.status.value}. {c.hint}"
            for c in (self.binary, self.config)
            if c.usable and c.hint
        ]
        added = (
            [
                f"{self.config.path} names no data_dir, and with --config nightly would then train on an empty "
                f"throwaway database every night: the job gets --data-dir {self.job.data_dir} (where Prompt "
                "Alchemy keeps its database without --config). Pass --data-dir to choose another."
            ]
            if self.data_dir_added
            else []
        )
        return paths + added + api_key_advice(self.job.environment) + log_advice(self.job)


def log_advice(job: NightlyJob) -> list[str]:
    """The job appends with the shell's `>>` (cron) or launchd's StandardOutPath, and both follow a
    planted symbolic link: a log path that another user controls is named, with the way out."""
    problems = [problem for log in (job.stdout_log, job.stderr_log) for problem in log_problems(log)]
    if not problems:
        return []
    return [
        "; ".join(problems) + f". Install with --private-logs to log to {private_log_directory()} instead, "
        "where no other user can plant files."
    ]


def api_key_advice(environment: Sequence[tuple[str, str]]) -> list[str]:
    """`nightly` makes no provider calls (Prompt Alchemy's cmd/nightly.go), so it needs no API keys;
    and when it saves the new weights, viper's WriteConfig writes every setting it holds, values bound
    from the environment included, into config.yaml. A key passed to the job ends up in that file."""
    keys = [name for name, value in environment if is_secret(name, value)]
    if not keys:
        return []
    return [
        f"{', '.join(keys)}: `prompt-alchemy nightly` needs no API keys or credentials (it only retrains "
        "rankings from the local database), and when it saves the new weights it writes every setting it "
        "read from the environment into config.yaml. Leave these out of the job unless you know it needs them."
    ]


def job_home(user: str | None) -> Path:
    """The home directory of the job's user: yours, or, with --crontab-user, that user's (their job
    cannot read yours). JobError for a user that does not exist."""
    if user is None:
        return Path.home()
    import pwd

    try:
        return Path(pwd.getpwnam(user).pw_dir)
    except KeyError:
        raise JobError(f"There is no user {user!r} on this machine.") from None


def build_job(request: JobRequest, environ: Mapping[str, str], user: str | None = None) -> BuiltJob:
    """Raises CronSyntaxError for a bad schedule and JobError for bad variables; paths are reported.
    `user` is the job's user (--crontab-user; default you): a missing data directory goes in their home."""
    Schedule(request.expression).require()
    binary = find_binary(request.binary)
    config = find_config(request.config)
    environment = parse_environment(request.environment, environ)
    data_dir = Path(os.path.abspath(request.data_dir)) if request.data_dir else None
    added = None
    if data_dir is None and config.usable:
        added = data_dir_fix(config.path, dict(environment), lambda: job_home(user))
    job = NightlyJob(
        schedule=strip_blanks(request.expression),
        binary=binary.path,
        config=config.path,
        environment=environment,
        timeout_seconds=request.timeout_seconds,
        number_of_files=request.number_of_files,
        stdout_log=(request.log_directory or DEFAULT_STDOUT_LOG.parent) / DEFAULT_STDOUT_LOG.name,
        stderr_log=(request.log_directory or DEFAULT_STDERR_LOG.parent) / DEFAULT_STDERR_LOG.name,
        data_dir=data_dir or added,
        ping_url=request.ping_url.rstrip("/") if request.ping_url else None,
    )
    return BuiltJob(job, binary, config, data_dir_added=added is not None)


def request_for(job: NightlyJob) -> JobRequest:
    """The request that builds `job` again: how an editor starts from the installed job."""
    return JobRequest(
        expression=job.schedule,
        binary=str(job.binary),
        config=str(job.config),
        environment=tuple(f"{name}={value}" for name, value in job.environment),
        timeout_seconds=job.timeout_seconds,
        number_of_files=job.number_of_files,
        log_directory=job.stdout_log.parent,
        data_dir=str(job.data_dir) if job.data_dir else None,
        ping_url=job.ping_url,
    )


def check_options(request: JobRequest, environ: Mapping[str, str]) -> None:
    """JobError for an option no job could take: the command line's checks of its flags, without the
    schedule and without looking at the disk (build_job does both)."""
    for what, path in (("binary", request.binary), ("config", request.config)):
        if path is not None:
            check_job_path(what, path)
    if request.timeout_seconds is not None:
        check_timeout(request.timeout_seconds)
    if request.number_of_files is not None:
        check_number_of_files(request.number_of_files)
    parse_environment(request.environment, environ)


def whole_number(what: str, text: str) -> int | None:
    """A typed number: None for blank, JobError for anything but digits (an optional sign first)."""
    stripped = text.strip()
    if not stripped:
        return None
    if not _WHOLE_NUMBER.match(stripped):
        raise JobError(f"The {what} must be a whole number or empty, got {shown_text(stripped[:20])!r}.")
    if (
        len(stripped.lstrip("+-").lstrip("0")) > 20
    ):  # int() refuses over 4300 digits; no bound here is near 20
        raise JobError(f"The {what} has more than 20 digits.")
    return int(stripped)


def parse_environment(items: Sequence[str], environ: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """`NAME=VALUE` as given; a bare `NAME` takes its value from `environ` (an error if it is unset)."""
    check_environment_count(len(items))
    pairs: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            check_environment_size(name, "")
            check_environment_variable(name, "")
            if name not in environ:
                raise JobError(f"--env {name}: {name} is not set in your environment; give NAME=VALUE.")
            value = environ[name]
        check_environment_size(name, value)
        check_environment_variable(name, value)
        pairs[name] = value
    return tuple(pairs.items())
