"""The systemd backend with a recorded fake `systemctl --user` and `loginctl`; every unit it writes is
loaded by the real `systemd-analyze verify --user`."""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.log_safety import private_log_directory
from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError, NightlyJob
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import (
    ConcurrentEditError,
    SchedulerError,
    SchedulerUnavailableError,
)
from prompt_alchemy_scheduler_tui.backends.systemd_backend import USER_MANAGER_PATH, SystemdBackend
from prompt_alchemy_scheduler_tui.backends.systemd_units import SERVICE_NAME, TIMER_NAME
from prompt_alchemy_scheduler_tui.backends.time_zone import local_zone
from tests.conftest import FakeSystemctl
from tests.systemd_analyze import verify_units

SECRET = "sk-live-0123456789abcdefABCDEF"


def _backend(tmp_path: Path, system: str = "Linux") -> SystemdBackend:
    return SystemdBackend(
        backups=BackupStore(tmp_path / "state" / "systemd-backups", kind="systemd"), system=system
    )


def _job(
    binary: Path, schedule: str = "0 2 * * *", config: Path | None = None, **extra: object
) -> NightlyJob:
    return NightlyJob(
        schedule=schedule,
        binary=binary,
        config=config or binary.parent.parent / "config.yaml",
        **extra,  # type: ignore[arg-type]
    )


def _verified(backend: SystemdBackend) -> None:
    """systemd's own loader accepts both units without a single complaint."""
    result = verify_units(backend.service_path, backend.timer_path)
    assert (result.returncode, result.stderr) == (0, "")


def test_install_writes_both_units_and_enables_the_timer(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    job = _job(stand_in_binary, "30 4 1,15 * 5", timeout_seconds=3600, number_of_files=1024)
    result = backend.apply(backend.plan_install(job))
    _verified(backend)
    service = backend.service_path.read_text()
    assert service.splitlines()[0] == "# prompt-alchemy-scheduler-tui:nightly"
    assert "Type=oneshot\n" in service
    recorder = backend.recorder.script
    assert (
        f"ExecStart=/bin/sh {recorder} scheduled {stand_in_binary} --config {job.config} nightly\n" in service
    )
    assert recorder.read_text() == backend.recorder.script_text
    assert "StandardOutput=append:/tmp/prompt-alchemy-nightly.log\n" in service
    assert "StandardError=append:/tmp/prompt-alchemy-nightly.error.log\n" in service
    assert "TimeoutStartSec=3600\nLimitNOFILE=1024\n" in service
    assert "EnvironmentFile" not in service and not backend.env_file.exists()
    timer = backend.timer_path.read_text()
    assert re.findall(r"(?m)^OnCalendar=(.*)$", timer) == ["*-*-01,15 04:30:00", "Fri *-*-* 04:30:00"]
    assert "Persistent=true\n" in timer and "[Install]\nWantedBy=timers.target\n" in timer
    assert stat.S_IMODE(backend.timer_path.stat().st_mode) == 0o644
    assert fake_systemctl.changes() == [["daemon-reload"], ["enable", "--now", TIMER_NAME]]
    state = fake_systemctl.state()
    assert state["enabled"] == [TIMER_NAME] and state["active"] == [TIMER_NAME]
    assert state["started"][TIMER_NAME] == timer  # reloaded before it was started: no stale unit
    assert (backend.directory / "timers.target.wants" / TIMER_NAME).is_symlink()
    assert result.backup is None and "Installed the systemd timer" in result.message


def test_secrets_only_in_the_private_environment_file_and_masked_everywhere(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    environment = (("OPENAI_API_KEY", SECRET), ("LEVEL", 'a "quoted" $value`s'), ("EMPTY", ""))
    plan = backend.plan_install(_job(stand_in_binary, environment=environment))
    shown = json.dumps(
        [plan.diff, plan.new_entry, plan.notes, [f.shown for f in plan.files]], ensure_ascii=False
    )
    assert SECRET not in shown and "OPENAI_API_KEY=…" in shown
    backend.apply(plan)
    _verified(backend)
    for unit in (backend.service_path, backend.timer_path):
        assert SECRET not in unit.read_text()
    assert f"EnvironmentFile={backend.env_file}\n" in backend.service_path.read_text()
    assert stat.S_IMODE(backend.env_file.stat().st_mode) == 0o600
    assert backend.env_file.read_text().splitlines()[1:] == [
        f"OPENAI_API_KEY={SECRET}",
        'LEVEL="a \\"quoted\\" \\$value\\`s"',
        "EMPTY=",
    ]
    (job,) = backend.list_jobs().jobs
    assert SECRET not in job.command and "OPENAI_API_KEY=…" in job.command
    uninstall = backend.plan_uninstall()
    assert SECRET not in json.dumps([uninstall.diff, [r.command for r in uninstall.removed]])


def test_paths_with_spaces_percent_dollar_and_quotes_reach_systemd_unchanged(
    tmp_path: Path, fake_systemctl: FakeSystemctl
) -> None:
    """Every argument is written as systemd unquotes and substitutes it: `%%`, `$$`, quotes and
    backslashes escaped, and read back by this tool's own parser as the same path."""
    folder = tmp_path / "my bin %d $HOME"
    folder.mkdir()
    binary = folder / "prompt-alchemy"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    config = tmp_path / "conf 'q' \"dq\" \\ $x %h" / "config.yaml"
    logs = tmp_path / "logs 50% $USER"
    job = _job(binary, config=config, stdout_log=logs / "out.log", stderr_log=logs / "err.log")
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(job))
    _verified(backend)
    service = backend.service_path.read_text()
    quoted_config = (
        str(config).replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    )
    assert (
        f'ExecStart=/bin/sh {backend.recorder.script} scheduled "{str(binary).replace("%", "%%").replace("$", "$$")}" '
        f'--config "{quoted_config}" nightly\n'
    ) in service
    assert f"StandardOutput=append:{str(logs).replace('%', '%%')}/out.log\n" in service
    (listed,) = backend.list_jobs().jobs  # read back as ours
    assert listed.managed and listed.stdout_log == logs / "out.log"
    assert listed.command.endswith(shlex.join([str(binary), "--config", str(config), "nightly"]))


def test_verify_fails_on_a_broken_unit(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    """The oracle can say no: the same service with its program written with `$$` names no file."""
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary)))
    _verified(backend)
    broken = tmp_path / "broken" / SERVICE_NAME
    broken.parent.mkdir()
    broken.write_text(backend.service_path.read_text().replace("ExecStart=/bin/sh", "ExecStart=/bin/s$$h", 1))
    result = verify_units(broken)
    assert result.returncode == 1 and "is not executable: No such file or directory" in result.stderr


