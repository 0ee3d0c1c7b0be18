"""The TUI edits the whole job: it opens on the installed job (schedule, method and every option), the
options dialog shows and edits them, an install keeps them, and its confirmation names what changes."""

from __future__ import annotations

import io
import os
import pwd
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.widgets import Input, OptionList, Static

from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.crontab_entry import MARKER
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.plan_presentation import SectionKind, plan_sections
from prompt_alchemy_scheduler_tui.backends.systemd_backend import SystemdBackend
from prompt_alchemy_scheduler_tui.widgets.cron_editor import CronEditor
from prompt_alchemy_scheduler_tui.widgets.options_screen import OptionsScreen
from prompt_alchemy_scheduler_tui.widgets.plan_screen import PlanScreen, render_plan
from tests.conftest import FakeSystemctl, read_crontab, run_cli, user_owned_stand_in, write_crontab
from tests.tui_support import main_screen, make_app, record_notifications, wait_until

SECRET = "sk-proj-Zx81kQ2mV7pL0aB9cD3eF4gH"


def _summary(app: Any) -> str:
    return str(main_screen(app).query_one("#options-summary", Static).content)


def _variables(app: Any) -> list[str]:
    return [str(option.prompt) for option in app.screen.query_one("#env-list", OptionList).options]


def _shown(plans: list[Any]) -> str:
    """The confirmation's text as the terminal shows it."""
    console = Console(file=io.StringIO(), width=200, color_system=None)
    for plan in plans:
        console.print(render_plan(plan))
    return console.file.getvalue()  # type: ignore[attr-defined]


def _changes(plan: Any) -> list[str]:
    return [section.text for section in plan_sections(plan) if section.kind is SectionKind.CHANGE]


async def _replace_text(pilot: Any, field: Input, text: str) -> None:
    field.focus()
    await pilot.press("ctrl+u", *text) if text else await pilot.press("ctrl+u")


async def test_the_editor_opens_on_the_installed_job_and_an_install_keeps_every_option(
    cron_user: str, run_as_user: Any, tmp_path: Path
) -> None:
    """Installed from the command line with --env, --timeout and --max-open-files; the schedule changed
    in the TUI; the new crontab line still sources the variables and keeps the timeout."""
    home: Path = run_as_user.home
    paths = user_owned_stand_in(cron_user, home)
    options = ["--env", "OPENAI_BASE_URL=http://localhost:8080/v1", "--env", f"OPENAI_API_KEY={SECRET}"]
    options += ["--timeout", "600", "--max-open-files", "4096"]
    installed = run_as_user("schedule", "--method", "cron", *paths, *options)
    assert installed.returncode == 0, installed.stderr
    env_file = home / ".local" / "state" / "prompt-alchemy-scheduler-tui" / "nightly.env"
    before = env_file.read_text()
    assert f"export OPENAI_API_KEY={SECRET}\n" in before

    app = make_app(
        tmp_path / "state", tmp_path, Path(paths[1]), crontab_user=cron_user, cron_env_file=env_file
    )
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        screen = main_screen(app)
        editor = screen.query_one(CronEditor)
        await wait_until(pilot, lambda: screen.populated and editor.method == "cron")
        assert editor.expression == "0 2 * * *"
        summary = _summary(app)
        assert "env OPENAI_BASE_URL, OPENAI_API_KEY" in summary and "timeout 600s" in summary
        assert SECRET not in summary
        assert "open files" not in summary  # cron sets none: the CLI's install said so, and wrote none

        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OptionsScreen))
        assert app.screen.query_one("#timeout", Input).value == "600"
        assert _variables(app) == [
            "OPENAI_BASE_URL=http://localhost:8080/v1",
            "OPENAI_API_KEY=…  (secret: ctrl+t shows it)",
        ]
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, OptionsScreen))

        await pilot.press("e", "ctrl+u", *"30 3 * * *", "escape", "i")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        plans = app.screen.plans  # type: ignore[attr-defined]
        assert _changes(plans[0]) == [] and SECRET not in _shown(plans)
        await pilot.press("enter")
        await wait_until(pilot, lambda: (read_crontab(cron_user) or "").startswith("30 3 * * * "))
        await wait_until(pilot, lambda: any(n.startswith("Installed the cron job") for n in notes))
    line = read_crontab(cron_user) or ""
    assert f". {env_file} && " in line and f"timeout 600 {paths[1]} --config" in line
    assert env_file.read_text() == before  # both variables, untouched
    assert env_file.stat().st_uid == pwd.getpwnam(cron_user).pw_uid


