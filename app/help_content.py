"""What the help screen lists: the main screen's keys in the footer's order, a log pane's keys, and
where this tool writes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.binding import Binding, BindingType

from prompt_alchemy_scheduler_tui.backends.private_files import state_directory
from prompt_alchemy_scheduler_tui.widgets.help_screen import HelpScreen
from prompt_alchemy_scheduler_tui.widgets.log_pane import LogPane

_NAMES = {
    "question_mark": "?",
    "escape": "Esc",
    "f5": "F5",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}


def help_screen_for(
    bindings: Sequence[BindingType], log_directory: Path, backups: Sequence[tuple[str, Path]]
) -> HelpScreen:
    keys = [(key_name(binding.key.split(",")[0]), binding.description) for binding in help_bindings(bindings)]
    keys += [("Ctrl+P", "command palette: every action, and the theme"), ("Tab", "move between panels")]
    pane_keys = [
        (key_name(binding.key), binding.tooltip)
        for binding in LogPane.BINDINGS
        if isinstance(binding, Binding) and binding.tooltip
    ]
    files = [
        (str(log_directory), "the job's logs"),
        (
            str(state_directory()),
            "this tool's state: backups, the job's private environment file, the lock, the run recorder and "
            "its records (runs/)",
        ),
        *((str(directory), f"{method} backups") for method, directory in backups),
    ]
    return HelpScreen(keys, pane_keys, files)


def help_bindings(bindings: Sequence[BindingType]) -> list[Binding]:
    """The keys in the footer's order, except that leaving the editor comes right after editing."""
    keys = [binding for binding in bindings if isinstance(binding, Binding) and binding.description]
    leave = [binding for binding in keys if binding.action == "leave_editor"]
    keys = [binding for binding in keys if binding not in leave]
    edit = next(i for i, binding in enumerate(keys) if binding.action == "edit")
    return [*keys[: edit + 1], *leave, *keys[edit + 1 :]]


def key_name(key: str) -> str:
    """A binding's key as people write it: `?`, `Esc`, `F5`."""
    return _NAMES.get(key, key)
