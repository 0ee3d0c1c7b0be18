"""Which unavailable scheduler is an error: this machine's own one (uninstall and list fail, saying how
to get it); the other one (launchd on Linux) is skipped silently. PATH is an empty directory, so no
`crontab` is found; nobody's crontab is read or written."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.platform_detect import detect_platform
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerUnavailableError
from prompt_alchemy_scheduler_tui.backends.service_factory import make_service
from tests.conftest import FakeLaunchctl, run_cli

HANG_GUARD = 60  # seconds; a guard against hanging, not a timing assertion


@pytest.fixture
def no_crontab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return empty


@pytest.fixture
def crontab_without_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `crontab` that answers like a user without a crontab (and refuses to write)."""
    folder = tmp_path / "crontab-bin"
    folder.mkdir()
    script = folder / "crontab"
    script.write_text('#!/bin/sh\n[ "$1" = "-l" ] && { echo "no crontab for tester" >&2; exit 1; }\nexit 3\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))  # nothing else: the real crontab stays out of reach
    return folder


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, timeout=HANG_GUARD)


def test_linux_without_crontab_cannot_uninstall_and_says_how_to_get_it(no_crontab: Path) -> None:
    service = make_service(detect_platform(system="Linux"))
    assert service.home_method == "cron"
    with pytest.raises(SchedulerUnavailableError) as caught:
        service.plan_uninstall_all()
    assert str(caught.value) == (
        "Cannot uninstall from cron: crontab is not on PATH. Install cron "
        "(Debian/Ubuntu: sudo apt-get install cron; Fedora/RHEL: sudo dnf install cronie)."
    )
    unavailable = service.home_unavailable(service.list_all())
    assert unavailable is not None and unavailable.startswith(
        "Could not list the cron jobs: crontab is not on PATH"
    )


def test_linux_with_crontab_skips_launchd_and_systemd_silently(crontab_without_jobs: Path) -> None:
    service = make_service(detect_platform(system="Linux"))
    assert service.plan_uninstall_all() == []
    listings = service.list_all()
    assert [(listing.method, listing.available) for listing in listings] == [
        ("cron", True),
        ("launchd", False),
        ("systemd", False),  # no systemctl on PATH
    ]
    assert service.home_unavailable(listings) is None


def test_macos_without_crontab_skips_cron_silently(
    fake_launchctl: FakeLaunchctl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "fake-bin"))  # launchctl only
    service = make_service(detect_platform(system="Darwin"))
    assert service.home_method == "launchd"
    assert service.plan_uninstall_all() == []
    assert service.home_unavailable(service.list_all()) is None


@pytest.mark.parametrize("args", [["--uninstall"], ["--uninstall", "--dry-run"], ["--uninstall", "--json"]])
def test_cli_uninstall_without_crontab_fails_with_the_reason(no_crontab: Path, args: list[str]) -> None:
    result = _run("schedule", *args)
    assert result.returncode == 1, result.stdout
    assert "Nothing to do" not in result.stdout
    assert result.stderr.splitlines() == [
        "prompt-alchemy-scheduler-tui: error: Cannot uninstall from cron: crontab is not on PATH. Install "
        "cron (Debian/Ubuntu: sudo apt-get install cron; Fedora/RHEL: sudo dnf install cronie)."
    ]


def test_cli_list_without_crontab_shows_what_it_can_then_fails(no_crontab: Path) -> None:
    text = _run("schedule", "--list")
    assert text.returncode == 1
    assert text.stdout.startswith("== cron (not available here)\n  crontab is not on PATH.")
    assert text.stderr.splitlines() == [
        "prompt-alchemy-scheduler-tui: error: Could not list the cron jobs: crontab is not on PATH. Install "
        "cron (Debian/Ubuntu: sudo apt-get install cron; Fedora/RHEL: sudo dnf install cronie)."
    ]
    as_json = _run("schedule", "--list", "--json")
    assert as_json.returncode == 1 and len(as_json.stderr.splitlines()) == 1
    assert [listing["available"] for listing in json.loads(as_json.stdout)] == [False, False, False]


def test_cli_uninstall_with_an_empty_crontab_is_nothing_to_do(crontab_without_jobs: Path) -> None:
    result = _run("schedule", "--uninstall")
    assert (result.returncode, result.stdout, result.stderr) == (0, "Nothing to do.\n", "")
