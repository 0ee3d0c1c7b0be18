"""Short relative times ("in 17 h 49 min") shared by the CLI and the TUI."""

from __future__ import annotations

from datetime import datetime


def until(moment: datetime, now: datetime) -> str:
    """`moment` relative to `now`, to the minute: "in 3 min", "in 17 h 49 min", "in 2 d 4 h", "5 min ago"."""
    seconds = int((moment - now).total_seconds())
    past = seconds < 0
    minutes = (abs(seconds) + (0 if past else 59)) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        text = f"{days} d {hours} h" if hours else f"{days} d"
    elif hours:
        text = f"{hours} h {mins} min" if mins else f"{hours} h"
    else:
        text = f"{mins} min"
    return f"{text} ago" if past else f"in {text}"


def duration(seconds: float) -> str:
    """A running time, to the second under an hour: "7 s", "12 min 5 s", "2 h 3 min"."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"
