"""The last N lines of a file, read backwards in blocks: cost follows N and line length, not file size.

Line length is bounded too: a planted sparse file of a terabyte of NUL bytes is one endless "line", so
reading stops after MAX_SCAN_BYTES and that line is shown by the part that was read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.log_safety import open_log_for_reading

BLOCK_SIZE = 64 * 1024
MAX_LINE_BYTES = 8 * 1024
MAX_LINES = 10_000
MAX_SCAN_BYTES = 64 * 1024 * 1024  # about a tenth of a second of reading; far more than any real line
UNREAD_START = "[… earlier bytes of this line not read] "
_CONTROLS = {code: 0x2400 + code for code in range(32) if code != 9}  # shown as U+2400 "control pictures"
_CONTROLS[127] = 0x2421
# C1 controls (U+0080-U+009F, e.g. U+009B, a one-character CSI) are escape sequences to some terminals
# (ECMA-48); surrogates are what os.fsdecode makes of a file name's undecodable bytes.
_CONTROLS.update({code: 0xFFFD for code in range(0x80, 0xA0)})
_UNSAFE_TEXT = {**_CONTROLS, 9: 0x2409, **{code: 0xFFFD for code in range(0xD800, 0xE000)}}
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]|\xc2[\x80-\x9f]")


@dataclass(frozen=True)
class LogChunk:
    """Lines ready to show; `cut_lines` counts lines longer than the cap (each says so at its end)."""

    lines: tuple[str, ...]
    cut_lines: int
    end_offset: int  # the file size read up to: following continues from here


def last_lines(
    path: Path,
    count: int,
    *,
    block_size: int = BLOCK_SIZE,
    max_line_bytes: int = MAX_LINE_BYTES,
    max_scan_bytes: int = MAX_SCAN_BYTES,
) -> LogChunk:
    """The last `count` lines (at most MAX_LINES), from at most the last `max_scan_bytes` of the file.

    Raises OSError if the file cannot be read, UnsafeLogError (an OSError) if it is not a regular file.
    """
    count = min(count, MAX_LINES)
    with open_log_for_reading(path) as handle:
        end = os.fstat(handle.fileno()).st_size
        if count <= 0 or end == 0:
            return LogChunk((), 0, end)
        found: list[
            tuple[bytes, int, bool]
        ] = []  # (head of line, bytes not kept, start unread), newest first
        partial, dropped = b"", 0
        position = end
        skip_final_newline = True
        while position > 0 and len(found) < count and end - position < max_scan_bytes:
            size = min(block_size, position)
            position -= size
            handle.seek(position)
            block = handle.read(size)
            if skip_final_newline:
                skip_final_newline = False
                if block.endswith(b"\n"):
                    block = block[:-1]
            pieces = block.split(b"\n")
            for index in range(len(pieces) - 1, -1, -1):
                partial, dropped = _prepend(pieces[index], partial, dropped, max_line_bytes)
                if index > 0:  # a newline precedes this piece: the line is complete
                    found.append((partial, dropped, False))
                    partial, dropped = b"", 0
                    if len(found) == count:
                        break
        if len(found) < count and (position == 0 or partial):
            # The file's first line has no newline before it; past the scan limit, a line's start is unread.
            found.append((partial, dropped, position > 0))
    lines = tuple(
        (UNREAD_START if unread else "") + render_line(head, cut) for head, cut, unread in reversed(found)
    )
    return LogChunk(lines, sum(1 for _, cut, unread in found if cut or unread), end)


def _prepend(piece: bytes, partial: bytes, dropped: int, cap: int) -> tuple[bytes, int]:
    """Reading backwards, the earlier bytes of a line arrive last: keep its head, count the rest."""
    joined = piece + partial
    if len(joined) <= cap:
        return joined, dropped
    return joined[:cap], dropped + len(joined) - cap


def render_line(raw: bytes, cut: int = 0) -> str:
    """Bytes to a showable line: CR dropped, invalid UTF-8 replaced, control characters made visible
    (C0 and DEL as control pictures, C1 as U+FFFD), so a log cannot send escape sequences to the terminal."""
    raw = raw.removesuffix(b"\r")
    text = raw.decode("utf-8", errors="replace")
    if _CONTROL_BYTES.search(raw):  # translate() is the costly step: only where it is needed
        text = text.translate(_CONTROLS)
    if cut:
        text += f" … [{cut} more bytes of this line not shown]"
    return text


def visible(text: str) -> str:
    """Text from outside, such as a planted file's name or a link's target, made safe to show.

    A file name may hold any byte but NUL and "/": an ESC sequence that retitles or clears the terminal,
    a newline that fakes a `==> file <==` header, bytes that are not UTF-8 (a strict stdout fails on
    them). Control characters become pictures as in `render_line`, the rest U+FFFD.
    """
    return text if text.isprintable() else text.translate(_UNSAFE_TEXT)
