"""`schedule` and `restore` on the command line, against a throwaway user's real crontab."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.crontab_entry import MARKER
from tests.conftest import read_crontab, run_cli, write_crontab

FOREIGN = "# keep me\n0 5 * * * /usr/bin/backup\n"


def _run(user: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, user=user)


def _paths(binary: Path) -> list[str]:
    return ["--binary", str(binary), "--config", str(binary.parent.parent / "config.yaml")]


def test_install_list_uninstall(cron_user: str, stand_in_binary: Path) -> None:
    write_crontab(cron_user, FOREIGN)
    installed = _run(cron_user, "schedule", "--time", "30 3 * * *", *_paths(stand_in_binary))
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.startswith("Installed the cron job. Previous crontab saved to ")
    text = read_crontab(cron_user)
    assert text is not None and text.startswith(FOREIGN) and f"30 3 * * * {stand_in_binary}" in text

    listed = json.loads(_run(cron_user, "schedule", "--list", "--json").stdout)
    cron = next(listing for listing in listed if listing["method"] == "cron")
    assert [(job["expression"], job["managed"], job["description"]) for job in cron["jobs"]] == [
        ("30 3 * * *", True, "At 03:30")
    ]

    removed = _run(cron_user, "schedule", "--uninstall")
    assert removed.returncode == 0 and removed.stdout.startswith("Removed 1 cron job(s).")
    assert read_crontab(cron_user) == FOREIGN


def test_dry_run_prints_line_and_diff_and_writes_nothing(cron_user: str, stand_in_binary: Path) -> None:
    write_crontab(cron_user, FOREIGN)
    result = _run(cron_user, "schedule", "--method", "cron", "--dry-run", *_paths(stand_in_binary))
    assert result.returncode == 0
    assert f"0 2 * * * {stand_in_binary} --config" in result.stdout and MARKER in result.stdout
    assert "+++ crontab (new)" in result.stdout and result.stdout.rstrip().endswith(
        "(dry run: nothing was written)"
    )
    assert read_crontab(cron_user) == FOREIGN


def test_invalid_input_exits_2_and_writes_nothing(
    cron_user: str, stand_in_binary: Path, tmp_path: Path
) -> None:
    write_crontab(cron_user, FOREIGN)
    cases = [
        (["--time", "0 2 * * * *"], "6 fields given"),
        (["--time", "5/15 2 * * *"], "puts a step after a single value"),
        (["--env", "1BAD=x"], "not a valid environment variable name"),
        (["--env", "PA_SURELY_UNSET_VARIABLE"], "is not set in your environment"),
    ]
    for extra, message in cases:
        result = _run(cron_user, "schedule", *_paths(stand_in_binary), *extra)
        assert result.returncode == 2 and message in result.stderr, (extra, result.stderr)
    missing = _run(
        cron_user, "schedule", "--binary", str(tmp_path / "nope"), "--config", str(tmp_path / "none.yaml")
    )
    assert missing.returncode == 2 and "Not installed: binary" in missing.stderr
    assert read_crontab(cron_user) == FOREIGN


def test_launchd_install_is_refused_on_linux_but_dry_run_works(cron_user: str, stand_in_binary: Path) -> None:
    refused = _run(cron_user, "schedule", "--method", "launchd", *_paths(stand_in_binary))
    assert refused.returncode == 1 and "launchd" in refused.stderr
    preview = _run(cron_user, "schedule", "--method", "launchd", "--dry-run", *_paths(stand_in_binary))
    assert preview.returncode == 0 and "<key>StartCalendarInterval</key>" in preview.stdout
    assert read_crontab(cron_user) is None


def test_restore_lists_and_puts_back(cron_user: str, stand_in_binary: Path) -> None:
    write_crontab(cron_user, FOREIGN)
    assert _run(cron_user, "schedule", *_paths(stand_in_binary)).returncode == 0
    listing = _run(cron_user, "restore")
    assert "crontab-" + cron_user in listing.stdout
    unconfirmed = _run(cron_user, "restore", "latest")
    assert unconfirmed.returncode == 1 and "pass --yes" in unconfirmed.stderr
    assert FOREIGN in (read_crontab(cron_user) or "") != FOREIGN
    restored = _run(cron_user, "restore", "latest", "--yes")
    assert restored.returncode == 0, restored.stderr
    assert read_crontab(cron_user) == FOREIGN
    assert _run(cron_user, "restore", "no-such-backup.txt").returncode == 2
