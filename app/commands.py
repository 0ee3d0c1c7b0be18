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
    ("Restore a backup", "restore", "Put back what a change replaced (a crontab, a plist)"),
    ("Refresh", "refresh", "Detect the platform again and reload jobs and logs"),
    ("Edit the schedule", "edit", "Focus the cron expression"),
    (
        "Job options",
        "options",
        "Environment variables, timeout, open files, binary, config and logs of the job",
    ),
)


class SchedulerCommands(Provider):
    async def discover(self) -> Hits:
        for name, action, help_text in ACTIONS:
            yield DiscoveryHit(name, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action), help=help_text)

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)
