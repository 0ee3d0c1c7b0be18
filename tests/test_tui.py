"""The TUI driven with Textual's Pilot over the real backends (real crontab, real files)."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from pathlib import Path

from textual import events
from textual.widgets import DataTable, Input

from prompt_alchemy_scheduler_tui.app.editor_start import EditorChoice
from prompt_alchemy_scheduler_tui.app.main_screen import MainScreen
from prompt_alchemy_scheduler_tui.app.messages import JobsLoaded
from prompt_alchemy_scheduler_tui.app.tui import SchedulerApp
from prompt_alchemy_scheduler_tui.backends.crontab_entry import MARKER
from prompt_alchemy_scheduler_tui.widgets.jobs_table import JobsTable
from prompt_alchemy_scheduler_tui.widgets.log_pane import LogPane
from prompt_alchemy_scheduler_tui.widgets.plan_screen import PlanScreen
from prompt_alchemy_scheduler_tui.widgets.schedule_view import ScheduleView
from prompt_alchemy_scheduler_tui.widgets.stable_footer import StableFooter
from tests.conftest import read_crontab, write_crontab
from tests.tui_support import main_screen, make_app, record_notifications, wait_until

FOREIGN = "# theirs\n0 5 * * * /usr/bin/backup\n"


def _text(footer: StableFooter) -> str:
    """The footer's keys as laid out (a key cut off at the right edge has no room)."""
    shown = [key for key in footer.children if key.region.width and key.region.right <= footer.region.right]
    return " ".join(str(key.render()) for key in shown)


def _preview(app) -> str:  # type: ignore[no-untyped-def]
    return str(main_screen(app).query_one(ScheduleView).render())


async def test_typing_an_expression_updates_the_preview(tmp_path: Path, stand_in_binary: Path) -> None:
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated)
        assert "At 02:00" in _preview(app) and "(in 17 h 49 min)" in _preview(app)
        await pilot.press("e")
        main_screen(app).query_one("#expression", Input).value = ""
        await pilot.press(*"0 4 1 * *")
        await wait_until(pilot, lambda: "At 04:00, on day 1 of the month" in _preview(app))
        assert "Tue 2026-12-01 04:00  (in 4 d 19 h)" in _preview(app)


async def test_invalid_expression_shows_the_error_and_blocks_install(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, FOREIGN)
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated)
        await pilot.press("e")
        main_screen(app).query_one("#expression", Input).value = "5/15 * * * *"
        await wait_until(pilot, lambda: "puts a step after a single value" in _preview(app))
        await pilot.press("escape", "i")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, PlanScreen)
    assert read_crontab(cron_user) == FOREIGN


async def test_install_and_uninstall_through_the_real_crontab(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, FOREIGN)
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.populated)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: MARKER in (read_crontab(cron_user) or ""))
        table = screen.query_one("#cron-jobs", JobsTable).query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        assert [str(cell) for cell in table.get_row_at(0)[:4]] == [
            "0 2 * * *",
            "At 02:00",
            "in 17 h 49 min",
            "managed",
        ]

        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        screen_plans = app.screen.plans  # type: ignore[attr-defined]
        assert [(p.method, len(p.removed)) for p in screen_plans] == [("cron", 1)]
        await pilot.press("enter")
        await wait_until(pilot, lambda: read_crontab(cron_user) == FOREIGN)
        await wait_until(pilot, lambda: table.row_count == 0)
        await wait_until(
            pilot,
            lambda: any(n.startswith("Removed 1 cron job(s). Previous crontab saved to") for n in notes),
        )


async def test_dry_run_shows_the_plan_and_writes_nothing(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, FOREIGN)
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert "+++ crontab (new)" in app.screen.plans[0].diff  # type: ignore[attr-defined]
        assert app.screen.confirm_label is None  # type: ignore[attr-defined]
        await pilot.press("enter")  # Enter only closes a dry run
        await pilot.pause(0.3)
    assert read_crontab(cron_user) == FOREIGN


async def test_appended_log_lines_show_up_in_their_pane(tmp_path: Path, stand_in_binary: Path) -> None:
    log = tmp_path / "prompt-alchemy-nightly.log"
    log.write_text("earlier run\n")
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot, lambda: main_screen(app).populated and len(main_screen(app).query(LogPane)) == 2
        )
        pane = next(p for p in main_screen(app).query(LogPane) if p.info.path == log)
        await wait_until(pilot, lambda: "earlier run" in pane.log_view.lines)
        with log.open("a") as handle:
            handle.write("retrained 42 rankings\n")
        await wait_until(pilot, lambda: "retrained 42 rankings" in pane.log_view.lines, timeout=3)


