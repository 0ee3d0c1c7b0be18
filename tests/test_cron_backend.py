"""The cron backend against the real `crontab` command, for a throwaway user."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from prompt_alchemy_scheduler_tui.backends.backup_store import KEEP, BackupError, BackupStore
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.crontab_entry import MARKER
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import (
    ConcurrentEditError,
    SchedulerError,
    SchedulerUnavailableError,
)
from tests.conftest import read_crontab, write_crontab
from tests.crontab_strategies import crontabs

FOREIGN = "# backups, do not touch\nMAILTO=ops@example.com\n\n*/5  *\t* * *   /usr/bin/backup --fast   \n"
LEGACY = "0 3 * * * /usr/local/bin/prompt-alchemy --config /etc/pa.yaml nightly\n"


def _backend(user: str, tmp_path: Path, crontab: str | None = None) -> CronBackend:
    return CronBackend(
        CrontabCommand(user=user, executable=crontab), BackupStore(tmp_path / "backups", owner=user)
    )


def _job(binary: Path, schedule: str = "0 2 * * *") -> NightlyJob:
    return NightlyJob(schedule=schedule, binary=binary, config=binary.parent.parent / "config.yaml")


def test_install_into_no_crontab_then_uninstall_leaves_no_crontab(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    backend = _backend(cron_user, tmp_path)
    result = backend.apply(backend.plan_install(_job(stand_in_binary)))
    text = read_crontab(cron_user)
    assert text is not None and text.count(MARKER) == 1 and text.startswith("0 2 * * * ")
    assert result.backup is not None
    saved = backend.backups.find(result.backup.name)
    assert saved.valid and not saved.existed and backend.backups.load(saved) is None
    backend.apply(backend.plan_uninstall())
    assert read_crontab(cron_user) is None


def test_install_keeps_foreign_lines_and_replaces_legacy(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, FOREIGN + LEGACY)
    backend = _backend(cron_user, tmp_path)
    plan = backend.plan_install(_job(stand_in_binary))
    assert [job.managed for job in plan.removed] == [False]
    backend.apply(plan)
    text = read_crontab(cron_user)
    assert text is not None and text.startswith(FOREIGN) and "/usr/local/bin/prompt-alchemy" not in text
    backend.apply(backend.plan_install(_job(stand_in_binary, "30 3 * * *")))
    text = read_crontab(cron_user)
    assert text is not None and text.count(MARKER) == 1 and "\n30 3 * * * " in text
    backend.apply(backend.plan_uninstall())
    assert read_crontab(cron_user) == FOREIGN


def test_list_shows_managed_and_legacy_with_next_run(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    write_crontab(
        cron_user,
        FOREIGN
        + LEGACY
        + "0 2 * * * /x/prompt-alchemy --config /c nightly >>/tmp/l 2>>/tmp/e "
        + MARKER
        + "\n",
    )
    listing = _backend(cron_user, tmp_path).list_jobs()
    assert listing.available
    assert [(job.managed, job.expression, job.location) for job in listing.jobs] == [
        (False, "0 3 * * *", "crontab line 5"),
        (True, "0 2 * * *", "crontab line 6"),
    ]
    assert listing.jobs[0].description == "At 03:00" and listing.jobs[0].next_run is not None


def test_dry_run_writes_nothing(cron_user: str, tmp_path: Path, stand_in_binary: Path) -> None:
    write_crontab(cron_user, FOREIGN)
    backend = _backend(cron_user, tmp_path)
    plan = backend.plan_install(_job(stand_in_binary))
    assert plan.new_entry is not None and plan.diff.endswith("+" + plan.new_entry + "\n")
    assert read_crontab(cron_user) == FOREIGN
    assert not (tmp_path / "backups").exists()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=crontabs())
def test_real_crontab_round_trip_is_byte_identical(
    cron_user: str, tmp_path: Path, stand_in_binary: Path, text: str
) -> None:
    write_crontab(cron_user, text)
    original = read_crontab(cron_user)
    backend = _backend(cron_user, tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary)))
    backend.apply(backend.plan_install(_job(stand_in_binary, "15 4 * * 1")))
    backend.apply(backend.plan_uninstall())
    assert read_crontab(cron_user) == original == text


def test_concurrent_edit_writes_nothing(cron_user: str, tmp_path: Path, stand_in_binary: Path) -> None:
    write_crontab(cron_user, FOREIGN)
    backend = _backend(cron_user, tmp_path)
    plan = backend.plan_install(_job(stand_in_binary))
    write_crontab(cron_user, FOREIGN + "0 6 * * * /usr/bin/someone-else\n")
    with pytest.raises(ConcurrentEditError, match="changed since it was read"):
        backend.apply(plan)
    assert read_crontab(cron_user) == FOREIGN + "0 6 * * * /usr/bin/someone-else\n"


def test_missing_crontab_binary_is_a_clear_error(
    cron_user: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, FOREIGN)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    backend = _backend(cron_user, tmp_path)
    assert backend.availability() == (
        False,
        "crontab is not on PATH. Install cron (Debian/Ubuntu: sudo apt-get install cron; Fedora/RHEL: sudo dnf "
        "install cronie).",
    )
    with pytest.raises(SchedulerUnavailableError):
        backend.plan_install(_job(stand_in_binary))
    assert not backend.list_jobs().available
    monkeypatch.undo()
    assert read_crontab(cron_user) == FOREIGN


def test_crontab_refusing_the_write_is_reported_and_changes_nothing(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, FOREIGN)
    refusing = tmp_path / "crontab-refusing-writes"
    # The real crontab for reads; a refusal, worded as Debian's, for installs.
    refusing.write_text(
        '#!/bin/sh\nfor a in "$@"; do [ "$a" = - ] && { echo \'"-":0: bad minute\' >&2; '
        'echo "errors in crontab file, can\'t install." >&2; exit 1; }; done\nexec crontab "$@"\n'
    )
    refusing.chmod(0o755)
    backend = _backend(cron_user, tmp_path, crontab=str(refusing))
    with pytest.raises(
        SchedulerError, match='crontab refused the new crontab \\(exit 1\\): "-":0: bad minute'
    ):
        backend.apply(backend.plan_install(_job(stand_in_binary)))
    assert read_crontab(cron_user) == FOREIGN


def test_unwritable_backup_directory_stops_the_write(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, FOREIGN)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    backend = CronBackend(
        CrontabCommand(user=cron_user),
        BackupStore(blocker / "backups", owner=cron_user),
        state_dir=tmp_path / "state",
    )
    with pytest.raises(BackupError, match=r"Could not back up the crontab to .*nothing was written"):
        backend.apply(backend.plan_install(_job(stand_in_binary)))
    assert read_crontab(cron_user) == FOREIGN


def test_backups_are_private_pruned_and_restorable(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, FOREIGN)
    backend = _backend(cron_user, tmp_path)
    first = backend.apply(backend.plan_install(_job(stand_in_binary))).backup
    assert first is not None and stat.S_IMODE(first.stat().st_mode) == 0o600
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700
    for _ in range(KEEP + 2):
        backend.backups.save("# x\n")
    assert len(backend.backups.backups()) == KEEP
    restored = backend.apply(backend.plan_restore(backend.backups.find("latest")))
    assert read_crontab(cron_user) == "# x\n" and restored.backup is not None
    assert restored.backup.read_text().count(MARKER) == 1  # the state before the restore was saved too
