"""How a systemd plan reads to people: the diff of each unit, both units in full, the systemctl calls in
order, what is left after our job goes, and the one-line result."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import NamedTuple

from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import ChangePlan, PlanAction
from prompt_alchemy_scheduler_tui.backends.secret_masking import mask_text, mask_value
from prompt_alchemy_scheduler_tui.backends.systemctl import Systemctl
from prompt_alchemy_scheduler_tui.backends.systemd_state import UnitFiles
from prompt_alchemy_scheduler_tui.backends.systemd_units import (
    TIMER_NAME,
    ServiceParts,
    UnitKind,
    classify,
    parse_env_file,
    parse_service,
    parse_timer,
)
from prompt_alchemy_scheduler_tui.backends.text_diff import unified_diff


class UnitPaths(NamedTuple):
    service: Path
    timer: Path


def units_diff(paths: UnitPaths, current: UnitFiles, wanted: UnitFiles) -> str:
    """A unified diff per unit that changes (secrets masked); "" when no unit exists yet."""
    if current.units is None:
        return ""
    return "".join(
        unified_diff(before, after, name=str(path))
        for path, before, after in (
            (paths.service, current.service, wanted.service),
            (paths.timer, current.timer, wanted.timer),
        )
        if before != after
    )


def shown_units(paths: UnitPaths, files: UnitFiles) -> str:
    """Both units in full, each under a `# <path>` line."""
    return "\n".join(
        f"# {path}\n{shown_text(mask_text(text))}"
        for path, text in ((paths.service, files.service), (paths.timer, files.timer))
        if text is not None
    )


def install_commands(current: UnitFiles, wanted: UnitFiles) -> tuple[str, ...]:
    """Stop our timer and clear its stamp when its schedule changes (see systemd_backend), reload when a
    unit changes, then enable and start the timer."""
    commands = []
    if classify(current.timer, parse_timer) is UnitKind.OURS and current.timer != wanted.timer:
        commands += [
            Systemctl.shown("stop", TIMER_NAME),
            Systemctl.shown("clean", "--what=state", TIMER_NAME),
        ]
    if current.units != wanted.units:
        commands.append(Systemctl.shown("daemon-reload"))
    commands.append(Systemctl.shown("enable", "--now", TIMER_NAME))
    return tuple(commands)


def removal_commands(paths: UnitPaths, current: UnitFiles, wanted: UnitFiles) -> tuple[str, ...]:
    """Disable and stop our timer, clear its stamp, remove our units, reload."""
    commands = []
    if classify(current.timer, parse_timer) is UnitKind.OURS:
        commands += [
            Systemctl.shown("disable", "--now", TIMER_NAME),
            Systemctl.shown("clean", "--what=state", TIMER_NAME),
        ]
    removed = [
        path
        for path, before, after in (
            (paths.service, current.service, wanted.service),
            (paths.timer, current.timer, wanted.timer),
        )
        if before is not None and after is None
    ]
    if removed:
        commands += [shlex.join(["rm", str(path)]) for path in removed]
        commands.append(Systemctl.shown("daemon-reload"))
    return tuple(commands)


def without_ours(current: UnitFiles) -> UnitFiles:
    """What is left after our job goes: units that are not ours stay, the environment file goes with
    our service."""
    service_ours = classify(current.service, parse_service) is UnitKind.OURS
    timer_ours = classify(current.timer, parse_timer) is UnitKind.OURS
    return UnitFiles(
        None if service_ours else current.service,
        None if timer_ours else current.timer,
        None if service_ours else current.environment,
    )


def shown_command(parts: ServiceParts, environment: str | None) -> str:
    """The job as a listing shows it: its variables (secrets masked), its argv, its time limit."""
    variables = parse_env_file(environment) if environment is not None and parts.env_file else None
    shown = [f"{name}={mask_value(name, value)}" for name, value in variables or ()]
    command = shlex.join(parts.argv)
    if parts.timeout_seconds is not None:
        command += f" (TimeoutStartSec={parts.timeout_seconds})"
    return shown_text(mask_text(" ".join([*shown, command])))


def done_message(plan: ChangePlan, timer: Path, backup: Path | None, notes: list[str]) -> str:
    done = {
        PlanAction.INSTALL: f"Installed the systemd timer ({timer}) and started it.",
        PlanAction.UNINSTALL: f"Removed the systemd job ({timer}).",
        PlanAction.RESTORE: f"Restored the systemd units ({timer}).",
    }[plan.action]
    if plan.action is PlanAction.RESTORE and plan.after is None:
        done = f"Removed the systemd job ({timer}), as the backup was taken before it existed."
    saved = f" Previous units saved to {backup}." if backup else ""
    return done + saved + "".join(f" {note}" for note in notes)
