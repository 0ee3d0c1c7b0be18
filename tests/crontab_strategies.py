"""Hypothesis strategies for whole crontabs full of other people's lines."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.cron_strategies import cron_expressions

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"),
    max_size=30,
)
_SPACE = st.sampled_from([" ", "  ", "\t", " \t "])

comments = st.builds(lambda lead, text: f"{lead}#{text}", st.sampled_from(["", " ", "\t"]), _TEXT)
blanks = st.sampled_from(["", " ", "\t", "   "])
variables = st.builds(
    lambda name, eq, value: f"{name}{eq}{value}",
    st.sampled_from(["MAILTO", "PATH", "SHELL", "CRON_TZ", "PROMPT_ALCHEMY_X"]),
    st.sampled_from(["=", " = ", "= "]),
    st.sampled_from(['""', "me@example.com", "/usr/bin:/bin", "'quoted value'", "/bin/bash"]),
)
commands = st.sampled_from(
    [
        "/usr/bin/backup --fast",
        "echo 'a b' >/dev/null 2>&1",
        "cd /srv && ./run.sh",
        "/usr/bin/prompt-alchemy-backup nightly",
        "echo prompt-alchemy nightly",
        "date +\\%Y-\\%m-\\%d >> /tmp/x",
        "mail -s hi me%body line%",
    ]
)
foreign_jobs = st.one_of(
    st.builds(lambda expr, sp, cmd: f"{expr}{sp}{cmd}", cron_expressions(), _SPACE, commands),
    st.builds(
        lambda macro, sp, cmd: f"{macro}{sp}{cmd}",
        st.sampled_from(["@daily", "@reboot", "@hourly"]),
        _SPACE,
        commands,
    ),
)
legacy_jobs = st.builds(
    lambda expr, path: f"{expr} {path}/prompt-alchemy --config {path}/config.yaml nightly",
    st.sampled_from(["0 2 * * *", "30 3 * * *", "0 1 * * 0"]),
    st.sampled_from(["/usr/local/bin", "/home/u/go/bin", "/opt/homebrew/bin"]),
)
unparseable = st.sampled_from(["this is not cron", "* * *", "@nonsense run"])


def crontabs(*, legacy: bool = False, garbage: bool = False) -> st.SearchStrategy[str]:
    """Crontab text ending in a newline; `garbage` adds lines crontab itself would refuse."""
    kinds = [comments, blanks, variables, foreign_jobs]
    if legacy:
        kinds.append(legacy_jobs)
    if garbage:
        kinds.append(unparseable)
    return st.lists(st.one_of(*kinds), min_size=1, max_size=12).map(lambda lines: "\n".join(lines) + "\n")
