"""Whether the user had an empty crontab before our entry was added, so uninstall can give it back.

`crontab -l` cannot tell "no crontab" from "our line only" once our line is there, and an existing
empty crontab is not the same as none (`crontab -l` exits 0 rather than 1). The answer is remembered
when our entry is first added, in one small file per crontab owner.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.private_files import make_private_directory

_EMPTY = "empty\n"


class CrontabOrigin:
    def __init__(self, directory: Path, owner: str | None) -> None:
        self.path = directory / (f"crontab-{owner}-origin" if owner else "crontab-origin")

    def was_empty(self) -> bool:
        """True when the crontab existed, empty, before our entry was first added."""
        try:
            return self.path.read_text() == _EMPTY
        except (OSError, UnicodeDecodeError):
            return False

    def remember(self, before: str | None) -> None:
        """Called as our entry is first added to `before`; an unwritable state only loses this nicety."""
        with contextlib.suppress(OSError):
            if before == "":
                make_private_directory(self.path.parent)
                self.path.write_text(_EMPTY)
            else:
                self.path.unlink(missing_ok=True)

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
