"""Process start until the whole first screen is drawn, against a minimal Textual app showing one label.

Run by hand: `python benchmarks/startup.py [RUNS]` (default 11). The two apps run alternately, each in
a fresh interpreter, headless at 120x40, with TMPDIR and the log directory in a private temporary
directory holding two small fixture logs. Each reports the moment after the refresh that follows its
ready condition (shutdown is not counted):
- minimal: its label is mounted;
- ours: the footer, presets, platform text, every job table, the next runs and the last line of each
  log pane are on screen (MainScreen.populated).
Prints both medians and the ratio.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MINIMAL = """
from textual.app import App
from textual.widgets import Label

class Minimal(App):
    def compose(self):
        yield Label("hello")

    def on_mount(self):
        self.call_after_refresh(self._shown)

    def _shown(self):
        import time
        print(time.time())
        self.exit()

Minimal().run(headless=True, size=(120, 40))
"""

OURS = """
import os
from pathlib import Path
from prompt_alchemy_scheduler_tui.app.screen_sources import ScreenSources
from prompt_alchemy_scheduler_tui.app.tui import SchedulerApp
from prompt_alchemy_scheduler_tui.backends.path_discovery import find_binary, find_config
from prompt_alchemy_scheduler_tui.backends.service_factory import make_service

class Measured(SchedulerApp):
    _is_done = False

    def on_ready(self):
        self.set_interval(0.002, self._check)

    def _check(self):
        if not self._is_done and self.main_screen.populated:
            self._is_done = True
            self.call_after_refresh(self._shown)

    def _shown(self):
        import time
        print(time.time())
        self.exit()

sources = ScreenSources(
    service_factory=make_service,
    log_directory=Path(os.environ["PA_BENCH_LOGS"]),
    find_paths=lambda: (find_binary(), find_config()),
)
Measured(sources).run(headless=True, size=(120, 40))
"""


def run_once(code: str, environment: dict[str, str]) -> float:
    began = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True, env=environment
    )
    return (float(result.stdout.strip().splitlines()[-1]) - began) * 1000


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="pa-startup-") as private:
        logs = Path(private)
        (logs / "prompt-alchemy-nightly.log").write_text(
            'time="2026-11-26T02:00:01Z" level=info msg="Using config file: /home/me/.prompt-alchemy/config.yaml"\n'
            'time="2026-11-26T02:00:02Z" level=info msg="No new interactions"\n'
        )
        (logs / "prompt-alchemy-nightly.error.log").write_text("Error: failed to open database\n")
        environment = {**os.environ, "TMPDIR": private, "PA_BENCH_LOGS": private}
        run_once(MINIMAL, environment)  # warm the file cache for both
        run_once(OURS, environment)
        minimal, ours = [], []
        for _ in range(runs):  # interleaved, so a busy moment weighs on both alike
            minimal.append(run_once(MINIMAL, environment))
            ours.append(run_once(OURS, environment))
    low, high = statistics.median(minimal), statistics.median(ours)
    print(f"minimal Textual app: median {low:.0f} ms of {runs}")
    print(f"prompt-alchemy-scheduler-tui, whole first screen: median {high:.0f} ms of {runs}")
    print(f"ratio {high / low:.2f}x (target 1.6x: {'met' if high / low <= 1.6 else 'MISSED'})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 11)
