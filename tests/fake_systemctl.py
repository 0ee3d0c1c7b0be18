"""A recorded stand-in for `systemctl --user` and `loginctl` (no systemd manager runs on test machines).

Installed on PATH as both `systemctl` and `loginctl` by the `fake_systemctl` fixture; it tells which one
it is by its own name. It records every call in $FAKE_SYSTEMCTL_DIR/calls.jsonl (loginctl's in
loginctl-calls.jsonl) and keeps the manager's state in state.json: the unit texts loaded at the last
`daemon-reload`, the enabled and active units, the text each unit was started with, and properties a
test sets. It reads unit files from the user unit directory ($XDG_CONFIG_HOME/systemd/user), links an
enabled timer into timers.target.wants like systemctl(1), and answers in systemctl's words:
"Unit file X does not exist.", "Unit X not loaded.", a warning when a unit changed on disk since the
last daemon-reload. Timestamps are printed in UTC only when TZ=UTC, in Central European time otherwise.

Told what to do through the environment: FAKE_SYSTEMCTL_UNREACHABLE=1 (no user manager: "Failed to
connect to bus"), FAKE_SYSTEMCTL_FAIL=<verb> (FAKE_SYSTEMCTL_FAIL_TIMES=n fails only n times),
FAKE_SYSTEMCTL_VERSION=N, FAKE_LOGINCTL_LINGER=yes|no|absent|unreachable.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

STATE = Path(os.environ["FAKE_SYSTEMCTL_DIR"])
TIMER_PROPERTIES = (
    "UnitFileState",
    "ActiveState",
    "SubState",
    "NextElapseUSecRealtime",
    "LastTriggerUSec",
    "Result",
)
SERVICE_PROPERTIES = (
    "UnitFileState",
    "ActiveState",
    "SubState",
    "Result",
    "ExecMainStatus",
    "ExecMainStartTimestamp",
)
TIMESTAMPS = ("NextElapseUSecRealtime", "LastTriggerUSec", "ExecMainStartTimestamp")
CET = timezone(timedelta(hours=1), "CET")


def _unit_directory() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path(os.environ["HOME"]) / ".config")
    return Path(base) / "systemd" / "user"


def _stamp(unit: str) -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path(os.environ["HOME"]) / ".local" / "share")
    return Path(base) / "systemd" / "timers" / f"stamp-{unit}"


def _state() -> dict[str, object]:
    path = STATE / "state.json"
    state: dict[str, object] = json.loads(path.read_text()) if path.exists() else {}
    for key, empty in (("loaded", {}), ("enabled", []), ("active", []), ("started", {}), ("props", {})):
        state.setdefault(key, empty)
    return state


def _save(state: dict[str, object]) -> None:
    (STATE / "state.json").write_text(json.dumps(state, indent=1))


def _should_fail(verb: str) -> bool:
    if os.environ.get("FAKE_SYSTEMCTL_FAIL") != verb:
        return False
    counter = STATE / "failures"
    done = int(counter.read_text()) if counter.exists() else 0
    if done >= int(os.environ.get("FAKE_SYSTEMCTL_FAIL_TIMES", "1000000")):
        return False
    counter.write_text(str(done + 1))
    return True


def _disk(unit: str) -> str | None:
    path = _unit_directory() / unit
    return path.read_text() if path.is_file() else None


def _timestamp(value: str) -> str:
    """A stored ISO time as systemctl prints it: `Thu 2026-11-26 02:00:00 UTC` (in CET unless TZ=UTC)."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value).astimezone(UTC if os.environ.get("TZ") == "UTC" else CET)
    return moment.strftime("%a %Y-%m-%d %H:%M:%S ") + moment.strftime("%Z")


def _start(state: dict[str, object], unit: str) -> None:
    loaded: dict[str, str] = state["loaded"]  # type: ignore[assignment]
    text = loaded.get(unit) if unit in loaded else _disk(unit)
    if unit in loaded and loaded[unit] != _disk(unit):
        print(
            f"Warning: The unit file, source configuration file or drop-ins of {unit} changed on disk. "
            "Run 'systemctl --user daemon-reload' to reload units.",
            file=sys.stderr,
        )
    active: list[str] = state["active"]  # type: ignore[assignment]
    if unit not in active:
        active.append(unit)
    state["started"][unit] = text  # type: ignore[index]
    if unit.endswith(".timer") and not _stamp(unit).exists():
        _stamp(unit).parent.mkdir(parents=True, exist_ok=True)
        _stamp(unit).touch()


