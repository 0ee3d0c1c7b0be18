"""Secrets never reach a command line, and are masked wherever a person or a log sees them."""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.job_env_file import parse_env_file, render_env_file
from prompt_alchemy_scheduler_tui.backends.launchctl import Launchctl
from prompt_alchemy_scheduler_tui.backends.launchd_backend import LaunchdBackend
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.secret_masking import is_secret_value, mask_text
from tests.conftest import FakeLaunchctl, read_crontab, write_crontab

SECRETS = {
    "OPENAI_API_KEY": "sk-proj-Zx81kQ2mV7pL0aB9",
    "DATABASE_URL": "postgres://u:PASSWORD-hunter2@db.example/app",
    "SESSION": "q8V2mK9xL4pR7tW1zY6bN3cJ0hF5",
}


def test_installed_values_live_in_a_private_file_not_on_the_line(
    cron_user: str, stand_in_binary: Path, tmp_path: Path
) -> None:
    account = pwd.getpwnam(cron_user)
    home = Path(tempfile.mkdtemp(prefix="pa-home-"))
    try:
        os.chown(home, account.pw_uid, account.pw_gid)
        state = home / "state"
        state.mkdir(mode=0o700)
        os.chown(state, account.pw_uid, account.pw_gid)
        env_file = state / "nightly.env"
        backend = CronBackend(
            CrontabCommand(user=cron_user),
            BackupStore(tmp_path / "backups", owner=cron_user),
            env_file=env_file,
        )
        job = NightlyJob(
            "0 2 * * *",
            stand_in_binary,
            stand_in_binary.parent.parent / "config.yaml",
            environment=tuple(SECRETS.items()),
        )
        plan = backend.plan_install(job)
        shown = plan.diff + (plan.new_entry or "") + "".join(f.shown or "" for f in plan.files)
        backend.apply(plan)
        line = read_crontab(cron_user) or ""
        for value in SECRETS.values():
            assert value not in line and value not in shown
        assert f". {env_file} && " in line
        info = env_file.stat()
        assert (stat.S_IMODE(info.st_mode), info.st_uid) == (0o600, account.pw_uid)
        # What the job's shell, run as that user, gets from the file is exactly the values given.
        sourced = subprocess.run(
            ["runuser", "-u", cron_user, "--", "/bin/sh", "-c", f". {env_file} && env"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for name, value in SECRETS.items():
            assert f"{name}={value}\n" in sourced
        assert all(value not in job.command for job in backend.list_jobs().jobs for value in SECRETS.values())
        backend.apply(backend.plan_uninstall())
        assert not env_file.exists() and read_crontab(cron_user) is None
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_passing_an_api_key_to_nightly_is_warned_about(stand_in_binary: Path) -> None:
    from prompt_alchemy_scheduler_tui.backends.job_builder import JobRequest, build_job

    config = stand_in_binary.parent.parent / "config.yaml"
    request = JobRequest(
        "0 2 * * *", str(stand_in_binary), str(config), ("OPENAI_API_KEY=sk-proj-1", "LEVEL=x")
    )
    (advice,) = build_job(request, {}).advice
    assert advice.startswith("OPENAI_API_KEY: `prompt-alchemy nightly` needs no API keys")
    plain = JobRequest("0 2 * * *", str(stand_in_binary), str(config), ("LEVEL=debug",))
    assert build_job(plain, {}).advice == []


@pytest.mark.parametrize("method", ["cron", "launchd"])
def test_dry_run_and_json_never_show_a_secret(cron_user: str, stand_in_binary: Path, method: str) -> None:
    config = stand_in_binary.parent.parent / "config.yaml"
    env_args = [arg for name, value in SECRETS.items() for arg in ("--env", f"{name}={value}")]
    for extra in ([], ["--json"]):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "prompt_alchemy_scheduler_tui",
                "schedule",
                "--dry-run",
                "--method",
                method,
                "--binary",
                str(stand_in_binary),
                "--config",
                str(config),
                *env_args,
                *extra,
            ],
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, result.stderr
        for value in SECRETS.values():
            assert value not in result.stdout + result.stderr
        assert "hunter2" not in result.stdout
    if method == "launchd":
        assert "file mode 0600" in result.stdout


def test_a_plist_holding_a_password_url_is_private(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    backend = LaunchdBackend(
        directory=tmp_path / "LaunchAgents",
        launchctl=Launchctl(retry_delay=0.01),
        backups=BackupStore(tmp_path / "launchd-backups", kind="launchd"),
        system="Darwin",
    )
    job = NightlyJob(
        "0 2 * * *",
        stand_in_binary,
        stand_in_binary.parent.parent / "config.yaml",
        environment=(("DATABASE_URL", SECRETS["DATABASE_URL"]),),
    )
    plan = backend.plan_install(job)
    assert "hunter2" not in plan.diff and "hunter2" not in (plan.new_entry or "")
    backend.apply(plan)
    assert stat.S_IMODE(backend.path.stat().st_mode) == 0o600
    assert "hunter2" not in backend.list_jobs().jobs[0].command


def test_restore_and_uninstall_plans_mask_secrets_in_any_line(cron_user: str, tmp_path: Path) -> None:
    """An earlier version's line (values on the line) and other people's lines are masked when shown."""
    old_line = (
        "0 2 * * * OPENAI_API_KEY=sk-proj-Zx81kQ2mV7pL0aB9 /x/prompt-alchemy --config /c nightly "
        ">>/tmp/l 2>>/tmp/e # prompt-alchemy-scheduler-tui:nightly\n"
    )
    foreign = "0 4 * * * pg_dump postgres://u:PASSWORD-hunter2@db/app > /srv/dump\n"
    write_crontab(cron_user, foreign + old_line)
    backend = CronBackend(CrontabCommand(user=cron_user), BackupStore(tmp_path / "backups", owner=cron_user))
    listing = backend.list_jobs()
    assert "sk-proj" not in listing.jobs[0].command
    assert any("visible" not in note and "ps" in note for note in listing.notes)
    uninstall = backend.plan_uninstall()
    assert "sk-proj" not in uninstall.diff and "hunter2" not in uninstall.diff
    backend.apply(uninstall)
    restore = backend.plan_restore(backend.backups.find("latest"))
    assert "sk-proj" not in restore.diff and "hunter2" not in restore.diff
    assert restore.after == foreign + old_line  # only what is shown is masked, never what is written


@pytest.mark.parametrize(
    "value",
    [
        "sk-proj-Zx81kQ2mV7pL0aB9",
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "AKIAIOSFODNN7EXAMPLE",
        "https://user:pa55@host/x",
        "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRg==",
        "0123456789abcdef0123456789abcdef",
    ],
)
def test_secret_shapes_are_recognised_and_masked(value: str) -> None:
    assert is_secret_value(value)
    assert value not in mask_text(f"X={value} and {value}")


@pytest.mark.parametrize(
    "text",
    [
        "/home/me/go/bin/prompt-alchemy",
        "/tmp/pytest-of-root/pytest-12/test_dry_run_prints_line0/bin",
        "/Users/Me/Library/Application Support/PromptAlchemy2026/config.yaml",
        "LEVEL=debug",
        "0 2 * * *",
    ],
)
def test_ordinary_paths_and_values_are_not_masked(text: str) -> None:
    assert mask_text(text) == text


_VALUES = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\u202e\u200e"
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(_VALUES, min_size=1, max_size=4))
def test_any_unicode_value_reaches_the_job_exactly(
    tmp_path_factory: pytest.TempPathFactory, values: list[str]
) -> None:
    """What /bin/sh gets from the private file is byte for byte what was given: quotes, `$`, `%`, emoji."""
    environment = tuple((f"PA_VALUE_{index}", value) for index, value in enumerate(values))
    text = render_env_file(environment)
    assert parse_env_file(text) == environment
    env_file = tmp_path_factory.mktemp("env") / "nightly.env"
    env_file.write_text(text, encoding="utf-8")
    script = f". '{env_file}' && " + " && ".join(f'printf "%s\\0" "${name}"' for name, _ in environment)
    printed = subprocess.run(["/bin/sh", "-c", script], capture_output=True, check=True, env={}).stdout
    assert printed.decode("utf-8").split("\0")[:-1] == values


PING = "https://hc-ping.com/5f1c2a00-aa00-4c1d-9e0f-1234567890ab"


@pytest.mark.parametrize("method", ["cron", "launchd", "systemd"])
def test_the_ping_url_is_never_shown_in_a_plan_or_a_listing(
    tmp_path: Path, stand_in_binary: Path, fake_launchctl: FakeLaunchctl, fake_systemctl: object, method: str
) -> None:
    """A Healthchecks.io check URL is the check's only credential: whoever has it can report the job
    healthy. Plans, diffs, listings and JSON show only its host."""
    import json

    from prompt_alchemy_scheduler_tui.backends.systemd_backend import SystemdBackend

    job = NightlyJob(
        "0 2 * * *", stand_in_binary, stand_in_binary.parent.parent / "config.yaml", ping_url=PING
    )
    backend: object
    if method == "launchd":
        backend = LaunchdBackend(tmp_path / "LA", Launchctl(retry_delay=0.01), system="Darwin")
    elif method == "systemd":
        backend = SystemdBackend(system="Linux")
    else:
        fake = tmp_path / "crontab-file"
        stand_in = tmp_path / "crontab"
        stand_in.write_text(
            f'#!/bin/sh\ncase "$1" in -l) cat "{fake}" 2>/dev/null || {{ echo "no crontab for demo" >&2; exit 1; }};; -) cat > "{fake}";; -r) rm -f "{fake}";; esac\n'
        )
        stand_in.chmod(0o755)
        backend = CronBackend(CrontabCommand(executable=str(stand_in)), daemon_check=lambda: True)
    plan = backend.plan_install(job)  # type: ignore[attr-defined]
    shown = json.dumps([plan.diff, plan.new_entry, [f.shown for f in plan.files]], ensure_ascii=False)
    assert PING not in shown and "hc-ping.com/…" in shown
    backend.apply(plan)  # type: ignore[attr-defined]
    (listed,) = backend.list_jobs().jobs  # type: ignore[attr-defined]
    assert (
        PING not in listed.command + listed.target and listed.job is not None and listed.job.ping_url == PING
    )