@pytest.mark.parametrize(
    ("what", "message"),
    [
        ({"log": "up/../x.log"}, "holds '..', which systemd ignores there"),
        ({"log": "trailing.log "}, "ends in a blank or a backslash"),
        ({"value": "a\ufdd0b"}, "holds U+FDD0, which systemd refuses"),
    ],
)
def test_what_systemd_cannot_take_exactly_is_refused_and_nothing_is_written(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path, what: dict[str, str], message: str
) -> None:
    binary = stand_in_binary
    extra: dict[str, object] = {}
    if "binary" in what:
        binary = tmp_path / what["binary"] / "prompt-alchemy"
    if "log" in what:
        extra["stdout_log"] = tmp_path / what["log"]
    if "value" in what:
        extra["environment"] = (("NAME", what["value"]),)
    backend = _backend(tmp_path)
    with pytest.raises(JobError, match=re.escape(message)):
        backend.plan_install(_job(binary, **extra))
    assert not backend.directory.exists() and fake_systemctl.changes() == []


def test_reboot_is_refused_at_planning(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    with pytest.raises(JobError, match="Use --method cron for @reboot"):
        _backend(tmp_path).plan_install(_job(stand_in_binary, "@reboot"))


def test_dry_run_changes_nothing(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    plan = _backend(tmp_path).plan_install(_job(stand_in_binary, environment=(("LEVEL", "debug"),)))
    assert plan.commands == (
        "systemctl --user daemon-reload",
        f"systemctl --user enable --now {TIMER_NAME}",
    )
    assert plan.new_entry is not None and "OnCalendar=*-*-* 02:00:00" in plan.new_entry
    assert fake_systemctl.changes() == [] and not _backend(tmp_path).directory.exists()
    assert not (tmp_path / "state").exists()


def test_list_reports_the_timer_state_from_the_user_manager(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary, "0 1 * * 0")))
    (job,) = backend.list_jobs().jobs
    assert (job.expression, job.description, job.extra) == (
        "0 1 * * 0",
        "At 01:00, only on Sunday",
        ("enabled", "active (waiting)", "never run"),
    )
    # Times the manager reports win over our own computation; read in UTC whatever the local zone.
    fake_systemctl.set_props(
        TIMER_NAME,
        NextElapseUSecRealtime="2027-03-07T01:00:00+00:00",
        LastTriggerUSec="2026-11-22T01:00:00+00:00",
    )
    fake_systemctl.set_props(
        SERVICE_NAME,
        Result="exit-code",
        ExecMainStatus="1",
        ExecMainStartTimestamp="2026-11-22T01:00:01+00:00",
    )
    listing = _backend(tmp_path).list_jobs()
    (job,) = listing.jobs
    assert listing.extra_columns == ("Enabled", "Active", "Last result")
    assert job.extra == ("enabled", "active (waiting)", "exit-code (exit 1)")
    assert job.next_run == datetime(2027, 3, 7, 1, 0, tzinfo=UTC)
    assert job.last_exit_status == 1
    next_run, last = (
        moment.astimezone(local_zone()) for moment in (job.next_run, datetime(2026, 11, 22, 1, 0, tzinfo=UTC))
    )
    assert job.status == (
        f"timer enabled, active (waiting); next {next_run:%Y-%m-%d %H:%M %Z}; last triggered {last:%Y-%m-%d %H:%M %Z}; "
        f"last run {last:%Y-%m-%d %H:%M %Z}: exit-code, exit status 1"
    )
    show = [call for call in fake_systemctl.calls() if call[1:2] == ["show"]][-1]
    assert show[-2:] == [TIMER_NAME, SERVICE_NAME] and "--property=NextElapseUSecRealtime" in show


