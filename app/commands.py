"""Every screen action in Textual's command palette (Ctrl+P)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from prompt_alchemy_scheduler_tui.backends.scheduler_backend import method_names

# (palette name, action on the main screen, help)
ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Install the nightly job", "install", "Show what will be written, then install on Enter"),
    ("Dry run", "dry_run", "Show exactly what would be written; change nothing"),
    (
        "Uninstall every prompt-alchemy nightly job",
        "uninstall",
        f"From {method_names()}, after confirmation",
    ),
    ("Run the job now", "run_now", "Run the exact command, output to the log files"),
    ("Cancel the run", "cancel_run", "Stop the job started with run now, and all it started"),
    ("Restore a backup", "restore", "Put back what a change replaced (a crontab, a plist)"),
    ("Refresh", "refresh", "Detect the platform again and reload jobs and logs"),
    ("Edit the schedule", "edit", "Focus the cron expression"),
    ("Go to the logs", "logs", "Focus a log pane (again: the next one); its keys then act on it"),
    ("Search the logs", "search_logs", "Search the focused log pane, or the first one"),
    (
        "Job options",
        "options",
        "Environment variables, timeout, open files, binary, config and logs of the job",
    ),
)


class SchedulerCommands(Provider):
    async def discover(self) -> Hits:
        for name, action, help_text in self._offered():
            yield DiscoveryHit(name, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self._offered():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action), help=help_text)

    def _offered(self) -> list[tuple[str, str, str]]:
        """The actions the screen offers now, as its footer does (cancel only while a run is going)."""
        return [entry for entry in ACTIONS if self.screen.check_action(entry[1], ())]

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)
