"""What the crontab looked like around our entry before it was added, so uninstall gives it back.

`crontab -l` cannot tell "no crontab" from "our line only" once our line is there, and an existing
empty crontab is not the same as none (`crontab -l` exits 0 rather than 1). Likewise a crontab whose
last line (a comment: Debian's crontab accepts that) had no newline gets one before our line. Both are
remembered when our entry is first added, in one small file per crontab owner.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.private_files import make_private_directory, read_regular_file

_EMPTY = "empty\n"
_NO_FINAL_NEWLINE = "no-final-newline\n"


class CrontabOrigin:
    def __init__(self, directory: Path, owner: str | None) -> None:
        self.path = directory / (f"crontab-{owner}-origin" if owner else "crontab-origin")

    def was_empty(self) -> bool:
        """True when the crontab existed, empty, before our entry was first added."""
        return self._read() == _EMPTY

    def lacked_final_newline(self) -> bool:
        """True when the crontab's last line had no newline before our entry was first added."""
        return self._read() == _NO_FINAL_NEWLINE

    def _read(self) -> str:
        try:
            return (read_regular_file(self.path) or b"").decode("ascii", errors="replace")
        except OSError:
            return ""

    def remember(self, before: str | None) -> None:
        """Called as our entry is first added to `before`; an unwritable state only loses this nicety."""
        with contextlib.suppress(OSError):
            if before == "" or (before and not before.endswith("\n")):
                make_private_directory(self.path.parent)
                self.path.write_text(_EMPTY if before == "" else _NO_FINAL_NEWLINE)
            else:
                self.path.unlink(missing_ok=True)

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
