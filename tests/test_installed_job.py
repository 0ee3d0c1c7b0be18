"""Every scheduler reads its installed job back whole (`InstalledJob.job`), so that a change can start
from it; and an install names each option it changes compared with the job it replaces."""

from __future__ import annotations

import os
import plistlib
import pwd
from dataclasses import replace
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.job_env_file import render_env_file
from prompt_alchemy_scheduler_tui.backends.job_options import job_to_edit, option_changes
from prompt_alchemy_scheduler_tui.backends.launchctl import Launchctl
from prompt_alchemy_scheduler_tui.backends.launchd_backend import LaunchdBackend
from prompt_alchemy_scheduler_tui.backends.nightly_job import LABEL, NightlyJob
from prompt_alchemy_scheduler_tui.backends.plan_presentation import SectionKind, plan_sections
from prompt_alchemy_scheduler_tui.backends.platform_detect import detect_platform
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import InstalledJob, JobListing, Method
from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService
from prompt_alchemy_scheduler_tui.backends.systemd_backend import SystemdBackend
from tests.conftest import FakeLaunchctl, FakeSystemctl, example_job, read_crontab, run_cli, write_crontab

SECRET = "sk-proj-Zx81kQ2mV7pL0aB9cD3eF4gH"


def _full_job(binary: Path, logs: Path, schedule: str = "30 3 * * 1") -> NightlyJob:
    """A job with every option set."""
    return NightlyJob(
        schedule=schedule,
        binary=binary,
        config=binary.parent.parent / "config.yaml",
        environment=(
            ("OPENAI_BASE_URL", "http://localhost:8080/v1"),
            ("OPENAI_API_KEY", SECRET),
            ("QUOTED", 'it\'s $HOME and `x` "y" 100%'),
        ),
        stdout_log=logs / "prompt-alchemy-nightly.log",
        stderr_log=logs / "prompt-alchemy-nightly.error.log",
        timeout_seconds=600,
        number_of_files=4096,
    )


def _cron(user: str, tmp_path: Path) -> CronBackend:
    """Root editing another user's crontab writes the variables to a file it is given, in the user's own
    private directory."""
    private = tmp_path / "their-state"
    private.mkdir(mode=0o700, exist_ok=True)
    account = pwd.getpwnam(user)
    os.chown(private, account.pw_uid, account.pw_gid)
    return CronBackend(
        CrontabCommand(user=user),
        BackupStore(tmp_path / "backups", owner=user),
        daemon_check=lambda: True,
        env_file=private / "nightly.env",
    )


def _launchd(tmp_path: Path) -> LaunchdBackend:
    return LaunchdBackend(
        directory=tmp_path / "LaunchAgents",
        launchctl=Launchctl(retry_delay=0.01),
        backups=BackupStore(tmp_path / "launchd-backups", kind="launchd"),
        system="Darwin",
    )


def _systemd(tmp_path: Path) -> SystemdBackend:
    return SystemdBackend(backups=BackupStore(tmp_path / "state" / "sb", kind="systemd"), system="Linux")


def test_cron_reads_back_every_option_it_wrote(cron_user: str, tmp_path: Path, stand_in_binary: Path) -> None:
    backend = _cron(cron_user, tmp_path)
    job = _full_job(stand_in_binary, tmp_path / "logs")
    plan = backend.plan_install(job)
    assert any("cron sets no open-files limit: the limit of 4096 is not written" in n for n in plan.notes)
    backend.apply(plan)
    (installed,) = backend.list_jobs().jobs
    # cron has no open-files limit: what it holds, and so reads back, is the job without one.
    assert installed.job == replace(job, number_of_files=None)
    assert plan.job == installed.job


def test_cron_reads_back_the_old_tools_line_and_an_earlier_versions_inline_variables(
    cron_user: str, tmp_path: Path
) -> None:
    write_crontab(
        cron_user,
        "0 3 * * * /usr/local/bin/prompt-alchemy --config /etc/pa.yaml nightly\n"
        "0 2 * * * LEVEL=debug /x/prompt-alchemy --config /c.yaml nightly >>/tmp/l 2>>/tmp/e"
        " # prompt-alchemy-scheduler-tui:nightly\n",
    )
    legacy, inline = _cron(cron_user, tmp_path).list_jobs().jobs
    assert legacy.job == NightlyJob("0 3 * * *", Path("/usr/local/bin/prompt-alchemy"), Path("/etc/pa.yaml"))
    assert inline.job == NightlyJob(
        "0 2 * * *",
        Path("/x/prompt-alchemy"),
        Path("/c.yaml"),
        environment=(("LEVEL", "debug"),),
        stdout_log=Path("/tmp/l"),
        stderr_log=Path("/tmp/e"),
    )
    assert job_to_edit([JobListing(Method.CRON, True, (legacy, inline))]) is inline  # ours first


