"""Path discovery, platform detection and the doctor, on real files in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.cron_daemon import cron_daemon_running
from prompt_alchemy_scheduler_tui.backends.doctor import CheckStatus, run_checks
from prompt_alchemy_scheduler_tui.backends.launchd_backend import LaunchdBackend
from prompt_alchemy_scheduler_tui.backends.path_discovery import PathStatus, find_binary, find_config
from prompt_alchemy_scheduler_tui.backends.platform_detect import (
    NoSchedulerError,
    describe_platform,
    detect_platform,
)


def _executable(path: Path, mode: int = 0o755) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\necho hi\n")
    path.chmod(mode)
    return path


def test_binary_found_on_path_is_absolute(tmp_path: Path) -> None:
    binary = _executable(tmp_path / "bin" / "prompt-alchemy")
    check = find_binary(home=tmp_path / "home", search_path=str(tmp_path / "bin"))
    assert check.status is PathStatus.FOUND and check.path == binary and check.path.is_absolute()


def test_binary_found_in_go_bin_when_not_on_path(tmp_path: Path) -> None:
    binary = _executable(tmp_path / "go" / "bin" / "prompt-alchemy")
    assert find_binary(home=tmp_path, search_path=str(tmp_path / "empty")).path == binary


def test_missing_binary_says_what_to_do(tmp_path: Path) -> None:
    check = find_binary(home=tmp_path, search_path=str(tmp_path / "empty"))
    if Path("/usr/local/bin/prompt-alchemy").exists() or Path("/usr/bin/prompt-alchemy").exists():
        pytest.skip("a real prompt-alchemy is installed on this machine")
    assert check.status is PathStatus.MISSING
    assert check.path == tmp_path / "go" / "bin" / "prompt-alchemy"
    assert "pass --binary PATH" in check.hint


def test_explicit_binary_is_made_absolute_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _executable(tmp_path / "pa", mode=0o644)
    check = find_binary("pa")
    assert check.path == tmp_path / "pa"
    assert (
        check.status is PathStatus.NOT_EXECUTABLE
        and check.hint == f"Make it executable: chmod +x {tmp_path / 'pa'}"
    )


def test_config_default_location_and_permissions(tmp_path: Path) -> None:
    assert find_config(home=tmp_path).status is PathStatus.MISSING
    config = tmp_path / ".prompt-alchemy" / "config.yaml"
    config.parent.mkdir()
    config.write_text("providers: {}\n")
    config.chmod(0o644)
    check = find_config(home=tmp_path)
    assert check.status is PathStatus.READABLE_BY_OTHERS and check.usable
    assert check.hint.endswith(f"chmod 600 {config}")
    config.chmod(0o600)
    assert find_config(home=tmp_path).status is PathStatus.FOUND


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_config_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("x")
    config.chmod(0)
    assert find_config(str(config)).status is PathStatus.NOT_READABLE


def test_config_that_is_a_directory_is_not_readable(tmp_path: Path) -> None:
    assert find_config(str(tmp_path)).status is PathStatus.NOT_READABLE


@pytest.mark.parametrize(
    ("system", "crontab", "launchctl", "method"),
    [
        ("Darwin", True, True, "launchd"),
        ("Darwin", True, False, "cron"),
        ("Linux", True, False, "cron"),
        ("Linux", True, True, "cron"),
        ("Linux", False, False, None),
        ("Darwin", False, False, None),
    ],
)
def test_auto_method_follows_the_documented_rule(
    system: str,
    crontab: bool,
    launchctl: bool,
    method: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for tool, present in (("crontab", crontab), ("launchctl", launchctl)):
        if present:
            _executable(tmp_path / tool)
    monkeypatch.setenv("PATH", str(tmp_path))
    units = [CronBackend(daemon_check=lambda: True, system=system), LaunchdBackend(system=system)]
    assert describe_platform(units, system).auto_method == method


def test_no_scheduler_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    info = detect_platform(system="Linux")
    assert info.auto_method is None
    with pytest.raises(NoSchedulerError, match="apt-get install cron"):
        info.resolve("auto")
    assert info.resolve("cron") == "cron"


def test_cron_daemon_detection_reads_the_process_table(tmp_path: Path) -> None:
    (tmp_path / "12").mkdir()
    (tmp_path / "12" / "comm").write_text("bash\n")
    assert cron_daemon_running(tmp_path) is False
    (tmp_path / "34").mkdir()
    (tmp_path / "34" / "comm").write_text("cron\n")
    assert cron_daemon_running(tmp_path) is True


def test_doctor_reports_each_check_with_hints(tmp_path: Path) -> None:
    binary = _executable(tmp_path / "prompt-alchemy")
    config = tmp_path / "config.yaml"
    config.write_text("x")
    config.chmod(0o640)
    results = {r.name: r for r in run_checks(str(binary), str(config), system="Linux")}
    assert results["binary"].status is CheckStatus.OK
    assert results["config"].status is CheckStatus.WARN and "chmod 600" in results["config"].hint
    assert set(results) == {
        "binary",
        "config",
        "config file",
        "log files",
        "scheduler",
        "cron daemon",
        "systemd --user",
    }
    assert (
        results["config file"].status is CheckStatus.FAIL
        and "not the mapping" in results["config file"].detail
    )
