"""Backups exist only when complete: a full disk, a cut-short file or an old unverifiable one is never
restored, and failed writes never push good backups out."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.backup_store import KEEP, BackupError, BackupStore
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from tests.conftest import read_crontab, write_crontab

BIG_CRONTAB = "".join(f"{i % 60} 3 * * * /usr/bin/job-{i} --with some arguments\n" for i in range(600))


@pytest.fixture
def tiny_disk() -> Iterator[Path]:
    """A 256 KiB tmpfs, filled to the last byte by the test when it wants a full disk."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a tmpfs")
    mount_point = Path(tempfile.mkdtemp(prefix="pa-tiny-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)], check=False
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)
        mount_point.rmdir()


def _fill(disk: Path, leave: int = 0) -> None:
    """Write until the disk is full, then free `leave` bytes."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        while True:
            os.write(descriptor, b"x" * 512)
    except OSError:
        pass
    finally:
        os.close(descriptor)
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))


def test_a_backup_on_a_full_disk_fails_whole_and_leaves_nothing(tiny_disk: Path) -> None:
    store = BackupStore(tiny_disk / "backups", kind="crontab")
    store.save("# small\n")
    _fill(tiny_disk, leave=2048)  # room for a partial write of the big crontab only
    with pytest.raises(BackupError, match="nothing was written"):
        store.save(BIG_CRONTAB)
    assert [b.valid for b in store.backups()] == [True]
    assert [p.name for p in (tiny_disk / "backups").iterdir() if p.name.startswith(".")] == []
    assert store.load(store.find("latest")) == "# small\n"


def test_failed_backups_never_push_good_ones_out(tiny_disk: Path) -> None:
    store = BackupStore(tiny_disk / "backups", kind="crontab")
    for index in range(KEEP):
        store.save(f"# {index}\n")
    _fill(tiny_disk)
    for _ in range(5):
        with pytest.raises(BackupError):
            store.save(BIG_CRONTAB)
    assert len([b for b in store.backups() if b.valid]) == KEEP


@pytest.mark.parametrize(
    "content",
    [
        b"",  # a 0-byte file: what a full disk left behind before backups were verified
        b"0 1 * * * /usr/bin/a\n",  # an earlier version's backup: no header to verify it by
        b"# prompt-alchemy-scheduler-tui backup: state=present bytes=999 sha256=" + b"0" * 64 + b"\n# cut\n",
    ],
)
def test_an_incomplete_backup_is_listed_but_never_restored(tmp_path: Path, content: bytes) -> None:
    store = BackupStore(tmp_path / "backups", kind="crontab")
    good = store.save("# good\n")
    bad = tmp_path / "backups" / "crontab-20991231-235959-000000.txt"
    bad.write_bytes(content)
    newest = store.backups()[0]
    assert newest.path == bad and not newest.valid and newest.problem
    assert store.find("latest").path == good
    with pytest.raises(BackupError, match="not a complete backup"):
        store.load(newest)


def test_install_on_a_full_disk_writes_nothing(
    cron_user: str, tiny_disk: Path, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, BIG_CRONTAB)
    backend = CronBackend(
        CrontabCommand(user=cron_user),
        BackupStore(tiny_disk / "backups", owner=cron_user),
        state_dir=tiny_disk / "state",
    )
    (tiny_disk / "state").mkdir()
    plan = backend.plan_install(
        NightlyJob("0 2 * * *", stand_in_binary, stand_in_binary.parent.parent / "config.yaml")
    )
    _fill(tiny_disk, leave=1024)
    with pytest.raises(BackupError, match="nothing was written"):
        backend.apply(plan)
    assert read_crontab(cron_user) == BIG_CRONTAB
    assert backend.backups.backups() == []


def test_restoring_a_no_crontab_backup_is_shown_and_needs_confirmation(
    cron_user: str, tmp_path: Path
) -> None:
    store = BackupStore(tmp_path / "backups", owner=cron_user)
    store.save(None)
    write_crontab(cron_user, "# mine\n")
    backend = CronBackend(CrontabCommand(user=cron_user), store)
    plan = backend.plan_restore(store.find("latest"))
    assert plan.after is None and "--- crontab (current)\n+++ crontab (removed)" in plan.diff
    assert any("the crontab will be removed" in note for note in plan.notes)
    assert read_crontab(cron_user) == "# mine\n"


def test_a_backup_directory_the_system_refuses_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    store = BackupStore(tmp_path / ("a" * 300) / "backups", kind="crontab")
    with pytest.raises(BackupError, match="File name too long"):
        store.backups()
    assert BackupStore(tmp_path / "missing", kind="crontab").backups() == []