def systemctl(argv: list[str]) -> int:
    with (STATE / "calls.jsonl").open("a") as calls:
        calls.write(json.dumps(argv) + "\n")
    if argv == ["--version"]:
        print(f"systemd {os.environ.get('FAKE_SYSTEMCTL_VERSION', '252')} (252.38-1~deb12u1)")
        print("+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP default-hierarchy=unified")
        return 0
    if argv[:1] != ["--user"]:
        print("This fake only knows --user.", file=sys.stderr)
        return 1
    if os.environ.get("FAKE_SYSTEMCTL_UNREACHABLE"):
        print("Failed to connect to bus: No medium found", file=sys.stderr)
        return 1
    verb, args = (argv[1], argv[2:]) if len(argv) > 1 else ("list-units", [])
    if _should_fail(verb):
        print(f"Failed to {verb} unit: Access denied", file=sys.stderr)
        return 1
    state = _state()
    units = [arg for arg in args if not arg.startswith("-")]
    enabled: list[str] = state["enabled"]  # type: ignore[assignment]
    active: list[str] = state["active"]  # type: ignore[assignment]
    loaded: dict[str, str] = state["loaded"]  # type: ignore[assignment]
    if verb == "show-environment":
        environment = state.get("environment") or {
            "HOME": os.environ["HOME"],
            "LANG": "C.UTF-8",
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "XDG_RUNTIME_DIR": "/run/user/1000",
        }
        for name, value in environment.items():  # type: ignore[union-attr]
            plain = all(c.isalnum() or c in "/:._-=+,@%" for c in value)
            print(f"{name}={value}" if plain else f"{name}=$'" + value.replace("'", "\\'") + "'")
        return 0
    if verb == "daemon-reload":
        directory = _unit_directory()
        state["loaded"] = (
            {p.name: p.read_text() for p in directory.glob("*") if p.is_file()} if directory.is_dir() else {}
        )
        _save(state)
        return 0
    if verb in ("enable", "disable"):
        (unit,) = units
        path = _unit_directory() / unit
        if not path.is_file():
            print(f"Failed to {verb} unit: Unit file {unit} does not exist.", file=sys.stderr)
            return 1
        link = _unit_directory() / "timers.target.wants" / unit
        if verb == "enable":
            if "[Install]" not in path.read_text():
                print(f"The unit files have no installation config (WantedBy=, ...): {unit}", file=sys.stderr)
            link.parent.mkdir(exist_ok=True)
            if not link.is_symlink():
                link.symlink_to(path)
                print(f"Created symlink {link} → {path}.", file=sys.stderr)
            if unit not in enabled:
                enabled.append(unit)
            if "--now" in args:
                _start(state, unit)
        else:
            if link.is_symlink():
                link.unlink()
                print(f'Removed "{link}".', file=sys.stderr)
            if unit in enabled:
                enabled.remove(unit)
            if "--now" in args and unit in active:
                active.remove(unit)
        _save(state)
        return 0
    if verb in ("start", "stop"):
        (unit,) = units
        if unit not in loaded and _disk(unit) is None:
            print(f"Failed to {verb} {unit}: Unit {unit} not loaded.", file=sys.stderr)
            return 5
        if verb == "start":
            _start(state, unit)
        elif unit in active:
            active.remove(unit)
        _save(state)
        return 0
    if verb == "clean":
        (unit,) = units
        if unit in active:
            print(f"Failed to clean unit {unit}: Unit is active", file=sys.stderr)
            return 1
        _stamp(unit).unlink(missing_ok=True)
        return 0
    if verb == "show":
        wanted = [arg.removeprefix("--property=") for arg in args if arg.startswith("--property=")]
        blocks = []
        for unit in units:
            known = TIMER_PROPERTIES if unit.endswith(".timer") else SERVICE_PROPERTIES
            on_disk = _disk(unit) is not None
            values = {
                "Id": unit,
                "UnitFileState": "enabled" if unit in enabled else ("disabled" if on_disk else ""),
                "ActiveState": "active" if unit in active else "inactive",
                "SubState": ("waiting" if unit in active else "dead") if unit.endswith(".timer") else "dead",
                "NextElapseUSecRealtime": "",
                "LastTriggerUSec": "",
                "Result": "success",
                "ExecMainStatus": "0",
                "ExecMainStartTimestamp": "",
                **state["props"].get(unit, {}),  # type: ignore[attr-defined]
            }
            lines = []
            for name in wanted:
                if name == "Id" or name in known:
                    value = values.get(name, "")
                    lines.append(f"{name}={_timestamp(value) if name in TIMESTAMPS else value}")
            blocks.append("\n".join(lines))
        print("\n\n".join(blocks))
        return 0
    print(f"Unknown command verb '{verb}'.", file=sys.stderr)
    return 1


def loginctl(argv: list[str]) -> int:
    with (STATE / "loginctl-calls.jsonl").open("a") as calls:
        calls.write(json.dumps(argv) + "\n")
    linger = os.environ.get("FAKE_LOGINCTL_LINGER", "no")
    if linger == "unreachable":
        print("Failed to connect to bus: No such file or directory", file=sys.stderr)
        return 1
    if linger == "absent":
        print("Failed to get user: User ID 1000 is not logged in or lingering", file=sys.stderr)
        return 1
    if argv[:1] == ["show-user"] and argv[2:] == ["--property=Linger"]:
        print(f"Linger={linger}")
        return 0
    print(f"Unknown command verb {argv[:1]}.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    program = systemctl if Path(sys.argv[0]).name == "systemctl" else loginctl
    sys.exit(program(sys.argv[1:]))
