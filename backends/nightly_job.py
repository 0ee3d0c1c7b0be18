"""The nightly job as a value: what to run, when, with which environment, logging where."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_STDOUT_LOG = Path("/tmp/prompt-alchemy-nightly.log")
DEFAULT_STDERR_LOG = Path("/tmp/prompt-alchemy-nightly.error.log")
LABEL = "com.prompt-alchemy.nightly"

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SECRET_WORDS = ("KEY", "TOKEN", "SECRET", "PASSWORD")


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
        for name, path in (("binary", self.binary), ("config", self.config)):
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
        """True when an environment variable's name suggests it holds a credential."""
        return any(is_secret_name(name) for name, _ in self.environment)


def is_secret_name(name: str) -> bool:
    upper = name.upper()
    return any(word in upper for word in _SECRET_WORDS)


def check_environment_variable(name: str, value: str) -> None:
    """Refuse names a shell cannot assign and values a one-line crontab entry cannot carry."""
    if not _ENV_NAME.match(name):
        raise JobError(
            f"{name!r} is not a valid environment variable name (letters, digits, _; not first a digit)."
        )
    if "\n" in value or "\r" in value or "\0" in value:
        raise JobError(f"The value of {name} contains a line break or NUL, which a crontab line cannot hold.")


def mask_secret(name: str, value: str) -> str:
    """The value to show on screen: credentials are masked, everything else shown as is."""
    if is_secret_name(name) and value:
        return value[:3] + "…" if len(value) > 8 else "…"
    return value
