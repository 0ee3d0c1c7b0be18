"""The launchd backend with a recorded fake launchctl; every plist is checked by plistlib and plistutil."""

from __future__ import annotations

import os
import plistlib
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.crontab_entry import MARKER
from prompt_alchemy_scheduler_tui.backends.launchctl import Launchctl
from prompt_alchemy_scheduler_tui.backends.launchd_backend import LaunchdBackend
from prompt_alchemy_scheduler_tui.backends.nightly_job import LABEL, JobError, NightlyJob
from prompt_alchemy_scheduler_tui.backends.platform_detect import detect_platform
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import ConcurrentEditError, SchedulerError
from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService
from tests.conftest import FakeLaunchctl, read_crontab, write_crontab

UID = os.getuid()


def _backend(tmp_path: Path, system: str = "Darwin") -> LaunchdBackend:
    return LaunchdBackend(
        directory=tmp_path / "LaunchAgents",
        launchctl=Launchctl(retry_delay=0.01),
        backups=BackupStore(tmp_path / "launchd-backups", kind="launchd"),
        system=system,
    )


def _job(binary: Path, schedule: str = "0 2 * * *", **extra: object) -> NightlyJob:
    return NightlyJob(schedule=schedule, binary=binary, config=binary.parent.parent / "config.yaml", **extra)  # type: ignore[arg-type]


def _parse_with_plistutil(path: Path) -> dict[str, object]:
    """An independent parser: plistutil (libplist) converts the file to binary; plistlib reads that back."""
    if shutil.which("plistutil") is None:
        pytest.skip("needs plistutil (apt-get install --no-install-recommends libplist-utils)")
    binary = subprocess.run(
        ["plistutil", "-i", str(path), "-f", "bin"], capture_output=True, check=True
    ).stdout
    assert binary.startswith(b"bplist00")
    value = plistlib.loads(binary)
    assert isinstance(value, dict)
    return value


def test_install_writes_a_valid_plist_and_loads_it(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    job = _job(stand_in_binary, "0 1 * * 0", environment=(("LEVEL", "debug"),), number_of_files=1024)
    backend.apply(backend.plan_install(job))
    plist = _parse_with_plistutil(backend.path)
    with backend.path.open("rb") as handle:
        assert plistlib.load(handle) == plist
    assert plist["Label"] == LABEL
    assert plist["ProgramArguments"] == [
        "/bin/sh",
        str(backend.recorder.script),
        "scheduled",
        str(stand_in_binary),
        "--config",
        str(job.config),
        "nightly",
    ]
    assert backend.recorder.script.read_text() == backend.recorder.script_text
    assert plist["StartCalendarInterval"] == {"Weekday": 0, "Hour": 1, "Minute": 0}
    assert plist["StandardOutPath"] == "/tmp/prompt-alchemy-nightly.log"
    assert plist["StandardErrorPath"] == "/tmp/prompt-alchemy-nightly.error.log"
    assert plist["RunAtLoad"] is False
    assert plist["EnvironmentVariables"] == {
        "PATH": f"{stand_in_binary.parent}:/usr/local/bin:/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "LEVEL": "debug",
    }
    assert plist["SoftResourceLimits"] == {"NumberOfFiles": 1024}
    assert stat.S_IMODE(backend.path.stat().st_mode) == 0o644
    assert fake_launchctl.calls() == [
        ["list"],
        ["bootout", f"gui/{UID}/{LABEL}"],
        ["bootstrap", f"gui/{UID}", str(backend.path)],
    ]
    assert LABEL in fake_launchctl.loaded()


def test_secret_variables_make_the_plist_private(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary, environment=(("OPENAI_API_KEY", "sk-1"),))))
    assert stat.S_IMODE(backend.path.stat().st_mode) == 0o600
    listing = backend.list_jobs()
    assert "OPENAI_API_KEY=…" in listing.jobs[0].command and "sk-1" not in listing.jobs[0].command


def test_list_reports_schedule_and_launchctl_state(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary, "30 4 1,15 * 5")))
    fake_launchctl.set_loaded(LABEL, pid=None, status=-9)
    (job,) = backend.list_jobs().jobs
    assert (job.expression, job.description) == (
        "30 4 1,15 * 5",
        "At 04:30, on day 1 and 15 of the month, or on Friday",
    )
    assert (job.loaded, job.pid, job.last_exit_status, job.managed) == (True, None, -9, True)
    assert job.next_run is not None and job.location == str(backend.path)
    fake_launchctl.set_loaded(LABEL, pid=4242, status=0)
    assert backend.list_jobs().jobs[0].pid == 4242


