"""Will tonight's run work? What `prompt-alchemy nightly` will read and write, checked before it runs.

Facts from Prompt Alchemy's sources (cmd/nightly.go, cmd/root.go, internal/storage):
- `nightly` opens `<data_dir>/prompts.db` (SQLite, WAL); `data_dir` may also name the database file.
- `data_dir` comes from the `--data-dir` flag, else `PROMPT_ALCHEMY_DATA_DIR`, else the config's `data_dir`.
  Only when no `--config` is given does it default to `~/.prompt-alchemy`. With `--config` (what every
  scheduled job passes) and no `data_dir` anywhere it opens "": a throwaway temporary database, so
  every run logs "No new interactions" and nothing is ever learned. A `~` is not expanded.
- It reads `user_interactions` (timestamp in Unix seconds) for the last 24 hours and pairs `chosen` with
  `skipped` rows of the same session; then it rewrites config.yaml, so that file must be writable.

The database is opened read-only (`mode=ro`), never written and never locked against Prompt Alchemy.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.check_result import CheckResult, CheckStatus
from prompt_alchemy_scheduler_tui.backends.private_files import read_regular_file

DATA_DIR_VARIABLE = "PROMPT_ALCHEMY_DATA_DIR"
DATABASE_NAME = "prompts.db"
DAY_SECONDS = 24 * 60 * 60
MAX_CONFIG_BYTES = 1024 * 1024


class ConfigError(ValueError):
    """config.yaml cannot be read as Prompt Alchemy reads it; the message says why."""


@dataclass(frozen=True)
class DataDirectory:
    """Where `nightly` will look for its database, and where that choice came from."""

    value: str  # as given: "" means the throwaway database
    source: str  # "--data-dir", the variable's name, "config data_dir", or "nothing"

    @property
    def database(self) -> Path | None:
        """The database file `nightly` opens, or None for the throwaway one."""
        if not self.value:
            return None
        path = Path(self.value)
        return path if path.suffix == ".db" else path / DATABASE_NAME


@dataclass(frozen=True)
class TonightsData:
    """What tonight's run would see: interactions of the last 24 hours and trainable sessions."""

    interactions: int
    sessions: int  # sessions with both a chosen and a skipped prompt


def read_config(path: Path) -> Mapping[str, object]:
    """The config as a mapping (YAML); ConfigError when it is not one."""
    import yaml

    try:
        data = read_regular_file(path, follow_links=True)
    except OSError as error:
        raise ConfigError(f"{path} cannot be read: {error.strerror or error}") from error
    if data is None:
        raise ConfigError(f"{path} does not exist.")
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path} is larger than {MAX_CONFIG_BYTES} bytes; that is not a config file.")
    try:
        parsed = yaml.safe_load(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} is not valid YAML: {error}") from error
    if parsed is None:
        return {}
    if not isinstance(parsed, dict):
        raise ConfigError(f"{path} holds a {type(parsed).__name__}, not the mapping Prompt Alchemy expects.")
    return parsed


def resolve_data_dir(
    config: Mapping[str, object], environment: Mapping[str, str], data_dir_flag: str | None = None
) -> DataDirectory:
    """`data_dir` as `nightly --config <file>` resolves it for this command line and environment."""
    if data_dir_flag:
        return DataDirectory(data_dir_flag, "--data-dir")
    if environment.get(DATA_DIR_VARIABLE):
        return DataDirectory(environment[DATA_DIR_VARIABLE], DATA_DIR_VARIABLE)
    value = config.get("data_dir")
    if isinstance(value, str) and value:
        return DataDirectory(value, "config data_dir")
    return DataDirectory("", "nothing")


DEFAULT_DATA_DIR_NAME = ".prompt-alchemy"


def data_dir_fix(
    config_path: Path, environment: Mapping[str, str], home: Callable[[], Path] = Path.home
) -> Path | None:
    """The `--data-dir` to write into a job whose config and environment name no `data_dir`: the
    directory Prompt Alchemy uses when run without `--config` (`~/.prompt-alchemy`, cmd/root.go), in
    the job's user's `home` (asked only then), as an absolute path. None when the job already resolves
    one, or when the config cannot be read (the preflight says why)."""
    try:
        config = read_config(config_path)
    except ConfigError:
        return None
    if resolve_data_dir(config, environment).value:
        return None
    return home() / DEFAULT_DATA_DIR_NAME


def tonights_data(database: Path, now: float | None = None) -> TonightsData:
    """Count what `nightly` would train on now, reading the database without writing or locking it.

    Raises sqlite3.Error (or OSError) when the file is not a database of Prompt Alchemy's schema.
    """
    since = int((now if now is not None else time.time()) - DAY_SECONDS)
    uri = f"{database.resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=1.0)
    try:
        interactions = connection.execute(
            "SELECT COUNT(*) FROM user_interactions WHERE timestamp >= ?", (since,)
        ).fetchone()[0]
        sessions = connection.execute(
            "SELECT COUNT(*) FROM (SELECT session_id FROM user_interactions WHERE timestamp >= ? "
            "GROUP BY session_id HAVING SUM(action = 'chosen') > 0 AND SUM(action = 'skipped') > 0)",
            (since,),
        ).fetchone()[0]
    finally:
        connection.close()
    return TonightsData(int(interactions), int(sessions))


