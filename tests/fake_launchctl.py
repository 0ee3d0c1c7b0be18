"""A recorded stand-in for macOS's launchctl (launchd cannot run on Linux).

Installed on PATH as `launchctl` by the `fake_launchctl` fixture. It records every call in
$FAKE_LAUNCHCTL_DIR/calls.jsonl, keeps loaded jobs in loaded.json, parses plists it is asked to load,
and answers like launchctl(1) does: `Boot-out failed: 3: No such process` for a job that is not loaded,
`Bootstrap failed: 5: Input/output error` for one still loaded. Told to fail via environment:
FAKE_LAUNCHCTL_FAIL=<subcommand> (FAKE_LAUNCHCTL_FAIL_TIMES=n fails only n times),
FAKE_LAUNCHCTL_LEGACY_ONLY=1 (modern subcommands unrecognised, as before macOS 10.10).
"""

from __future__ import annotations

import json
import os
import plistlib
import sys
from pathlib import Path

STATE = Path(os.environ["FAKE_LAUNCHCTL_DIR"])


def _loaded() -> dict[str, dict[str, object]]:
    path = STATE / "loaded.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _save(loaded: dict[str, dict[str, object]]) -> None:
    (STATE / "loaded.json").write_text(json.dumps(loaded))


def _should_fail(command: str) -> bool:
    if os.environ.get("FAKE_LAUNCHCTL_FAIL") != command:
        return False
    counter = STATE / "failures"
    done = int(counter.read_text()) if counter.exists() else 0
    limit = int(os.environ.get("FAKE_LAUNCHCTL_FAIL_TIMES", "1000000"))
    if done >= limit:
        return False
    counter.write_text(str(done + 1))
    return True


def _label_of(plist_path: str) -> str:
    with open(plist_path, "rb") as handle:
        return str(plistlib.load(handle)["Label"])


def main(argv: list[str]) -> int:
    with (STATE / "calls.jsonl").open("a") as calls:
        calls.write(json.dumps(argv) + "\n")
    command = argv[0] if argv else ""
    if os.environ.get("FAKE_LAUNCHCTL_LEGACY_ONLY") and command in ("bootstrap", "bootout", "print"):
        print(f"Unrecognized subcommand: {command}", file=sys.stderr)
        return 1
    loaded = _loaded()
    if command == "bootstrap":
        if _should_fail("bootstrap"):
            print("Bootstrap failed: 5: Input/output error", file=sys.stderr)
            return 5
        label = _label_of(argv[2])
        if label in loaded:
            print("Bootstrap failed: 5: Input/output error", file=sys.stderr)
            return 5
        loaded[label] = {"pid": None, "status": 0}
        _save(loaded)
        return 0
    if command == "bootout":
        if _should_fail("bootout"):
            print("Boot-out failed: 1: Operation not permitted", file=sys.stderr)
            return 1
        label = argv[1].rsplit("/", 1)[-1]
        if label not in loaded:
            print("Boot-out failed: 3: No such process", file=sys.stderr)
            return 3
        del loaded[label]
        _save(loaded)
        return 0
    if command == "load":
        loaded[_label_of(argv[-1])] = {"pid": None, "status": 0}
        _save(loaded)
        return 0
    if command == "unload":
        loaded.pop(_label_of(argv[-1]), None)
        _save(loaded)
        return 0
    if command == "list":
        print("PID\tStatus\tLabel")
        for label, state in loaded.items():
            pid = "-" if state["pid"] is None else str(state["pid"])
            print(f"{pid}\t{state['status']}\t{label}")
        return 0
    print(f"Unrecognized subcommand: {command}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