async def test_backend_failure_becomes_a_notification(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    write_crontab(cron_user, FOREIGN)
    refusing = tmp_path / "crontab"
    refusing.write_text(
        '#!/bin/sh\nfor a in "$@"; do [ "$a" = - ] && { echo "disk full" >&2; exit 1; }; done\nexec /usr/bin/crontab "$@"\n'
    )
    refusing.chmod(0o755)
    app = make_app(
        tmp_path / "state",
        tmp_path,
        stand_in_binary,
        crontab_user=cron_user,
        crontab_executable=str(refusing),
    )
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        await wait_until(pilot, lambda: main_screen(app).populated)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: any("crontab refused the new crontab (exit 1): disk full" in n for n in notes)
        )
        assert app.is_running
    assert read_crontab(cron_user) == FOREIGN


async def test_uninstall_names_each_legacy_line_and_leaves_lookalikes(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    legacy = "0 3 * * * /usr/local/bin/prompt-alchemy --config /etc/pa.yaml nightly"
    lookalikes = "0 1 * * * prompt-alchemy export --tag nightly\n0 2 * * * rm -rf /srv/x " + MARKER + "\n"
    write_crontab(cron_user, lookalikes + legacy + "\n")
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        await wait_until(pilot, lambda: main_screen(app).populated)
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        (plan,) = app.screen.plans  # type: ignore[attr-defined]
        assert [job.location for job in plan.removed] == ["crontab line 3"]
        assert any("crontab line 2 carries this tool's marker" in note for note in plan.notes)
        await pilot.press("enter")
        await wait_until(pilot, lambda: read_crontab(cron_user) == lookalikes)
        await wait_until(pilot, lambda: any(f"entry at crontab line 3: {legacy}." in n for n in notes))


async def test_run_now_refuses_to_run_another_users_job_as_you(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        await wait_until(pilot, lambda: main_screen(app).populated)
        await pilot.press("r")
        await wait_until(pilot, lambda: any(f"this crontab belongs to {cron_user}" in n for n in notes))
    assert not (tmp_path / "prompt-alchemy-nightly.log").exists()


async def test_a_preset_leaves_no_focus_so_keys_act_and_the_same_preset_applies_again(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    from textual.widgets import Select

    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.populated)
        presets = screen.query_one("#presets", Select)
        presets.value = "0 1 * * 0"
        await wait_until(pilot, lambda: screen.query_one("#expression", Input).value == "0 1 * * 0")
        assert app.focused is None and presets.is_blank()
        await pilot.press("d")  # an action, not typing into the expression
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert screen.query_one("#expression", Input).value == "0 1 * * 0"
        await pilot.press("escape")
        screen.query_one("#expression", Input).value = "5 5 * * *"
        presets.value = "0 1 * * 0"  # the same preset again
        await wait_until(pilot, lambda: screen.query_one("#expression", Input).value == "0 1 * * 0")


async def test_refused_actions_say_why_and_the_input_shows_it_is_invalid(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.populated)
        expression = screen.query_one("#expression", Input)
        await pilot.press("e")
        expression.value = "61 * * * *"
        await wait_until(pilot, lambda: not screen.explanation_valid)
        await wait_until(pilot, lambda: expression.has_class("-invalid"))
        await pilot.press("escape")
        for key, words in (
            ("i", "Cannot install"),
            ("d", "Cannot show a dry run"),
            ("r", "Cannot run the job"),
        ):
            await pilot.press(key)
            await wait_until(pilot, lambda words=words: any(n.startswith(words) for n in notes))
        assert not isinstance(app.screen, PlanScreen)


async def test_the_chosen_theme_is_kept_between_runs(tmp_path: Path, stand_in_binary: Path) -> None:
    from prompt_alchemy_scheduler_tui.backends.app_settings import saved_theme

    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated)
        app.theme = "nord"
        await wait_until(pilot, lambda: saved_theme() == "nord")
    again = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(again).populated)
        assert again.theme == "nord"


async def test_quit_and_help_stay_in_the_footer_at_80_columns(tmp_path: Path, stand_in_binary: Path) -> None:
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated)
        # The footer lays its keys out after the screen's first refresh: wait for it, not for a moment.
        footer = main_screen(app).query_one(StableFooter)
        await wait_until(pilot, lambda: "Quit" in _text(footer) and "Help" in _text(footer))
        await pilot.press("q")
    assert not app.is_running


