"""The one screen: platform, schedule editor and preview, both job tables, log panes.

All I/O (crontab, launchctl, file reads, path discovery) runs in thread workers; results come back as
messages from app/messages.py and errors as BackendFailed, shown in one place with notify(). The log
panes and their one follow loop belong to widgets/logs_panel.py, which reads files in its own workers.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Header, Input, OptionList
from textual.worker import Worker, WorkerState, get_current_worker

from prompt_alchemy_scheduler_tui.app.editor_start import (
    NOTHING_INSTALLED,
    EditorChoice,
    EditorFollows,
    installed_choice,
)
from prompt_alchemy_scheduler_tui.app.help_content import help_screen_for
from prompt_alchemy_scheduler_tui.app.messages import (
    BackendFailed,
    JobsLoaded,
    PreviewReady,
    RunStarted,
    ServiceReady,
)
from prompt_alchemy_scheduler_tui.app.screen_sources import ScreenSources
from prompt_alchemy_scheduler_tui.backends.cron_syntax import DEFAULT_EXPRESSION
from prompt_alchemy_scheduler_tui.backends.job_options import options_summary
from prompt_alchemy_scheduler_tui.backends.log_files import LOG_DIRECTORY, installed_log_directory
from prompt_alchemy_scheduler_tui.backends.log_safety import UnsafeLogError, private_log_directory
from prompt_alchemy_scheduler_tui.backends.log_tail import visible
from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError
from prompt_alchemy_scheduler_tui.backends.path_discovery import PathCheck
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import (
    ChangePlan,
    Method,
    PlanAction,
    SchedulerError,
)
from prompt_alchemy_scheduler_tui.widgets.cron_editor import CronEditor
from prompt_alchemy_scheduler_tui.widgets.health_line import HealthLine
from prompt_alchemy_scheduler_tui.widgets.job_details_screen import JobDetailsScreen
from prompt_alchemy_scheduler_tui.widgets.jobs_table import JobsTable
from prompt_alchemy_scheduler_tui.widgets.logs_panel import LogsPanel
from prompt_alchemy_scheduler_tui.widgets.plan_screen import PlanScreen
from prompt_alchemy_scheduler_tui.widgets.platform_panel import PlatformPanel
from prompt_alchemy_scheduler_tui.widgets.restore_screen import RestoreScreen
from prompt_alchemy_scheduler_tui.widgets.run_lines_screen import RunLinesScreen
from prompt_alchemy_scheduler_tui.widgets.run_status import RunStatus
from prompt_alchemy_scheduler_tui.widgets.runs_table import RunsTable
from prompt_alchemy_scheduler_tui.widgets.schedule_view import ScheduleView
from prompt_alchemy_scheduler_tui.widgets.stable_footer import StableFooter

if TYPE_CHECKING:
    from prompt_alchemy_scheduler_tui.backends.backup_store import Backup
    from prompt_alchemy_scheduler_tui.backends.health_report import HealthReport
    from prompt_alchemy_scheduler_tui.backends.job_builder import BuiltJob, JobRequest
    from prompt_alchemy_scheduler_tui.backends.run_now import RunningJob
    from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService

# The schedulers, the job builder and "run now" are imported inside the workers that use them, off the
# UI thread: at start-up the screen is drawn while they load.


class MainScreen(Screen[None]):
    AUTO_FOCUS = ""  # nothing focused at start: no restyle, single-key actions work; `e` or Tab edits
    # Esc in a maximized log pane closes its search first (the pane's own binding), then restores it.
    ESCAPE_TO_MINIMIZE = False
    BINDINGS = [
        # Shown only while the editor has focus (see check_action), and then first: how to get out.
        Binding("escape", "leave_editor", "Leave editor", id="leave_editor"),
        # Quit and help next: a narrow footer cuts from the right, and these must stay visible.
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        # Shown, and active, only while a run is going (check_action): then it matters most.
        Binding("x", "cancel_run", "Cancel run", id="cancel_run"),
        Binding("l", "logs", "Logs", id="logs"),  # early: at 80 columns the logs are below the fold
        Binding("i", "install", "Install", id="install"),
        Binding("d", "dry_run", "Dry run", id="dry_run"),
        Binding("u", "uninstall", "Uninstall", id="uninstall"),
        Binding("r", "run_now", "Run now", id="run_now"),
        Binding("b", "restore", "Restore", id="restore"),
        # Priority (looked up as the key is read): keys typed right after these must reach the input
        # they focus, not the one-key actions below. Each yields the key to an input that has focus.
        Binding("e", "edit", "Edit", id="edit", priority=True),
        Binding("o", "options", "Options", id="options"),
        Binding("f5,ctrl+r", "refresh", "Refresh", id="refresh"),
        Binding("slash", "search_logs", "Search the logs", show=False, id="search-logs", priority=True),
    ]

    def __init__(self, sources: ScreenSources) -> None:
        super().__init__()
        self.sources = sources
        # Where the job logs: /tmp (or the given directory) until an installed job says otherwise.
        self.log_directory = sources.log_directory
        self.service: SchedulingService | None = None
        self.paths: tuple[PathCheck, PathCheck] | None = None
        self.explanation_valid = True
        self._previewing: tuple[str, str] | None = None
        self.run_status = RunStatus(id="run-status")
        self._report: HealthReport | None = None  # the last health report, for the job details
        # The editor's values for the installed job as last loaded: while the editor still holds them,
        # it follows the installed job; once the user changed something, it keeps their changes.
        self._loaded_choice = NOTHING_INSTALLED
        self.loaded: set[str] = set()  # "platform", "jobs", "logs", "preview": for the startup benchmark
        self._listing_stamps = itertools.count(1)  # next() is atomic: workers number their listings
        self._listing_shown = 0
        self._content_mounted = False  # see on_mount: until then, keys but q and ? do nothing

    def compose(self) -> ComposeResult:
        """Nothing yet: see on_mount."""
        return iter(())

    def on_mount(self) -> None:
        # Textual restyles a screen and everything in it when the screen is first shown (its
        # ScreenResume), after styling each widget as it was mounted: the whole screen twice, some 20 ms.
        # The content is mounted once that first restyle is over (it is already queued), so it is styled once.
        self.call_later(self._mount_content)
        # The workers need no widget: they start now. Their answers are messages to this screen, handled
        # in turn after the content is mounted.
        self._connect()
        self._request_preview(DEFAULT_EXPRESSION, "auto")

    async def _mount_content(self) -> None:
        await self.mount_all(self._content())
        self._content_mounted = True
        self.query_one(CronEditor).set_options(None, self._summary(None))
        self.watch(self, "focused", self._editor_hint)

    def _content(self) -> list[Widget]:
        editor = Vertical(CronEditor(id="editor"), ScheduleView(id="preview"), id="editor-box")
        # One table per registered scheduler.
        jobs = [JobsTable(method, id=f"{method}-jobs") for method in Method]
        main = VerticalScroll(
            Horizontal(PlatformPanel(id="platform"), editor, id="top"),
            Horizontal(*jobs, id="jobs"),
            RunsTable(id="runs"),
            LogsPanel(self.sources.log_directory, id="logs"),
            id="main",
        )
        return [Header(), HealthLine(id="health"), main, self.run_status, StableFooter()]

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "narrow")

    @property
    def populated(self) -> bool:
        """True once platform, jobs, logs, preview and the footer's keys have all been shown (the first
        full screen)."""
        return (
            self._content_mounted
            and {"platform", "jobs", "logs", "preview"} <= self.loaded
            and self.query_one(LogsPanel).shown
            and bool(self.query_one(StableFooter).children)
        )

    # Workers: every one runs off the UI thread and answers with a message.

    @work(thread=True, exclusive=True, group="service", exit_on_error=False)
    def _connect(self) -> None:
        """The platform, then at once (not after a round trip through the UI thread) the jobs."""
        try:
            service = self.sources.service_factory()
            paths = self.sources.find_paths()
        except SchedulerError as error:
            self.post_message(BackendFailed(str(error)))
            return
        self.post_message(ServiceReady(service, *paths))
        self._post_jobs(service, paths, "follow")

    @work(thread=True, exclusive=True, group="jobs", exit_on_error=False)
    def _load_jobs(self, editor: EditorFollows = "follow") -> None:
        if self.service is not None:
            self._post_jobs(self.service, self.paths, editor)

    def _post_jobs(
        self, service: SchedulingService, found: tuple[PathCheck, PathCheck] | None, editor: EditorFollows
    ) -> None:
        """The job tables and the editor's start, then (from the same listings) the runs, the health and
        the preflight (in a worker)."""
        from prompt_alchemy_scheduler_tui.backends.health_report import health_report
        from prompt_alchemy_scheduler_tui.backends.job_preflight import job_preflight

        stamp = next(self._listing_stamps)
        now = self.sources.clock()
        listings = service.list_all()
        binary, config = self.sources.chosen_paths
        chosen = (
            found[0].path if found and binary else None,
            found[1].path if found and config else None,
        )
        start, warning = installed_choice(listings, self.sources.log_directory, chosen)
        report = health_report(listings, service.schedulers, now, log_directory=self.sources.log_directory)
        checks = job_preflight(listings, found[1].path if found else None)
        self.post_message(JobsLoaded(listings, now, start, warning, editor, report, checks, stamp))

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def _explain(self, expression: str, method: str) -> None:
        now = self.sources.clock()
        zone = now.tzinfo if isinstance(now.tzinfo, ZoneInfo) else None
        from prompt_alchemy_scheduler_tui.backends.explain_views import explain_everything
        from prompt_alchemy_scheduler_tui.backends.schedule import Schedule
        from prompt_alchemy_scheduler_tui.backends.scheduler_registry import (
            SchedulerOptions,
            build_schedulers,
        )

        schedule = Schedule(expression)
        service = self.service
        schedulers = service.schedulers if service is not None else build_schedulers(SchedulerOptions())
        explanation = explain_everything(schedule, schedule.explain(start=now, zone=zone), schedulers)
        self.post_message(PreviewReady(explanation, method, now))

    @work(thread=True, exclusive=True, group="change", exit_on_error=False)
    def _plan(self, kind: str, choice: EditorChoice) -> None:
        """Plan (never write) and show the plan; "install" and "uninstall" then ask for confirmation."""
        if self.service is None:
            self.post_message(BackendFailed("Still detecting the platform; try again in a moment."))
            return
        try:
            if kind == "uninstall":
                plans = self.service.plan_uninstall_all()
                if not plans:
                    self.app.call_from_thread(self.notify, "No prompt-alchemy nightly job to remove.")
                    return
                self.app.call_from_thread(
                    self._confirm, "Uninstall: these jobs will be removed", plans, "Uninstall"
                )
                return
            built = self._built_job(choice)
            if built is None:
                return
            plans = self.service.plan_job_install(built, choice.method, dry_run=kind != "install")
            title = "Install: this will be written" if kind == "install" else "Dry run: nothing is written"
            label = "Install" if kind == "install" else None
            for advice in built.advice:
                self.app.call_from_thread(
                    self.notify,
                    visible(advice),
                    title="Warning",
                    severity="warning",
                    timeout=20,
                    markup=False,
                )
            self.app.call_from_thread(self._confirm, title, plans, label)
        except (SchedulerError, JobError) as error:
            self.post_message(BackendFailed(str(error)))

    @work(thread=True, exclusive=True, group="change", exit_on_error=False)
    def _apply(self, plans: list[ChangePlan]) -> None:
        assert self.service is not None
        try:
            results = self.service.apply(plans)
        except SchedulerError as error:
            self.post_message(BackendFailed(str(error)))
            self._load_jobs()  # the user's changes stay in the editor
            return
        for result in results:
            self.app.call_from_thread(
                self.notify, visible(result.message), title="Done", timeout=10, markup=False
            )
        # After an install or a restore the editor shows what is installed now; after an uninstall it
        # keeps the job that was removed, so that `i` puts it back.
        removed = all(plan.action is PlanAction.UNINSTALL for plan in plans)
        self._load_jobs("keep" if removed else "take")

    @work(thread=True, exclusive=True, group="run", exit_on_error=False)
    def _start_run(self, choice: EditorChoice) -> None:
        """Build and start the job; RunStarted always follows, with the run or with None."""
        running = None
        try:
            running = self._started_job(choice)
        finally:
            self.post_message(RunStarted(running))

    def _started_job(self, choice: EditorChoice) -> RunningJob | None:
        """The job started in its own session, or None when it did not start (the reason is posted)."""
        from prompt_alchemy_scheduler_tui.backends.run_now import start_failure_words, start_job_now

        built = self._built_job(choice)
        if built is None:
            return None
        if built.problems:
            self.post_message(BackendFailed("Cannot run: " + " ".join(built.problems)))
            return None
        assert self.service is not None
        try:
            scheduler = self.service.scheduler(choice.method)
            environment = scheduler.job_environment(built.job, Path.home())
            if get_current_worker().is_cancelled:
                return None  # the app is closing: start nothing it would not be there to follow
            return start_job_now(built.job, environment, recorder=scheduler.recorder)
        except UnsafeLogError as error:
            self.post_message(BackendFailed(str(error)))
        except OSError as error:
            self.post_message(BackendFailed(f"Could not run the job: {start_failure_words(error)}"))
        except (JobError, SchedulerError) as error:
            self.post_message(BackendFailed(f"Could not run the job: {error}"))
        return None

    @work(thread=True, exclusive=True, group="change", exit_on_error=False)
    def _choose_backup(self) -> None:
        if self.service is None:
            return
        try:
            backups = [backup for _, backup in self.service.restorable_backups()]
        except SchedulerError as error:
            self.post_message(BackendFailed(str(error)))
            return
        if not backups:
            self.app.call_from_thread(self.notify, "No backups yet: one is taken before every change.")
            return
        self.app.call_from_thread(self._pick_backup, backups)

    def _built_job(self, choice: EditorChoice) -> BuiltJob | None:
        """The job from the editor: its schedule and options, with the paths shown in the platform panel
        where the options name none (None: reported). Checked as the command line's flags are."""
        if self.paths is None:
            self.post_message(
                BackendFailed("Still looking for the binary and config; try again in a moment.")
            )
            return None
        binary, config = self.paths
        from prompt_alchemy_scheduler_tui.backends.job_builder import JobRequest, build_job

        options = choice.options or JobRequest("", log_directory=self.log_directory)
        request = replace(
            options,
            expression=choice.expression,
            binary=options.binary or str(binary.path),
            config=options.config or str(config.path),
        )
        try:
            return build_job(request, os.environ, self.service.job_user if self.service is not None else None)
        except (ValueError, JobError) as error:
            self.post_message(BackendFailed(f"Not a valid job: {error}"))
            return None

    # UI-thread handlers.

    def _confirm(self, title: str, plans: list[ChangePlan], label: str | None) -> None:
        def done(confirmed: bool | None) -> None:
            if confirmed and label:
                self._apply(plans)

        self.app.push_screen(PlanScreen(title, plans, label), done)

    def _pick_backup(self, backups: list[Backup]) -> None:
        def chosen(name: str | None) -> None:
            if name:
                self._plan_restore(name)

        self.app.push_screen(RestoreScreen(backups), chosen)

    @work(thread=True, exclusive=True, group="change", exit_on_error=False)
    def _plan_restore(self, name: str) -> None:
        assert self.service is not None
        try:
            plan = self.service.plan_restore(name)
        except SchedulerError as error:
            self.post_message(BackendFailed(str(error)))
            return
        self.app.call_from_thread(self._confirm, f"Restore {name}", [plan], "Restore")

    def on_service_ready(self, message: ServiceReady) -> None:
        self.service = message.service
        self.paths = (message.binary, message.config)
        self.query_one(PlatformPanel).show(message.service.platform, message.binary, message.config)
        editor = self.query_one(CronEditor)
        editor.set_options(editor.options, self._summary(editor.options))  # compared with the paths found
        self.loaded.add("platform")

    def on_jobs_loaded(self, message: JobsLoaded) -> None:
        if message.stamp < self._listing_shown:
            return  # a listing older than the one shown
        self._listing_shown = message.stamp
        for listing in message.listings:
            self.query_one(f"#{listing.method}-jobs", JobsTable).show(listing, message.now)
        self.log_directory = installed_log_directory(message.listings) or self.sources.log_directory
        self.query_one(LogsPanel).show_directory(self.log_directory)
        if message.report is not None:
            self._report = message.report
            self.query_one(HealthLine).show(message.report, message.now)
            self.query_one(RunsTable).show(message.report, message.now)
        if message.checks is not None:
            self.query_one(PlatformPanel).show_checks(message.checks)
        self._follow_installed(message.start, message.warning, message.editor)
        self.loaded.add("jobs")

    def _follow_installed(self, start: EditorChoice, warning: str | None, mode: EditorFollows) -> None:
        """Put the installed job in the editor, unless the user has changed what the editor held."""
        previous, self._loaded_choice = self._loaded_choice, start
        current = self._editor_choice()
        if current == start or mode == "keep":
            return
        if current != previous and mode != "take":
            if start != previous:
                self.notify(
                    "The installed job changed since the editor showed it; the editor keeps your changes.",
                    timeout=10,
                )
            return
        editor = self.query_one(CronEditor)
        editor.load(start.expression, start.method)
        editor.set_options(start.options, self._summary(start.options))
        if warning:
            self.notify(warning, title="Options not read", severity="warning", timeout=20, markup=False)

    def on_runs_table_run_chosen(self, message: RunsTable.RunChosen) -> None:
        self.app.push_screen(RunLinesScreen(message.run))

    def on_jobs_table_job_chosen(self, message: JobsTable.JobChosen) -> None:
        report = self._report
        health: tuple[str, ...] = ()
        if report is not None and report.health is not None and report.job == message.job:
            health = (report.health.summary(message.now), *report.health.problems)
        self.app.push_screen(JobDetailsScreen(message.job, message.columns, message.now, health))

    @on(CronEditor.Changed)
    def _editor_changed(self, event: CronEditor.Changed) -> None:
        self._request_preview(event.expression, event.method)

    def _request_preview(self, expression: str, method: str) -> None:
        """Explain only what the preview does not already show (the editor reports its first values
        as changes when it mounts: those would be explained twice more at start)."""
        if (expression, method) != self._previewing:
            self._previewing = (expression, method)
            self._explain(expression, method)

    def on_preview_ready(self, message: PreviewReady) -> None:
        valid = message.explanation.valid
        self.query_one(ScheduleView).show(message.explanation, message.now, message.method)
        self.loaded.add("preview")
        self.explanation_valid = valid

    def on_run_started(self, message: RunStarted) -> None:
        self.run_status.started(message.running)
        self.refresh_bindings()  # the cancel key comes and goes with the run
        self._load_jobs()  # the run's record: the runs table and the health line show it running

    def on_run_status_ended(self) -> None:
        self.refresh_bindings()
        self._load_jobs()

    def on_logs_panel_ready(self) -> None:
        self.loaded.add("logs")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that died of an unexpected error: say so instead of failing silently."""
        if event.state is WorkerState.ERROR:
            self._notify_error(f"{event.worker.name} failed: {event.worker.error}")

    def on_backend_failed(self, message: BackendFailed) -> None:
        self._notify_error(message.message)

    def _notify_error(self, message: str) -> None:
        """Errors quote paths, link targets and tools' output: shown as plain text, never as markup, with
        control characters made visible (a planted file name may hold terminal escapes)."""
        shown = "\n".join(visible(line) for line in message.split("\n"))
        self.notify(shown, title="Error", severity="error", timeout=15, markup=False)

    # Actions (bindings and the command palette).

    def action_install(self) -> None:
        if self._refused("install"):
            return
        self._plan("install", self._editor_choice())

    def action_dry_run(self) -> None:
        if self._refused("show a dry run"):
            return
        self._plan("dry_run", self._editor_choice())

    def action_uninstall(self) -> None:
        self._plan("uninstall", self._editor_choice())

    def action_run_now(self) -> None:
        """One run at a time: while one starts or goes, `r` says so instead of starting another."""
        busy = self.run_status.busy()
        if busy is not None:
            self.notify(busy, severity="warning")
            return
        if self._refused("run the job"):
            return
        self.run_status.starting = True
        self._start_run(self._editor_choice())

    def action_cancel_run(self) -> None:
        self.notify(self.run_status.cancel() or "No run is going: nothing to cancel.")

    def _refused(self, what: str) -> bool:
        """While the schedule is invalid these actions say why instead of silently doing nothing."""
        if self.explanation_valid:
            return False
        self.notify(f"Cannot {what}: the schedule is not valid (see the preview).", severity="error")
        return True

    def _editor_choice(self) -> EditorChoice:
        """The editor's values, read here on the UI thread: workers never touch widgets."""
        editor = self.query_one(CronEditor)
        return EditorChoice(editor.expression, editor.method, editor.options)

    def _summary(self, options: JobRequest | None) -> str:
        found = (self.paths[0].path, self.paths[1].path) if self.paths is not None else (None, None)
        return options_summary(options, found, LOG_DIRECTORY, private_log_directory())

    def action_restore(self) -> None:
        self._choose_backup()

    def action_refresh(self) -> None:
        self._connect()
        self.query_one(LogsPanel).reopen()

    def action_edit(self) -> None:
        self._yield_to_input()
        # set_focus, not focus(), which waits for an idle moment: the keys typed right after `e`
        # (`@daily`) must find the input focused, not reach `d` (dry run) or `i` (install).
        self.set_focus(self.query_one("#expression", Input))

    def action_logs(self) -> None:
        self.query_one(LogsPanel).focus_next_pane()

    async def action_search_logs(self) -> None:
        self._yield_to_input()
        if not await self.query_one(LogsPanel).search():
            raise SkipAction()  # a focused pane handles `/` itself

    def _yield_to_input(self) -> None:
        """A priority key typed into an input is text for it, not an action; so is one typed into an open
        dropdown (a Select's list jumps to the option starting with it)."""
        if isinstance(self.focused, Input | OptionList):
            raise SkipAction()

    @on(Button.Pressed, "#options")
    def action_options(self) -> None:
        """The options dialog, on the editor's options (the defaults when none are set)."""
        from prompt_alchemy_scheduler_tui.backends.job_builder import JobRequest
        from prompt_alchemy_scheduler_tui.widgets.options_screen import OptionDefaults, OptionsScreen

        editor = self.query_one(CronEditor)
        found = self.paths
        defaults = OptionDefaults(
            binary=found[0].path if found else None,
            config=found[1].path if found else None,
            shared_logs=self.sources.log_directory,
            private_logs=private_log_directory(),
        )

        def saved(options: JobRequest | None) -> None:
            if options is not None:
                editor.set_options(options, self._summary(options))

        start = editor.options or JobRequest("", log_directory=self.log_directory)
        self.app.push_screen(OptionsScreen(start, defaults), saved)

    def _editor_hint(self, focused: Widget | None) -> None:
        """How to leave the editor, while it has focus (its title and the footer's first key); how to get
        into it, while it has not."""
        inside = self._editing
        hint = "Esc leaves the editor" if inside else "e edits · o options"
        self.query_one("#editor-box").border_title = f"Schedule ({hint})"
        self.refresh_bindings()

    @property
    def _editing(self) -> bool:
        focused = self.focused
        return focused is not None and self.query_one("#editor-box") in focused.ancestors_with_self

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys offered only when they do something: "Leave editor" in the editor or with a maximized
        log (Esc restores it), the cancel key while a run is going."""
        if not self._content_mounted:
            # A key typed before the screen has its widgets (typed ahead of the start) acts on nothing
            # but help (q quits anyway: the app checks its own actions).
            return action == "help"
        if action == "leave_editor":
            return self._editing or self.maximized is not None
        if action == "cancel_run":
            return self.run_status.running is not None
        return True

    def action_help(self) -> None:
        backups = (
            [
                (unit.method, unit.backups.directory)
                for unit in self.service.schedulers
                if unit.backups is not None
            ]
            if self.service is not None
            else []
        )
        self.app.push_screen(help_screen_for(self.BINDINGS, self.log_directory, backups))

    def action_leave_editor(self) -> None:
        """Esc: restore a maximized panel, else leave whatever has focus (single keys act again)."""
        if self.maximized is not None:
            self.minimize()
        else:
            self.set_focus(None)
