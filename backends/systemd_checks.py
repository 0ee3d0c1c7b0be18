"""What the platform panel and `doctor` say about systemd user timers here: whether a user manager
answers (and its version: `StandardOutput=append:` needs systemd 240, systemd.exec(5)), whether the
user lingers (loginctl(1): without it the user's manager, and so the timer, runs only while they are
logged in), and whether our installed timer is enabled and active."""

from __future__ import annotations

from typing import Protocol

from prompt_alchemy_scheduler_tui.backends.check_result import CheckResult, CheckStatus
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import PlatformFact, SchedulerError, Tone
from prompt_alchemy_scheduler_tui.backends.systemctl import Linger, ManagerState, Systemctl
from prompt_alchemy_scheduler_tui.backends.systemd_state import TimerState
from prompt_alchemy_scheduler_tui.backends.systemd_units import TIMER_NAME

MIN_VERSION = 240  # StandardOutput=append: (systemd.exec(5)) came with systemd 240
LABEL = "systemd --user"


class ManagerProbe(Protocol):
    """What the checks ask (the backend answers each once per instance)."""

    system: str
    user: str
    systemctl: Systemctl

    def manager(self) -> ManagerState: ...

    def version(self) -> int | None: ...

    def linger(self) -> Linger: ...

    def timer_state(self) -> TimerState: ...


def platform_facts(probe: ManagerProbe) -> tuple[PlatformFact, ...]:
    if probe.system != "Linux":
        return (PlatformFact(LABEL, "not available (Linux only)", Tone.MUTED),)
    try:
        probe.systemctl.executable()
    except SchedulerError:
        return (PlatformFact(LABEL, "systemctl not installed", Tone.MUTED),)
    manager = probe.manager()
    if not manager.reachable:
        return (PlatformFact(LABEL, f"not reachable (no user manager: {manager.detail})", Tone.WARN),)
    version = probe.version()
    too_old = version is not None and version < MIN_VERSION
    facts = [
        PlatformFact(
            LABEL,
            f"manager reachable (systemd {version or '?'}"
            + (f", older than {MIN_VERSION}: cannot append to logs)" if too_old else ")"),
            Tone.BAD if too_old else Tone.OK,
        )
    ]
    linger = probe.linger()
    if linger.enabled:
        facts.append(PlatformFact("linger", "on: timers run while you are logged out", Tone.OK))
    elif linger.enabled is False:
        facts.append(PlatformFact("linger", "off: timers run only while you are logged in", Tone.WARN))
    else:
        facts.append(PlatformFact("linger", f"unknown ({linger.detail})", Tone.MUTED))
    return tuple(facts)


def doctor_checks(probe: ManagerProbe, *, installed: bool, needed: bool) -> list[CheckResult]:
    """`needed`: our timer is installed or `auto` uses systemd here; only then is a problem a failure
    (or, for lingering, a warning) rather than a note about a scheduler the user does not use."""
    try:
        probe.systemctl.executable()
    except SchedulerError:
        return [
            CheckResult(
                LABEL, CheckStatus.WARN, "systemctl not installed", "Only needed for --method systemd."
            )
        ]
    manager = probe.manager()
    if not manager.reachable:
        return [
            CheckResult(
                LABEL,
                CheckStatus.FAIL if needed else CheckStatus.WARN,
                f"no user manager reachable: {manager.detail}",
                "systemd user timers need a login session that runs systemd --user "
                f"(`loginctl enable-linger {probe.user}` starts one at boot)"
                + (
                    ": the installed timer cannot run without it."
                    if installed
                    else "; only needed for --method systemd."
                ),
            )
        ]
    checks = [_version_check(probe, needed), _linger_check(probe, needed)]
    if installed:
        checks.append(_timer_check(probe))
    return checks


def _version_check(probe: ManagerProbe, needed: bool) -> CheckResult:
    name = LABEL
    version = probe.version()
    if version is None:
        return CheckResult(
            name, CheckStatus.WARN, "manager reachable; could not read systemctl --version", ""
        )
    if version < MIN_VERSION:
        return CheckResult(
            name,
            CheckStatus.FAIL if needed else CheckStatus.WARN,
            f"systemd {version} is older than {MIN_VERSION}: StandardOutput=append: (the job's logs) is "
            "not supported",
            "Use --method cron, or upgrade systemd.",
        )
    return CheckResult(name, CheckStatus.OK, f"manager reachable (systemd {version})", "")


def _linger_check(probe: ManagerProbe, needed: bool) -> CheckResult:
    linger = probe.linger()
    fix = f"loginctl enable-linger {probe.user}"
    if linger.enabled:
        return CheckResult("linger", CheckStatus.OK, "on: the job runs while you are logged out too", "")
    if linger.enabled is False:
        if not needed:
            return CheckResult(
                "linger",
                CheckStatus.OK,
                "off (matters only for --method systemd)",
                f"If you use it: {fix}",
            )
        return CheckResult("linger", CheckStatus.WARN, "off: the job runs only while you are logged in", fix)
    return CheckResult(
        "linger",
        CheckStatus.WARN if needed else CheckStatus.OK,
        f"could not tell ({linger.detail})",
        f"Check with: loginctl show-user {probe.user} -p Linger; turn on with: {fix}",
    )


def _timer_check(probe: ManagerProbe) -> CheckResult:
    fix = f"{Systemctl.shown('enable', '--now', TIMER_NAME)} (or install again)"
    try:
        state = probe.timer_state()
    except SchedulerError as error:
        return CheckResult("systemd timer", CheckStatus.WARN, f"state unknown: {error}", "")
    line = f"{TIMER_NAME} {state.enabled}, {state.active}"
    if state.is_enabled and state.is_active:
        return CheckResult("systemd timer", CheckStatus.OK, line, "")
    return CheckResult("systemd timer", CheckStatus.WARN, line + ": the job will not run", fix)
