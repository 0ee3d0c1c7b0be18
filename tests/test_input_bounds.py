"""Backend answers to hostile input: a status or an error sentence, never an exception from the OS."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.crontab_entry import render_line
from prompt_alchemy_scheduler_tui.backends.job_builder import JobRequest, build_job, parse_environment
from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError, NightlyJob
from prompt_alchemy_scheduler_tui.backends.path_discovery import PathStatus, find_binary, find_config
from prompt_alchemy_scheduler_tui.backends.time_zone import UnknownTimeZoneError, local_zone, zone_named
from tests.conftest import example_job

TOO_LONG = "/" + "a" * 5000  # ENAMETOOLONG from stat()


@pytest.mark.parametrize("find", [find_binary, find_config])
def test_a_path_stat_refuses_is_a_status_not_an_exception(find: object, tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    for text, status in (
        (TOO_LONG, PathStatus.UNCHECKABLE),
        ("/" + "b" * 300, PathStatus.UNCHECKABLE),  # one component over NAME_MAX
        (str(loop), PathStatus.UNCHECKABLE),  # ELOOP: it exists, but cannot be followed
        (str(tmp_path / "file" / "below-a-file"), PathStatus.MISSING),
    ):
        (tmp_path / "file").write_text("")
        check = find(text)  # type: ignore[operator]
        assert check.status is status, text[:40]
        assert not check.usable
        if status is PathStatus.UNCHECKABLE:
            assert check.hint.startswith("stat() failed: ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may enter any directory")
def test_a_directory_we_may_not_enter_is_uncheckable(tmp_path: Path) -> None:
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o000)
    try:
        assert find_config(str(closed / "config.yaml")).status is PathStatus.UNCHECKABLE
    finally:
        closed.chmod(0o700)


def test_discovery_survives_a_home_too_long_for_the_file_system(tmp_path: Path) -> None:
    check = find_binary(home=Path(TOO_LONG), search_path=str(tmp_path))
    assert check.status is PathStatus.MISSING
    assert find_config(home=Path(TOO_LONG)).status is PathStatus.UNCHECKABLE


@pytest.mark.parametrize(
    "name",
    ["Europe", "__pycache__", "A" * 5000, "Europe/Paris\n", "", "../../etc/passwd", "\u2028"],
    ids=["directory", "package-directory", "5000-chars", "newline", "empty", "escape", "line-separator"],
)
def test_zone_names_that_are_not_zones_are_unknown(name: str) -> None:
    with pytest.raises(UnknownTimeZoneError) as caught:
        zone_named(name)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 200
    assert message.endswith("use an IANA name such as Europe/Paris or America/New_York.")


@pytest.mark.parametrize(
    "tz", ["Europe", "A" * 5000, "Nowhere/Special"], ids=["directory", "5000-chars", "unknown"]
)
def test_a_broken_tz_variable_falls_back_to_the_system_zone(tz: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", tz)
    local_zone.cache_clear()
    try:
        assert local_zone().key != tz
    finally:
        local_zone.cache_clear()


# Job values: the CLI and the TUI build jobs through these, so both refuse the same way.


def _job(**changes: object) -> NightlyJob:
    return example_job(**changes)


def _path_of(size: int) -> Path:
    """An absolute path of exactly `size` bytes whose components stay under NAME_MAX."""
    text = ""
    while len(text) < size:
        text += "/" + "d" * min(200, size - len(text) - 1)
    return Path(text)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"binary": Path(TOO_LONG)}, "The binary path is 5001 bytes long; at most 4095 are allowed"),
        (
            {"config": Path("/" + "c" * 256)},
            "The config path has a 256-byte component ('cccccccccccccccccccc'",
        ),
        (
            {"binary": Path("/opt/pa\n/x")},
            "The binary path contains a control or line-separator character (U+000A)",
        ),
        ({"config": Path("/etc/pa\u2028.yaml")}, "(U+2028)"),
        ({"stdout_log": Path("/tmp/\x1b[2Jlog")}, "The log path contains a control"),
        ({"binary": Path("/opt/\udcff")}, "The binary path is not valid UTF-8"),
        ({"timeout_seconds": 0}, "The timeout must be between 1 and 604800 seconds (a week), got 0."),
        ({"timeout_seconds": 604801}, "got 604801."),
        ({"timeout_seconds": 10**30}, "got a number with more than 20 digits."),
        ({"number_of_files": 10**30}, "The open-files limit must be between 1 and 1048576, got a number"),
        ({"number_of_files": -1}, "got -1."),
        (
            {"environment": (("A" * 256, "x"),)},
            "The variable name 'AAAAAAAAAAAAAAAAAAAA'… is 256 characters long; at most 255",
        ),
        (
            {"environment": (("LEVEL", "v" * 4097),)},
            "The value of LEVEL is 4097 characters long; at most 4096",
        ),
        ({"environment": (("LEVEL", "\udcff"),)}, "The value of LEVEL is not valid UTF-8"),
        ({"environment": tuple((f"V{i}", "1") for i in range(101))}, "101 environment variables were given"),
    ],
    ids=lambda value: None if isinstance(value, dict) else value[:30],
)
def test_job_values_out_of_bounds_are_refused_with_a_sentence(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(JobError) as caught:
        _job(**changes)
    text = str(caught.value)
    assert message in text
    assert text.endswith(".") and len(text) < 300 and text.isprintable()


def test_job_values_at_the_bounds_are_accepted() -> None:
    job = _job(
        binary=_path_of(4095),
        config=Path("/" + "c" * 255),
        timeout_seconds=604800,
        number_of_files=1_048_576,
        environment=tuple((f"V{i}", "v" * 4096) for i in range(100)),
    )
    assert len(job.environment) == 100


def test_env_values_are_never_quoted_in_a_refusal() -> None:
    secret = "sk-" + "s" * 5000
    with pytest.raises(JobError) as caught:
        parse_environment(["OPENAI_API_KEY"], {"OPENAI_API_KEY": secret})
    assert "sk-" not in str(caught.value)
    with pytest.raises(JobError, match="101 environment variables"):
        parse_environment([f"V{i}=1" for i in range(101)], {})


def test_a_bare_env_name_is_checked_before_it_is_looked_up() -> None:
    with pytest.raises(JobError, match="is not a valid environment variable name"):
        parse_environment(["BAD\nNAME"], {})


def test_build_job_refuses_a_path_stat_cannot_take(tmp_path: Path) -> None:
    with pytest.raises(JobError, match="The binary path is 5001 bytes long"):
        build_job(JobRequest("0 2 * * *", binary=TOO_LONG, config=str(tmp_path / "c.yaml")), {})


def test_the_crontab_command_stops_where_debian_cron_does() -> None:
    """crontab(1) of Debian's cron 3.0pl1 installs a 998-byte command and refuses 999 ("command too long")."""

    def line_for(binary_size: int) -> str:
        return render_line(_job(binary=_path_of(binary_size)))

    base = len(line_for(100).split(" ", 5)[5].encode()) - 100
    longest = line_for(998 - base)
    assert len(longest.split(" ", 5)[5].encode()) == 998
    with pytest.raises(
        JobError, match="The crontab command would be 999 bytes long; cron refuses more than 998"
    ):
        line_for(999 - base)
