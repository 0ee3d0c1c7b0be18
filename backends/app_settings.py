"""Settings the terminal UI keeps between runs (today: the colour theme), in the user's config directory.

A small file of `name=value` lines under platformdirs' user config directory. Reading never fails the
app: a missing, unreadable or odd file simply means "defaults".
"""

from __future__ import annotations

import re
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.private_files import (
    APP_NAME,
    make_private_directory,
    read_regular_file,
    write_atomically,
)

_THEME_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def settings_file() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / "settings"


def saved_theme(path: Path | None = None) -> str | None:
    """The theme chosen last time, or None."""
    try:
        data = read_regular_file(path or settings_file())
    except OSError:
        return None
    for line in (data or b"").decode("utf-8", errors="replace").splitlines():
        name, _, value = line.partition("=")
        if name == "theme" and _THEME_NAME.match(value):
            return value
    return None


def save_theme(theme: str, path: Path | None = None) -> None:
    """Remember `theme`; a theme name that is not a plain word, or a file that cannot be written, is
    skipped (this is a convenience, never a reason to fail)."""
    if not _THEME_NAME.match(theme):
        return
    target = path or settings_file()
    try:
        make_private_directory(target.parent)
        write_atomically(target, f"theme={theme}\n".encode(), 0o600)
    except OSError:
        pass
