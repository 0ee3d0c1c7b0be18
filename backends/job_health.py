"""Is the nightly job healthy? Its runs, its schedule and its scheduler's own word, put together.

Unhealthy means one of: the last run failed (or ended without recording its end), a scheduled run was
missed since the last success (no run recorded for it: the machine was off or asleep, or the daemon
stopped), the last success is older than the schedule's longest gap plus a grace, the scheduler itself
reports a failed last run, or runs are not recorded at all (a job installed before run recording).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from prompt_alchemy_scheduler_tui.backends.cron_syntax import CronSyntaxError, parse_expression
from prompt_alchemy_scheduler_tui.backends.relative_time import until
from prompt_alchemy_scheduler_tui.backends.run_history import RunView
from prompt_alchemy_scheduler_tui.backends.run_records import RecordBook
from prompt_alchemy_scheduler_tui.backends.run_times import NeverFiresError, next_runs
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import InstalledJob

NOT_RECORDED = "no run records yet (installed before run recording): install again to record runs"
NOT_RECORDED_HERE = (
    "runs of another user's job are not recorded where this tool looks (their records, if any, are in "
    "that user's own state directory): run status as that user"
)
LOOKBACK = timedelta(days=7)  # missed runs are looked for this far back at most...
LOOKBACK_RUNS = 100  # ...and over at most this many scheduled times
ON_TIME = timedelta(
    minutes=2
)  # cron starts a job within its minute; the recorder's clock reads seconds later
EARLY = timedelta(seconds=60)  # a run recorded a little before its time (a clock set by NTP)...
MAX_GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class JobHealth:
    """What `status` prints and the TUI's health line shows."""

    healthy: bool
    problems: tuple[str, ...]
    last_run: RunView | None
    last_success: RunView | None
    running: RunView | None
    next_run: datetime | None
    missed: tuple[datetime, ...]
    late: tuple[datetime, ...]  # run later than scheduled, once the machine was back (launchd, systemd)
    recorded: bool
    interval: timedelta | None  # the schedule's longest gap between runs
    missed_policy: str  # what the scheduler does about a missed run
    not_recorded: str = NOT_RECORDED  # why runs are not recorded, when they are not (and what to do)

    def summary(self, now: datetime) -> str:
        """One line for people: the last run and the next, or what is wrong first."""
        parts = []
        if self.running is not None:
            parts.append(f"running since {_clock(self.running.started, now)}")
        if self.missed:
            parts.append("missed " + ", ".join(_clock(moment, now) for moment in self.missed[-3:]))
        if self.last_run is not None and self.last_run is not self.running:
            run = self.last_run
            seconds = run.record.seconds
            took = f", {_duration(seconds)}" if seconds is not None else ""
            parts.append(f"last run {_clock(run.started, now)}{took}, {run.outcome.summary}")
        elif self.last_run is None and self.recorded:
            parts.append("no runs recorded yet")
        if not self.recorded:
            parts.append(self.not_recorded.partition(": ")[0])
        if self.last_success is not None and (not self.healthy or self.last_success is not self.last_run):
            parts.append(f"last success {_ago(self.last_success.started, now)}")
        if self.next_run is not None:
            parts.append(f"next {until(self.next_run, now)}")
        return " · ".join(parts)

    def as_json(self) -> dict[str, object]:
        return {
            "healthy": self.healthy,
            "problems": list(self.problems),
            "last_run": self.last_run.as_json() if self.last_run else None,
            "last_success": self.last_success.as_json() if self.last_success else None,
            "running": self.running.as_json() if self.running else None,
            "next_run": self.next_run.isoformat() if self.next_run else None,
            "missed": [moment.isoformat() for moment in self.missed],
            "late": [moment.isoformat() for moment in self.late],
            "recorded": self.recorded,
            "interval_seconds": int(self.interval.total_seconds()) if self.interval else None,
            "missed_runs_policy": self.missed_policy,
        }