def preflight(
    config_path: Path,
    environment: Mapping[str, str],
    data_dir_flag: str | None = None,
    now: float | None = None,
    logs: Sequence[Path] = (),
) -> list[CheckResult]:
    """The checks, each with its fix, in the order a user would fix them.

    `environment` is the job's own (what the scheduler gives it), not this shell's: a variable set in
    your shell does not reach a cron job, which is how a job works by hand and fails from cron.
    """
    checks = _log_checks(logs) + _key_checks(environment)
    return _config_checks(config_path, environment, data_dir_flag, now) + checks


def _config_checks(
    config_path: Path, environment: Mapping[str, str], data_dir_flag: str | None, now: float | None
) -> list[CheckResult]:
    try:
        config = read_config(config_path)
    except ConfigError as error:
        return [
            CheckResult("config file", CheckStatus.FAIL, str(error), "Fix the file, or pass --config PATH.")
        ]
    checks = [CheckResult("config file", CheckStatus.OK, f"{config_path} parses", "")]
    if not os.access(config_path, os.W_OK):
        checks.append(
            CheckResult(
                "config writable",
                CheckStatus.FAIL,
                f"{config_path} is not writable by you",
                "nightly rewrites config.yaml with the new weights: make it writable (chmod u+w).",
            )
        )
    data_dir = resolve_data_dir(config, environment, data_dir_flag)
    database = data_dir.database
    if database is None:
        checks.append(
            CheckResult(
                "data_dir",
                CheckStatus.FAIL,
                "no data_dir in the job's command line, environment or config: nightly would train on an "
                "empty throwaway database every night",
                "Install again: the job gets --data-dir "
                f"{Path.home() / DEFAULT_DATA_DIR_NAME} (where Prompt Alchemy keeps its database without "
                "--config), or pass --data-dir /absolute/path, or set data_dir in the config.",
            )
        )
        return checks
    if data_dir.value.startswith("~"):
        checks.append(
            CheckResult(
                "data_dir",
                CheckStatus.FAIL,
                f"data_dir {data_dir.value!r} (from {data_dir.source}) starts with ~, which nightly does not expand",
                "Write the absolute path instead.",
            )
        )
        return checks
    checks.append(CheckResult("data_dir", CheckStatus.OK, f"{database} (from {data_dir.source})", ""))
    checks.append(_database_check(database, now))
    return checks


def _log_checks(logs: Sequence[Path]) -> list[CheckResult]:
    """A log the job cannot append to fails every run before nightly starts (the shell's `>>` or
    launchd's StandardOutPath opens it first)."""
    from prompt_alchemy_scheduler_tui.backends.log_safety import log_problems, private_log_directory

    problems = [problem for log in dict.fromkeys(logs) for problem in log_problems(log)]
    if not problems:
        return (
            [CheckResult("log files", CheckStatus.OK, ", ".join(str(log) for log in logs), "")]
            if logs
            else []
        )
    return [
        CheckResult(
            "log files",
            CheckStatus.FAIL,
            "; ".join(problems),
            f"Install again with --private-logs: the job logs to {private_log_directory()}, where no other "
            "user can plant files.",
        )
    ]


def _key_checks(environment: Mapping[str, str]) -> list[CheckResult]:
    """nightly makes no provider calls (cmd/nightly.go), and viper's WriteConfig copies every value it
    bound from the environment into config.yaml: a key in the job's environment ends up in that file."""
    from prompt_alchemy_scheduler_tui.backends.secret_masking import is_secret

    keys = [name for name, value in environment.items() if is_secret(name, value)]
    if not keys:
        return []
    return [
        CheckResult(
            "API keys",
            CheckStatus.WARN,
            f"the job's environment carries {', '.join(keys)}, which nightly does not need and would write "
            "into config.yaml",
            "Install again without them (the TUI's options, or without --env).",
        )
    ]


def _database_check(database: Path, now: float | None) -> CheckResult:
    name = "tonight's data"
    if not database.is_file():
        return CheckResult(
            name, CheckStatus.FAIL, f"{database} does not exist", "Check data_dir; run Prompt Alchemy once."
        )
    if not os.access(database, os.R_OK):
        return CheckResult(name, CheckStatus.FAIL, f"{database} is not readable by you", "chmod u+r it.")
    try:
        data = tonights_data(database, now)
    except (sqlite3.Error, OSError) as error:
        return CheckResult(
            name, CheckStatus.FAIL, f"{database} cannot be read as Prompt Alchemy's database: {error}", ""
        )
    if data.sessions == 0:
        detail = f"nothing to train tonight ({data.interactions} interactions, no session with a choice)"
        return CheckResult(name, CheckStatus.WARN, detail, "")
    return CheckResult(
        name,
        CheckStatus.OK,
        f"tonight's run would learn from {data.sessions} session(s) ({data.interactions} interactions)",
        "",
    )
