"""Results of the screen's workers, posted back to the UI thread as messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from backends.path_discovery import PathCheck
from backends.platform_detect import PlatformInfo
from backends.schedule import ScheduleExplanation
from backends.scheduler_backend import JobListing
from backends.scheduling_service import SchedulingService


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
    listings: list[JobListing]
    now: datetime


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
