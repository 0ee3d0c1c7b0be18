"""The job's environment variables live in a private file that the job sources, not on its command line.

Cron runs an entry with `/bin/sh -c "<command>"`, so while the job runs `ps` shows the whole command
line, prefix assignments and all, to every local user. The values therefore go into a mode-0600 file
of `export NAME='value'` lines, and the crontab entry says only `. '<file>' && ...`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.private_files import (
    make_private_directory,
    read_regular_file,
    state_directory,
    write_atomically,
)
from prompt_alchemy_scheduler_tui.backends.secret_masking import mask_value

ENV_FILE_NAME = "nightly.env"
FILE_MODE = 0o600
_HEADER = "# prompt-alchemy-scheduler-tui: environment of the nightly job (sourced by its crontab entry)\n"
_EXPORT = re.compile(r"^export (?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$")

Environment = tuple[tuple[str, str], ...]


def default_env_file() -> Path:
    return state_directory() / ENV_FILE_NAME


def render_env_file(environment: Sequence[tuple[str, str]]) -> str:
    """The file's exact text: a header, then one `export NAME='value'` line per variable."""
    return _HEADER + "".join(f"export {name}={shlex.quote(value)}\n" for name, value in environment)


def shown_env_file(environment: Sequence[tuple[str, str]]) -> str:
    """The file's text as shown to people: the same lines with secret values masked."""
    return _HEADER + "".join(
        f"export {name}={shlex.quote(mask_value(name, value))}\n" for name, value in environment
    )


def parse_env_file(text: str) -> Environment | None:
    """The variables of a file this tool wrote, or None when the text is not in that exact form."""
    if not text.startswith(_HEADER):
        return None
    body = text[len(_HEADER) :]
    if body and not body.endswith("\n"):
        return None
    pairs: list[tuple[str, str]] = []
    for line in body.split("\n")[:-1]:
        match = _EXPORT.match(line)
        if match is None:
            return None
        try:
            words = shlex.split(match["value"])
        except ValueError:
            return None
        if len(words) > 1:
            return None
        pairs.append((match["name"], words[0] if words else ""))
    # Only the exact text this tool writes counts: anything edited by hand is not read as ours.
    return tuple(pairs) if render_env_file(pairs) == text else None


def read_text_file(path: Path) -> str | None:
    """A small file of ours as text, None when it does not exist; OSError for anything else."""
    data = read_regular_file(path)
    return None if data is None else data.decode("utf-8", errors="surrogateescape")


def put_text_file(
    path: Path, text: str | None, mode: int = FILE_MODE, owner: tuple[int, int] | None = None
) -> None:
    """Write `text` whole (atomically, with `mode`, owned by `owner` if given) or, for None, remove it."""
    if text is None:
        path.unlink(missing_ok=True)
        return
    make_private_directory(path.parent, None if owner is None else owner[0])
    write_atomically(path, text.encode("utf-8", errors="surrogateescape"), mode, owner)