async def test_editing_the_timeout_is_named_in_the_confirmation(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    config = str(stand_in_binary.parent.parent / "config.yaml")
    first = run_cli(
        "schedule", "--method", "cron", "--binary", str(stand_in_binary), "--config", config,
        "--timeout", "600", user=cron_user,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.populated and "timeout 600s" in _summary(app))
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OptionsScreen))
        await _replace_text(pilot, app.screen.query_one("#timeout", Input), "")
        await pilot.press("enter")  # saves the dialog
        await wait_until(pilot, lambda: not isinstance(app.screen, OptionsScreen))
        assert "timeout" not in _summary(app)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        plans = app.screen.plans  # type: ignore[attr-defined]
        assert _changes(plans[0]) == ["timeout: 600 s → none"]
        assert "Options that change:\n  • timeout: 600 s → none\n" in _shown(plans)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "timeout 600" not in (read_crontab(cron_user) or "timeout 600"))
    assert MARKER in (read_crontab(cron_user) or "")


async def test_a_secret_is_masked_until_revealed_and_never_reaches_the_confirmation(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    private = tmp_path / "their-state"
    private.mkdir(mode=0o700)
    account = pwd.getpwnam(cron_user)
    os.chown(private, account.pw_uid, account.pw_gid)
    app = make_app(
        tmp_path / "state",
        tmp_path,
        stand_in_binary,
        crontab_user=cron_user,
        cron_env_file=private / "nightly.env",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.populated)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OptionsScreen))
        dialog = app.screen
        dialog.query_one("#env-add").focus()
        await pilot.press("enter")  # Add: the NAME field
        await pilot.press(*"OPENAI_API_KEY", "tab")
        await pilot.press(*SECRET)
        assert dialog.query_one("#env-value", Input).password  # typed into a password field
        await pilot.press("enter")  # saves the variable
        assert _variables(app) == ["OPENAI_API_KEY=…  (secret: ctrl+t shows it)"]
        await pilot.press("ctrl+t")
        assert _variables(app) == [f"OPENAI_API_KEY={SECRET}"]
        await pilot.press("ctrl+t")
        assert _variables(app) == ["OPENAI_API_KEY=…  (secret: ctrl+t shows it)"]
        await pilot.press("escape")  # on the list: leaves the dialog without saving
        await wait_until(pilot, lambda: not isinstance(app.screen, OptionsScreen))
        assert "env" not in _summary(app)

        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OptionsScreen))
        app.screen.query_one("#env-add").focus()
        await pilot.press("enter", *"OPENAI_API_KEY", "tab", *SECRET, "enter")
        app.screen.query_one("#timeout", Input).focus()
        await pilot.press("enter")  # saves the dialog
        await wait_until(pilot, lambda: "env OPENAI_API_KEY" in _summary(app))
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        plans = app.screen.plans  # type: ignore[attr-defined]
        assert SECRET not in _shown(plans) and "OPENAI_API_KEY" in _shown(plans)
    assert read_crontab(cron_user) is None  # a dry run


