"""`status` and `runs`: the job's health and its recorded runs, from the same report as the TUI's."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from prompt_alchemy_scheduler_tui.app.cli_parser import fail
from prompt_alchemy_scheduler_tui.backends.health_report import HealthReport
from prompt_alchemy_scheduler_tui.backends.job_health import NOT_RECORDED_HERE
from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text
from prompt_alchemy_scheduler_tui.backends.relative_time import until
from prompt_alchemy_scheduler_tui.backends.run_history import RunView
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerError
from prompt_alchemy_scheduler_tui.backends.service_factory import make_service
from prompt_alchemy_scheduler_tui.backends.time_zone import local_zone


def run_status(args: argparse.Namespace) -> int:
    """Exit 0 when healthy, 1 when not (or nothing is installed): usable from monitoring."""
    report = _report(args)
    if report is None:
        return 2
    now = datetime.now(local_zone())
    if args.json:
        print(json.dumps(report.as_json(), indent=2))
    else:
        print("\n".join(status_lines(report, now)))
    return 0 if report.healthy else 1


def run_runs(args: argparse.Namespace) -> int:
    report = _report(args)
    if report is None:
        return 2
    runs = list(reversed(report.runs))[: args.count]
    if args.json:
        print(json.dumps([run.as_json() for run in runs], indent=2))
        return 0
    for note in report.notes:
        print(f"note: {shown_text(note)}")
    if not runs:
        print(_no_runs(report))
        return 0
    print(f"{'started':<19}  {'trigger':<9}  {'took':>7}  {'exit':>4}  outcome")
    for run in runs:
        print(run_line(run))
    return 0


def status_lines(report: HealthReport, now: datetime) -> list[str]:
    health, job = report.health, report.job
    if health is None or job is None:
        notes = [f"note: {shown_text(note)}" for note in report.notes]
        return ["healthy: no", "problem: no prompt-alchemy nightly job is installed", *notes]
    lines = [
        f"healthy: {'yes' if health.healthy else 'no'}",
        f"job: {job.method}, {shown_text(job.expression)} ({shown_text(job.description)})",
        f"last run: {_run_words(health.last_run, now)}",
        f"last success: {_run_words(health.last_success, now)}",
        f"next run: {_when(health.next_run, now)}",
    ]
    if health.running is not None:
        lines.append(
            f"running now: since {health.running.started:%Y-%m-%d %H:%M:%S} (pid {health.running.record.pid})"
        )
    if health.missed:
        shown = ", ".join(f"{moment:%Y-%m-%d %H:%M}" for moment in health.missed[-5:])
        lines.append(f"missed: {len(health.missed)} ({shown}); {health.missed_policy}")
    if health.late:
        lines.append(f"ran late (on wake): {len(health.late)}")
    lines += [f"problem: {shown_text(problem)}" for problem in health.problems]
    lines += [f"note: {shown_text(note)}" for note in report.notes]
    return lines


def run_line(run: RunView) -> str:
    record = run.record
    took = "—" if record.seconds is None else f"{record.seconds} s"
    status = "—" if record.exit_status is None else str(record.exit_status)
    return (
        f"{run.started:%Y-%m-%d %H:%M:%S}  {record.trigger:<9}  {took:>7}  {status:>4}  "
        f"{run.outcome.outcome}: {shown_text(run.outcome.summary)}"
    )


def _run_words(run: RunView | None, now: datetime) -> str:
    if run is None:
        return "none recorded"
    took = "" if run.record.seconds is None else f", {run.record.seconds} s"
    return (
        f"{run.started:%Y-%m-%d %H:%M:%S} ({until(run.started, now)}, {run.record.trigger}){took}: "
        f"{shown_text(run.outcome.summary)}"
    )


def _when(moment: datetime | None, now: datetime) -> str:
    return "none" if moment is None else f"{moment:%Y-%m-%d %H:%M} ({until(moment, now)})"


def _no_runs(report: HealthReport) -> str:
    if NOT_RECORDED_HERE in report.problems:
        return f"No runs recorded here: {NOT_RECORDED_HERE}."
    if report.job is not None and not report.job.recorded:
        reason = report.health.not_recorded if report.health is not None else "runs are not recorded"
        return reason[:1].upper() + reason[1:] + "."
    return "No runs recorded yet."


def _report(args: argparse.Namespace) -> HealthReport | None:
    try:
        return make_service(crontab_user=args.crontab_user).health(datetime.now(local_zone()))
    except SchedulerError as error:
        fail(str(error), 2)
        return None
