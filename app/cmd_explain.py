"""`explain EXPR`: the schedule model on the command line."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from prompt_alchemy_scheduler_tui.backends.explain_views import explain_everything
from prompt_alchemy_scheduler_tui.backends.relative_time import until
from prompt_alchemy_scheduler_tui.backends.schedule import Schedule, ScheduleExplanation, in_zone
from prompt_alchemy_scheduler_tui.backends.scheduler_registry import SchedulerOptions, build_schedulers
from prompt_alchemy_scheduler_tui.backends.time_zone import local_zone
from prompt_alchemy_scheduler_tui.backends.user_text import shown


def run_explain(args: argparse.Namespace) -> int:
    # The parser has checked --tz (a ZoneInfo), --from (a datetime in range) and --count.
    zone = args.tz or local_zone()
    start = args.start
    schedule = Schedule(" ".join(args.expression))  # `explain 0 2 '*' '*' '*'` is one expression
    explanation = schedule.explain(count=args.count, start=start, zone=zone)
    explanation = explain_everything(schedule, explanation, build_schedulers(SchedulerOptions()))
    if args.json:
        print(json.dumps(explanation.to_json(), indent=2, ensure_ascii=False))
    else:
        print(format_explanation(explanation, in_zone(start, zone)))
    return 0 if explanation.valid else 2


def format_explanation(explanation: ScheduleExplanation, now: datetime) -> str:
    if not explanation.valid:
        return f"{shown(explanation.expression, 200)} is not a valid cron schedule.\n  {explanation.error}"
    lines = [f"{explanation.expression}", f"  {explanation.description}"]
    if explanation.next_runs:
        lines.append(f"Next runs ({explanation.time_zone}):")
        lines += [f"  {run:%a %Y-%m-%d %H:%M %Z}  ({until(run, now)})" for run in explanation.next_runs]
    lines += [f"{form.method}: {form.error or form.summary}" for form in explanation.forms]
    if explanation.warnings:
        lines.append("Warnings:")
        lines += [f"  - {warning.message}" for warning in explanation.warnings]
    return "\n".join(lines)
