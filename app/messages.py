"""Results of the screen's workers, posted back to the UI thread as messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # field types only: importing them here would load every scheduler at start-up
    from prompt_alchemy_scheduler_tui.app.editor_start import EditorChoice, EditorFollows
    from prompt_alchemy_scheduler_tui.backends.check_result import CheckResult
    from prompt_alchemy_scheduler_tui.backends.health_report import HealthReport
    from prompt_alchemy_scheduler_tui.backends.path_discovery import PathCheck
    from prompt_alchemy_scheduler_tui.backends.platform_detect import PlatformInfo
    from prompt_alchemy_scheduler_tui.backends.run_now import RunningJob
    from prompt_alchemy_scheduler_tui.backends.schedule import ScheduleExplanation
    from prompt_alchemy_scheduler_tui.backends.scheduler_backend import JobListing
    from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService


@dataclass
class ServiceReady(Message):
    service: SchedulingService
    binary: PathCheck
    config: PathCheck


@dataclass
class PlatformLoaded(Message):
    info: PlatformInfo
    binary: PathCheck
    config: PathCheck


@dataclass
class JobsLoaded(Message):
    """The listings, and the editor's values for the installed job (`start`; `warning` when its options
    could not be read back); `editor` says how the editor meets them (see EditorFollows)."""

    listings: list[JobListing]
    now: datetime
    start: EditorChoice
    warning: str | None = None
    editor: EditorFollows = "follow"
    report: HealthReport | None = None  # the installed job's runs and health
    checks: list[CheckResult] | None = None  # will tonight's run work (the preflight)
    # Which listing this is: listings are numbered as they start, and one that started before the one
    # shown is stale (workers run side by side: a refresh racing an install's reload answers last).
    stamp: int = 0


@dataclass
class PreviewReady(Message):
    """Only the newest preview matters: a newer one replaces a queued older one."""

    explanation: ScheduleExplanation
    method: str
    now: datetime

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PreviewReady)


@dataclass
class BackendFailed(Message):
    """Any backend error: shown once, as a notification, by the screen."""

    message: str


@dataclass
class RunStarted(Message):
    """The end of an attempt to start "run now": the started run, or None when it did not start (the
    reason has been shown already)."""

    running: RunningJob | None
