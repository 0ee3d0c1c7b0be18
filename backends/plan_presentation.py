"""What a plan shows people, decided once for both faces: which parts, in which order, which as code.

The CLI prints these sections as text and the TUI as rich renderables; neither decides on its own
when to show the diff and when the whole new entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from prompt_alchemy_scheduler_tui.backends.job_options import option_changes
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import ChangePlan, PlanAction


class SectionKind(Enum):
    TITLE = "title"
    FILE = "file"
    HEADING = "heading"  # "Removes:", "Commands:", a file of ours being written
    REMOVED = "removed"  # one job that goes away
    CHANGE = "change"  # one option of the installed job that the install changes
    CODE = "code"  # a diff, a new entry or a file's content, highlighted as `syntax`
    COMMAND = "command"
    NOTE = "note"


@dataclass(frozen=True)
class PlanSection:
    kind: SectionKind
    text: str
    syntax: str | None = None  # for CODE: "diff", "bash", "xml"
    label: str = ""  # for CODE: what it is, for a face that names it ("Diff", "New entry", "Content")
    danger: bool = False  # what goes away: a face may show it in an alarming colour


def plan_sections(plan: ChangePlan) -> list[PlanSection]:
    """A file that exists is shown as a diff; a new one as its whole new entry (secrets masked)."""
    sections = [
        PlanSection(
            SectionKind.TITLE, f"{plan.method}: {plan.action}" + ("" if plan.changes else " (no change)")
        )
    ]
    if plan.path is not None:
        sections.append(PlanSection(SectionKind.FILE, f"file: {plan.path}"))
    changes = plan_option_changes(plan)
    if changes:
        sections.append(PlanSection(SectionKind.HEADING, "Options that change:"))
        sections += [PlanSection(SectionKind.CHANGE, change) for change in changes]
    if plan.removed:
        sections.append(PlanSection(SectionKind.HEADING, "Removes:", danger=True))
        sections += [
            PlanSection(
                SectionKind.REMOVED,
                f"{job.location}: {job.expression}  {job.command}" + ("" if job.managed else "  (legacy)"),
            )
            for job in plan.removed
        ]
    if plan.before is not None and plan.diff:
        sections.append(PlanSection(SectionKind.CODE, plan.diff.rstrip("\n"), "diff", "Diff"))
    elif plan.new_entry is not None:
        sections.append(
            PlanSection(SectionKind.CODE, plan.new_entry.rstrip("\n"), plan.entry_syntax, "New entry")
        )
    for change in plan.files:
        if change.changes:
            sections.append(PlanSection(SectionKind.HEADING, change.title))
            if change.shown:
                sections.append(PlanSection(SectionKind.CODE, change.shown.rstrip("\n"), "bash", "Content"))
    if plan.commands:
        sections.append(PlanSection(SectionKind.HEADING, "Commands:"))
        sections += [PlanSection(SectionKind.COMMAND, command) for command in plan.commands]
    sections += [PlanSection(SectionKind.NOTE, note) for note in plan.notes]
    return sections


def plan_option_changes(plan: ChangePlan) -> list[str]:
    """For an install: each option of the job it replaces that it changes ("timeout: 600 s → none")."""
    if plan.action is not PlanAction.INSTALL or plan.job is None:
        return []
    return option_changes(plan.replaces, plan.job)
