"""The preflight against real SQLite databases with Prompt Alchemy's schema and real config files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.check_result import CheckStatus
from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError
from prompt_alchemy_scheduler_tui.backends.nightly_preflight import (
    DataDirectory,
    preflight,
    resolve_data_dir,
    tonights_data,
)

NOW = 1_790_000_000.0
SCHEMA = (
    "CREATE TABLE user_interactions (id TEXT PRIMARY KEY, prompt_id TEXT, session_id TEXT, action TEXT, "
    "score REAL, timestamp INTEGER)"
)


def _database(folder: Path, rows: list[tuple[str, str, float]]) -> Path:
    """prompts.db in WAL mode with (session, action, seconds ago) rows."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "prompts.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(SCHEMA)
        connection.executemany(
            "INSERT INTO user_interactions VALUES (?, ?, ?, ?, ?, ?)",
            [
                (f"i{n}", f"p{n}", session, action, 0.5, int(NOW - ago))
                for n, (session, action, ago) in enumerate(rows)
            ],
        )
    return path


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    path.chmod(0o600)
    return path


ROWS = [
    ("s1", "chosen", 60),
    ("s1", "skipped", 60),
    ("s2", "chosen", 120),  # chosen only: no pair
    ("s3", "chosen", 3600),
    ("s3", "skipped", 3600),
    ("s4", "chosen", 2 * 86400),  # older than 24 h
    ("s4", "skipped", 2 * 86400),
]


def test_counts_what_tonights_run_would_learn_from(tmp_path: Path) -> None:
    database = _database(tmp_path / "data", ROWS)
    assert tonights_data(database, NOW).interactions == 5
    assert tonights_data(database, NOW).sessions == 2


def test_a_database_held_in_a_write_transaction_by_another_process_is_still_read(tmp_path: Path) -> None:
    database = _database(tmp_path / "data", ROWS)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(database)!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "c.execute(\"INSERT INTO user_interactions VALUES ('x', 'p', 's9', 'chosen', 1, 0)\")\n"
            "print('holding', flush=True)\n"
            "time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        before = database.stat().st_mtime_ns
        assert tonights_data(database, NOW).sessions == 2
        assert database.stat().st_mtime_ns == before  # read-only: nothing written
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize(
    ("config", "environment", "flag", "expected"),
    [
        ("data_dir: /srv/pa\n", {}, None, DataDirectory("/srv/pa", "config data_dir")),
        (
            "data_dir: /srv/pa\n",
            {"PROMPT_ALCHEMY_DATA_DIR": "/env/pa"},
            None,
            DataDirectory("/env/pa", "PROMPT_ALCHEMY_DATA_DIR"),
        ),
        (
            "data_dir: /srv/pa\n",
            {"PROMPT_ALCHEMY_DATA_DIR": "/env/pa"},
            "/flag",
            DataDirectory("/flag", "--data-dir"),
        ),
        ("providers: {}\n", {}, None, DataDirectory("", "nothing")),
    ],
)
def test_data_dir_resolves_as_nightly_resolves_it(
    tmp_path: Path, config: str, environment: dict[str, str], flag: str | None, expected: DataDirectory
) -> None:
    import yaml

    assert resolve_data_dir(yaml.safe_load(config), environment, flag) == expected


def test_no_data_dir_anywhere_means_the_throwaway_database(tmp_path: Path) -> None:
    checks = preflight(_config(tmp_path, "providers: {}\n"), {}, now=NOW)
    (data_dir,) = [c for c in checks if c.name == "data_dir"]
    assert data_dir.status is CheckStatus.FAIL and "throwaway database" in data_dir.detail
    assert f"--data-dir {Path.home() / '.prompt-alchemy'}" in data_dir.hint


def test_a_tilde_in_data_dir_is_flagged(tmp_path: Path) -> None:
    checks = preflight(_config(tmp_path, "data_dir: ~/.prompt-alchemy\n"), {}, now=NOW)
    assert any(c.status is CheckStatus.FAIL and "does not expand" in c.detail for c in checks)


