"""Attacks a hostile tester found on the systemd scheduler, each a regression test (all failed before)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.systemctl import Loginctl, Systemctl
from prompt_alchemy_scheduler_tui.backends.systemd_backend import SystemdBackend
from prompt_alchemy_scheduler_tui.backends.systemd_units import TIMER_NAME
from tests.conftest import FakeSystemctl, run_cli


def _backend(tmp_path: Path, **extra: object) -> SystemdBackend:
    return SystemdBackend(
        backups=BackupStore(tmp_path / "state" / "systemd-backups", kind="systemd"),
        system="Linux",
        **extra,  # type: ignore[arg-type]
    )


def _job(binary: Path, schedule: str = "0 2 * * *", **extra: object) -> NightlyJob:
    return NightlyJob(schedule=schedule, binary=binary, config=binary.parent.parent / "config.yaml", **extra)  # type: ignore[arg-type]


def _wrapper(tmp_path: Path, name: str, body: str) -> str:
    """A `systemctl`/`loginctl` that answers some calls itself (raw bytes) and hands the rest to the fake."""
    script = tmp_path / "wrap-bin" / name
    script.parent.mkdir(exist_ok=True)
    fake = tmp_path / "fake-bin" / name
    script.write_text(
        f"#!{sys.executable}\nimport os, sys\nargs = sys.argv[1:]\nout = sys.stdout.buffer\n{body}\n"
        f"os.execv({str(fake)!r}, [{str(fake)!r}, *args])\n"
    )
    script.chmod(0o755)
    return str(script)


# 6. Odd `systemctl show` / `--version` / `loginctl` output.


def test_listing_survives_an_impossible_timestamp_in_systemctl_show(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    """`Thu 2026-13-45 99:00:00 UTC` matches the timestamp pattern, then strptime raises ValueError."""
    _backend(tmp_path).apply(_backend(tmp_path).plan_install(_job(stand_in_binary)))
    body = (
        "if args[:2] == ['--user', 'show']:\n"
        f"    out.write(b'Id={TIMER_NAME}\\nUnitFileState=enabled\\nActiveState=active\\n'\n"
        "              b'NextElapseUSecRealtime=Thu 2026-13-45 99:00:00 UTC\\n')\n"
        "    sys.exit(0)"
    )
    backend = _backend(tmp_path, systemctl=Systemctl(_wrapper(tmp_path, "systemctl", body)))
    listing = backend.list_jobs()  # ValueError: month must be in 1..12
    assert len(listing.jobs) == 1


def test_listing_survives_non_utf8_in_systemctl_show(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    _backend(tmp_path).apply(_backend(tmp_path).plan_install(_job(stand_in_binary)))
    body = (
        "if args[:2] == ['--user', 'show']:\n"
        f"    out.write(b'Id={TIMER_NAME}\\nUnitFileState=enabled\\nActiveState=active\\xff\\xfe\\n')\n"
        "    sys.exit(0)"
    )
    backend = _backend(tmp_path, systemctl=Systemctl(_wrapper(tmp_path, "systemctl", body)))
    listing = backend.list_jobs()  # UnicodeDecodeError out of subprocess.run(text=True)
    assert len(listing.jobs) == 1


def test_availability_survives_non_utf8_systemctl_version(
    tmp_path: Path, fake_systemctl: FakeSystemctl
) -> None:
    body = "if args == ['--version']:\n    out.write(b'systemd \\xff\\xfe garbage\\n')\n    sys.exit(0)"
    backend = _backend(tmp_path, systemctl=Systemctl(_wrapper(tmp_path, "systemctl", body)))
    available, _ = backend.availability()  # UnicodeDecodeError out of version()
    assert available


def test_availability_survives_non_utf8_show_environment(
    tmp_path: Path, fake_systemctl: FakeSystemctl
) -> None:
    """systemctl escapes most values, but any stray byte (a locale, a patched build) must not crash."""
    body = (
        "if args == ['--user', 'show-environment']:\n"
        "    out.write(b'HOME=/home/me\\nPATH=/usr/bin:/bin\\nODD=\\xff\\n')\n    sys.exit(0)"
    )
    backend = _backend(tmp_path, systemctl=Systemctl(_wrapper(tmp_path, "systemctl", body)))
    available, reason = backend.availability()
    assert available, reason


def test_linger_survives_non_utf8_loginctl_output(tmp_path: Path, fake_systemctl: FakeSystemctl) -> None:
    body = "if args[:1] == ['show-user']:\n    out.write(b'Linger=\\xff\\n')\n    sys.exit(0)"
    linger = Loginctl(_wrapper(tmp_path, "loginctl", body)).linger("me")  # UnicodeDecodeError
    assert linger.enabled is None


# 3. Units that are not ours.


def test_a_masked_service_does_not_make_systemd_look_unavailable(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    """`systemctl --user mask` puts a link to /dev/null at the unit path. With a working user manager
    `schedule --list` then calls systemd "not available here" and says only that the path "is not a
    regular file": the listing should say the unit is masked (a link to /dev/null), not that systemd
    is missing."""
    backend = _backend(tmp_path)
    backend.directory.mkdir(parents=True)
    backend.service_path.symlink_to("/dev/null")
    result = run_cli("schedule", "--list", timeout=60)
    systemd_section = result.stdout.split("== systemd", 1)[1]
    assert "not available" not in systemd_section.splitlines()[0], result.stdout
    assert "/dev/null" in systemd_section or "masked" in systemd_section, result.stdout
    assert os.readlink(backend.service_path) == "/dev/null"
