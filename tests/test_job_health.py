"""Job health from records and schedules: missed runs (cron skips them, launchd and systemd run them
late on wake), staleness, a failed last run, a job that predates run recording, the scheduler's own
word, and daylight-saving changes."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from prompt_alchemy_scheduler_tui.backends.job_health import NOT_RECORDED, JobHealth, job_health
from prompt_alchemy_scheduler_tui.backends.run_history import RunView, run_views
from prompt_alchemy_scheduler_tui.backends.run_records import Install, RecordBook, RunRecord
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import InstalledJob, Method

UTC = ZoneInfo("UTC")
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TRAINED = 'time="x" level=info msg="Weights updated successfully" training_pairs=12'
FAILED = 'time="x" level=error msg="Failed to write config"'


@pytest.fixture(autouse=True)
def local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Records turn Unix seconds into local times: UTC unless a test sets another zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def use_zone(monkeypatch: pytest.MonkeyPatch, name: str) -> ZoneInfo:
    monkeypatch.setenv("TZ", name)
    time.tzset()
    return ZoneInfo(name)


def job(expression: str = "0 2 * * *", method: Method = Method.CRON, **changes: object) -> InstalledJob:
    values: dict[str, object] = {
        "method": method,
        "managed": True,
        "expression": expression,
        "description": "",
        "next_run": None,
        "command": "prompt-alchemy nightly",
        "location": "crontab line 1",
        "recorded": True,
    }
    values.update(changes)
    return InstalledJob(**values)  # type: ignore[arg-type]


class Book:
    """Runs and their log lines, written the way the recorder writes them."""

    def __init__(self, installed: datetime | None = None, method: str = "cron") -> None:
        self.records: list[RunRecord] = []
        self.stdout: list[str] = []
        self.installs = [Install(int(installed.timestamp()), method)] if installed else []

    def run(
        self,
        started: datetime,
        status: int | None = 0,
        lines: tuple[str, ...] = (TRAINED,),
        trigger: str = "scheduled",
        pid: int | None = None,
    ) -> Book:
        began = int(started.timestamp())
        run_id = f"{began}-{len(self.records) + 100}"
        ended = None if status is None else began + 30
        self.records.append(RunRecord(run_id, trigger, began, ended, status, pid))
        self.stdout.append(
            f"[prompt-alchemy-scheduler-tui] run {run_id} started {started:%Y-%m-%dT%H:%M:%S%z} {trigger}"
        )
        self.stdout.extend(lines)
        if status is not None:
            self.stdout.append(
                f"[prompt-alchemy-scheduler-tui] run {run_id} ended {started:%Y-%m-%dT%H:%M:%S%z} exit {status}"
            )
        return self

    def nightly(self, first: datetime, days: int, **options: object) -> Book:
        for day in range(days):
            self.run(first + timedelta(days=day), **options)  # type: ignore[arg-type]
        return self

    def views(self) -> list[RunView]:
        """Oldest first, as the store gives them."""
        return run_views(sorted(self.records, key=lambda record: record.started), self.stdout, [])

    def health(
        self, installed_job: InstalledJob | None = None, now: datetime = NOW, catches_up: bool = False
    ) -> JobHealth:
        book = RecordBook(tuple(self.records), tuple(self.installs))
        return job_health(installed_job or job(), self.views(), book, now, catches_up, "the policy")


def at(
    day: int, hour: int = 2, minute: int = 0, second: int = 4, zone: ZoneInfo = UTC, month: int = 11
) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=zone)


def test_a_job_that_ran_every_night_is_healthy() -> None:
    health = Book(installed=at(22, 12)).nightly(at(23), 4).health()
    assert health.healthy and health.problems == () and health.missed == ()
    assert health.last_run is health.last_success and health.last_run is not None
    assert health.last_run.started == at(26)
    assert health.interval == timedelta(days=1)
    assert "last run 02:00, 30 s, trained on 12 pairs" in health.summary(NOW)


def test_cron_skips_a_night_the_machine_was_off_and_that_is_a_missed_run() -> None:
    book = Book(installed=at(22, 12)).nightly(at(23), 2).run(at(26))  # nothing on the 25th
    health = book.health()
    assert health.missed == (at(25, second=0),) and health.late == ()
    assert health.healthy  # the run since succeeded: nothing to do about it now


def test_a_missed_run_after_the_last_success_is_a_problem() -> None:
    health = Book(installed=at(22, 12)).nightly(at(23), 2).health()  # nothing on the 25th nor 26th
    assert not health.healthy
    assert health.missed == (at(25, second=0), at(26, second=0))
    assert any(
        p.startswith("missed 2 scheduled run(s) (Wed 02:00, 02:00): the policy") for p in health.problems
    )


def test_for_cron_a_run_long_after_its_time_is_no_run_for_that_time() -> None:
    book = Book(installed=at(24, 12)).run(at(25)).run(at(26, 9))  # 09:00: not cron's doing
    health = book.health(catches_up=False)
    assert health.missed == (at(26, second=0),) and health.late == ()
    assert health.healthy  # it succeeded after the time it missed


def test_a_scheduler_that_catches_up_ran_late_on_wake_and_that_is_not_missed() -> None:
    book = Book(installed=at(24, 12), method="launchd").run(at(25)).run(at(26, 9))  # woke at 09:00
    health = book.health(job(method=Method.LAUNCHD), catches_up=True)
    assert health.late == (at(26, second=0),) and health.missed == ()
    assert health.healthy


def test_catching_up_after_several_nights_asleep_runs_once_for_the_last_of_them() -> None:
    """launchd coalesces the intervals missed while asleep into one run on wake."""
    book = Book(installed=at(21, 12), method="launchd").run(at(22)).run(at(26, 9))
    health = book.health(job(method=Method.LAUNCHD), catches_up=True)
    assert health.late == (at(26, second=0),)
    assert health.missed == tuple(at(day, second=0) for day in (23, 24, 25))
    assert health.healthy  # all before the last success


def test_a_run_started_a_little_early_or_late_is_on_time() -> None:
    book = Book(installed=at(24, 12)).run(at(25, 1, 59, 30)).run(at(26, 2, 1, 30))
    assert book.health().missed == ()


def test_manual_runs_neither_stand_for_a_scheduled_run_nor_judge_the_job() -> None:
    """A run now runs as you, from your terminal: it shows nothing about the scheduler's run."""
    book = Book(installed=at(24, 12)).run(at(25)).run(at(26, 2, 0, 30), trigger="manual")
    health = book.health()
    assert health.missed == (at(26, second=0),)
    assert health.last_success is not None and health.last_success.record.trigger == "scheduled"
    assert health.last_run is not None and health.last_run.record.trigger == "manual"
    assert not health.healthy and "missed 1 scheduled run(s)" in health.problems[0]


