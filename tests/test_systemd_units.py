"""Our unit and environment files: written so that systemd reads back exactly the values we meant,
and read back as ours only in exactly our form."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError
from prompt_alchemy_scheduler_tui.backends.systemd_units import (
    ServiceParts,
    UnitKind,
    classify,
    exec_line,
    parse_env_file,
    parse_service,
    parse_timer,
    render_env_file,
    render_service,
    render_timer,
)

GENERATORS = (
    Path("/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator"),
    Path("/lib/systemd/user-environment-generators/30-systemd-environment-d-generator"),
)
# What a job's value may hold (NightlyJob refuses controls and line separators; systemd noncharacters).
_VALUE_CHARACTERS = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn"), blacklist_characters="\ufeff"
)
_PATH_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn"), blacklist_characters="/\ufeff"),
    min_size=1,
    max_size=12,
)


def _generator() -> Path:
    for path in GENERATORS:
        if path.exists():
            return path
    pytest.skip("needs systemd's environment.d generator (the systemd package)")


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.text(_VALUE_CHARACTERS.filter(lambda c: c != "$"), min_size=1, max_size=20), min_size=1, max_size=6
    )
)
def test_systemd_reads_our_environment_file_back_exactly(
    values: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """systemd's environment.d generator parses the file with the same parser as EnvironmentFile=
    (env-file.c) and prints every variable with systemd's own writer: it prints our line back unchanged
    only if it read exactly our value (values with `$` are left out: the generator expands them,
    EnvironmentFile= does not)."""
    generator = _generator()
    config = tmp_path_factory.mktemp("cfg")
    (config / "environment.d").mkdir()
    environment = tuple((f"PA_TEST_{index}", value) for index, value in enumerate(values))
    text = render_env_file(environment)
    (config / "environment.d" / "50-pa.conf").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [str(generator)],
        capture_output=True,
        text=True,
        check=True,
        env={"HOME": str(config), "XDG_CONFIG_HOME": str(config), "PATH": "/usr/bin:/bin"},
    )
    printed = {line.partition("=")[0]: line for line in result.stdout.splitlines()}
    assert [printed.get(name) for name, _ in environment] == text.splitlines()[1:]
    assert parse_env_file(text) == environment


def test_environment_values_are_quoted_only_when_needed() -> None:
    text = render_env_file((("A", "plain/value:1"), ("B", "two words"), ("C", 'q"\\`$'), ("D", "")))
    assert text.splitlines()[1:] == ["A=plain/value:1", 'B="two words"', 'C="q\\"\\\\\\`\\$"', "D="]


@settings(max_examples=200, deadline=None)
@given(
    binary=st.lists(_PATH_TEXT.filter(lambda t: not any(c in t for c in "\"'\\")), min_size=1, max_size=3),
    config=st.lists(_PATH_TEXT, min_size=1, max_size=3),
    timeout=st.none() | st.integers(1, 604800),
)
def test_our_service_reads_back_as_ours(binary: list[str], config: list[str], timeout: int | None) -> None:
    if ".." in binary or "." in binary:
        binary = [part + "x" for part in binary]
    parts = ServiceParts(
        binary=Path("/", *binary),
        config=Path("/", *config),
        stdout_log=Path("/tmp/prompt-alchemy-nightly.log"),
        stderr_log=Path("/tmp/prompt-alchemy-nightly.error.log"),
        timeout_seconds=timeout,
    )
    text = render_service(parts)
    assert parse_service(text) == parts
    assert classify(text, parse_service) is UnitKind.OURS
    assert classify(text.replace("Type=oneshot", "Type=simple"), parse_service) is UnitKind.MARKED
    assert (
        classify(text.replace("# prompt-alchemy-scheduler-tui:nightly\n", ""), parse_service)
        is UnitKind.FOREIGN
    )


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["/bin/pa", "--config", "/c.yaml", "nightly"], "/bin/pa --config /c.yaml nightly"),
        (["/my bin/pa", "--config", "/a b/c.yaml", "nightly"], '"/my bin/pa" --config "/a b/c.yaml" nightly'),
        (["/50%/pa", "--config", "/%h/c", "nightly"], "/50%%/pa --config /%%h/c nightly"),
        (["/bin/pa", "--config", "/$HOME/c", "nightly"], "/bin/pa --config /$$HOME/c nightly"),
        (["/$x/pa", "--config", "/c", "nightly"], "@/$x/pa /$$x/pa --config /c nightly"),
        (["/bin/pa", "--config", "/q\"'\\/c", "nightly"], '/bin/pa --config "/q\\"\'\\\\/c" nightly'),
    ],
)
def test_command_lines(argv: list[str], line: str) -> None:
    assert exec_line(argv) == line


def test_timer_reads_back_as_ours() -> None:
    text = render_timer("30 4 1,15 * 5", ("*-*-01,15 04:30:00", "Fri *-*-* 04:30:00"))
    assert parse_timer(text) == ("30 4 1,15 * 5", ("*-*-01,15 04:30:00", "Fri *-*-* 04:30:00"))
    assert parse_timer(text + "\n") is None
    assert parse_timer(text.replace("Persistent=true", "Persistent=false")) is None


def test_a_program_path_systemd_refuses() -> None:
    with pytest.raises(JobError, match="holds a quote or a backslash"):
        exec_line(["/it's/pa", "--config", "/c", "nightly"])


def test_the_generator_oracle_sees_a_wrong_encoding(tmp_path: Path) -> None:
    """A backslash written bare is an escape to systemd: `a\\b` reads as `ab`, and the generator says so."""
    generator = _generator()
    (tmp_path / "environment.d").mkdir()
    (tmp_path / "environment.d" / "50-pa.conf").write_text("PA_TEST=a\\b\n")
    result = subprocess.run(
        [str(generator)],
        capture_output=True,
        text=True,
        check=True,
        env={"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)},
    )
    assert "PA_TEST=ab" in result.stdout.splitlines()
    assert render_env_file((("PA_TEST", "a\\b"),)).splitlines()[1] == 'PA_TEST="a\\\\b"'
