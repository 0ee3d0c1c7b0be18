"""Follow a log file as `tail -F` does: appends, truncation, rotation, deletion and re-creation.

Polling, not OS notification: one stat() per interval (default 0.1 s) while the file is idle, which
costs next to nothing and works the same on Linux and macOS; appended lines arrive within 0.3 s.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.log_files import safety_warnings
from prompt_alchemy_scheduler_tui.backends.log_safety import file_kind, open_log_for_reading
from prompt_alchemy_scheduler_tui.backends.log_tail import MAX_LINE_BYTES, render_line

POLL_INTERVAL = 0.1
MAX_READ_PER_POLL = 1024 * 1024  # a burst larger than this is read over several polls


class FollowEventKind(Enum):
    LINES = "lines"
    TRUNCATED = "truncated"
    ROTATED = "rotated"
    DELETED = "deleted"
    APPEARED = "appeared"
    WARNING = "warning"


@dataclass(frozen=True)
class FollowEvent:
    kind: FollowEventKind
    path: Path
    lines: tuple[str, ...] = ()
    message: str = ""


class LogFollower:
    """Non-blocking follower: call `poll()` as often as you like; `follow()` loops with sleeps."""

    def __init__(self, path: Path, start_offset: int | None = None) -> None:
        self.path = path
        self._identity: tuple[int, int, int] | None = None
        self._offset = 0
        self._pending = b""
        self._pending_cut = 0
        try:
            info = path.stat()
            self._identity = _identity(info)
            self._offset = info.st_size if start_offset is None else start_offset
        except OSError:
            self._identity = None

    def poll(self) -> list[FollowEvent]:
        events: list[FollowEvent] = []
        try:
            info = self.path.stat()
        except OSError:
            if self._identity is not None:
                self._identity = None
                self._pending = b""
                events.append(
                    FollowEvent(
                        FollowEventKind.DELETED,
                        self.path,
                        message=f"{self.path} was deleted; waiting for it to reappear.",
                    )
                )
            return events
        identity = _identity(info)
        if identity != self._identity:
            kind = FollowEventKind.APPEARED if self._identity is None else FollowEventKind.ROTATED
            verb = (
                "appeared"
                if kind is FollowEventKind.APPEARED
                else "was replaced by a new file (rotated); reading it from the start"
            )
            events.append(FollowEvent(kind, self.path, message=f"{self.path} {verb}."))
            events += [
                FollowEvent(FollowEventKind.WARNING, self.path, message=w) for w in safety_warnings(self.path)
            ]
            if not stat.S_ISREG(info.st_mode):
                message = f"{self.path} is {file_kind(info.st_mode)}, not a log file: not opened"
                events.append(FollowEvent(FollowEventKind.WARNING, self.path, message=message))
            self._identity, self._offset, self._pending = identity, 0, b""
        elif info.st_size < self._offset:
            events.append(
                FollowEvent(
                    FollowEventKind.TRUNCATED,
                    self.path,
                    message=f"{self.path} was truncated; reading from its new beginning.",
                )
            )
            self._offset, self._pending = 0, b""
        if info.st_size > self._offset and stat.S_ISREG(info.st_mode):
            lines = self._read_new(info.st_size)
            if lines:
                events.append(FollowEvent(FollowEventKind.LINES, self.path, lines=lines))
        return events

    def follow(self, stop: threading.Event, interval: float = POLL_INTERVAL) -> Iterator[FollowEvent]:
        """Events until `stop` is set; sleeps `interval` between polls (no busy loop)."""
        while not stop.is_set():
            yield from self.poll()
            stop.wait(interval)

    def _read_new(self, size: int) -> tuple[str, ...]:
        try:
            with open_log_for_reading(self.path) as handle:  # never a FIFO or device, even if swapped in
                handle.seek(self._offset)
                data = handle.read(min(size - self._offset, MAX_READ_PER_POLL))
        except OSError:
            return ()
        self._offset += len(data)
        pieces = (self._pending + data).split(b"\n")
        tail = pieces.pop()
        lines = []
        for piece in pieces:
            lines.append(_capped(piece, self._pending_cut))
            self._pending_cut = 0
        # A partial last line waits for its newline; a runaway one is capped, the excess counted.
        if len(tail) > MAX_LINE_BYTES:
            self._pending_cut += len(tail) - MAX_LINE_BYTES
            tail = tail[:MAX_LINE_BYTES]
        self._pending = tail
        return tuple(lines)


def _identity(info: os.stat_result) -> tuple[int, int, int]:
    """Device, inode and file type: a FIFO that reuses a deleted log's inode number is a new file."""
    return info.st_dev, info.st_ino, stat.S_IFMT(info.st_mode)


def _capped(raw: bytes, already_cut: int) -> str:
    cut = already_cut + max(0, len(raw) - MAX_LINE_BYTES)
    return render_line(raw[:MAX_LINE_BYTES], cut)


def follow_many(
    followers: list[LogFollower],
    on_event: Callable[[FollowEvent], None],
    stop: threading.Event,
    interval: float = POLL_INTERVAL,
) -> None:
    """Follow several files in one loop until `stop` is set (the CLI's `logs -f`)."""
    while not stop.is_set():
        for follower in followers:
            for event in follower.poll():
                on_event(event)
        stop.wait(interval)
