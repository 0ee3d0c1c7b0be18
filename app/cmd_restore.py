"""`restore [BACKUP]`: list crontab backups, or put one back (the current crontab is backed up first)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from app.cli_parser import fail
from app.plan_text import format_plan
from backends.cron_backend import CronBackend
from backends.crontab_command import CrontabCommand
from backends.scheduler_backend import SchedulerError
from backends.user_text import shown


def run_restore(args: argparse.Namespace) -> int:
    backend = CronBackend(CrontabCommand(user=args.crontab_user))
    try:
        if not args.backup:
            backups = backend.backups.backups()
            if args.json:
                print(
                    json.dumps(
                        [{"name": b.name, "taken": b.taken.isoformat(), "size": b.size} for b in backups]
                    )
                )
            elif not backups:
                print(f"No crontab backups in {backend.backups.directory}.")
            else:
                print(f"Crontab backups in {backend.backups.directory} (newest first):")
                for backup in backups:
                    print(f"  {backup.name}  {backup.taken:%Y-%m-%d %H:%M:%S}  {backup.size} bytes")
            return 0
        outside = _outside_backups(args.backup, backend.backups.directory)
        if outside is not None:
            return fail(outside, 2)
        plan = backend.plan_restore(backend.backups.find(args.backup))
        print(format_plan(plan))
        result = backend.apply(plan)
        print(result.message)
        return 0
    except SchedulerError as error:
        return fail(str(error), 1)


def _outside_backups(backup: str, directory: Path) -> str | None:
    """Why BACKUP, given as a path, is refused: only files in the backup directory are restored.

    find() matches the file name alone, so `restore /elsewhere/crontab-<stamp>.txt` would otherwise
    restore the backup of that name, not the file the user pointed at.
    """
    if "/" not in backup:
        return None
    if os.path.realpath(Path(backup).expanduser().parent) == os.path.realpath(directory):
        return None
    return (
        f"{shown(backup)} is not in {directory}: give a backup's file name (as `restore` lists them) "
        "or a path inside that directory."
    )