def test_a_healthy_setup_says_how_many_sessions_tonight_would_learn_from(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _database(data, ROWS)
    checks = preflight(_config(tmp_path, f"data_dir: {data}\n"), {}, now=NOW)
    assert [c.status for c in checks] == [CheckStatus.OK, CheckStatus.OK, CheckStatus.OK]
    assert checks[-1].detail == "tonight's run would learn from 2 session(s) (5 interactions)"


def test_nothing_to_train_is_a_warning(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _database(data, [("s1", "chosen", 60)])
    checks = preflight(_config(tmp_path, f"data_dir: {data}/prompts.db\n"), {}, now=NOW)
    assert checks[-1].status is CheckStatus.WARN and "nothing to train tonight" in checks[-1].detail


@pytest.mark.parametrize(
    ("text", "message"),
    [("data_dir: [unclosed\n", "not valid YAML"), ("- a\n- b\n", "not the mapping"), ("\xff\n", "")],
)
def test_a_config_that_does_not_parse_is_a_failure_with_the_reason(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(text.encode("latin-1"))
    (check,) = preflight(path, {}, now=NOW)
    assert check.status is CheckStatus.FAIL and message in check.detail


def test_a_fifo_as_config_never_hangs(tmp_path: Path) -> None:
    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    (check,) = preflight(fifo, {}, now=NOW)
    assert check.status is CheckStatus.FAIL and "FIFO" in check.detail


def test_garbage_where_the_database_should_be_is_a_failure_not_a_traceback(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "prompts.db").write_text("not a database")
    checks = preflight(_config(tmp_path, f"data_dir: {data}\n"), {}, now=NOW)
    assert checks[-1].status is CheckStatus.FAIL
    assert "cannot be read as Prompt Alchemy's database" in checks[-1].detail


def test_a_config_nightly_cannot_rewrite_is_a_failure(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write any file")
    path = _config(tmp_path, "data_dir: /x\n")
    path.chmod(0o400)
    checks = preflight(path, {}, now=NOW)
    assert any(c.name == "config writable" and c.status is CheckStatus.FAIL for c in checks)


def test_the_clock_defaults_to_now(tmp_path: Path) -> None:
    database = _database(
        tmp_path / "data", [("s", "chosen", NOW - time.time() + 60), ("s", "skipped", NOW - time.time() + 60)]
    )
    assert tonights_data(database).sessions == 1


def test_the_throwaway_database_trap_is_fixed_by_an_absolute_data_dir_in_the_job(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    """With --config and no data_dir anywhere, the job itself gets --data-dir ~/.prompt-alchemy: the
    dry run shows it and the warning says why."""
    from prompt_alchemy_scheduler_tui.backends.job_builder import JobRequest, build_job

    config = _config(tmp_path, "providers: {}\n")
    built = build_job(JobRequest("0 2 * * *", str(stand_in_binary), str(config)), {})
    assert built.job.data_dir == Path.home() / ".prompt-alchemy" and built.job.data_dir.is_absolute()
    assert built.job.argv[-3:] == ["--data-dir", str(Path.home() / ".prompt-alchemy"), "nightly"]
    assert any("throwaway database" in advice for advice in built.advice)
    named = build_job(
        JobRequest("0 2 * * *", str(stand_in_binary), str(_config(tmp_path, "data_dir: /srv/pa\n"))), {}
    )
    assert named.job.data_dir is None and not named.data_dir_added
    given = build_job(JobRequest("0 2 * * *", str(stand_in_binary), str(config), data_dir="/srv/x"), {})
    assert given.job.data_dir == Path("/srv/x") and not given.data_dir_added


def test_a_data_dir_only_in_the_jobs_environment_counts_and_one_only_in_this_shell_does_not(
    tmp_path: Path,
) -> None:
    config = _config(tmp_path, "providers: {}\n")
    job_env = preflight(config, {"PROMPT_ALCHEMY_DATA_DIR": str(tmp_path)}, now=NOW)
    assert [c.status for c in job_env if c.name == "data_dir"] == [CheckStatus.OK]
    shell_only = preflight(config, {}, now=NOW)
    assert [c.status for c in shell_only if c.name == "data_dir"] == [CheckStatus.FAIL]


def test_a_log_owned_by_another_user_fails_the_preflight_and_points_to_private_logs(tmp_path: Path) -> None:
    log = tmp_path / "planted.log"
    log.write_text("")
    os.chown(log, 12345, 12345)
    checks = preflight(_config(tmp_path, "data_dir: /srv\n"), {}, now=NOW, logs=(log,))
    (logs,) = [c for c in checks if c.name == "log files"]
    assert logs.status is CheckStatus.FAIL and "--private-logs" in logs.hint


def test_api_keys_in_the_jobs_environment_are_flagged(tmp_path: Path) -> None:
    checks = preflight(
        _config(tmp_path, "data_dir: /srv\n"), {"OPENAI_API_KEY": "sk-live-0123456789abcdef"}, now=NOW
    )
    (keys,) = [c for c in checks if c.name == "API keys"]
    assert keys.status is CheckStatus.WARN and "OPENAI_API_KEY" in keys.detail
    assert "sk-live" not in keys.detail + keys.hint


def test_another_users_job_gets_a_data_directory_in_their_home_not_yours(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    """With --crontab-user the job runs as that user, who cannot read root's home: the data directory
    written for them is in their own home."""
    import pwd

    from prompt_alchemy_scheduler_tui.backends.job_builder import JobRequest, build_job, job_home

    config = _config(tmp_path, "providers: {}\n")
    nobody = pwd.getpwnam("nobody").pw_dir
    built = build_job(JobRequest("0 2 * * *", str(stand_in_binary), str(config)), {}, "nobody")
    assert built.job.data_dir == Path(nobody) / ".prompt-alchemy"
    with pytest.raises(JobError, match="no user"):
        job_home("no-such-user-here")