def test_the_last_run_failed() -> None:
    book = Book(installed=at(22, 12)).nightly(at(23), 3).run(at(26), status=1, lines=(FAILED,))
    health = book.health(now=at(26, 2, 30))
    assert not health.healthy
    assert health.problems == ("last run failed: failed (exit 1): Failed to write config (02:00)",)
    assert health.last_success is not None and health.last_success.started == at(25)


@pytest.mark.parametrize(
    ("status", "words"),
    [(124, "killed by the timeout"), (127, "not found"), (143, "killed by SIGTERM")],
)
def test_every_kind_of_failure_makes_the_job_unhealthy(status: int, words: str) -> None:
    health = Book(installed=at(24, 12)).run(at(25)).run(at(26), status=status, lines=()).health()
    assert not health.healthy and words in health.problems[0]


def test_a_run_that_ended_without_a_record_of_its_end_is_a_failure() -> None:
    health = Book(installed=at(24, 12)).run(at(25)).run(at(26), status=None, pid=None).health()
    assert not health.healthy and health.running is None
    assert "ended without a record of its end" in health.problems[0]


def test_a_run_going_on_now_is_running_not_failed() -> None:
    book = Book(installed=at(24, 12)).run(at(25, 11, 59)).run(at(26, 11, 59), status=None, pid=os.getpid())
    health = book.health(job("59 11 * * *"), now=NOW)
    assert health.running is not None and health.running is health.last_run
    assert health.healthy
    assert health.summary(NOW).startswith("running since 11:59")
    assert health.as_json()["running"] is not None