def test_uninstall_disables_cleans_and_removes_everything_of_ours(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary, environment=(("LEVEL", "debug"),))))
    stamp = tmp_path / "home" / "xdg_data_home" / "systemd" / "timers" / f"stamp-{TIMER_NAME}"
    assert stamp.exists()
    plan = backend.plan_uninstall()
    assert plan.commands == (
        f"systemctl --user disable --now {TIMER_NAME}",
        f"systemctl --user clean --what=state {TIMER_NAME}",
        f"rm {backend.service_path}",
        f"rm {backend.timer_path}",
        "systemctl --user daemon-reload",
    )
    result = backend.apply(plan)
    assert not backend.service_path.exists() and not backend.timer_path.exists()
    assert not backend.env_file.exists() and not stamp.exists()
    assert not (backend.directory / "timers.target.wants" / TIMER_NAME).exists()
    state = fake_systemctl.state()
    assert state["enabled"] == [] and state["active"] == [] and state["loaded"] == {}
    assert result.backup is not None and "Previous units saved" in result.message
    assert _backend(tmp_path).plan_uninstall().changes is False


def test_a_new_schedule_stops_the_timer_and_clears_its_stamp_first(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary, "0 2 * * *")))
    backend.apply(_backend(tmp_path).plan_install(_job(stand_in_binary, "0 2 * * *", timeout_seconds=60)))
    assert fake_systemctl.changes()[2:] == [["daemon-reload"], ["enable", "--now", TIMER_NAME]]  # no stop
    backend.apply(_backend(tmp_path).plan_install(_job(stand_in_binary, "0 3 * * *")))
    assert fake_systemctl.changes()[4:] == [
        ["stop", TIMER_NAME],
        ["clean", "--what=state", TIMER_NAME],
        ["daemon-reload"],
        ["enable", "--now", TIMER_NAME],
    ]


def test_a_failed_enable_puts_the_previous_units_back_enabled_and_started(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary, "0 2 * * *", environment=(("LEVEL", "old"),))))
    before = [p.read_bytes() for p in (backend.service_path, backend.timer_path, backend.env_file)]
    plan = _backend(tmp_path).plan_install(
        _job(stand_in_binary, "0 3 * * *", environment=(("LEVEL", "new"),))
    )
    monkeypatch.setenv("FAKE_SYSTEMCTL_FAIL", "enable")
    monkeypatch.setenv("FAKE_SYSTEMCTL_FAIL_TIMES", "1")
    with pytest.raises(SchedulerError) as caught:
        _backend(tmp_path).apply(plan)
    assert str(caught.value).startswith(
        f"systemctl --user enable --now {TIMER_NAME} failed (exit 1): Failed to enable unit: Access denied "
        "The previous units were put back and enabled and started again."
    )
    assert [p.read_bytes() for p in (backend.service_path, backend.timer_path, backend.env_file)] == before
    state = fake_systemctl.state()
    assert state["enabled"] == [TIMER_NAME] and state["active"] == [TIMER_NAME]
    assert state["loaded"][TIMER_NAME] == before[1].decode()  # reloaded with the old units
    assert fake_systemctl.changes()[-3:] == [["daemon-reload"], ["enable", TIMER_NAME], ["start", TIMER_NAME]]


