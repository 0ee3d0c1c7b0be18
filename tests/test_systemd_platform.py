"""systemd among the other schedulers: which one `auto` picks and why, the platform panel's lines, the
doctor's checks, switching methods (one job left, ever), and the command line with --method systemd."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.check_result import CheckStatus
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.crontab_entry import MARKER
from prompt_alchemy_scheduler_tui.backends.doctor import run_checks
from prompt_alchemy_scheduler_tui.backends.launchd_backend import LaunchdBackend
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.platform_detect import describe_platform
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import (
    Method,
    PlatformFact,
    Scheduler,
    SchedulerUnavailableError,
    Tone,
)
from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService
from prompt_alchemy_scheduler_tui.backends.systemd_backend import SystemdBackend
from prompt_alchemy_scheduler_tui.backends.systemd_units import TIMER_NAME
from tests.conftest import FakeSystemctl, read_crontab, run_cli, write_crontab

NO_CRONTAB = '#!/bin/sh\n[ "$1" = "-l" ] && { echo "no crontab for tester" >&2; exit 1; }\nexit 3\n'


@pytest.fixture
def fake_crontab(tmp_path: Path, fake_systemctl: FakeSystemctl) -> Path:
    """A `crontab` with no crontab in it (it refuses writes) and a `pgrep` that finds no cron daemon,
    beside the fake systemctl: nobody's real crontab is read, whatever runs on this machine."""
    bin_dir = tmp_path / "fake-bin"
    for name, text in (("crontab", NO_CRONTAB), ("pgrep", "#!/bin/sh\nexit 1\n")):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return bin_dir / "crontab"


def _units(tmp_path: Path, daemon: bool | None, crontab: CrontabCommand) -> list[Scheduler]:
    cron = CronBackend(crontab, BackupStore(tmp_path / "b", owner=crontab.user), daemon_check=lambda: daemon)
    launchd = LaunchdBackend(directory=tmp_path / "LaunchAgents", system="Linux")
    systemd = SystemdBackend(backups=BackupStore(tmp_path / "state" / "sb", kind="systemd"), system="Linux")
    return [cron, launchd, systemd]


def _job(binary: Path, schedule: str = "0 2 * * *") -> NightlyJob:
    return NightlyJob(schedule=schedule, binary=binary, config=binary.parent.parent / "config.yaml")


@pytest.mark.parametrize(
    ("daemon", "unreachable", "auto", "reason"),
    [
        (True, False, "cron", "Linux: cron is the standard scheduler."),
        (None, False, "cron", "Linux: cron is the standard scheduler."),
        (
            False,
            False,
            "systemd",
            "Linux without a running cron daemon, with a systemd user manager: systemd user timers (a run "
            "missed while off or asleep runs on wake).",
        ),
        (
            False,
            True,
            "cron",
            "Linux: cron, though no cron daemon runs, as no other scheduler is usable here: jobs fire only "
            "once it is started.",
        ),
    ],
)
def test_auto_prefers_cron_with_its_daemon_and_systemd_without(
    tmp_path: Path,
    fake_crontab: Path,
    monkeypatch: pytest.MonkeyPatch,
    daemon: bool | None,
    unreachable: bool,
    auto: str,
    reason: str,
) -> None:
    if unreachable:
        monkeypatch.setenv("FAKE_SYSTEMCTL_UNREACHABLE", "1")
    info = describe_platform(_units(tmp_path, daemon, CrontabCommand(executable=str(fake_crontab))), "Linux")
    assert (info.auto_method, info.auto_reason) == (auto, reason)


