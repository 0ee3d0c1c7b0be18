"""How often a foreign `crontab -` racing our install is lost while we say "Installed".

Run by hand as root (it creates a throwaway user): `python benchmarks/crontab_race.py [TRIALS [MIN_MS
MAX_MS]]`. Each trial starts our install (CronBackend, the real crontab) and, after a random delay
(default 0-100 ms), a
foreign writer that replaces the crontab with its own lines. Outcomes are counted: our install failed
and said so, the foreign write landed after ours (we said Installed, it overwrote us: its right), or
the foreign write was lost while we said Installed: the window that cron's lack of locking leaves.
Also prints how long that window is: from the start of our last `crontab -l` to the end of `crontab -`.
"""

from __future__ import annotations

import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerError

BASE = "# base\n"


def main(trials: int, low: float, high: float) -> None:
    user = f"parace{secrets.token_hex(3)}"
    subprocess.run(["useradd", "--no-create-home", user], check=True)
    work = Path(tempfile.mkdtemp(prefix="pa-race-"))
    binary = work / "prompt-alchemy"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    job = NightlyJob("0 2 * * *", binary, work / "config.yaml")
    counts = {"we failed, said so": 0, "foreign after ours": 0, "foreign lost, we said Installed": 0}
    windows: list[float] = []
    applies: list[float] = []
    try:
        for trial in range(trials):
            subprocess.run(["crontab", "-u", user, "-"], input=BASE.encode(), check=True)
            foreign = f"{BASE}0 6 * * * /usr/bin/foreign-{trial}\n"
            backend = CronBackend(CrontabCommand(user=user), BackupStore(work / "backups", owner=user))
            writer = threading.Thread(target=_foreign_write, args=(user, foreign, random.uniform(low, high)))
            plan = backend.plan_install(job)
            writer.start()
            began = time.perf_counter()
            try:
                backend.apply(plan)
                ok = True
            except SchedulerError:
                ok = False
            applies.append(time.perf_counter() - began)
            writer.join()
            final = subprocess.run(["crontab", "-u", user, "-l"], capture_output=True, text=True).stdout
            windows.append(_window(backend))
            if not ok:
                counts["we failed, said so"] += 1
            elif f"foreign-{trial}" in final:
                counts["foreign after ours"] += 1
            else:
                counts["foreign lost, we said Installed"] += 1
    finally:
        subprocess.run(["crontab", "-u", user, "-r"], capture_output=True)
        subprocess.run(["userdel", user], capture_output=True)
    for outcome, count in counts.items():
        print(f"{outcome:34} {count:4} of {trials}")
    print(f"apply took: median {statistics.median(applies) * 1000:.1f} ms")
    measured = [w for w in windows if w]
    if measured:
        print(
            f"window (last crontab -l start to crontab - end): median {statistics.median(measured) * 1000:.1f} ms"
        )


def _foreign_write(user: str, text: str, delay: float) -> None:
    time.sleep(delay)
    subprocess.run(["crontab", "-u", user, "-"], input=text.encode(), check=True)


def _window(backend: CronBackend) -> float:
    """Time one `crontab -l` + `crontab -` pair: the span nothing can protect against other editors."""
    began = time.perf_counter()
    current = backend.crontab.read()
    backend.crontab.write(current or "")
    return time.perf_counter() - began


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(
        int(arguments[0]) if arguments else 200,
        float(arguments[1]) / 1000 if len(arguments) > 1 else 0.0,
        float(arguments[2]) / 1000 if len(arguments) > 2 else 0.1,
    )
