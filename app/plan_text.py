"""Plans, results and listings as plain text for the terminal (the CLI's rendering of backend values)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prompt_alchemy_scheduler_tui.backends.relative_time import until
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import ChangePlan, InstalledJob, JobListing


def format_plan(plan: ChangePlan) -> str:
    lines = [f"== {plan.method}: {plan.action}" + ("" if plan.changes else " (no change)")]
    if plan.path is not None:
        lines.append(f"File: {plan.path}")
    if plan.new_entry is not None:
        lines += ["New entry:", plan.new_entry.rstrip("\n")]
    if plan.removed:
        lines.append("Removes:")
        lines += [
            f"  {job.location}: {job.expression} {job.command}" + ("" if job.managed else "  (legacy)")
            for job in plan.removed
        ]
    repeats_entry = (
        plan.before is None and "\n" in (plan.new_entry or "").strip()
    )  # a new plist, in full above
    if plan.diff and not repeats_entry:
        lines += ["Diff:", plan.diff.rstrip("\n")]
    for change in plan.files:
        if change.changes:
            lines.append(change.title)
            lines += [f"  {line}" for line in (change.shown or "").splitlines()]
    if plan.commands:
        lines.append("Commands:")
        lines += [f"  {command}" for command in plan.commands]
    lines += list(plan.notes)
    return "\n".join(lines)


def format_listing(listing: JobListing, now: datetime) -> str:
    header = f"== {listing.method}" + ("" if listing.available else " (not available here)")
    lines = [header]
    if listing.available and not listing.jobs:
        lines.append("  no prompt-alchemy nightly job")
    for job in listing.jobs:
        lines.append(f"  {job.expression}  {job.description}" + ("" if job.managed else "  [legacy]"))
        if job.next_run is not None:
            lines.append(f"    next run: {job.next_run:%a %Y-%m-%d %H:%M %Z} ({until(job.next_run, now)})")
        lines.append(f"    {job.location}: {job.command}")
        if job.loaded is not None:
            state = "loaded" if job.loaded else "not loaded"
            pid = f", pid {job.pid}" if job.pid is not None else ""
            status = f", last exit {job.last_exit_status}" if job.last_exit_status is not None else ""
            lines.append(f"    launchd: {state}{pid}{status}")
    lines += [f"  {note}" for note in listing.notes]
    return "\n".join(lines)


def job_json(job: InstalledJob) -> dict[str, Any]:
    return {
        "method": job.method,
        "managed": job.managed,
        "expression": job.expression,
        "description": job.description,
        "next_run": job.next_run.isoformat() if job.next_run else None,
        "command": job.command,
        "location": job.location,
        "loaded": job.loaded,
        "pid": job.pid,
        "last_exit_status": job.last_exit_status,
    }


def plan_json(plan: ChangePlan) -> dict[str, Any]:
    return {
        "method": plan.method,
        "action": plan.action,
        "changes": plan.changes,
        "path": str(plan.path) if plan.path else None,
        "new_entry": plan.new_entry,
        "diff": plan.diff,
        "commands": list(plan.commands),
        "removed": [job_json(job) for job in plan.removed],
        "notes": list(plan.notes),
        "files": [
            {"path": str(f.path), "mode": f"{f.mode:04o}", "removed": f.after is None, "content": f.shown}
            for f in plan.files
            if f.changes
        ],
    }


def listing_json(listing: JobListing) -> dict[str, Any]:
    return {
        "method": listing.method,
        "available": listing.available,
        "jobs": [job_json(job) for job in listing.jobs],
        "notes": list(listing.notes),
    }