async def test_choosing_a_job_shows_its_whole_command(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    from prompt_alchemy_scheduler_tui.widgets.job_details_screen import JobDetailsScreen

    deep = "/home/pa/a-long-path-that-a-table-column-cuts-short/bin/prompt-alchemy"
    write_crontab(cron_user, f"0 3 * * * {deep} --config /home/pa/.prompt-alchemy/config.yaml nightly\n")
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.populated)
        table = screen.query_one("#cron-jobs", JobsTable).query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        table.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, JobDetailsScreen))
        details = app.screen.details.plain  # type: ignore[attr-defined]
        assert f"{deep} --config /home/pa/.prompt-alchemy/config.yaml nightly" in details
        assert "legacy: written by the old Go tool" in details and "crontab line 1" in details
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, JobDetailsScreen))


async def test_a_dialog_shows_its_own_keys_not_the_main_screens(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        await pilot.pause(0.2)
        footer = str(app.screen.query_one("Footer").render()) + " ".join(
            str(key.render()) for key in app.screen.query("FooterKey")
        )
        assert "Cancel" in footer and "Uninstall" not in footer and "Run now" not in footer


async def test_question_mark_toggles_a_help_screen_with_panels_keys_and_files(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    from prompt_alchemy_scheduler_tui.widgets.help_screen import HelpScreen

    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen.text.plain  # type: ignore[attr-defined]
        for words in (
            "What the screen shows",
            "Platform",
            "Install",
            "Uninstall",
            "Where files are written",
            "cron backups",
            "Keys in a log pane",
            "next search match",
            "only errors and warnings",
            "previous run's start",
        ):
            assert words in text, words
        assert re.search(r"\n  e +Edit\n  Esc +Leave editor\n  o +Options\n", text)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen))
        await pilot.press("question_mark", "escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_keys_typed_before_the_screen_has_its_widgets_do_nothing(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    """The screen's widgets are mounted a moment after it is shown (see MainScreen.on_mount); keys typed
    ahead land in between. Priority keys (`e`, `/`) are acted on at once: they used to find no editor and
    end the app with a traceback."""

    class LateContent(MainScreen):
        async def _mount_content(self) -> None:
            await asyncio.sleep(0.3)
            await super()._mount_content()

    class TypedAhead(SchedulerApp):
        def get_default_screen(self) -> MainScreen:
            super().get_default_screen()
            return LateContent(self.sources)

        def on_ready(self) -> None:
            for key in ("e", "slash"):
                self.post_message(events.Key(key, None))

    app = TypedAhead(make_app(tmp_path / "state", tmp_path, stand_in_binary).sources)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated)
        assert app.is_running and app.focused is None
        await pilot.press("e")
        assert app.focused is main_screen(app).query_one("#expression", Input)


async def test_the_footer_catches_up_with_keys_that_changed_while_the_terminal_was_in_the_background(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    """Textual's Footer does not recompose while the app is in the background (another window has
    focus); the keys must still be right when it comes back."""
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated)
        footer = main_screen(app).query_one(StableFooter)
        await wait_until(pilot, lambda: "Quit" in _text(footer))
        assert "Leave editor" not in _text(footer)
        app.post_message(events.AppBlur())
        await pilot.pause()
        # Focus moves into the editor (a click, say): "Leave editor" is offered, and signalled now.
        main_screen(app).set_focus(main_screen(app).query_one("#expression", Input))
        await pilot.pause(0.2)
        assert "Leave editor" not in _text(footer)  # the footer waits for the app to come back
        app.post_message(events.AppFocus())
        await wait_until(pilot, lambda: "Leave editor" in _text(footer))


async def test_a_listing_that_answers_after_a_newer_one_is_not_shown(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    """Listings run in workers side by side (a refresh while an install reloads the jobs); the one that
    started first may answer last, and must not put the older state back."""

    class Recording(MainScreen):
        answers: list[JobsLoaded] = []

        def on_jobs_loaded(self, message: JobsLoaded) -> None:
            self.answers.append(message)  # MainScreen's own handler runs next

    class App(SchedulerApp):
        def get_default_screen(self) -> MainScreen:
            super().get_default_screen()
            return Recording(self.sources)

    app = App(make_app(tmp_path / "state", tmp_path, stand_in_binary).sources)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.populated)
        newest = Recording.answers[-1]
        older_state = EditorChoice("0 5 * * *", "auto", None)
        screen.post_message(replace(newest, start=older_state, editor="take", stamp=newest.stamp - 1))
        await pilot.pause(0.2)
        assert screen.query_one("#expression", Input).value == "0 2 * * *"
        screen.post_message(replace(newest, start=older_state, editor="take", stamp=newest.stamp + 1))
        await wait_until(pilot, lambda: screen.query_one("#expression", Input).value == "0 5 * * *")
