"""What typed text may hold before it goes into a one-line crontab entry, a plist or a one-line message.

Every function here returns a problem as a complete sentence, or None, so that each caller raises its
own error type (JobError in the backends, a usage error on the command line) with the same words.
"""

from __future__ import annotations

from prompt_alchemy_scheduler_tui.backends.line_safety import unsafe_character

# Linux: PATH_MAX is 4096 bytes including the terminating NUL, NAME_MAX 255 bytes per component
# (macOS: 1024 and 255). Longer paths fail in stat() with ENAMETOOLONG on every system we run on.
MAX_PATH_BYTES = 4095
MAX_NAME_BYTES = 255

SHOWN_CHARACTERS = 60


def has_undecodable_bytes(text: str) -> bool:
    """True for text holding bytes that were not UTF-8 (Python keeps them as lone surrogates).

    Such text cannot be written to a plist (UTF-8 XML) nor printed on a UTF-8 terminal.
    """
    return any("\ud800" <= character <= "\udfff" for character in text)


def codepoint(character: str) -> str:
    return f"U+{ord(character):04X}"


def shown(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """`text` quoted and escaped for a one-line message, cut to `limit` characters (with the full length)."""
    # repr() escapes every non-printable character (controls, line separators, lone surrogates).
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text)} characters)"


def text_problem(what: str, text: str) -> str | None:
    """Why `text` cannot go on one line (a control character, or bytes that are not UTF-8), or None."""
    control = unsafe_character(text)
    if control is not None:
        return (
            f"{what} contains a control or line-separator character ({codepoint(control)}), which cannot be written on "
            "one line; remove it."
        )
    if has_undecodable_bytes(text):
        return f"{what} is not valid UTF-8; use a name made of UTF-8 characters."
    return None


def path_problem(what: str, text: str) -> str | None:
    """Why `text` cannot be a path we check, store or print (empty, too long, controls...), or None.

    `what` names it for the message ("The binary path"). Lengths are in bytes, as the kernel counts.
    """
    if not text:
        return f"{what} is empty; give a file path."
    problem = text_problem(what, text)
    if problem is not None:
        return problem
    size = len(text.encode("utf-8"))
    if size > MAX_PATH_BYTES:
        return f"{what} is {size} bytes long; at most {MAX_PATH_BYTES} are allowed (the system's PATH_MAX)."
    for part in text.split("/"):
        part_size = len(part.encode("utf-8"))
        if part_size > MAX_NAME_BYTES:
            return (
                f"{what} has a {part_size}-byte component ({shown(part, 20)}); at most {MAX_NAME_BYTES} "
                "bytes are allowed per file or directory name (the system's NAME_MAX)."
            )
    return None
