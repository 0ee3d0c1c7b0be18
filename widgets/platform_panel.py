"""What this machine offers: OS, the auto method and why, each scheduler's own facts, binary and config."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from prompt_alchemy_scheduler_tui.backends.check_result import CheckResult, CheckStatus
from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text
from prompt_alchemy_scheduler_tui.backends.path_discovery import PathCheck, PathStatus
from prompt_alchemy_scheduler_tui.backends.platform_detect import PlatformInfo
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import Tone

_CHECK_STYLE = {CheckStatus.OK: "green", CheckStatus.WARN: "yellow", CheckStatus.FAIL: "red"}
_TONE = {Tone.OK: "green", Tone.WARN: "yellow", Tone.BAD: "red", Tone.MUTED: "dim", Tone.PLAIN: ""}
_STYLE = {
    PathStatus.FOUND: "green",
    PathStatus.READABLE_BY_OTHERS: "yellow",
    PathStatus.MISSING: "red",
    PathStatus.NOT_EXECUTABLE: "red",
    PathStatus.NOT_READABLE: "red",
    PathStatus.UNCHECKABLE: "red",
}


class PlatformPanel(Static):
    """Renders a PlatformInfo and the binary/config PathChecks; shows "detecting…" until given them."""

    DEFAULT_CSS = """
    PlatformPanel { height: auto; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.border_title = "Platform"
        self._base = Text("detecting…", style="dim")
        self._checks = Text()
        self.update(self._base)

    def show_checks(self, checks: list[CheckResult]) -> None:
        """Will tonight's run work: the preflight's lines under the platform's (problems with their fix)."""
        text = Text()
        for check in checks:
            style = _CHECK_STYLE[check.status]
            mark = {CheckStatus.OK: "✓", CheckStatus.WARN: "⚠", CheckStatus.FAIL: "✗"}[check.status]
            text.append(f"\n{mark} {check.name} ", style=f"bold {style}").append(
                shown_text(check.detail), style=style
            )
            if check.hint and check.status is not CheckStatus.OK:
                text.append(f"\n  {shown_text(check.hint)}", style="dim")
        self._checks = text
        self.update(self._base + self._checks)

    def show(self, info: PlatformInfo, binary: PathCheck, config: PathCheck) -> None:
        text = Text()
        text.append("OS ", style="bold").append(f"{info.os_name}\n")
        text.append("auto ", style="bold")
        if info.auto_method:
            text.append(info.auto_method, style="green")
        else:
            text.append("no scheduler", style="red")
        text.append(f" — {info.auto_reason}\n", style="dim")
        for fact in info.facts:
            text.append(f"{fact.label} ", style="bold").append(f"{fact.value}\n", style=_TONE[fact.tone])
        for check in (binary, config):
            text.append(f"{check.kind} ", style="bold").append(str(check.path))
            text.append(f" ({check.status.value})", style=_STYLE[check.status])
            if check.hint and check.status is not PathStatus.FOUND:
                text.append(f"\n  {check.hint}", style="dim")
            text.append("\n")
        text.rstrip()
        self._base = text
        self.update(self._base + self._checks)
