"""Our crontab line: quoting, `%`, scoped environment, timeout, marker; recognising ours and legacy."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.crontab_entry import MARKER, classify, display_command, render_line
from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError, NightlyJob
from tests.conftest import example_job


def _job(**changes: object) -> NightlyJob:
    return example_job(**changes)


def test_plain_job_line() -> None:
    assert render_line(_job()) == (
        "0 2 * * * /opt/pa/bin/prompt-alchemy --config /home/me/.prompt-alchemy/config.yaml nightly "
        ">>/tmp/prompt-alchemy-nightly.log 2>>/tmp/prompt-alchemy-nightly.error.log " + MARKER
    )


def test_awkward_paths_survive_the_shell(tmp_path: Path) -> None:
    weird = tmp_path / "it's a $HOME `x` dir"
    line = render_line(_job(binary=weird / "prompt-alchemy"))
    command = line.split(" ", 5)[5].removesuffix(" " + MARKER)
    # What /bin/sh makes of the command (cron passes it on unchanged: it has no %).
    words = subprocess.run(
        ["/bin/sh", "-c", f"set -- {command.split(' >>')[0]}; printf '%s\\n' \"$@\""],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert words == [
        str(weird / "prompt-alchemy"),
        "--config",
        "/home/me/.prompt-alchemy/config.yaml",
        "nightly",
    ]
    with_env = render_line(_job(environment=(("A", "x y $Z `q`"),)), tmp_path / "it's private" / "job.env")
    assert shlex.split(with_env.split(" ", 5)[5])[:3] == [
        ".",
        str(tmp_path / "it's private" / "job.env"),
        "&&",
    ]


def test_every_percent_is_escaped_for_cron() -> None:
    line = render_line(
        _job(binary=Path("/opt/100%/prompt-alchemy"), config=Path("/c/50%.yaml"), environment=(("P", "5%"),)),
        Path("/state/%u/job.env"),
    )
    assert "/opt/100\\%/prompt-alchemy" in line and "/c/50\\%.yaml" in line and "/state/\\%u/job.env" in line
    assert line.count("%") == line.count("\\%")


def test_backslash_before_percent_is_refused() -> None:
    with pytest.raises(JobError, match="backslash before '%'"):
        render_line(_job(binary=Path("/opt/a\\%b/prompt-alchemy")))


def test_environment_values_never_go_on_the_line_and_timeout_wraps_it() -> None:
    line = render_line(
        _job(environment=(("OPENAI_API_KEY", "sk-1"),), timeout_seconds=3600),
        Path("/home/me/.local/state/pa/nightly.env"),
        "/usr/bin/timeout",
    )
    assert line.startswith(
        "0 2 * * * . /home/me/.local/state/pa/nightly.env && /usr/bin/timeout 3600 /opt/pa/bin/prompt-alchemy "
    )
    assert "sk-1" not in line and "OPENAI_API_KEY" not in line and "\n" not in line
    with pytest.raises(JobError, match="no private file"):
        render_line(_job(environment=(("A", "1"),)))


def test_line_breaks_in_values_are_refused() -> None:
    with pytest.raises(JobError, match="control or line-separator character"):
        _job(environment=(("A", "x\ny"),))
    with pytest.raises(JobError, match="not a valid environment variable name"):
        _job(environment=(("1A", "x"),))


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("0 2 * * * /x/prompt-alchemy --config /c nightly >>/tmp/l 2>>/tmp/e " + MARKER, "managed"),
        ("0 2 * * * /x/prompt-alchemy --config /c nightly " + MARKER, "marked"),
        ("0 2 * * * rm -rf ~ " + MARKER, "marked"),
        ("0 3 * * * /usr/local/bin/prompt-alchemy --config /c/config.yaml nightly", "legacy"),
        ("@daily /home/u/go/bin/prompt-alchemy --config /c nightly", "legacy"),
        ("0 3 * * * /path with space/prompt-alchemy --config /my configs/pa.yaml nightly", "legacy"),
        ("0 3 * * * '/path with space/prompt-alchemy' --config /c nightly", "foreign"),
        ("0 3 * * * /usr/bin/prompt-alchemy-backup nightly", "foreign"),
        ("0 3 * * * echo prompt-alchemy nightly", "foreign"),
        ("0 3 * * * /usr/bin/prompt-alchemy serve", "foreign"),
        ("0 3 * * * /usr/bin/prompt-alchemy %nightly", "foreign"),
        ("0 3 * * * prompt-alchemy export --tag nightly", "foreign"),
        ("0 3 * * * /x/prompt-alchemy serve --mode nightly", "foreign"),
        ("0 3 * * * '/x/prompt-alchemy' report nightly", "foreign"),
        ("0 3 * * * /x/prompt-alchemy nightly --provider ollama # mine", "foreign"),
        ("0 3 * * * /x/prompt-alchemy --config /c --log-level debug nightly", "foreign"),
        ("0 3 * * * /x/prompt-alchemy --config /c nightly ", "foreign"),
        ("0 3 * * * /x/prompt-alchemy --config /c nightly\r", "foreign"),
    ],
)
def test_only_the_exact_forms_are_ours_or_legacy(line: str, kind: str) -> None:
    parsed = classify(1, line)
    assert parsed is not None and parsed.kind == kind


@pytest.mark.parametrize(
    "line", ["", "   ", "# comment nightly prompt-alchemy", "PATH=/usr/bin:/bin", " X = 1"]
)
def test_comments_blank_and_variable_lines_are_not_jobs(line: str) -> None:
    assert classify(1, line) is None


def test_display_masks_credentials_and_drops_the_marker() -> None:
    command = "OPENAI_API_KEY='sk-secret' LEVEL=debug /x/prompt-alchemy --config /c nightly 100\\% " + MARKER
    assert (
        display_command(command) == "OPENAI_API_KEY=… LEVEL=debug /x/prompt-alchemy --config /c nightly 100%"
    )