def test_platform_facts_say_whether_a_user_manager_answers_and_lingering(
    tmp_path: Path, fake_crontab: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    units = _units(tmp_path, True, CrontabCommand(executable=str(fake_crontab)))
    facts = describe_platform(units, "Linux").facts
    assert facts[-2:] == (
        PlatformFact("systemd --user", "manager reachable (systemd 252)", Tone.OK),
        PlatformFact("linger", "off: timers run only while you are logged in", Tone.WARN),
    )
    monkeypatch.setenv("FAKE_LOGINCTL_LINGER", "yes")
    facts = describe_platform(
        _units(tmp_path, True, CrontabCommand(executable=str(fake_crontab))), "Linux"
    ).facts
    assert facts[-1] == PlatformFact("linger", "on: timers run while you are logged out", Tone.OK)
    monkeypatch.setenv("FAKE_SYSTEMCTL_UNREACHABLE", "1")
    facts = describe_platform(
        _units(tmp_path, True, CrontabCommand(executable=str(fake_crontab))), "Linux"
    ).facts
    assert facts[-1] == PlatformFact(
        "systemd --user",
        "not reachable (no user manager: Failed to connect to bus: No medium found)",
        Tone.WARN,
    )
    darwin = SystemdBackend(system="Darwin")
    assert darwin.platform_facts() == (
        PlatformFact("systemd --user", "not available (Linux only)", Tone.MUTED),
    )


def test_a_user_who_is_not_logged_in_does_not_linger(
    tmp_path: Path, fake_systemctl: FakeSystemctl, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_LOGINCTL_LINGER", "absent")  # loginctl: "... is not logged in or lingering"
    backend = SystemdBackend(system="Linux", user="tester")
    assert backend.linger().enabled is False
    assert fake_systemctl.loginctl_calls() == [["show-user", "tester", "--property=Linger"]]


def _checks(
    tmp_path: Path, fake_crontab: Path, stand_in_binary: Path
) -> dict[str, tuple[CheckStatus, str, str]]:
    units = _units(tmp_path, False, CrontabCommand(executable=str(fake_crontab)))
    results = run_checks(
        str(stand_in_binary), str(stand_in_binary.parent.parent / "config.yaml"), units, "Linux"
    )
    return {r.name: (r.status, r.detail, r.hint) for r in results}


def test_doctor_warns_that_without_lingering_the_job_runs_only_while_logged_in(
    tmp_path: Path, fake_crontab: Path, stand_in_binary: Path
) -> None:
    checks = _checks(tmp_path, fake_crontab, stand_in_binary)
    user = SystemdBackend(system="Linux").user
    assert checks["scheduler"][1] == "Linux: auto uses systemd; available: cron, systemd"
    assert checks["systemd --user"] == (CheckStatus.OK, "manager reachable (systemd 252)", "")
    assert checks["linger"] == (
        CheckStatus.WARN,
        "off: the job runs only while you are logged in",
        f"loginctl enable-linger {user}",
    )


def test_doctor_fails_an_installed_timer_without_a_user_manager(
    tmp_path: Path, fake_crontab: Path, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    systemd = SystemdBackend(backups=BackupStore(tmp_path / "state" / "sb", kind="systemd"), system="Linux")
    monkeypatch.setenv("FAKE_SYSTEMCTL_UNREACHABLE", "1")
    status, detail, _ = _checks(tmp_path, fake_crontab, stand_in_binary)["systemd --user"]
    assert (status, detail) == (
        CheckStatus.WARN,
        "no user manager reachable: Failed to connect to bus: No medium found",
    )
    monkeypatch.delenv("FAKE_SYSTEMCTL_UNREACHABLE")
    systemd.apply(systemd.plan_install(_job(stand_in_binary)))
    monkeypatch.setenv("FAKE_SYSTEMCTL_UNREACHABLE", "1")
    status, _, hint = _checks(tmp_path, fake_crontab, stand_in_binary)["systemd --user"]
    assert status is CheckStatus.FAIL and hint.endswith("the installed timer cannot run without it.")


def test_doctor_fails_systemd_older_than_240_for_an_installed_timer(
    tmp_path: Path, fake_crontab: Path, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    systemd = SystemdBackend(backups=BackupStore(tmp_path / "state" / "sb", kind="systemd"), system="Linux")
    systemd.apply(systemd.plan_install(_job(stand_in_binary)))
    monkeypatch.setenv("FAKE_SYSTEMCTL_VERSION", "239")
    checks = _checks(tmp_path, fake_crontab, stand_in_binary)
    assert checks["systemd --user"][:2] == (
        CheckStatus.FAIL,
        "systemd 239 is older than 240: StandardOutput=append: (the job's logs) is not supported",
    )
    assert checks["scheduler"][1] == "Linux: auto uses cron; available: cron"


def test_doctor_warns_about_a_disabled_timer(
    tmp_path: Path, fake_crontab: Path, stand_in_binary: Path, fake_systemctl: FakeSystemctl
) -> None:
    systemd = SystemdBackend(backups=BackupStore(tmp_path / "state" / "sb", kind="systemd"), system="Linux")
    systemd.apply(systemd.plan_install(_job(stand_in_binary)))
    assert _checks(tmp_path, fake_crontab, stand_in_binary)["systemd timer"][0] is CheckStatus.OK
    fake_systemctl.set_state(enabled=[], active=[])
    status, detail, hint = _checks(tmp_path, fake_crontab, stand_in_binary)["systemd timer"]
    assert (status, detail) == (
        CheckStatus.WARN,
        f"{TIMER_NAME} disabled, inactive (dead): the job will not run",
    )
    assert hint.startswith(f"systemctl --user enable --now {TIMER_NAME}")


def test_switching_cron_systemd_launchd_cron_leaves_exactly_one_job(
    cron_user: str, tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, "# theirs\n")
    units = _units(tmp_path, True, CrontabCommand(user=cron_user))
    systemd = units[2]
    assert isinstance(systemd, SystemdBackend)
    service = SchedulingService(describe_platform(units, "Linux"), {unit.method: unit for unit in units})

    def jobs() -> list[str]:
        return [listing.method for listing in service.list_all() for _ in listing.jobs]

    service.apply(service.plan_install(_job(stand_in_binary), "cron"))
    assert jobs() == ["cron"] and MARKER in (read_crontab(cron_user) or "")

    plans = service.plan_install(_job(stand_in_binary), "systemd")
    assert [(p.method, p.action) for p in plans] == [("systemd", "install"), ("cron", "uninstall")]
    service.apply(plans)
    assert jobs() == ["systemd"] and read_crontab(cron_user) == "# theirs\n"
    assert fake_systemctl.state()["enabled"] == [TIMER_NAME]

    # launchd on Linux: the dry run shows the switch; applying it is refused before anything changes.
    plans = service.plan_install(_job(stand_in_binary), "launchd")
    assert [(p.method, p.action) for p in plans] == [("launchd", "install"), ("systemd", "uninstall")]
    with pytest.raises(SchedulerUnavailableError, match="launchd exists only on macOS"):
        service.apply(plans)
    assert jobs() == ["systemd"]

    plans = service.plan_install(_job(stand_in_binary, "30 3 * * *"), "cron")
    assert [(p.method, p.action) for p in plans] == [("cron", "install"), ("systemd", "uninstall")]
    service.apply(plans)
    assert jobs() == ["cron"] and not systemd.timer_path.exists() and not systemd.service_path.exists()
    assert fake_systemctl.state()["enabled"] == [] and fake_systemctl.state()["active"] == []
    ours = [line for line in (read_crontab(cron_user) or "").splitlines() if MARKER in line]
    assert len(ours) == 1 and ours[0].startswith("30 3 ")


def _cli(*args: str) -> tuple[int, str, str]:
    result = run_cli(*args)
    return result.returncode, result.stdout, result.stderr


def test_cli_method_systemd_installs_lists_and_uninstalls(
    fake_crontab: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    config = str(stand_in_binary.parent.parent / "config.yaml")
    paths = ("--binary", str(stand_in_binary), "--config", config)
    code, out, err = _cli(
        "schedule", "--method", "systemd", "--time", "*/15 9-17 * * mon-fri", *paths, "--dry-run"
    )
    assert code == 0, err
    assert "== systemd: install" in out and "OnCalendar=Mon..Fri *-*-* 09..17:00..45/15:00" in out
    assert fake_systemctl.changes() == []
    code, out, err = _cli("schedule", "--method", "systemd", *paths)
    assert code == 0, err
    assert out.startswith("Installed the systemd timer")
    code, out, _ = _cli("schedule", "--list")
    assert "== systemd\n  0 2 * * *  At 02:00\n" in out and "systemd: timer enabled, active (waiting)" in out
    code, out, _ = _cli("schedule", "--uninstall")
    assert code == 0 and out.startswith("Removed the systemd job")
    assert [call[0] for call in fake_systemctl.changes()] == [
        "daemon-reload",
        "enable",
        "disable",
        "clean",
        "daemon-reload",
    ]


def test_cli_auto_picks_systemd_without_a_cron_daemon(
    fake_crontab: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    config = str(stand_in_binary.parent.parent / "config.yaml")
    code, out, err = _cli(
        "schedule", "--binary", str(stand_in_binary), "--config", config, "--dry-run", "--json"
    )
    assert code == 0, err
    assert [plan["method"] for plan in json.loads(out)["plans"]] == ["systemd"]


def test_cli_secret_never_printed(
    fake_crontab: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    secret = "sk-proj-Zx81kQ2mVr7Lp0aB4cD9eF3g"
    config = str(stand_in_binary.parent.parent / "config.yaml")
    args = ("schedule", "--method", "systemd", "--binary", str(stand_in_binary), "--config", config)
    env = ("--env", f"OPENAI_API_KEY={secret}")
    for extra in (("--dry-run",), ("--dry-run", "--json"), ("--json",), ()):
        code, out, err = _cli(*args, *env, *extra)
        assert code == 0 and secret not in out + err
    code, out, err = _cli("schedule", "--list", "--json")
    (job,) = [job for listing in json.loads(out) for job in listing["jobs"]]
    assert secret not in out + err and job["command"].startswith("OPENAI_API_KEY=… ")
    env_file = Path(os.environ["XDG_STATE_HOME"]) / "prompt-alchemy-scheduler-tui" / "systemd-nightly.env"
    assert f"OPENAI_API_KEY={secret}\n" in env_file.read_text()


def test_cli_method_systemd_without_a_manager_exits_1_with_the_reason(
    fake_crontab: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_SYSTEMCTL_UNREACHABLE", "1")
    config = str(stand_in_binary.parent.parent / "config.yaml")
    code, _, err = _cli(
        "schedule", "--method", "systemd", "--binary", str(stand_in_binary), "--config", config
    )
    assert code == 1 and "Traceback" not in err
    assert err.startswith("prompt-alchemy-scheduler-tui: error: No systemd user manager is reachable")


@pytest.mark.parametrize(
    ("expression", "member"),
    [
        ("30 4 1,15 * 5", {"on_calendar": ["*-*-01,15 04:30:00", "Fri *-*-* 04:30:00"], "error": None}),
        ("@daily", {"on_calendar": ["*-*-* 00:00:00"], "error": None}),
    ],
)
def test_explain_json_has_the_systemd_member(expression: str, member: dict[str, object]) -> None:
    code, out, _ = _cli("explain", expression, "--json")
    assert code == 0 and json.loads(out)["systemd"] == member


def test_explain_json_says_why_reboot_has_no_calendar() -> None:
    code, out, _ = _cli("explain", "@reboot", "--json")
    member = json.loads(out)["systemd"]
    assert code == 0 and member["on_calendar"] is None and "Use --method cron for @reboot" in member["error"]


def test_method_systemd_is_accepted_everywhere_method_is() -> None:
    code, out, _ = _cli("schedule", "--help")
    assert code == 0 and "systemd: a user timer and service" in out
    assert Method("systemd") is Method.SYSTEMD
