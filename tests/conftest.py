"""Shared fixtures: no test touches the developer's own home, state or crontab."""

from __future__ import annotations

import atexit
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from tests.ping_server import ping_server  # noqa: F401  (a fixture for every test module)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME and the XDG directories inside tmp_path (backups, LaunchAgents, config all land there)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    # Out of reach of the developer's own systemd user manager: `systemctl --user` finds no bus here.
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={runtime}/no-bus")
    return home


def _can_make_users() -> str | None:
    if os.geteuid() != 0:
        return "needs root to create a throwaway user and edit its crontab (crontab -u)"
    for tool in ("useradd", "userdel", "crontab"):
        if shutil.which(tool) is None:
            return f"needs {tool} (apt-get install --no-install-recommends cron passwd)"
    return None


@pytest.fixture
def cron_user() -> Iterator[str]:
    """A throwaway Unix user with no crontab; removed, crontab and all, afterwards."""
    reason = _can_make_users()
    if reason:
        pytest.skip(reason)
    name = f"pat{secrets.token_hex(4)}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/bin/sh", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["crontab", "-u", name, "-r"], capture_output=True, check=False)
        subprocess.run(["userdel", name], capture_output=True, check=False)


def read_crontab(user: str) -> str | None:
    """The crontab as bytes decoded (text mode would turn every `\r` into `\n`)."""
    result = subprocess.run(["crontab", "-u", user, "-l"], capture_output=True, check=False)
    return result.stdout.decode("utf-8", errors="surrogateescape") if result.returncode == 0 else None


def write_crontab(user: str, text: str) -> None:
    subprocess.run(
        ["crontab", "-u", user, "-"],
        input=text.encode("utf-8", errors="surrogateescape"),
        check=True,
        capture_output=True,
    )


@pytest.fixture
def stand_in_binary(tmp_path: Path) -> Path:
    """An executable `prompt-alchemy` and its config, so jobs can be built without the real program.
    The config names its data_dir, as a working setup does (without one the job gets --data-dir)."""
    binary = tmp_path / "bin" / "prompt-alchemy"
    binary.parent.mkdir()
    binary.write_text('#!/bin/sh\necho "nightly ran: $*"\n')
    binary.chmod(0o755)
    config = tmp_path / "config.yaml"
    config.write_text(f"providers: {{}}\ndata_dir: {tmp_path / 'data'}\n")
    config.chmod(0o600)
    return binary


class FakeLaunchctl:
    """Handle on the fake launchctl's records and state (see tests/fake_launchctl.py)."""

    def __init__(self, state: Path) -> None:
        self.state = state

    def calls(self) -> list[list[str]]:
        path = self.state / "calls.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def loaded(self) -> dict[str, dict[str, object]]:
        path = self.state / "loaded.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def set_loaded(self, label: str, pid: int | None, status: int) -> None:
        loaded = self.loaded()
        loaded[label] = {"pid": pid, "status": status}
        (self.state / "loaded.json").write_text(json.dumps(loaded))


@pytest.fixture
def fake_launchctl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeLaunchctl:
    """A recording `launchctl` first on PATH; launchd itself cannot run on Linux."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir(exist_ok=True)
    state = tmp_path / "launchctl-state"
    state.mkdir()
    script = bin_dir / "launchctl"
    source = Path(__file__).with_name("fake_launchctl.py")
    script.write_text(f"#!{sys.executable}\n" + source.read_text())
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_LAUNCHCTL_DIR", str(state))
    return FakeLaunchctl(state)


class FakeSystemctl:
    """Handle on the fake systemctl's records and the user manager's state (see tests/fake_systemctl.py)."""

    def __init__(self, state: Path) -> None:
        self.state_dir = state

    def calls(self) -> list[list[str]]:
        path = self.state_dir / "calls.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def changes(self) -> list[list[str]]:
        """The calls that change something (no `show`, `show-environment` or `--version`)."""
        reads = ("show", "show-environment")
        return [call[1:] for call in self.calls() if call[:1] == ["--user"] and call[1] not in reads]

    def loginctl_calls(self) -> list[list[str]]:
        path = self.state_dir / "loginctl-calls.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def state(self) -> dict[str, Any]:
        path = self.state_dir / "state.json"
        state: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
        for key, empty in (("loaded", {}), ("enabled", []), ("active", []), ("started", {}), ("props", {})):
            state.setdefault(key, empty)
        return state

    def set_state(self, **values: Any) -> None:
        state = self.state()
        state.update(values)
        (self.state_dir / "state.json").write_text(json.dumps(state))

    def set_props(self, unit: str, **props: str) -> None:
        """Properties `show` reports for `unit`; timestamps as ISO 8601 with a zone."""
        state = self.state()
        state["props"].setdefault(unit, {}).update(props)
        (self.state_dir / "state.json").write_text(json.dumps(state))


@pytest.fixture
def fake_systemctl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeSystemctl:
    """A recording `systemctl` and `loginctl` first on PATH, standing in for a user manager."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir(exist_ok=True)
    state = tmp_path / "systemctl-state"
    state.mkdir()
    source = Path(__file__).with_name("fake_systemctl.py")
    for name in ("systemctl", "loginctl"):
        script = bin_dir / name
        script.write_text(f"#!{sys.executable}\n" + source.read_text())
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_SYSTEMCTL_DIR", str(state))
    return FakeSystemctl(state)


