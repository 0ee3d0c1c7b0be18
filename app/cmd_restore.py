"""`restore [BACKUP]`: list crontab backups, or put one back after showing exactly what changes.

Restoring replaces the whole crontab, so it is shown as a diff and confirmed like any other change
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
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerError
from prompt_alchemy_scheduler_tui.backends.user_text import shown


def run_restore(args: argparse.Namespace) -> int:
    backend = CronBackend(CrontabCommand(user=args.crontab_user))
    try:
        if not args.backup:
            _list(backend, args.json)
            return 0
        outside = _outside_backups(args.backup, backend.backups.directory)
        if outside is not None:
            return fail(outside, 2)
        try:
            backup = backend.backups.find(args.backup)
        except BackupNotFoundError as error:
            return fail(str(error), 2)
        plan = backend.plan_restore(backup)
        print(format_plan(plan))
        if args.dry_run:
            print("\n(dry run: nothing was written)")
            return 0
        if not plan.changes:
            print("The crontab already matches this backup; nothing was written.")
            return 0
        if not args.yes and not _confirmed():
            print("Nothing was written.")
            return 1
        print(backend.apply(plan).message)
        return 0
    except SchedulerError as error:
        return fail(str(error), 1)


def _confirmed() -> bool:
    if not sys.stdin.isatty():
        raise SchedulerError(
            "restore replaces your whole crontab: run it in a terminal to confirm, or pass --yes; "
            "nothing was written."
        )
    try:
        answer = input("Replace your crontab with this backup? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def _list(backend: CronBackend, as_json: bool) -> None:
    backups = backend.backups.backups()
    if as_json:
        print(json.dumps([_backup_json(b) for b in backups]))
    elif not backups:
        print(f"No crontab backups in {backend.backups.directory}.")
    else:
        print(f"Crontab backups in {backend.backups.directory} (newest first):")
        for backup in backups:
            print(f"  {backup.name}  {backup.taken:%Y-%m-%d %H:%M:%S}  {_state(backup)}")


def _state(backup: Backup) -> str:
    if backup.problem:
        return f"not restorable: {backup.problem}"
    return f"{backup.size} bytes" if backup.existed else "no crontab"


def _backup_json(backup: Backup) -> dict[str, object]:
    return {
        "name": backup.name,
        "taken": backup.taken.isoformat(),
        "size": backup.size,
        "existed": backup.existed,
        "restorable": backup.valid,
        "problem": backup.problem,
    }


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
