"""The nightly job as a value: what to run, when, with which environment, logging where."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.line_safety import unsafe_character_message
from prompt_alchemy_scheduler_tui.backends.secret_masking import is_secret, mask_text, mask_value
from prompt_alchemy_scheduler_tui.backends.user_text import has_undecodable_bytes, path_problem

DEFAULT_STDOUT_LOG = Path("/tmp/prompt-alchemy-nightly.log")
DEFAULT_STDERR_LOG = Path("/tmp/prompt-alchemy-nightly.error.log")
LABEL = "com.prompt-alchemy.nightly"

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PING_URL = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")


class JobError(ValueError):
    """A job that cannot be installed as asked; the message says what to change."""


@dataclass(frozen=True)
class NightlyJob:
    """`<binary> --config <config> nightly` on `schedule`, the same for cron and launchd.

    Paths are absolute (cron and launchd run with a minimal PATH and no working directory of yours).
    """

    schedule: str
    binary: Path
    config: Path
    environment: tuple[tuple[str, str], ...] = ()
    stdout_log: Path = DEFAULT_STDOUT_LOG
    stderr_log: Path = DEFAULT_STDERR_LOG
    timeout_seconds: int | None = None
    number_of_files: int | None = None
    data_dir: Path | None = None  # passed as `--data-dir`: where nightly finds prompts.db
    ping_url: str | None = None  # a dead man's switch pinged at each start and end (Healthchecks.io's URLs)

    def __post_init__(self) -> None:
        problem = unsafe_character_message("The schedule", self.schedule, allow_tab=True)
        if problem:
            raise JobError(problem)
        check_job_paths(self)
        for name, path in (("binary", self.binary), ("config", self.config)):
            if not path.is_absolute():
                raise JobError(f"The {name} path must be absolute, got {path}.")
        check_environment_count(len(self.environment))
        for name, value in self.environment:
            check_environment_size(name, value)
            check_environment_variable(name, value)
        if self.timeout_seconds is not None:
            check_timeout(self.timeout_seconds)
        if self.number_of_files is not None:
            check_number_of_files(self.number_of_files)
        if self.data_dir is not None:
            check_data_dir(self.data_dir)
        if self.ping_url is not None:
            check_ping_url(self.ping_url)

    @property
    def argv(self) -> list[str]:
        data_dir = ["--data-dir", str(self.data_dir)] if self.data_dir is not None else []
        return [str(self.binary), "--config", str(self.config), *data_dir, "nightly"]

    @property
    def has_secret(self) -> bool:
        """True when an environment variable looks like a credential, by its name or its value."""
        return any(is_secret(name, value) for name, value in self.environment)

    @property
    def shown_environment(self) -> tuple[str, ...]:
        """`NAME=value` for people: secrets masked."""
        return tuple(f"{name}={mask_value(name, value)}" for name, value in self.environment)


def check_environment_variable(name: str, value: str) -> None:
    """Refuse names a shell cannot assign and values a one-line crontab entry cannot carry."""
    if not _ENV_NAME.match(name):
        # A key pasted without `NAME=` arrives here as the name: never echo a secret back.
        raise JobError(
            f"{mask_text(name)!r} is not a valid environment variable name (letters, digits, _; not first "
            "a digit); give NAME=VALUE."
        )
    problem = unsafe_character_message(f"The value of {name}", value)
    if problem:
        raise JobError(problem)


# Bounds on what a job may ask for, checked here so that the command line and the terminal UI refuse
# the same way. Each keeps one request's work small and every value writable into a crontab line or
# a plist.
MAX_ENVIRONMENT_VARIABLES = 100
MAX_ENVIRONMENT_NAME_LENGTH = 255
MAX_ENVIRONMENT_VALUE_LENGTH = 4096
MAX_TIMEOUT_SECONDS = 7 * 24 * 60 * 60  # a week; a nightly job running longer overlaps its next runs
MAX_NUMBER_OF_FILES = 1_048_576  # Linux's default fs.nr_open; launchd takes any int, macOS caps lower


def check_job_path(what: str, path: str | Path) -> None:
    """JobError when `path` is empty, over PATH_MAX or NAME_MAX, or holds a control character.

    A control character (a line break above all) cannot be written into a one-line crontab entry.
    """
    problem = path_problem(f"The {what} path", str(path))
    if problem is not None:
        raise JobError(problem)


def check_job_paths(job: NightlyJob) -> None:
    for what, path in (
        ("binary", job.binary),
        ("config", job.config),
        ("log", job.stdout_log),
        ("error log", job.stderr_log),
    ):
        check_job_path(what, path)


def check_environment_count(count: int) -> None:
    if count > MAX_ENVIRONMENT_VARIABLES:
        raise JobError(
            f"{count} environment variables were given; at most {MAX_ENVIRONMENT_VARIABLES} are allowed."
        )


def check_environment_size(name: str, value: str) -> None:
    """Lengths and encoding; the value is never quoted in the message (it may be a credential)."""
    if len(name) > MAX_ENVIRONMENT_NAME_LENGTH:
        raise JobError(
            f"The variable name {name[:20]!r}… is {len(name)} characters long; at most "
            f"{MAX_ENVIRONMENT_NAME_LENGTH} are allowed."
        )
    if len(value) > MAX_ENVIRONMENT_VALUE_LENGTH:
        raise JobError(
            f"The value of {name} is {len(value)} characters long; at most {MAX_ENVIRONMENT_VALUE_LENGTH} "
            "are allowed."
        )
    if has_undecodable_bytes(value):
        raise JobError(f"The value of {name} is not valid UTF-8, which a plist and a terminal need.")


MAX_PING_URL_LENGTH = 2048


def check_data_dir(path: Path) -> None:
    """`--data-dir` must be absolute: nightly does not expand `~` and cron has no working directory."""
    check_job_path("data directory", path)
    if not path.is_absolute():
        raise JobError(
            f"The data directory must be an absolute path (nightly does not expand ~), got {path}."
        )


def check_ping_url(url: str) -> None:
    """An http(s) URL with nothing a command line or a shell word could misread."""
    if len(url) > MAX_PING_URL_LENGTH:
        raise JobError(
            f"The ping URL is {len(url)} characters long; at most {MAX_PING_URL_LENGTH} are allowed."
        )
    problem = unsafe_character_message("The ping URL", url)
    if problem:
        raise JobError(problem)
    if not _PING_URL.match(url):
        raise JobError(
            "The ping URL must start with http:// or https:// and hold no spaces, no query (?) and no "
            "fragment (#), e.g. https://hc-ping.com/<uuid>: the job appends /start and /<exit status> to it."
        )


def check_timeout(seconds: int) -> None:
    if not 1 <= seconds <= MAX_TIMEOUT_SECONDS:
        raise JobError(
            f"The timeout must be between 1 and {MAX_TIMEOUT_SECONDS} seconds (a week), got {_number(seconds)}."
        )


def check_number_of_files(count: int) -> None:
    if not 1 <= count <= MAX_NUMBER_OF_FILES:
        raise JobError(
            f"The open-files limit must be between 1 and {MAX_NUMBER_OF_FILES}, got {_number(count)}."
        )


def _number(value: int) -> str:
    """A number as typed, unless it is too long to echo (str() refuses ints over 4300 digits)."""
    return str(value) if -(10**20) < value < 10**20 else "a number with more than 20 digits"
