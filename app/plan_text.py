"""Plans, results and listings as plain text for the terminal (the CLI's rendering of backend values)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prompt_alchemy_scheduler_tui.backends.plan_presentation import (
    SectionKind,
    plan_option_changes,
    plan_sections,
)
from prompt_alchemy_scheduler_tui.backends.relative_time import until
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import ChangePlan, InstalledJob, JobListing


def format_plan(plan: ChangePlan) -> str:
    lines: list[str] = []
    for section in plan_sections(plan):
        if section.kind is SectionKind.TITLE:
            lines.append(f"== {section.text}")
        elif section.kind is SectionKind.CODE:
            lines += [f"{section.label}:", section.text]
        elif section.kind in (SectionKind.REMOVED, SectionKind.COMMAND, SectionKind.CHANGE):
            lines.append(f"  {section.text}")
        else:
            lines.append(section.text)
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
        if job.status:
            lines.append(f"    {listing.method}: {job.status}")
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
        "option_changes": plan_option_changes(plan),
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
