"""`schedule`: install (default), `--list`, `--uninstall`, each with `--dry-run` and `--json`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime

from prompt_alchemy_scheduler_tui.app.cli_parser import fail
from prompt_alchemy_scheduler_tui.app.plan_text import format_listing, format_plan, listing_json, plan_json
from prompt_alchemy_scheduler_tui.backends.cron_syntax import CronSyntaxError
from prompt_alchemy_scheduler_tui.backends.job_builder import JobRequest, build_job
from prompt_alchemy_scheduler_tui.backends.log_safety import private_log_directory
from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError
from prompt_alchemy_scheduler_tui.backends.plan_presentation import plan_option_changes
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import ChangePlan, SchedulerError
from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService
from prompt_alchemy_scheduler_tui.backends.service_factory import make_service
from prompt_alchemy_scheduler_tui.backends.time_zone import local_zone
from prompt_alchemy_scheduler_tui.backends.user_text import shown


def run_schedule(args: argparse.Namespace) -> int:
    service = make_service(crontab_user=args.crontab_user)
    try:
        if args.list:
            return _list(service, args.json)
        if args.uninstall:
            return _apply(service, service.plan_uninstall_all(), args)
        return _install(service, args)
    except SchedulerError as error:
        return fail(str(error), 1)


def _list(service: SchedulingService, as_json: bool) -> int:
    listings = service.list_all()
    if as_json:
        print(json.dumps([listing_json(listing) for listing in listings], indent=2))
    else:
        now = datetime.now(local_zone())
        print("\n".join(format_listing(listing, now) for listing in listings))
    unavailable = service.home_unavailable(listings)
    return 0 if unavailable is None else fail(unavailable, 1)


def _install(service: SchedulingService, args: argparse.Namespace) -> int:
    request = JobRequest(
        expression=args.time,
        binary=args.binary,
        config=args.config,
        environment=tuple(args.env),
        timeout_seconds=args.timeout,
        number_of_files=args.max_open_files,
        log_directory=private_log_directory() if args.private_logs else None,
        data_dir=args.data_dir,
        ping_url=args.ping,
    )
    try:
        built = build_job(request, os.environ, args.crontab_user)
    except CronSyntaxError as error:
        return fail(f"--time {shown(args.time)}: {error}", 2)
    except JobError as error:
        return fail(str(error), 2)
    try:
        plans = service.plan_job_install(built, args.method, dry_run=args.dry_run)
    except JobError as error:
        return fail(str(error), 2)
    for message in built.problems + built.advice:
        sys.stderr.write(f"warning: {message}\n")
    return _apply(service, plans, args)


def _apply(service: SchedulingService, plans: list[ChangePlan], args: argparse.Namespace) -> int:
    if args.dry_run:
        if args.json:
            print(json.dumps({"dry_run": True, "plans": [plan_json(plan) for plan in plans]}, indent=2))
        else:
            print("\n\n".join(format_plan(plan) for plan in plans) if plans else "Nothing to do.")
            print("\n(dry run: nothing was written)")
        return 0
    results = service.apply(plans)
    if args.json:
        print(
            json.dumps(
                {
                    "dry_run": False,
                    "results": [
                        {
                            **plan_json(r.plan),
                            "backup": str(r.backup) if r.backup else None,
                            "message": r.message,
                        }
                        for r in results
                    ],
                },
                indent=2,
            )
        )
    else:
        print("\n".join(result.message for result in results) if results else "Nothing to do.")
        for change in (change for result in results for change in plan_option_changes(result.plan)):
            print(f"changed: {change}")
        for note in dict.fromkeys(note for result in results for note in result.plan.notes):
            print(f"note: {note}")
    return 0