async def test_options_are_checked_as_the_command_line_checks_them(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.populated)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OptionsScreen))
        dialog = app.screen
        await _replace_text(pilot, dialog.query_one("#timeout", Input), "0")
        await pilot.press("enter")
        assert notes[-1] == "The timeout must be between 1 and 604800 seconds (a week), got 0."
        await _replace_text(pilot, dialog.query_one("#timeout", Input), "-")
        await pilot.press("enter")
        assert notes[-1] == "The timeout must be a whole number or empty, got '-'."
        await _replace_text(pilot, dialog.query_one("#timeout", Input), "")
        await _replace_text(pilot, dialog.query_one("#files", Input), "99999999999")
        await pilot.press("enter")
        assert notes[-1].startswith("The open-files limit must be between 1 and 1048576")
        await _replace_text(pilot, dialog.query_one("#files", Input), "")
        await _replace_text(pilot, dialog.query_one("#env-name", Input), "1BAD")
        await pilot.press("enter")
        assert "'1BAD' is not a valid environment variable name" in notes[-1]
        await _replace_text(pilot, dialog.query_one("#env-name", Input), "NOTE")
        await pilot.press("tab", "enter")  # an empty value is a value
        assert _variables(app) == ["NOTE="]
        await _replace_text(pilot, dialog.query_one("#env-name", Input), "HALF")
        await pilot.press("tab", "tab", "tab")  # away from the fields, the variable not saved
        await pilot.press("ctrl+t")
        dialog.query_one("#timeout", Input).focus()
        await pilot.press("enter")
        assert notes[-1].startswith("The variable in the NAME and value fields is not in the list yet")
        assert isinstance(app.screen, OptionsScreen)
        await pilot.press("escape")  # the value field: back to the list, the half variable dropped
        await _replace_text(pilot, dialog.query_one("#binary", Input), "/nowhere/prompt-alchemy")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, OptionsScreen))
        assert "binary /nowhere/prompt-alchemy" in _summary(app) and "env NOTE" in _summary(app)
        await pilot.press("i")
        await wait_until(pilot, lambda: any(n.startswith("Not installed: binary /nowhere") for n in notes))
        assert not isinstance(app.screen, PlanScreen)
    assert read_crontab(cron_user) is None


async def test_the_editor_follows_the_installed_job_until_the_user_changes_it(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    config = str(stand_in_binary.parent.parent / "config.yaml")
    paths = ("--binary", str(stand_in_binary), "--config", config)
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        screen = main_screen(app)
        editor = screen.query_one(CronEditor)
        await wait_until(pilot, lambda: screen.populated)
        assert (editor.expression, editor.method, editor.options) == ("0 2 * * *", "auto", None)
        assert _summary(app) == "Options: none set"
        run_cli(
            "schedule", "--method", "cron", "--time", "15 4 * * *", *paths, "--timeout", "60", user=cron_user
        )
        await pilot.press("f5")
        await wait_until(pilot, lambda: editor.expression == "15 4 * * *" and "timeout 60s" in _summary(app))
        assert editor.method == "cron"
        await pilot.press("e", "ctrl+u", *"0 5 * * *", "escape")
        run_cli("schedule", "--method", "cron", "--time", "45 1 * * *", *paths, user=cron_user)
        await pilot.press("f5")
        await wait_until(pilot, lambda: any("the editor keeps your changes" in n for n in notes))
        assert editor.expression == "0 5 * * *" and "timeout 60s" in _summary(app)


async def test_systemd_keeps_the_open_files_limit_and_timeout_through_a_schedule_change(
    tmp_path: Path, fake_systemctl: FakeSystemctl, stand_in_binary: Path
) -> None:
    systemd = SystemdBackend(backups=BackupStore(tmp_path / "state" / "sb", kind="systemd"), system="Linux")
    job = NightlyJob(
        "0 2 * * *",
        stand_in_binary,
        stand_in_binary.parent.parent / "config.yaml",
        environment=(("LEVEL", "debug"),),
        timeout_seconds=600,
        number_of_files=4096,
    )
    systemd.apply(systemd.plan_install(job))
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, systemd=systemd)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        editor = screen.query_one(CronEditor)
        await wait_until(pilot, lambda: screen.populated and editor.method == "systemd")
        assert "open files 4096" in _summary(app) and "timeout 600s" in _summary(app)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OptionsScreen))
        assert app.screen.query_one("#files", Input).value == "4096"
        await pilot.press("escape")
        await pilot.press("e", "ctrl+u", *"30 3 * * *", "escape", "i")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert _changes(app.screen.plans[0]) == []  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, lambda: "# cron schedule: 30 3 * * *" in systemd.timer_path.read_text())
    service = systemd.service_path.read_text()
    assert "TimeoutStartSec=600\nLimitNOFILE=4096\n" in service and "EnvironmentFile=" in service
    assert systemd.list_jobs().jobs[0].job == NightlyJob(
        "30 3 * * *", job.binary, job.config, job.environment, timeout_seconds=600, number_of_files=4096
    )


