"""What this machine offers: OS, the auto method and why, cron daemon, launchctl, binary and config."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from prompt_alchemy_scheduler_tui.backends.path_discovery import PathCheck, PathStatus
from prompt_alchemy_scheduler_tui.backends.platform_detect import PlatformInfo

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
        self.update(Text("detecting…", style="dim"))

    def show(self, info: PlatformInfo, binary: PathCheck, config: PathCheck) -> None:
        text = Text()
        text.append("OS ", style="bold").append(f"{info.os_name}\n")
        text.append("auto ", style="bold")
        if info.auto_method:
            text.append(info.auto_method, style="green")
        else:
            text.append("no scheduler", style="red")
        text.append(f" — {info.auto_reason}\n", style="dim")
        text.append("cron daemon ", style="bold")
        if info.crontab_path is None:
            text.append("cron not installed\n", style="yellow")
        elif info.cron_daemon_running:
            text.append("running\n", style="green")
        elif info.cron_daemon_running is None:
            text.append("unknown\n", style="yellow")
        else:
            text.append("not running: cron jobs will not fire\n", style="red")
        text.append("launchctl ", style="bold")
        text.append(
            f"{info.launchctl_path}\n" if info.launchctl_path else "not available (macOS only)\n",
            style="dim" if not info.launchctl_path else "",
        )
        for check in (binary, config):
            text.append(f"{check.kind} ", style="bold").append(str(check.path))
            text.append(f" ({check.status.value})", style=_STYLE[check.status])
            if check.hint and check.status is not PathStatus.FOUND:
                text.append(f"\n  {check.hint}", style="dim")
            text.append("\n")
        text.rstrip()
        self.update(text)
