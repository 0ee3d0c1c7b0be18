"""Regression tests for the "never a foreign byte" promise, each from an attack that once worked.

All against the real `crontab` for a throwaway user.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.crontab_entry import MARKER
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import ConcurrentEditError, SchedulerError
from tests.conftest import read_crontab, run_cli, write_crontab

SEPARATORS = ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r", "\x1b"]
# Not CR or BS: Debian's crontab -l shows them as `\r`/`\b` (see the refusal test below).
_ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\n\x00\r\x08", blacklist_categories=("Cs",)), max_size=20
)
foreign_lines = st.one_of(
    st.builds(lambda text: "#" + text, _ANY_TEXT),
    st.builds(lambda text: "0 5 * * * echo " + text, _ANY_TEXT),
    st.sampled_from(["", "MAILTO=me@example.com", "\t", "15 1 * * * /usr/bin/backup\t"]),
)


def _backend(user: str, tmp_path: Path) -> CronBackend:
    return CronBackend(CrontabCommand(user=user), BackupStore(tmp_path / "backups", owner=user))


def _job(binary: Path, schedule: str = "0 2 * * *") -> NightlyJob:
    return NightlyJob(schedule=schedule, binary=binary, config=binary.parent.parent / "config.yaml")


def _cli(user: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, user=user)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(foreign_lines, min_size=1, max_size=6))
@example(lines=["# a\x1cb", "0 5 * * * /usr/bin/later-job"])
@example(lines=["0 5 * * * echo x\u2028y", "# NEL\x85here", "0 6 * * * /usr/bin/other\v"])
def test_foreign_lines_with_any_characters_survive_install_reinstall_uninstall(
    cron_user: str, tmp_path: Path, stand_in_binary: Path, lines: list[str]
) -> None:
    text = "\n".join(lines) + "\n"
    result = subprocess.run(
        ["crontab", "-u", cron_user, "-"], input=text.encode(), capture_output=True, check=False
    )
    assume(result.returncode == 0)  # crontab itself refuses some garbage: nothing to protect then
    original = read_crontab(cron_user)
    assert original == text
    backend = _backend(cron_user, tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary)))
    installed = read_crontab(cron_user) or ""
    assert installed.startswith(text) and installed.count(MARKER) == 1
    backend.apply(backend.plan_install(_job(stand_in_binary, "15 4 * * 1")))
    backend.apply(backend.plan_uninstall())
    assert read_crontab(cron_user) == original


@pytest.mark.parametrize("separator", SEPARATORS)
def test_env_values_with_line_separators_are_refused_and_nothing_is_written(
    cron_user: str, stand_in_binary: Path, separator: str
) -> None:
    write_crontab(cron_user, "# mine\n")
    config = stand_in_binary.parent.parent / "config.yaml"
    result = _cli(
        cron_user,
        "schedule",
        "--binary",
        str(stand_in_binary),
        "--config",
        str(config),
        "--env",
        f"A=x{separator}0 4 * * * /usr/bin/other",
    )
    assert result.returncode == 2 and "control or line-separator character" in result.stderr
    assert "Traceback" not in result.stderr
    assert read_crontab(cron_user) == "# mine\n"


@pytest.mark.parametrize("separator", [*SEPARATORS, "\n"])
def test_expressions_with_line_separators_are_refused(cron_user: str, separator: str) -> None:
    for command in (
        ["explain", f"0 2 * *{separator}*"],
        ["schedule", "--dry-run", "--time", f"0 2 * *{separator}*"],
    ):
        result = _cli(cron_user, *command)
        assert result.returncode == 2 and "U+" in result.stdout + result.stderr, (command, result)


@pytest.mark.parametrize("character", ["\r", "\b"])
def test_a_line_that_crontab_l_escapes_is_never_rewritten(
    cron_user: str, tmp_path: Path, stand_in_binary: Path, character: str
) -> None:
    write_crontab(cron_user, f"15 1 * * * /usr/bin/backup{character}\n")
    listed = read_crontab(cron_user)
    backend = _backend(cron_user, tmp_path)
    with pytest.raises(SchedulerError, match=r"Crontab line 1 holds .*nothing was written"):
        backend.plan_install(_job(stand_in_binary))
    assert read_crontab(cron_user) == listed


LOOKALIKES = [
    "0 1 * * * /usr/bin/prompt-alchemy export --tag nightly",
    "0 1 * * * prompt-alchemy serve --mode nightly",
    "0 1 * * * '/opt/pa tools/prompt-alchemy' report nightly",
    "0 1 * * * /usr/bin/prompt-alchemy nightly --provider ollama # mine",
    "0 1 * * * /usr/bin/prompt-alchemy --config /etc/pa.yaml --log-level debug nightly",
    "0 2 * * * rm -rf /srv/cache " + MARKER,
]


def test_uninstall_removes_only_the_exact_legacy_form_and_names_it(
    cron_user: str, stand_in_binary: Path
) -> None:
    legacy = "0 3 * * * /usr/local/bin/prompt-alchemy --config /etc/pa.yaml nightly"
    text = "\n".join([*LOOKALIKES, legacy]) + "\n"
    write_crontab(cron_user, text)
    listed = json.loads(_cli(cron_user, "schedule", "--list", "--json").stdout)
    cron = next(listing for listing in listed if listing["method"] == "cron")
    assert [job["location"] for job in cron["jobs"]] == ["crontab line 7"]
    assert any("crontab line 6 carries this tool's marker" in note for note in cron["notes"])
    removed = _cli(cron_user, "schedule", "--uninstall")
    assert removed.returncode == 0, removed.stderr
    assert f"Removed the old `prompt-alchemy schedule` entry at crontab line 7: {legacy}." in removed.stdout
    assert read_crontab(cron_user) == "\n".join(LOOKALIKES) + "\n"


def test_install_names_the_legacy_line_it_replaces(cron_user: str, stand_in_binary: Path) -> None:
    legacy = "30 3 * * * /home/u/go/bin/prompt-alchemy --config .prompt-alchemy/config.yaml nightly"
    write_crontab(cron_user, "# keep\n" + legacy + "\n")
    config = stand_in_binary.parent.parent / "config.yaml"
    result = _cli(cron_user, "schedule", "--binary", str(stand_in_binary), "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert f"entry at crontab line 2: {legacy}." in result.stdout


def test_an_empty_crontab_comes_back_empty(cron_user: str, tmp_path: Path, stand_in_binary: Path) -> None:
    write_crontab(cron_user, "")
    backend = _backend(cron_user, tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary)))
    backend.apply(backend.plan_uninstall())
    listed = subprocess.run(["crontab", "-u", cron_user, "-l"], capture_output=True, text=True, check=False)
    assert (listed.returncode, listed.stdout) == (0, "")
    # ...while no crontab still comes back as no crontab.
    subprocess.run(["crontab", "-u", cron_user, "-r"], check=True)
    backend.apply(backend.plan_install(_job(stand_in_binary)))
    backend.apply(backend.plan_uninstall())
    assert read_crontab(cron_user) is None


def test_a_crontab_without_final_newline_gets_exactly_one_and_says_so() -> None:
    from prompt_alchemy_scheduler_tui.backends.crontab_edit import with_entry, without_entries

    entry = "0 2 * * * /x/prompt-alchemy --config /c nightly >>/tmp/l 2>>/tmp/e " + MARKER
    assert without_entries(with_entry("0 5 * * * /b", entry)) == "0 5 * * * /b\n"
    assert without_entries(with_entry("", entry), keep_empty=True) == ""


def test_a_write_between_backup_and_write_is_detected(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    """Nothing runs between the last re-read and the write: a change during the backup is caught."""
    write_crontab(cron_user, "# mine\n")

    class InterruptedBackups(BackupStore):
        def save(self, text: str | None) -> Path:
            saved = super().save(text)
            write_crontab(cron_user, "# mine\n0 6 * * * /usr/bin/someone-else\n")
            return saved

    backend = CronBackend(
        CrontabCommand(user=cron_user), InterruptedBackups(tmp_path / "backups", owner=cron_user)
    )
    with pytest.raises(ConcurrentEditError):
        backend.apply(backend.plan_install(_job(stand_in_binary)))
    assert read_crontab(cron_user) == "# mine\n0 6 * * * /usr/bin/someone-else\n"


def test_concurrent_runs_of_the_tool_serialize_and_never_both_claim_success(
    cron_user: str, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, "# mine\n")
    config = stand_in_binary.parent.parent / "config.yaml"
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "prompt_alchemy_scheduler_tui",
                "--crontab-user",
                cron_user,
                "schedule",
                "--time",
                f"{minute} 2 * * *",
                "--binary",
                str(stand_in_binary),
                "--config",
                str(config),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env={**os.environ},
        )
        for minute in range(4)
    ]
    outcomes = [(run.wait(timeout=60), run.communicate()) for run in runs]
    text = read_crontab(cron_user) or ""
    assert text.startswith("# mine\n") and text.count(MARKER) == 1
    for code, (out, err) in outcomes:
        assert "Traceback" not in err
        assert (code == 0 and out.startswith("Installed")) or (
            code == 1 and "changed since it was read" in err
        )
    # The line in the crontab is the one of a run that said it installed it.
    winners = [minute for minute, (code, _) in enumerate(outcomes) if code == 0]
    assert any(text.count(f"\n{minute} 2 * * * ") for minute in winners)


def test_a_crontab_ending_in_a_comment_without_newline_comes_back_exactly(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    """Debian's crontab accepts a last comment line without a newline; install adds one before our
    line, and uninstall takes it away again."""
    original = "0 5 * * * /usr/bin/backup\n# last line, no newline"
    write_crontab(cron_user, original)
    backend = _backend(cron_user, tmp_path)
    backend.apply(backend.plan_install(_job(stand_in_binary)))
    assert (read_crontab(cron_user) or "").startswith(original + "\n")
    backend.apply(backend.plan_install(_job(stand_in_binary, "15 4 * * 1")))
    backend.apply(backend.plan_uninstall())
    assert read_crontab(cron_user) == original