def test_a_last_success_older_than_the_longest_gap_and_a_grace_is_stale() -> None:
    """The daemon stopped: nothing ran, nothing failed."""
    book = Book(installed=at(20, 12)).run(at(21))
    health = book.health()
    assert any(
        p.startswith("last success 5 d 9 h ago, longer than the schedule's 24 h") for p in health.problems
    )


def test_a_success_within_the_gap_and_its_grace_is_not_stale() -> None:
    book = Book(installed=at(20, 12)).run(at(25))
    health = book.health(now=at(26, 2, 50))  # 24 h 50 min after: within the hour of grace
    assert not any("longer than" in p for p in health.problems)
    assert any("longer than" in p for p in book.health(now=at(26, 3, 10)).problems)


def test_no_success_since_the_install_is_stale() -> None:
    health = Book(installed=at(20, 12)).health()
    assert any(p.startswith("no successful run since it was installed 5 d 23 h ago") for p in health.problems)
    assert "no runs recorded yet" in health.summary(NOW)


def test_a_fresh_install_with_no_runs_yet_is_healthy() -> None:
    health = Book(installed=at(26, 11)).health()
    assert health.healthy and health.last_run is None and health.missed == ()


def test_a_job_installed_before_run_recording_says_so() -> None:
    health = Book().health(job(recorded=False))
    assert not health.healthy and health.problems == (NOT_RECORDED,)
    assert NOT_RECORDED.startswith("no run records yet (installed before run recording)")
    assert "no run records yet (installed before run recording)" in health.summary(NOW)
    assert health.as_json()["recorded"] is False


def test_the_schedulers_own_failed_exit_status_is_a_problem_the_records_do_not_show() -> None:
    """A run that failed before the recorder started (launchd could not open its log) leaves no record."""
    book = Book(installed=at(22, 12), method="launchd").nightly(at(23), 4)
    health = book.health(job(method=Method.LAUNCHD, last_exit_status=78), catches_up=True)
    assert health.problems == ("launchd reports the last exit status 78: look at the error log",)


def test_the_schedulers_exit_status_that_the_records_show_is_said_once() -> None:
    book = (
        Book(installed=at(22, 12), method="launchd").nightly(at(23), 3).run(at(26), status=1, lines=(FAILED,))
    )
    health = book.health(job(method=Method.LAUNCHD, last_exit_status=1), now=at(26, 3), catches_up=True)
    assert len(health.problems) == 1 and health.problems[0].startswith("last run failed")
    ok = Book(installed=at(22, 12), method="launchd").nightly(at(23), 4)
    assert ok.health(job(method=Method.LAUNCHD, last_exit_status=0), catches_up=True).healthy


def test_the_install_is_where_missed_runs_start_counting() -> None:
    health = Book(installed=at(25, 12)).run(at(26)).health()
    assert health.missed == () and health.healthy
    # no install recorded: from the first recorded run
    book = Book().run(at(24)).run(at(26))
    assert book.health().missed == (at(25, second=0),)


def test_missed_runs_are_looked_for_a_week_back_at_most() -> None:
    health = Book(installed=at(1, 12)).run(at(2)).health()
    assert len(health.missed) == 7
    assert health.missed[0] >= NOW - timedelta(days=7)


def test_spring_forward_the_run_cron_starts_after_the_skipped_hour_is_on_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """02:30 does not exist on 8 March 2026 in New York; cron runs the job soon after the change (cron(8))."""
    zone = use_zone(monkeypatch, "America/New_York")
    book = Book(installed=datetime(2026, 3, 5, 12, tzinfo=zone))
    for day in (6, 7, 9, 10):
        book.run(datetime(2026, 3, day, 2, 30, 5, tzinfo=zone))
    book.run(datetime(2026, 3, 8, 3, 0, 5, tzinfo=zone))
    health = book.health(job("30 2 * * *"), now=datetime(2026, 3, 10, 12, tzinfo=zone))
    assert health.missed == () and health.healthy, health.problems


