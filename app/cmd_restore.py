"""`restore [BACKUP]`: list every scheduler's backups, or put one back after showing what changes.

Restoring replaces the whole file (a crontab, a plist), so it is shown as a diff and confirmed like any other change
(`--yes` confirms in advance, `--dry-run` only shows); a backup that does not read back whole is
never restored.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from prompt_alchemy_scheduler_tui.app.cli_parser import fail
from prompt_alchemy_scheduler_tui.app.plan_text import format_plan
from prompt_alchemy_scheduler_tui.backends.backup_store import Backup, BackupNotFoundError
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerError
from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService
from prompt_alchemy_scheduler_tui.backends.service_factory import make_service
from prompt_alchemy_scheduler_tui.backends.user_text import shown


def run_restore(args: argparse.Namespace) -> int:
    service = make_service(crontab_user=args.crontab_user)
    try:
        if not args.backup:
            _list(service, args.json)
            return 0
        directories = [u.backups.directory for u in service.schedulers if u.backups is not None]
        outside = _outside_backups(args.backup, directories)
        if outside is not None:
            return fail(outside, 2)
        try:
            plan = service.plan_restore(args.backup)
        except BackupNotFoundError as error:
            return fail(str(error), 2)
        print(format_plan(plan))
        if args.dry_run:
            print("\n(dry run: nothing was written)")
            return 0
        if not plan.changes:
            print("This backup matches what is there now; nothing was written.")
            return 0
        if not args.yes and not _confirmed():
            print("Nothing was written.")
            return 1
        print(service.apply([plan])[0].message)
        return 0
    except SchedulerError as error:
        return fail(str(error), 1)


def _confirmed() -> bool:
    if not sys.stdin.isatty():
        raise SchedulerError(
            "restore replaces what is there now with the backup: run it in a terminal to confirm, or pass --yes; "
            "nothing was written."
        )
    try:
        answer = input("Restore this backup? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def _list(service: SchedulingService, as_json: bool) -> None:
    found = service.restorable_backups()
    if as_json:
        print(json.dumps([{"method": unit.method.value, **_backup_json(backup)} for unit, backup in found]))
        return
    for unit in service.schedulers:
        if unit.backups is None or not unit.availability()[0]:
            continue
        backups = [backup for owner, backup in found if owner is unit]
        if not backups:
            print(f"No {unit.method} backups in {unit.backups.directory}.")
            continue
        print(f"{unit.method} backups in {unit.backups.directory} (newest first):")
        for backup in backups:
            print(f"  {backup.name}  {backup.taken:%Y-%m-%d %H:%M:%S}  {_state(backup)}")


def _state(backup: Backup) -> str:
    if backup.problem:
        return f"not restorable: {backup.problem}"
    return f"{backup.size} bytes" if backup.existed else "no file then (restoring removes it)"


def _backup_json(backup: Backup) -> dict[str, object]:
    return {
        "name": backup.name,
        "taken": backup.taken.isoformat(),
        "size": backup.size,
        "existed": backup.existed,
        "restorable": backup.valid,
        "problem": backup.problem,
    }


def _outside_backups(backup: str, directories: list[Path]) -> str | None:
    """Why BACKUP, given as a path, is refused: only files in the backup directory are restored.

    find() matches the file name alone, so `restore /elsewhere/crontab-<stamp>.txt` would otherwise
    restore the backup of that name, not the file the user pointed at.
    """
    if "/" not in backup:
        return None
    parent = os.path.realpath(Path(backup).expanduser().parent)
    if any(parent == os.path.realpath(directory) for directory in directories):
        return None
    where = " or ".join(str(directory) for directory in directories)
    return (
        f"{shown(backup)} is not in {where}: give a backup's file name (as `restore` lists them) "
        "or a path inside that directory."
    )
