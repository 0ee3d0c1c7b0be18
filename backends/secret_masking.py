"""What counts as a secret, and how it is masked wherever a person or a log could see it.

Secrets are recognised by name (`OPENAI_API_KEY`, `DB_PASSWORD`) and by the shape of the value, since
`DATABASE_URL=postgres://u:hunter2@db/app` carries a password under an innocent name: URLs with a
password, provider-style keys (`sk-...`, `ghp_...`, `xoxb-...`, `AKIA...`) and long random tokens.
"""

from __future__ import annotations

import math
import re
from collections import Counter

MASK = "…"
_SECRET_NAME_WORDS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASS", "PWD", "CREDENTIAL", "AUTH")
# The dead man's switch URL after the recorder's --ping (a word, quoted or not): whoever has it can
# report the job healthy (Healthchecks.io's check URLs are their only credential), so only its host shows.
_PING_URL = re.compile(r"(?P<head>--ping(?:'?\s+'?|</string>\s*<string>)https?://[^/\s'<]+/)[^\s'<]+")
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*:)(?P<password>[^\s@/]+)(?=@)")
_KEY_PREFIX = re.compile(
    r"\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}|\b(?:ghp|gho|ghs|ghu|github_pat|glpat|xox[abpors])[_-][A-Za-z0-9_-]{8,}"
    r"|\bAKIA[0-9A-Z]{12,}|\bAIza[0-9A-Za-z_-]{20,}"
)
_TOKEN_CANDIDATE = re.compile(r"(?<![A-Za-z0-9+_-])[A-Za-z0-9+_-]{24,}={0,2}")
# A crontab's own NAME = value line (crontab(5): blanks around `=`, the value runs to the end of the
# line), possibly behind a diff's "+", "-" or " " column.
_ENV_LINE = re.compile(
    r"(?m)^(?P<head>[-+ ]?[ \t]*(?P<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*)(?P<value>[^\n]+)$"
)
_HEX_LOWER = re.compile(r"[0-9a-f]+")
_HEX_UPPER = re.compile(r"[0-9A-F]+")
_ASSIGNMENT = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>'(?:[^']|'\"'\"')*'|\"[^\"]*\"|[^\s'\"]*)"
)


def is_secret_name(name: str) -> bool:
    """True when a variable's name says it holds a credential (API_KEY, TOKEN, PASSWORD, ...)."""
    upper = name.upper()
    return any(word in upper for word in _SECRET_NAME_WORDS)


def is_secret_value(value: str) -> bool:
    """True when the value looks like a credential whatever its name."""
    return bool(
        _URL_PASSWORD.search(value)
        or _KEY_PREFIX.search(value)
        or any(_looks_random(match.group(0)) for match in _TOKEN_CANDIDATE.finditer(value))
    )


def is_secret(name: str, value: str) -> bool:
    return is_secret_name(name) or is_secret_value(value)


def mask_value(name: str, value: str) -> str:
    """The value to show: a secret is masked whole (a URL keeps everything but its password)."""
    if not value:
        return value
    if is_secret_name(name):
        return MASK
    return mask_text(value)


def mask_text(text: str, *, crontab_lines: bool = False) -> str:
    """`text` with every secret in it masked: NAME=value assignments, URL passwords, keys, tokens.

    For free text shown to people: diffs, crontab lines (ours and other people's), errors. With
    `crontab_lines`, the text is whole crontab lines (a diff of a crontab), where `NAME = value` at the
    start of a line sets a variable to the rest of the line (crontab(5)).
    """

    def assignment(match: re.Match[str]) -> str:
        return f"{match['name']}={MASK}" if is_secret_name(match["name"]) and match["value"] else match[0]

    def env_line(match: re.Match[str]) -> str:
        return match["head"] + MASK if is_secret_name(match["name"]) else match[0]

    masked = _ENV_LINE.sub(env_line, text) if crontab_lines else text
    masked = _PING_URL.sub(lambda match: match["head"] + MASK, masked)
    masked = _ASSIGNMENT.sub(assignment, masked)
    masked = _URL_PASSWORD.sub(lambda match: match["head"] + MASK, masked)
    masked = _KEY_PREFIX.sub(MASK, masked)
    return _TOKEN_CANDIDATE.sub(lambda match: MASK if _looks_random(match[0]) else match[0], masked)


def _looks_random(word: str) -> bool:
    """A long hex string, or a long word mixing upper case, lower case and digits with high entropy.

    That is what API tokens look like (hex digests, base62/base64); file names and words joined with
    `_` or `-` rarely mix all three character classes, so paths stay readable.
    """
    core = word.rstrip("=")
    if len(core) >= 32 and (_HEX_LOWER.fullmatch(core) or _HEX_UPPER.fullmatch(core)):
        return True
    if len(core) < 24 or not all(re.search(pattern, core) for pattern in ("[0-9]", "[a-z]", "[A-Z]")):
        return False
    counts = Counter(core)
    entropy = -sum(n / len(core) * math.log2(n / len(core)) for n in counts.values())
    return entropy >= 4.0