def job_health(
    job: InstalledJob,
    views: Sequence[RunView],
    book: RecordBook,
    now: datetime,
    catches_up: bool,
    missed_policy: str,
    not_recorded: str = NOT_RECORDED,
) -> JobHealth:
    """The health of `job` from its run views (oldest first) and the record store, at `now`;
    `not_recorded` is the problem shown when its runs are not recorded.

    Only scheduled runs judge the job: a "run now" runs as you, from your terminal, and its success
    does not show that the scheduler's run works (nor does its failure show that it fails). It is still
    the last run shown.
    """
    scheduled = [view for view in views if view.record.trigger == "scheduled"]
    ended = [view for view in scheduled if not view.running]
    running = next((view for view in reversed(views) if view.running), None)
    last_run = views[-1] if views else None
    last_ended = ended[-1] if ended else None
    last_success = next((view for view in reversed(ended) if view.succeeded), None)
    times = _schedule_times(job.expression, now)
    interval = _longest_gap(times.upcoming)
    problems: list[str] = []
    missed: list[datetime] = []
    late: list[datetime] = []
    if not job.recorded:
        problems.append(not_recorded)
    else:
        since = _counting_from(book, views, job.method)
        if since is not None:
            missed, late = _missed_runs(
                times.recent(since, now, interval),
                [v for v in views if v.record.trigger == "scheduled"],
                catches_up,
            )
        if last_ended is not None and not last_ended.succeeded:
            problems.append(
                f"last run failed: {last_ended.outcome.summary} ({_clock(last_ended.started, now)})"
            )
        after_success = [m for m in missed if last_success is None or m > last_success.started]
        if after_success:
            shown = ", ".join(_clock(moment, now) for moment in after_success[-3:])
            problems.append(f"missed {len(after_success)} scheduled run(s) ({shown}): {missed_policy}")
        stale = _staleness(last_success, since, interval, now, running)
        if stale:
            problems.append(stale)
    problems += _scheduler_word(job, last_ended)
    return JobHealth(
        healthy=not problems,
        problems=tuple(problems),
        last_run=last_run,
        last_success=last_success,
        running=running,
        next_run=job.next_run,
        missed=tuple(missed),
        late=tuple(late),
        recorded=job.recorded,
        interval=interval,
        missed_policy=missed_policy,
        not_recorded=not_recorded,
    )


@dataclass(frozen=True)
class _ScheduleTimes:
    expression: str
    upcoming: list[datetime]

    def recent(self, since: datetime, now: datetime, interval: timedelta | None) -> list[datetime]:
        """Scheduled times in [since, now - ON_TIME], at most LOOKBACK_RUNS of the latest."""
        if interval is None:
            return []
        # In now's zone: `since` comes from a Unix time with a fixed UTC offset, and times computed in
        # that offset would be an hour off on every day past a daylight-saving change.
        start = max(since, now - LOOKBACK, now - interval * LOOKBACK_RUNS).astimezone(now.tzinfo)
        try:
            times = next_runs(
                parse_expression(self.expression), start - timedelta(seconds=1), LOOKBACK_RUNS + 1
            )
        except (CronSyntaxError, NeverFiresError, ValueError):
            return []
        return _once_per_wall_clock([moment for moment in times if moment <= now - ON_TIME])[-LOOKBACK_RUNS:]


def _once_per_wall_clock(times: list[datetime]) -> list[datetime]:
    """The times without the second of two with the same wall-clock time (the hour repeated when the
    clocks go back): cron does not run a job of a fixed time again in the repeated hour (cron(8),
    "Special considerations exist when the clock is changed"), nor does a calendar timer."""
    seen: set[datetime] = set()
    kept = []
    for moment in times:
        wall = moment.replace(tzinfo=None)  # naive: equal whatever the fold
        if wall not in seen:
            seen.add(wall)
            kept.append(moment)
    return kept