def run_cli(
    *args: str, user: str | None = None, timeout: float | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command line (`python -m prompt_alchemy_scheduler_tui`), for `user`'s crontab when given;
    no standard input. `timeout` is a hang guard, never a timing assertion."""
    prefix = ["--crontab-user", user] if user else []
    return subprocess.run(
        [sys.executable, "-m", "prompt_alchemy_scheduler_tui", *prefix, *args],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        cwd=cwd,
    )


@pytest.fixture
def run_as_user(
    cron_user: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., subprocess.CompletedProcess[str]]]:
    """The command line run *as* the throwaway user, with a home of its own: for what only a user's
    own run can show (its own crontab, its private state directory). Root's interpreter lives under
    /root, which other users cannot enter, so Debian's python3 of the same version runs it, with this
    checkout and the venv's packages on its path; skipped where that user cannot read them."""
    python = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    site = next((p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()), None)
    root = Path(__file__).resolve().parent.parent
    if shutil.which("runuser") is None or not python.exists() or site is None:
        pytest.skip("needs runuser and Debian's python of the same version")
    home = Path(tempfile.mkdtemp(prefix="pa-home-"))
    account = pwd.getpwnam(cron_user)
    os.chown(home, account.pw_uid, account.pw_gid)
    probe = subprocess.run(
        ["runuser", "-u", cron_user, "--", "test", "-r", str(root / "app" / "cli.py"), "-a", "-r", site],
        check=False,
    )
    if probe.returncode != 0:  # a private checkout (CI clones into a 0700 directory): a readable copy
        root, site = _readable_copy(tmp_path_factory, root, site)
    bootstrap = (
        f"import sys; sys.path[:0] = [{str(root)!r}, {site!r}]; "
        "from prompt_alchemy_scheduler_tui.app.cli import main; sys.argv[0] = 'prompt-alchemy-scheduler-tui'; "
        "sys.exit(main(sys.argv[1:]))"
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        environment = {"HOME": str(home), "PATH": os.environ["PATH"], "LC_ALL": "C.UTF-8"}
        return subprocess.run(
            ["runuser", "--preserve-environment", "-u", cron_user, "--", str(python), "-c", bootstrap, *args],
            capture_output=True,
            text=True,
            check=False,
            env=environment,
            cwd=home,
            stdin=subprocess.DEVNULL,
        )

    run.home = home  # type: ignore[attr-defined]
    try:
        yield run
    finally:
        shutil.rmtree(home, ignore_errors=True)


_COPIES: dict[Path, tuple[Path, str]] = {}


def _readable_copy(factory: pytest.TempPathFactory, root: Path, site: str) -> tuple[Path, str]:
    """This checkout's code and the venv's packages copied once per session into a directory every user
    can read, for runs as another user when the checkout itself is private."""
    if root in _COPIES:
        return _COPIES[root]
    base = Path(tempfile.mkdtemp(prefix="pa-code-"))  # not under pytest's basetemp, which is 0700
    atexit.register(shutil.rmtree, base, True)
    base.chmod(0o755)
    for name in ("app", "backends", "widgets", "prompt_alchemy_scheduler_tui"):
        shutil.copytree(root / name, base / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    skip = shutil.ignore_patterns(
        "__pycache__", "mypy*", "ruff*", "hypothesis*", "_pytest", "pytest*", "*.pth"
    )
    shutil.copytree(site, base / "site-packages", symlinks=True, ignore=skip)
    for path in [base, *base.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    _COPIES[root] = (base, str(base / "site-packages"))
    return _COPIES[root]


def user_owned_stand_in(user: str, home: Path) -> list[str]:
    """A binary and config the user owns, as the --binary/--config arguments."""
    account = pwd.getpwnam(user)
    binary = home / "bin" / "prompt-alchemy"
    binary.parent.mkdir()
    binary.write_text("#!/bin/sh\necho ran\n")
    binary.chmod(0o755)
    config = home / "config.yaml"
    config.write_text("providers: {}\n")
    config.chmod(0o600)
    for path in (binary.parent, binary, config):
        os.chown(path, account.pw_uid, account.pw_gid)
    return ["--binary", str(binary), "--config", str(config)]


def example_job(**changes: object) -> NightlyJob:
    """A job with fixed absolute paths (nothing is checked on disk), `changes` applied."""
    values: dict[str, object] = {
        "schedule": "0 2 * * *",
        "binary": Path("/opt/pa/bin/prompt-alchemy"),
        "config": Path("/home/me/.prompt-alchemy/config.yaml"),
    }
    values.update(changes)
    return NightlyJob(**values)  # type: ignore[arg-type]
