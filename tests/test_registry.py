"""One registry of schedulers: the faces iterate it and never name a scheduler themselves."""

from __future__ import annotations

import ast
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.platform_detect import method_choices
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import Method, Scheduler
from prompt_alchemy_scheduler_tui.backends.scheduler_registry import (
    REGISTRY,
    SchedulerOptions,
    build_schedulers,
)

ROOT = Path(__file__).resolve().parent.parent
NAMES = {method.value for method in Method}


def test_every_method_has_exactly_one_registered_scheduler() -> None:
    assert list(REGISTRY) == list(Method)
    units = build_schedulers(SchedulerOptions(system="Linux"))
    assert [unit.method for unit in units] == list(Method)
    for unit in units:
        assert isinstance(unit, Scheduler)
        assert unit.help_text.startswith(f"{unit.method}: ")
    assert method_choices() == ("auto", *(method.value for method in Method))  # in registry order


def test_no_face_names_a_scheduler() -> None:
    """A new scheduler is new backend modules plus a registry line: app/ and widgets/ stay as they are."""
    offences = []
    for path in sorted([*(ROOT / "app").glob("*.py"), *(ROOT / "widgets").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in NAMES:
                offences.append(f"{path.name}:{node.lineno} the string {node.value!r}")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "Method"
            ):
                offences.append(f"{path.name}:{node.lineno} Method.{node.attr}")
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and any(part in node.module for part in ("cron_backend", "launchd", "crontab_"))
            ):
                offences.append(f"{path.name}:{node.lineno} imports {node.module}")
    assert offences == []


def test_explain_json_has_a_member_for_each_scheduler_with_its_own_form() -> None:
    from prompt_alchemy_scheduler_tui.backends.explain_views import explain_everything
    from prompt_alchemy_scheduler_tui.backends.schedule import Schedule

    units = build_schedulers(SchedulerOptions(system="Darwin"))
    schedule = Schedule("30 4 1,15 * 5")
    data = explain_everything(schedule, schedule.explain(count=1), units).to_json()
    forms = {unit.method.value for unit in units if unit.schedule_form(schedule.parsed) is not None}
    assert forms <= set(data) and data["launchd"]["count"] == 2