def _schedule_times(expression: str, now: datetime) -> _ScheduleTimes:
    try:
        upcoming = next_runs(parse_expression(expression), now, 30)
    except (CronSyntaxError, NeverFiresError, ValueError):
        upcoming = []
    return _ScheduleTimes(expression, upcoming)


def _longest_gap(times: list[datetime]) -> timedelta | None:
    gaps = [later - earlier for earlier, later in pairwise(times)]
    return max(gaps) if gaps else None


def _counting_from(book: RecordBook, views: Sequence[RunView], method: str) -> datetime | None:
    """Since when scheduled runs are expected: the last install, else the first recorded run."""
    install = book.last_install(method) or book.last_install()
    if install is not None:
        return datetime.fromtimestamp(install.time).astimezone()
    return views[0].started if views else None


def _missed_runs(
    scheduled: list[datetime], runs: Sequence[RunView], catches_up: bool
) -> tuple[list[datetime], list[datetime]]:
    """Scheduled times with no run started for them: missed, and (for schedulers that run a missed job
    once the machine is back) those run late."""
    # In Unix seconds: arithmetic on two datetimes of one zone is wall-clock arithmetic in Python, so
    # 03:00 minus a minute on the morning the clocks go forward would be 02:59, an hour that never was.
    starts = sorted(view.record.started for view in runs)
    early, on_time_for = EARLY.total_seconds(), ON_TIME.total_seconds()
    times = [moment.timestamp() for moment in scheduled]
    # ...but never more than a quarter of the shortest gap, or a run could stand for the next time.
    gaps = [later - earlier for earlier, later in pairwise(times)]
    early = min(early, min(gaps) / 4) if gaps else early
    # Each run stands for one scheduled time only: the latest one at or before it (with a little slack
    # for clocks), so a run at 14:59 cannot also stand for 15:00 on a schedule that fires every minute.
    served: dict[int, int] = {}
    for start in starts:
        index = bisect_right(times, start + early) - 1
        if index >= 0:
            served.setdefault(index, start)
    missed, late = [], []
    for index, moment in enumerate(scheduled):
        served_by = served.get(index)
        if served_by is not None and served_by < times[index] + on_time_for:
            continue
        if catches_up and served_by is not None:
            late.append(moment)  # run once the machine was back, before the next scheduled time
        else:
            missed.append(moment)
    return missed, late


def _staleness(
    last_success: RunView | None,
    since: datetime | None,
    interval: timedelta | None,
    now: datetime,
    running: RunView | None = None,
) -> str | None:
    """A last success too long ago; not while a scheduled run is still going (a long training run is
    not a missed one: its own time limit, if any, ends it)."""
    if interval is None or (running is not None and running.record.trigger == "scheduled"):
        return None
    allowed = interval + min(interval, MAX_GRACE)
    if last_success is not None:
        if now - last_success.started > allowed:
            return (
                f"last success {until(last_success.started, now)}, longer than the schedule's "
                f"{_duration(int(interval.total_seconds()))} between runs"
            )
        return None
    if since is not None and now - since > allowed:
        return f"no successful run since it was installed {until(since, now)}"
    return None


def _scheduler_word(job: InstalledJob, last_ended: RunView | None) -> list[str]:
    """The scheduler's own last exit status, when it tells of a failure the records do not show (a run
    that failed before the recorder started, e.g. a log file it could not open)."""
    status = job.last_exit_status
    if status is None or status == 0:
        return []
    if last_ended is not None and last_ended.record.exit_status == status:
        return []
    return [f"{job.method} reports the last exit status {status}: look at the error log"]


def _ago(moment: datetime, now: datetime) -> str:
    return "just now" if (now - moment).total_seconds() < 60 else until(moment, now)


def _clock(moment: datetime, now: datetime) -> str:
    """02:00 today, "Tue 02:00" this week, else the date."""
    local = moment.astimezone(now.tzinfo)
    if local.date() == now.date():
        return local.strftime("%H:%M")
    if abs((now - local).days) < 6:
        return local.strftime("%a %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