@pytest.mark.parametrize("damage", ["missing", "edited by hand", "an escape sequence in our own form"])
def test_cron_job_with_an_unreadable_environment_file_is_not_read_back(
    cron_user: str, tmp_path: Path, stand_in_binary: Path, damage: str
) -> None:
    """Half a job would drop the variables on the next install without a word: none is better."""
    backend = _cron(cron_user, tmp_path)
    backend.apply(backend.plan_install(_full_job(stand_in_binary, tmp_path / "logs")))
    if damage == "missing":
        backend.env_file.unlink()
    elif damage.startswith("an escape"):  # no job may carry it: the editor must not offer it back
        backend.env_file.write_text(render_env_file((("TITLE", "\x1b]0;pwned\x07"),)))
    else:
        backend.env_file.write_text(backend.env_file.read_text() + "export EXTRA=1 # mine\n")
    (installed,) = backend.list_jobs().jobs
    assert installed.managed and installed.expression == "30 3 * * 1" and installed.job is None


def test_launchd_reads_back_every_option_it_wrote(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    backend = _launchd(tmp_path)
    job = _full_job(stand_in_binary, tmp_path / "logs", schedule="30 3 * * 1")
    backend.apply(backend.plan_install(job))
    (installed,) = backend.list_jobs().jobs
    assert installed.job == job
    without = replace(job, environment=(), timeout_seconds=None, number_of_files=None)
    backend.apply(backend.plan_install(without))
    assert backend.list_jobs().jobs[0].job == without


def test_launchd_reads_back_the_old_tools_plist_and_refuses_odd_values(
    tmp_path: Path, fake_launchctl: FakeLaunchctl
) -> None:
    backend = _launchd(tmp_path)
    backend.path.parent.mkdir(parents=True)
    old = {
        "Label": LABEL,
        "ProgramArguments": ["/usr/local/bin/prompt-alchemy", "--config", "/c.yaml", "nightly"],
        "StartCalendarInterval": {"Hour": 2, "Minute": 0},
        "StandardOutPath": "/tmp/prompt-alchemy-nightly.log",
        "StandardErrorPath": "/tmp/prompt-alchemy-nightly.error.log",
    }
    backend.path.write_bytes(plistlib.dumps(old))
    (legacy,) = backend.list_jobs().jobs
    assert not legacy.managed
    assert legacy.job == NightlyJob("0 2 * * *", Path("/usr/local/bin/prompt-alchemy"), Path("/c.yaml"))
    for odd in (
        {"SoftResourceLimits": {"NumberOfFiles": "4096"}},
        {"SoftResourceLimits": {"NumberOfFiles": True}},
        {"EnvironmentVariables": {"A": 1}},
        {"ProgramArguments": ["/usr/local/bin/prompt-alchemy", "nightly"]},
        {"ProgramArguments": ["/usr/bin/nice", "/bin/pa", "--config", "/c.yaml", "nightly"]},
        {"ProgramArguments": ["relative/pa", "--config", "/c.yaml", "nightly"]},
        {"StandardOutPath": 7},
        {"StartCalendarInterval": [{"Hour": 2, "Minute": 0}, {"Hour": 3, "Minute": 30}]},
    ):
        backend.path.write_bytes(plistlib.dumps({**old, **odd}))
        (job,) = backend.list_jobs().jobs
        assert job.job is None, odd


def test_systemd_reads_back_every_option_it_wrote(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    backend = _systemd(tmp_path)
    job = _full_job(stand_in_binary, tmp_path / "logs", schedule="*/15 9-17 * * mon-fri")
    backend.apply(backend.plan_install(job))
    (installed,) = backend.list_jobs().jobs
    assert installed.job == job
    backend.env_file.write_text(backend.env_file.read_text() + "EXTRA=1\n")  # still in our form
    assert backend.list_jobs().jobs[0].job == replace(job, environment=(*job.environment, ("EXTRA", "1")))
    backend.env_file.write_text(backend.env_file.read_text() + "# mine\n")  # not any more
    assert backend.list_jobs().jobs[0].job is None


def test_option_changes_name_every_option_and_never_a_secret() -> None:
    old = example_job(
        environment=(("OPENAI_BASE_URL", "http://a"), ("OPENAI_API_KEY", SECRET), ("LEVEL", "debug")),
        timeout_seconds=600,
        number_of_files=4096,
    )
    new = example_job(
        binary=Path("/usr/local/bin/prompt-alchemy"),
        environment=(("OPENAI_API_KEY", SECRET + "X"), ("LEVEL", "info"), ("EXTRA", "1")),
        stdout_log=Path("/home/me/logs/prompt-alchemy-nightly.log"),
        stderr_log=Path("/home/me/logs/prompt-alchemy-nightly.error.log"),
    )
    changes = option_changes(old, new)
    assert changes == [
        "binary: /opt/pa/bin/prompt-alchemy → /usr/local/bin/prompt-alchemy",
        "environment: OPENAI_BASE_URL removed",
        "environment: OPENAI_API_KEY changed",
        "environment: LEVEL changed ('debug' → 'info')",
        "environment: EXTRA added",
        "timeout: 600 s → none",
        "open files: 4096 → none",
        "logs: /tmp → /home/me/logs",
    ]
    assert not any("sk-proj" in change for change in changes)
    assert option_changes(old, old) == [] and option_changes(None, new) == []
    assert option_changes(new, replace(new, timeout_seconds=60)) == ["timeout: none → 60 s"]


def test_a_control_character_in_a_value_is_shown_escaped() -> None:
    old = example_job(environment=(("NOTE", "a"),))
    new = example_job(environment=(("NOTE", "b\u200b"),))
    (change,) = option_changes(old, new)
    assert "\u200b" not in change and change.startswith("environment: NOTE changed ('a' → ")


def test_switching_schedulers_names_what_the_new_job_leaves_out(
    cron_user: str, tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    """The install's plan compares with the job it replaces, even in another scheduler."""
    write_crontab(cron_user, "# theirs\n")
    cron, launchd = _cron(cron_user, tmp_path), _launchd(tmp_path)
    service = SchedulingService(detect_platform(system="Darwin"), {"cron": cron, "launchd": launchd})
    service.apply(service.plan_install(_full_job(stand_in_binary, tmp_path / "logs"), "launchd"))
    plain = NightlyJob("30 3 * * 1", stand_in_binary, stand_in_binary.parent.parent / "config.yaml")
    install, removal = service.plan_install(plain, "cron")
    assert (install.method, removal.method) == ("cron", "launchd")
    shown = [s.text for s in plan_sections(install) if s.kind is SectionKind.CHANGE]
    assert shown == [
        "environment: OPENAI_BASE_URL removed",
        "environment: OPENAI_API_KEY removed",
        "environment: QUOTED removed",
        "timeout: 600 s → none",
        "open files: 4096 → none",
        f"logs: {tmp_path / 'logs'} → /tmp",
    ]
    assert install.replaces == launchd.list_jobs().jobs[0].job
    assert "Options that change:" in [s.text for s in plan_sections(install)]


def test_cli_install_names_what_it_changes(cron_user: str, stand_in_binary: Path) -> None:
    config = str(stand_in_binary.parent.parent / "config.yaml")
    paths = ("--binary", str(stand_in_binary), "--config", config)
    first = run_cli("schedule", "--method", "cron", "--timeout", "600", *paths, user=cron_user)
    assert first.returncode == 0, first.stderr
    assert "changed:" not in first.stdout  # nothing was installed before
    preview = run_cli("schedule", "--method", "cron", *paths, "--dry-run", user=cron_user)
    assert "Options that change:\n  timeout: 600 s → none\n" in preview.stdout
    second = run_cli("schedule", "--method", "cron", *paths, user=cron_user)
    assert second.returncode == 0, second.stderr
    assert "changed: timeout: 600 s → none\n" in second.stdout
    assert "timeout" not in (read_crontab(cron_user) or "")


def test_job_to_edit_is_none_without_a_job() -> None:
    assert job_to_edit([JobListing(Method.CRON, True, ())]) is None
    legacy = InstalledJob(Method.LAUNCHD, False, "0 2 * * *", "At 02:00", None, "x", "y")
    assert (
        job_to_edit([JobListing(Method.CRON, True, ()), JobListing(Method.LAUNCHD, True, (legacy,))])
        is legacy
    )


def test_options_summary_names_variables_never_values_and_only_unusual_paths() -> None:
    from prompt_alchemy_scheduler_tui.backends.job_builder import JobRequest, request_for
    from prompt_alchemy_scheduler_tui.backends.job_options import options_summary

    job = example_job(environment=(("OPENAI_API_KEY", SECRET), ("LEVEL", "debug")), timeout_seconds=600)
    request = request_for(job)
    found = (job.binary, Path("/elsewhere/config.yaml"))
    private = Path("/home/me/.local/state/prompt-alchemy-scheduler-tui/logs")
    assert options_summary(request, found, Path("/tmp"), private) == (
        "timeout 600s · env OPENAI_API_KEY, LEVEL · config /home/me/.prompt-alchemy/config.yaml"
    )
    moved = JobRequest("", number_of_files=4096, log_directory=private)
    assert options_summary(moved, found, Path("/tmp"), private) == "open files 4096 · logs private"
    assert options_summary(None, found, Path("/tmp"), private) == "none set"
    assert (
        options_summary(JobRequest("", log_directory=Path("/tmp")), found, Path("/tmp"), private)
        == "none set"
    )