def test_after_a_daylight_saving_change_scheduled_times_keep_their_wall_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Installed before the change: the times counted from then must not keep the old UTC offset
    (every run after it looked an hour off, and missed)."""
    zone = use_zone(monkeypatch, "Europe/Berlin")
    book = Book(installed=datetime(2026, 3, 26, 12, tzinfo=zone))
    for day in range(27, 32):
        book.run(datetime(2026, 3, day, 2 if day != 29 else 3, 0, 5, tzinfo=zone))
    health = book.health(job("0 2 * * *"), now=datetime(2026, 3, 31, 12, tzinfo=zone))
    assert health.missed == () and health.healthy, health.problems


def test_fall_back_the_repeated_hour_is_not_a_second_run_to_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    """01:30 happens twice on 1 November 2026 in New York; cron runs a job of a fixed time once."""
    zone = use_zone(monkeypatch, "America/New_York")
    book = Book(installed=datetime(2026, 10, 29, 12, tzinfo=zone))
    for day in (30, 31):
        book.run(datetime(2026, 10, day, 1, 30, 5, tzinfo=zone))
    book.run(datetime(2026, 11, 1, 1, 30, 5, tzinfo=zone))  # the first 01:30 (EDT)
    book.run(datetime(2026, 11, 2, 1, 30, 5, tzinfo=zone))
    health = book.health(job("30 1 * * *"), now=datetime(2026, 11, 2, 12, tzinfo=zone))
    assert health.missed == () and health.healthy, health.problems


@pytest.mark.parametrize(
    "expression",
    ["0 0 30 2 *", "0 0 31 4 *", "@reboot", "(no timer)", "(launchd intervals)", "61 * * * *", ""],
)
def test_a_schedule_that_never_fires_or_is_not_understood_does_not_raise(expression: str) -> None:
    health = Book(installed=at(20, 12)).run(at(25)).health(job(expression))
    assert health.missed == () and health.interval is None
    assert health.healthy
    assert isinstance(health.as_json(), dict) and health.summary(NOW)


def test_a_schedule_of_every_minute_with_runs_every_minute_is_healthy() -> None:
    book = Book(installed=NOW - timedelta(minutes=30))
    for minute in range(30):
        book.run(NOW - timedelta(minutes=30 - minute, seconds=-2))
    health = book.health(job("* * * * *"))
    assert health.missed == () and health.healthy, health.problems


def test_the_json_has_what_monitoring_reads() -> None:
    data = Book(installed=at(22, 12)).nightly(at(23), 4).health(job(next_run=at(27, second=0))).as_json()
    assert data["healthy"] is True and data["problems"] == [] and data["missed"] == []
    assert data["next_run"] == "2026-11-27T02:00:00+00:00"
    last_run = data["last_run"]
    assert isinstance(last_run, dict) and last_run["started"] == "2026-11-26T02:00:04+00:00"
    assert last_run["outcome"] == "trained" and last_run["exit_status"] == 0


def test_one_run_stands_for_one_scheduled_time_only() -> None:
    """On a schedule of every minute a run at 14:59 is 14:59's: the 15:00 that had no run is missed."""
    book = Book(installed=NOW - timedelta(minutes=10))
    for minute in range(10):
        if minute != 5:
            book.run(NOW - timedelta(minutes=10 - minute, seconds=-3))
    health = book.health(job("* * * * *"))
    assert health.missed == (NOW - timedelta(minutes=5),)


def test_a_long_scheduled_run_still_going_is_not_a_stale_job(monkeypatch: pytest.MonkeyPatch) -> None:
    """A training run that takes more than an hour: the last success is more than a day and an hour ago
    while it runs, and that is not a problem (its own time limit, if any, ends it)."""
    import os

    from prompt_alchemy_scheduler_tui.backends import run_history

    # The fixed clock of these tests is before this machine's boot: say the process is the run's.
    monkeypatch.setattr(run_history, "process_alive", lambda pid, started=None: pid == os.getpid())
    book = Book(installed=at(20, 12)).nightly(at(21), 5).run(at(26), status=None, pid=os.getpid())
    health = book.health(now=at(26, 3, 10))
    assert health.running is not None and health.healthy, health.problems
