"""Exactly what would be written: crontab diff, or plist and launchctl calls. Used for the dry run
(close only) and as the confirmation before install, uninstall and restore (Enter confirms)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from prompt_alchemy_scheduler_tui.backends.plan_presentation import SectionKind, plan_sections
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import ChangePlan

_STYLES = {
    SectionKind.TITLE: "bold",
    SectionKind.FILE: "dim",
    SectionKind.HEADING: "bold",
    SectionKind.REMOVED: "",
    SectionKind.NOTE: "yellow",
}


def render_plan(plan: ChangePlan) -> RenderableType:
    from rich.syntax import Syntax  # pygments costs start-up time; only this dialog needs it

    parts: list[RenderableType] = []
    for section in plan_sections(plan):
        if section.kind is SectionKind.CODE:
            parts.append(Syntax(section.text, section.syntax or "text", theme="ansi_dark", word_wrap=True))
        elif section.kind is SectionKind.COMMAND:
            parts.append(Text(f"  $ {section.text}"))
        elif section.kind is SectionKind.REMOVED:
            parts.append(Text(f"  {section.text}"))
        elif section.kind is SectionKind.CHANGE:
            parts.append(Text(f"  • {section.text}", style="yellow"))
        else:
            style = "bold red" if section.danger else _STYLES[section.kind]
            parts.append(Text(section.text, style=style))
    return Group(*parts)


class PlanScreen(ModalScreen[bool]):
    """Dismissed with True when the user confirms, False otherwise."""

    DEFAULT_CSS = """
    PlanScreen { align: center middle; }
    PlanScreen > Vertical { width: 90%; max-width: 130; height: 90%; border: thick $accent; background: $surface; }
    PlanScreen #title { padding: 0 1; text-style: bold; }
    PlanScreen VerticalScroll { height: 1fr; padding: 0 1; }
    PlanScreen .plan { margin-bottom: 1; }
    PlanScreen Horizontal { height: auto; align: right middle; padding: 0 1; }
    PlanScreen Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("enter", "confirm", "Confirm", show=True),
        Binding("escape", "cancel", "Cancel", show=True),
    ]

    def __init__(self, title: str, plans: list[ChangePlan], confirm_label: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.plans = plans
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical():
            hint = (
                "Enter confirms · Esc cancels"
                if self.confirm_label
                else "Esc closes · nothing has been written"
            )
            yield Static(f"{self.title_text}   [dim]({hint})[/]", id="title")
            with VerticalScroll():
                for plan in self.plans:
                    yield Static(render_plan(plan), classes="plan")
            with Horizontal():
                if self.confirm_label:
                    yield Button(
                        self.confirm_label,
                        variant="error" if "Uninstall" in self.confirm_label else "primary",
                        id="confirm",
                    )
                yield Button("Cancel" if self.confirm_label else "Close", id="cancel")
        yield Footer()  # this dialog's own keys, not the main screen's

    def on_mount(self) -> None:
        self.query_one("#confirm" if self.confirm_label else "#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(bool(self.confirm_label))

    def action_cancel(self) -> None:
        self.dismiss(False)
