"""`systemctl --user` and `loginctl`, run and read: the user's own systemd manager, never the system's.

Whether a user manager answers is asked with `systemctl --user show-environment`: it exits 0 only
when systemctl reached the manager (over its private socket or the user bus), and its output is that
manager's environment, which every user service inherits (systemd.exec(5), "Environment variables in
spawned processes"). `is-system-running` would not do: it exits non-zero for a working but "degraded"
manager. Unit state is read with `systemctl --user show -p ...` (systemctl(1)); timestamps are asked
for in UTC (TZ=UTC), so they read back without guessing a zone abbreviation.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime

from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerError, SchedulerUnavailableError

TIMEOUT_SECONDS = 30
_VERSION = re.compile(r"^systemd (?P<version>[0-9]+)\b")
_TIMESTAMP = re.compile(
    r"^[A-Z][a-z]{2} (?P<stamp>[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}) UTC$"
)
_ANSI_C = re.compile(r"\\(?P<escape>x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)|(?P<plain>[^\\]+)", re.DOTALL)
_ESCAPES = {"a": 7, "b": 8, "e": 27, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}


@dataclass(frozen=True)
class ManagerState:
    """Whether the user's systemd manager answered, and its environment or what systemctl said."""

    reachable: bool
    detail: str  # systemctl's own words when it could not reach the manager
    environment: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Linger:
    """loginctl's answer: lingering on or off for the user, or None (with why) when it cannot tell."""

    enabled: bool | None
    detail: str


class Systemctl:
    """`systemctl --user ...`; every failure is a SchedulerError in systemctl's own words."""

    def __init__(self, executable: str | None = None) -> None:
        self._executable = executable

    def executable(self) -> str:
        found = self._executable or shutil.which("systemctl")
        if found is None:
            raise SchedulerUnavailableError(
                "systemctl is not on PATH: systemd user timers need systemd; use --method cron."
            )
        return found

    @staticmethod
    def shown(*args: str) -> str:
        """A call as people read it in a plan: `systemctl --user enable --now NAME.timer`."""
        return " ".join(["systemctl", "--user", *args])

    def manager(self) -> ManagerState:
        """Whether the user manager answers (see the module's docstring), with its environment."""
        try:
            result = self._run("show-environment")
        except SchedulerError as error:
            return ManagerState(False, str(error))
        if result.returncode != 0:
            return ManagerState(False, _text(result))
        return ManagerState(True, "", parse_environment(result.stdout))

    def version(self) -> int | None:
        """The version `systemctl --version` states on its first line (`systemd 252 (...)`), or None."""
        try:
            result = _run_quietly([self.executable(), "--version"])
        except (OSError, subprocess.TimeoutExpired, SchedulerError):
            return None
        match = _VERSION.match(result.stdout)
        return int(match["version"]) if match else None

    def call(self, *args: str) -> None:
        """Run `systemctl --user ARGS`; SchedulerError with its message unless it exits 0."""
        result = self._run(*args)
        if result.returncode != 0:
            raise SchedulerError(f"{self.shown(*args)} failed (exit {result.returncode}): {_text(result)}")

    def show(self, units: tuple[str, ...], properties: tuple[str, ...]) -> dict[str, dict[str, str]]:
        """`systemctl --user show -p ... UNIT...`, each unit's properties by its Id."""
        args = ["show", *(f"--property={name}" for name in ("Id", *properties)), *units]
        result = self._run(*args, zone="UTC")
        if result.returncode != 0:
            raise SchedulerError(f"{self.shown(*args)} failed (exit {result.returncode}): {_text(result)}")
        found: dict[str, dict[str, str]] = {}
        for block in result.stdout.split("\n\n"):
            values = dict(line.partition("=")[::2] for line in block.splitlines() if "=" in line)
            if values.get("Id"):
                found[values["Id"]] = values
        return found

    def _run(self, *args: str, zone: str | None = None) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "SYSTEMD_PAGER": "", "SYSTEMD_COLORS": "0"}
        if zone is not None:
            environment["TZ"] = zone
        try:
            return _run_quietly([self.executable(), "--user", *args], environment)
        except subprocess.TimeoutExpired as error:
            raise SchedulerError(f"{self.shown(*args)} did not answer within {TIMEOUT_SECONDS} s.") from error
        except OSError as error:
            raise SchedulerUnavailableError(f"systemctl could not be run: {error}") from error


class Loginctl:
    """`loginctl show-user USER -p Linger` (loginctl(1)): whether USER's manager runs without a login."""

    def __init__(self, executable: str | None = None) -> None:
        self._executable = executable

    def linger(self, user: str) -> Linger:
        executable = self._executable or shutil.which("loginctl")
        if executable is None:
            return Linger(None, "loginctl is not on PATH")
        try:
            result = _run_quietly([executable, "show-user", user, "--property=Linger"])
        except (OSError, subprocess.TimeoutExpired) as error:
            return Linger(None, f"loginctl could not be run: {error}")
        if result.returncode == 0:
            value = result.stdout.strip().removeprefix("Linger=")
            if value in ("yes", "no"):
                return Linger(value == "yes", "")
            return Linger(None, f"loginctl said {result.stdout.strip()!r}")
        text = _text(result)
        if "not logged in or lingering" in text:
            return Linger(False, "")  # logind knows the user, who neither is logged in nor lingers
        return Linger(None, text)


def _run_quietly(
    argv: list[str], environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a systemd tool with no input, a time limit and output read leniently (a stray byte in its
    output is shown as U+FFFD rather than breaking the check that asked)."""
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
        timeout=TIMEOUT_SECONDS,
        env=environment,
        stdin=subprocess.DEVNULL,
    )


def parse_timestamp(value: str) -> datetime | None:
    """A timestamp `systemctl show` printed under TZ=UTC (`Thu 2026-11-26 02:00:00 UTC`), else None
    (empty and `n/a` stand for never)."""
    match = _TIMESTAMP.match(value.strip())
    if match is None:
        return None
    try:
        return datetime.strptime(match["stamp"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:  # the right shape, an impossible date (month 13): unknown, as for garbage
        return None


def parse_environment(text: str) -> dict[str, str]:
    """`show-environment` output: `NAME=value` lines, a value that needs it in POSIX `$'...'` quotes
    (systemctl escapes such values with shell_maybe_quote); a line it cannot read is left out."""
    environment: dict[str, str] = {}
    for line in text.splitlines():
        name, separator, value = line.partition("=")
        if not separator or not name:
            continue
        if value.startswith("$'") and value.endswith("'") and len(value) >= 3:
            decoded = _ansi_c(value[2:-1])
            if decoded is None:
                continue
            value = decoded
        elif value in ("''", '""'):
            value = ""
        environment[name] = value
    return environment


def _ansi_c(body: str) -> str | None:
    """The text of a `$'...'` body: escapes are bytes (`\\xNN`, octal) or C escapes, the rest UTF-8."""
    data = bytearray()
    for match in _ANSI_C.finditer(body):
        escape, plain = match["escape"], match["plain"]
        if plain is not None:
            data += plain.encode("utf-8", errors="surrogateescape")
        elif escape[0] == "x":
            data.append(int(escape[1:], 16))
        elif escape[0] in "01234567":
            data.append(int(escape, 8) & 0xFF)
        else:
            data += bytes([_ESCAPES[escape]]) if escape in _ESCAPES else escape.encode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _text(result: subprocess.CompletedProcess[str]) -> str:
    return (result.stderr.strip() or result.stdout.strip() or "(no message)").replace("\n", " ")
