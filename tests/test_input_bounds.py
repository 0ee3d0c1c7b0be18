"""Backend answers to hostile input: a status or an error sentence, never an exception from the OS."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backends.path_discovery import PathStatus, find_binary, find_config
from backends.time_zone import UnknownTimeZoneError, local_zone, zone_named

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