def test_uninstall_boots_out_and_removes_the_plist(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary)))
    plan = backend.plan_uninstall()
    assert plan.commands == (f"launchctl bootout gui/{UID}/{LABEL}", f"rm {backend.path}")
    result = backend.apply(plan)
    assert not backend.path.exists() and LABEL not in fake_launchctl.loaded()
    assert result.backup is not None and b"<key>Label</key>" in result.backup.read_bytes()
    assert backend.plan_uninstall().changes is False


def test_dry_run_changes_nothing(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    plan = _backend(tmp_path).plan_install(_job(stand_in_binary))
    assert plan.new_entry is not None and "<key>StartCalendarInterval</key>" in plan.new_entry
    assert plan.commands == (
        f"launchctl bootout gui/{UID}/{LABEL}",
        f"launchctl bootstrap gui/{UID} {tmp_path / 'LaunchAgents' / (LABEL + '.plist')}",
    )
    assert fake_launchctl.calls() == [] and not (tmp_path / "LaunchAgents").exists()


def test_failed_bootstrap_puts_the_previous_job_back(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary, "0 2 * * *")))
    previous = backend.path.read_bytes()
    plan = backend.plan_install(_job(stand_in_binary, "0 3 * * *"))
    monkeypatch.setenv("FAKE_LAUNCHCTL_FAIL", "bootstrap")
    monkeypatch.setenv("FAKE_LAUNCHCTL_FAIL_TIMES", "6")  # the first try and its 5 retries
    with pytest.raises(
        SchedulerError,
        match="launchctl bootstrap failed \\(exit 5\\): Bootstrap failed: 5: Input/output error",
    ):
        backend.apply(plan)
    assert backend.path.read_bytes() == previous
    assert LABEL in fake_launchctl.loaded()  # reloaded as it was


def test_failed_first_install_leaves_no_plist(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_LAUNCHCTL_FAIL", "bootstrap")
    backend = _backend(tmp_path)
    with pytest.raises(SchedulerError, match="previous launchd job was put back"):
        backend.apply(backend.plan_install(_job(stand_in_binary)))
    assert not backend.path.exists()


def test_bootstrap_io_error_after_bootout_is_retried(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_LAUNCHCTL_FAIL", "bootstrap")
    monkeypatch.setenv("FAKE_LAUNCHCTL_FAIL_TIMES", "2")
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary)))
    assert [call[0] for call in fake_launchctl.calls()].count("bootstrap") == 3
    assert LABEL in fake_launchctl.loaded()


def test_failing_bootout_is_surfaced_and_nothing_changes(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary)))
    before = backend.path.read_bytes()
    monkeypatch.setenv("FAKE_LAUNCHCTL_FAIL", "bootout")
    with pytest.raises(
        SchedulerError,
        match="launchctl bootout failed \\(exit 1\\): Boot-out failed: 1: Operation not permitted",
    ):
        backend.apply(backend.plan_uninstall())
    assert backend.path.read_bytes() == before


def test_legacy_load_when_modern_calls_are_unsupported(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_LAUNCHCTL_LEGACY_ONLY", "1")
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary)))
    assert ["load", "-w", str(backend.path)] in fake_launchctl.calls()
    backend.apply(backend.plan_uninstall())
    assert ["unload", str(backend.path)] in fake_launchctl.calls()


