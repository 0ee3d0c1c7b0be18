"""Files this tool keeps for the user: where they live, and how they are written whole or not at all.

Everything lives under the user's state directory (platformdirs: `~/.local/state/...` on Linux,
`~/Library/Application Support/...` on macOS), in a directory only the user can enter.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from platformdirs import user_state_dir

APP_NAME = "prompt-alchemy-scheduler-tui"


def state_directory() -> Path:
    """This tool's state directory (not created here)."""
    return Path(user_state_dir(APP_NAME))


def make_private_directory(path: Path) -> None:
    """Create `path` (and parents) with mode 0700 for the last part; an existing one is left as it is."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


def write_atomically(path: Path, content: bytes, mode: int, owner: tuple[int, int] | None = None) -> None:
    """Write a temporary file beside `path` with `mode`, flush it to disk, then rename it into place.

    `owner` (uid, gid) is for root writing a file another user's job reads. Readers see the old file
    or the whole new one, never a part: a full disk or a crash leaves the old
    file untouched (the temporary file is removed) and raises OSError.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(descriptor, mode)
        if owner is not None:
            os.fchown(descriptor, *owner)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