def test_a_failed_first_install_leaves_nothing(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SYSTEMCTL_FAIL", "daemon-reload")
    monkeypatch.setenv("FAKE_SYSTEMCTL_FAIL_TIMES", "1")
    backend = _backend(tmp_path)
    with pytest.raises(SchedulerError, match="Nothing was left installed"):
        backend.apply(backend.plan_install(_job(stand_in_binary, environment=(("LEVEL", "x"),))))
    assert not backend.service_path.exists() and not backend.timer_path.exists()
    assert not backend.env_file.exists()
    assert fake_systemctl.state()["enabled"] == []


def test_a_failed_disable_removes_nothing(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary)))
    before = backend.timer_path.read_bytes()
    monkeypatch.setenv("FAKE_SYSTEMCTL_FAIL", "disable")
    with pytest.raises(
        SchedulerError, match="The previous units were put back and enabled and started again"
    ):
        _backend(tmp_path).apply(_backend(tmp_path).plan_uninstall())
    assert backend.timer_path.read_bytes() == before and backend.service_path.exists()
    assert fake_systemctl.state()["active"] == [TIMER_NAME]


def test_a_failed_reload_after_removal_puts_the_units_back(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary, environment=(("LEVEL", "x"),))))
    before = [p.read_bytes() for p in (backend.service_path, backend.timer_path, backend.env_file)]
    monkeypatch.setenv("FAKE_SYSTEMCTL_FAIL", "daemon-reload")
    monkeypatch.setenv("FAKE_SYSTEMCTL_FAIL_TIMES", "1")
    with pytest.raises(
        SchedulerError, match="The previous units were put back and enabled and started again"
    ):
        _backend(tmp_path).apply(_backend(tmp_path).plan_uninstall())
    assert [p.read_bytes() for p in (backend.service_path, backend.timer_path, backend.env_file)] == before
    state = fake_systemctl.state()
    assert state["enabled"] == [TIMER_NAME] and state["active"] == [TIMER_NAME]


def test_units_of_that_name_that_are_not_ours_are_reported_and_left_alone(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    backend.directory.mkdir(parents=True)
    foreign = "[Timer]\nOnCalendar=daily\n\n[Install]\nWantedBy=timers.target\n"
    backend.timer_path.write_text(foreign)
    with pytest.raises(SchedulerError, match="is not exactly what this tool writes"):
        backend.plan_install(_job(stand_in_binary))
    listing = backend.list_jobs()
    assert listing.jobs == () and listing.notes == (
        f"{backend.timer_path} was not written by this tool: left alone.",
    )
    plan = backend.plan_uninstall()
    assert (
        plan.removed == () and plan.commands == () and plan.changes is False and plan.notes == listing.notes
    )
    backend.apply(plan)
    assert backend.timer_path.read_text() == foreign and fake_systemctl.changes() == []


def test_our_unit_edited_by_hand_is_reported_not_removed(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary)))
    edited = backend.timer_path.read_text().replace("AccuracySec=1s", "AccuracySec=1h")
    backend.timer_path.write_text(edited)
    plan = _backend(tmp_path).plan_uninstall()
    assert (
        f"{backend.timer_path} carries this tool's marker but was changed by hand: left alone." in plan.notes
    )
    _backend(tmp_path).apply(plan)  # removes our service, never the edited timer
    assert backend.timer_path.read_text() == edited and not backend.service_path.exists()
    assert ["disable", "--now", TIMER_NAME] not in fake_systemctl.changes()


