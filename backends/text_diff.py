"""A unified diff of two versions of a file, for people to read before anything is written."""

from __future__ import annotations

import difflib

from prompt_alchemy_scheduler_tui.backends.crontab_text import split_lines
from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text
from prompt_alchemy_scheduler_tui.backends.secret_masking import mask_text


def unified_diff(before: str | None, after: str | None, name: str = "crontab") -> str:
    """A unified diff, `(none)`/`(removed)` standing for a file that does not exist; secrets masked and
    control characters made visible (it is for people to read, never to apply).

    Lines are split at `\\n` only, as cron and launchd read them (see backends.crontab_text).
    """
    diff = difflib.unified_diff(
        split_lines(before),
        split_lines(after),
        fromfile=f"{name} (current)" if before is not None else f"{name} (none)",
        tofile=f"{name} (new)" if after is not None else f"{name} (removed)",
    )
    return "".join(
        shown_text(mask_text(line, crontab_lines=True))
        + ("" if line.endswith("\n") else "\n\\ No newline at end of file\n")
        for line in diff
    )