def test_concurrent_plist_edit_is_refused(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    plan = backend.plan_install(_job(stand_in_binary))
    backend.path.parent.mkdir(parents=True)
    backend.path.write_text("someone else's")
    with pytest.raises(ConcurrentEditError):
        backend.apply(plan)
    assert backend.path.read_text() == "someone else's"


def test_schedule_launchd_cannot_express_is_refused_at_planning(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    with pytest.raises(JobError, match="launchd ignores Month whenever Weekday is set"):
        _backend(tmp_path).plan_install(_job(stand_in_binary, "0 2 * 6 1"))


def test_not_on_macos_install_is_refused_but_planning_works(tmp_path: Path, stand_in_binary: Path) -> None:
    backend = _backend(tmp_path, system="Linux")
    plan = backend.plan_install(_job(stand_in_binary))
    with pytest.raises(
        SchedulerError, match=r"launchd exists only on macOS \(this is Linux\); use --method cron\."
    ):
        backend.apply(plan)


def test_legacy_go_plist_is_listed_as_legacy(tmp_path: Path, fake_launchctl: FakeLaunchctl) -> None:
    backend = _backend(tmp_path)
    backend.path.parent.mkdir(parents=True)
    old = {
        "Label": LABEL,
        "ProgramArguments": ["/usr/local/bin/prompt-alchemy", "--config", "/c.yaml", "nightly"],
        "StartCalendarInterval": {"Hour": 2, "Minute": 0},
        "RunAtLoad": False,
        "StandardOutPath": "/tmp/prompt-alchemy-nightly.log",
        "StandardErrorPath": "/tmp/prompt-alchemy-nightly.error.log",
    }
    backend.path.write_bytes(plistlib.dumps(old))
    (job,) = backend.list_jobs().jobs
    assert (job.managed, job.expression, job.description, job.loaded) == (
        False,
        "0 2 * * *",
        "At 02:00",
        False,
    )


def test_switching_methods_leaves_no_duplicate(
    cron_user: str, tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, "# theirs\n")
    cron = CronBackend(CrontabCommand(user=cron_user), BackupStore(tmp_path / "b", owner=cron_user))
    launchd = _backend(tmp_path)
    service = SchedulingService(detect_platform(system="Darwin"), {"cron": cron, "launchd": launchd})
    service.apply(service.plan_install(_job(stand_in_binary), "cron"))
    assert MARKER in (read_crontab(cron_user) or "")
    plans = service.plan_install(_job(stand_in_binary), "launchd")
    assert [(p.method, p.action) for p in plans] == [("launchd", "install"), ("cron", "uninstall")]
    service.apply(plans)
    assert read_crontab(cron_user) == "# theirs\n" and launchd.path.exists()
    service.apply(service.plan_install(_job(stand_in_binary), "cron"))
    assert not launchd.path.exists() and MARKER in (read_crontab(cron_user) or "")
    service.apply(service.plan_uninstall_all())
    assert read_crontab(cron_user) == "# theirs\n" and not launchd.path.exists()


def test_a_replaced_plist_is_restored_and_loaded_through_the_service(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    """launchd keeps backups too, and restore puts them back the same way as for cron."""
    launchd = _backend(tmp_path)
    service = SchedulingService(detect_platform(system="Darwin"), {"launchd": launchd})
    service.apply(service.plan_install(_job(stand_in_binary, "0 1 * * *"), "launchd"))
    first = launchd.path.read_bytes()
    (result,) = service.apply(service.plan_install(_job(stand_in_binary, "30 4 * * *"), "launchd"))
    assert result.backup is not None and launchd.path.read_bytes() != first
    plan = service.plan_restore(result.backup.name)
    assert plan.action == "restore" and "-\t\t<integer>4</integer>" in plan.diff
    service.apply([plan])
    assert launchd.path.read_bytes() == first
    assert fake_launchctl.calls()[-1] == ["bootstrap", f"gui/{UID}", str(launchd.path)]
    assert _parse_with_plistutil(launchd.path)["StartCalendarInterval"] == {"Hour": 1, "Minute": 0}


def test_a_missing_run_recorder_is_named_by_status_and_doctor(
    tmp_path: Path, fake_launchctl: FakeLaunchctl, stand_in_binary: Path
) -> None:
    """Every run goes through the recorder script: once it is gone (a cleaned ~/.local/state) each run
    fails before nightly starts, and no record says so. status and doctor name it, with the fix."""
    from datetime import datetime

    from prompt_alchemy_scheduler_tui.backends.doctor import CheckStatus, run_checks
    from prompt_alchemy_scheduler_tui.backends.health_report import health_report
    from prompt_alchemy_scheduler_tui.backends.time_zone import local_zone

    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary, "0 2 * * *")))
    report = health_report([backend.list_jobs()], [backend], datetime.now(local_zone()))
    assert not any("run recorder" in problem for problem in report.problems)
    backend.recorder.script.unlink()
    report = health_report([backend.list_jobs()], [backend], datetime.now(local_zone()))
    assert not report.healthy and "is missing: every run fails before nightly starts" in report.problems[0]
    (check,) = [
        c
        for c in run_checks(str(stand_in_binary), schedulers=[backend], system="Darwin")
        if c.name == "run recorder"
    ]
    assert check.status is CheckStatus.FAIL and "install again" in check.detail
    backend.apply(backend.plan_install(_job(stand_in_binary, "0 2 * * *")))  # installing again rewrites it
    assert backend.recorder.script.read_text() == backend.recorder.script_text
