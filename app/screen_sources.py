"""Where the main screen gets its world from: the scheduling service, the clock, the log directory and
the binary and config. The app passes the real ones; tests and the screenshot script pass fixed ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from prompt_alchemy_scheduler_tui.backends.log_files import LOG_DIRECTORY
from prompt_alchemy_scheduler_tui.backends.path_discovery import PathCheck, find_binary, find_config
from prompt_alchemy_scheduler_tui.backends.time_zone import local_zone

if TYPE_CHECKING:
    from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService

ServiceFactory = Callable[[], "SchedulingService"]


@dataclass(frozen=True)
class ScreenSources:
    service_factory: ServiceFactory
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(local_zone()))
    log_directory: Path = LOG_DIRECTORY
    find_paths: Callable[[], tuple[PathCheck, PathCheck]] = field(
        default=lambda: (find_binary(), find_config())
    )
    # The binary and config given on the command line (--binary, --config): they replace the installed
    # job's, where `find_paths` only replaces what is found when nothing is installed.
    chosen_paths: tuple[str | None, str | None] = (None, None)
