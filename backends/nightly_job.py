"""The nightly job as a value: what to run, when, with which environment, logging where."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from backends.line_safety import unsafe_character_message
from backends.secret_masking import is_secret, mask_value

DEFAULT_STDOUT_LOG = Path("/tmp/prompt-alchemy-nightly.log")
DEFAULT_STDERR_LOG = Path("/tmp/prompt-alchemy-nightly.error.log")
LABEL = "com.prompt-alchemy.nightly"

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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

    def __post_init__(self) -> None:
        problem = unsafe_character_message("The schedule", self.schedule, allow_tab=True)
        if problem:
            raise JobError(problem)
        for name, path in (
            ("binary", self.binary),
            ("config", self.config),
            ("stdout log", self.stdout_log),
            ("error log", self.stderr_log),
        ):
            problem = unsafe_character_message(f"The {name} path", str(path))
            if problem:
                raise JobError(problem)
            if not path.is_absolute():
                raise JobError(f"The {name} path must be absolute, got {path}.")
        for name, value in self.environment:
            check_environment_variable(name, value)
        if self.timeout_seconds is not None and self.timeout_seconds <= 0:
            raise JobError(f"The timeout must be a positive number of seconds, got {self.timeout_seconds}.")
        if self.number_of_files is not None and self.number_of_files <= 0:
            raise JobError(f"The open-files limit must be positive, got {self.number_of_files}.")

    @property
    def argv(self) -> list[str]:
        return [str(self.binary), "--config", str(self.config), "nightly"]

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
        raise JobError(
            f"{name!r} is not a valid environment variable name (letters, digits, _; not first a digit)."
        )
    problem = unsafe_character_message(f"The value of {name}", value)
    if problem:
        raise JobError(problem)