async def test_after_an_uninstall_the_editor_keeps_the_job_and_a_failed_install_keeps_the_changes(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    config = str(stand_in_binary.parent.parent / "config.yaml")
    paths = ("--binary", str(stand_in_binary), "--config", config)
    run_cli("schedule", "--method", "cron", "--time", "15 4 * * *", *paths, "--timeout", "60", user=cron_user)
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        screen = main_screen(app)
        editor = screen.query_one(CronEditor)
        await wait_until(pilot, lambda: screen.populated and editor.expression == "15 4 * * *")
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: read_crontab(cron_user) is None)
        await wait_until(pilot, lambda: any(n.startswith("Removed 1 cron job(s)") for n in notes))
        await pilot.pause(0.3)
        assert editor.expression == "15 4 * * *" and "timeout 60s" in _summary(app)
        await pilot.press("f5")
        await pilot.pause(0.5)
        assert editor.expression == "15 4 * * *" and "timeout 60s" in _summary(app)

        await pilot.press("e", "ctrl+u", *"0 6 * * *", "escape", "i")  # put it back, at 6
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        write_crontab(cron_user, "# someone else, meanwhile\n")
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("changed since it was read" in n for n in notes))
        await pilot.pause(0.3)
        assert editor.expression == "0 6 * * *" and "timeout 60s" in _summary(app)
    assert read_crontab(cron_user) == "# someone else, meanwhile\n"


async def test_a_pasted_escape_sequence_is_refused_and_a_renamed_variable_replaces_its_namesake(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        record_notifications(app, notes)
        await wait_until(pilot, lambda: main_screen(app).populated)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OptionsScreen))
        name, value = app.screen.query_one("#env-name", Input), app.screen.query_one("#env-value", Input)
        for variable, text in (
            ("LEVEL", "debug"),
            ("MARK", "[bold]x[/] $(id) `id`"),
            ("TITLE", "\x1b]0;pwned\x07"),
        ):
            name.value, value.value = variable, text  # as a paste puts it there
            value.focus()
            await pilot.press("enter")
        assert notes[-1].startswith("The value of TITLE contains U+001B (ESCAPE)")
        assert _variables(app) == ["LEVEL=debug", "MARK=[bold]x[/] $(id) `id`"]
        await pilot.press("escape")  # drop the refused one
        listing = app.screen.query_one("#env-list", OptionList)
        listing.focus()
        listing.highlighted = 1
        await pilot.press("enter")  # edit MARK ...
        assert (name.value, value.value) == ("MARK", "[bold]x[/] $(id) `id`")
        await _replace_text(pilot, name, "LEVEL")  # ... into LEVEL: one LEVEL is left
        await pilot.press("enter")
        assert _variables(app) == ["LEVEL=[bold]x[/] $(id) `id`"]
        await pilot.press("x")  # remove it
        assert _variables(app) == [] and notes[-1] == "LEVEL removed (saved when the dialog is)."
