"""Characters that must never reach a one-line crontab entry, a plist string or a terminal unseen.

Python's `str.splitlines()` breaks lines at `\\v \\f \\x1c \\x1d \\x1e`, NEL and U+2028/2029 as well as
`\\n`; cron breaks only at `\\n` (Debian cron's `get_string()` in misc.c reads up to `\\n`). A value that
holds any of them would be read back as a different number of lines by one side or the other, so
every value that goes into an entry (paths, environment values, schedule fields) refuses them, and
bidirectional overrides, which make a terminal show text other than what is stored.
"""

from __future__ import annotations

import unicodedata

# Unicode categories: Cc = C0/C1 controls and DEL (NEL is U+0085), Zl/Zp = U+2028/U+2029.
_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})
# Bidirectional embeddings, overrides and isolates (Unicode TR9): they reorder what a terminal shows.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def unsafe_character(text: str, *, allow_tab: bool = False) -> str | None:
    """The first character of `text` that a one-line value must not hold, or None when it is clean."""
    for character in text:
        if allow_tab and character == "\t":
            continue
        if unicodedata.category(character) in _REFUSED_CATEGORIES or character in _BIDI_CONTROLS:
            return character
    return None


def describe_character(character: str) -> str:
    """`U+000B (LINE TABULATION)`: a character named so a person can find it."""
    name = unicodedata.name(character, "") or _CONTROL_NAMES.get(character, "a control character")
    return f"U+{ord(character):04X} ({name})"


def unsafe_character_message(what: str, text: str, *, allow_tab: bool = False) -> str | None:
    """A complete sentence saying why `text` cannot be used as `what`, or None when it can."""
    character = unsafe_character(text, allow_tab=allow_tab)
    if character is None:
        return None
    return (
        f"{what} contains {describe_character(character)}, a control or line-separator character that "
        "cannot be written into a one-line job entry; remove it."
    )


# unicodedata has no names for most C0/C1 controls; these are the ones people meet.
_CONTROL_NAMES = {
    "\x00": "NUL",
    "\t": "CHARACTER TABULATION",
    "\n": "LINE FEED",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x1c": "INFORMATION SEPARATOR FOUR",
    "\x1d": "INFORMATION SEPARATOR THREE",
    "\x1e": "INFORMATION SEPARATOR TWO",
    "\x1f": "INFORMATION SEPARATOR ONE",
    "\x7f": "DELETE",
    "\x85": "NEXT LINE (NEL)",
}


# Control pictures (U+2400 block) for C0 controls and DEL, U+FFFD for C1 controls, lone surrogates
# (bytes that were not UTF-8) and bidirectional controls; tabs and line feeds are kept.
_SHOWN = {code: 0x2400 + code for code in range(32) if code not in (9, 10)}
_SHOWN[127] = 0x2421
_SHOWN.update({code: 0xFFFD for code in range(0x80, 0xA0)})
_SHOWN.update({code: 0xFFFD for code in range(0xD800, 0xE000)})
_SHOWN.update({ord(character): 0xFFFD for character in _BIDI_CONTROLS})


def shown_text(text: str) -> str:
    """Text from someone else's crontab or plist made safe to print: an escape sequence planted in a
    foreign line must not retitle, clear or recolour the terminal of whoever lists it."""
    return text.translate(_SHOWN)