def test_a_concurrent_edit_is_refused(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    plan = backend.plan_install(_job(stand_in_binary))
    backend.directory.mkdir(parents=True)
    backend.service_path.write_text("someone else's\n")
    with pytest.raises(ConcurrentEditError):
        backend.apply(plan)
    assert backend.service_path.read_text() == "someone else's\n" and fake_systemctl.changes() == []


def test_a_replaced_install_is_restored_with_its_environment_and_enabled(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    backend = _backend(tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary, "0 1 * * *", environment=(("TOKEN", SECRET),))))
    first = [p.read_bytes() for p in (backend.service_path, backend.timer_path, backend.env_file)]
    result = _backend(tmp_path).apply(_backend(tmp_path).plan_install(_job(stand_in_binary, "30 4 * * *")))
    assert result.backup is not None and not backend.env_file.exists()
    unit = _backend(tmp_path)
    assert unit.backups is not None
    plan = unit.plan_restore(unit.backups.find(result.backup.name))
    assert plan.action == "restore" and "+OnCalendar=*-*-* 01:00:00" in plan.diff
    assert SECRET not in json.dumps([plan.diff, [f.shown for f in plan.files]])
    unit.apply(plan)
    assert [p.read_bytes() for p in (backend.service_path, backend.timer_path, backend.env_file)] == first
    assert stat.S_IMODE(backend.env_file.stat().st_mode) == 0o600
    assert fake_systemctl.changes()[-2:] == [["daemon-reload"], ["enable", "--now", TIMER_NAME]]
    _verified(backend)


def test_unreachable_manager_makes_it_unavailable_with_the_reason(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SYSTEMCTL_UNREACHABLE", "1")
    backend = _backend(tmp_path)
    available, reason = backend.availability()
    assert not available and reason.startswith(
        "No systemd user manager is reachable (Failed to connect to bus: No medium found)"
    )
    plan = backend.plan_install(_job(stand_in_binary))  # a dry run still shows what would be written
    with pytest.raises(SchedulerUnavailableError, match="No systemd user manager is reachable"):
        backend.apply(plan)
    assert not backend.directory.exists()
    assert backend.list_jobs().available is False


def test_older_than_240_is_unavailable(
    tmp_path: Path, fake_systemctl: FakeSystemctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SYSTEMCTL_VERSION", "239")
    assert _backend(tmp_path).availability() == (
        False,
        "systemd 239 is older than 240, which the job's logs need (StandardOutput=append:); use --method cron.",
    )


def test_not_linux_is_unavailable_but_planning_works(tmp_path: Path, stand_in_binary: Path) -> None:
    backend = _backend(tmp_path, system="Darwin")
    assert (
        backend.availability()[1]
        == "systemd user timers exist only on Linux (this is Darwin); use --method cron."
    )
    assert backend.auto_rank("Darwin") is None and backend.doctor_checks(None) == []
    assert backend.plan_install(_job(stand_in_binary)).after is not None


def test_job_environment_is_the_managers_plus_the_jobs_own(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_systemctl.set_state(environment={"PATH": "/manager/bin:/usr/bin", "LANG": "C.UTF-8", "ODD": "a b'c"})
    job = _job(stand_in_binary, environment=(("LANG", "de_DE.UTF-8"), ("LEVEL", "debug")))
    home = tmp_path / "home"
    environment = _backend(tmp_path).job_environment(job, home)
    assert environment["PATH"] == "/manager/bin:/usr/bin"
    assert (environment["LANG"], environment["LEVEL"], environment["ODD"]) == (
        "de_DE.UTF-8",
        "debug",
        "a b'c",
    )
    assert environment["HOME"] == str(home) and environment["USER"] == environment["LOGNAME"]
    monkeypatch.setenv("FAKE_SYSTEMCTL_UNREACHABLE", "1")
    assert _backend(tmp_path).job_environment(job, home)["PATH"] == USER_MANAGER_PATH


def test_not_written_when_the_private_log_directory_is_not_safe(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    private = private_log_directory()
    private.parent.mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    private.symlink_to(tmp_path / "elsewhere")
    backend = _backend(tmp_path)
    plan = backend.plan_install(
        _job(stand_in_binary, stdout_log=private / "out.log", stderr_log=private / "err.log")
    )
    with pytest.raises(SchedulerError, match="Nothing was changed"):
        backend.apply(plan)
    assert not backend.directory.exists() and fake_systemctl.changes() == []


def test_environment_file_path_is_the_state_directory(tmp_path: Path) -> None:
    backend = SystemdBackend(system="Linux")
    assert (
        backend.env_file
        == tmp_path / "home" / "xdg_state_home" / "prompt-alchemy-scheduler-tui" / "systemd-nightly.env"
    )
    assert backend.directory == tmp_path / "home" / "xdg_config_home" / "systemd" / "user"
    assert os.environ["XDG_CONFIG_HOME"] == str(tmp_path / "home" / "xdg_config_home")
