"""The app once started: keystroke to preview painted, idle CPU while following both logs, memory.

Run by hand: `python benchmarks/steady_state.py [KEYSTROKES [IDLE_SECONDS]]` (default 40 and 10). Each
app runs in a fresh interpreter, headless at 120x40, with TMPDIR and the log directory in a private
temporary directory holding two small fixture logs (as in startup.py), and is driven by Textual's
Pilot once its first screen is populated:
- keystroke to preview: the schedule editor is focused, then Backspace and `*` are pressed in turn at
  the end of the expression (each changes it, so each is explained anew); the time runs from the key
  being sent to the refresh after the preview has shown that keystroke's expression;
- idle CPU: process CPU time (every thread) over IDLE_SECONDS with nothing pressed, while the follow
  loop polls both logs, as a share of one core;
- memory: resident set size (VmRSS) after that idle period.
The minimal one-label Textual app of startup.py gives the last two for comparison. Headless, nothing
is written to a terminal: a real one adds the writing of each frame, and an input thread.
The app sees this machine's own schedulers (as startup.py does): with a job installed, the editor
starts from its schedule.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMON = """
import asyncio, json, os, sys, time

def rss_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0

async def idle(seconds):
    began_cpu, began = time.process_time(), time.monotonic()
    await asyncio.sleep(seconds)
    return 100 * (time.process_time() - began_cpu) / (time.monotonic() - began)
"""

MINIMAL = (
    COMMON
    + """
from textual.app import App
from textual.widgets import Label

class Minimal(App):
    def compose(self):
        yield Label("hello")

async def main(keystrokes, seconds):
    app = Minimal()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(2)
        cpu = await idle(seconds)
        print(json.dumps({"idle_cpu": cpu, "rss_kib": rss_kib()}))

asyncio.run(main(int(sys.argv[1]), float(sys.argv[2])))
"""
)

OURS = (
    COMMON
    + """
from pathlib import Path
from textual.widgets import Input
from prompt_alchemy_scheduler_tui.app.main_screen import MainScreen
from prompt_alchemy_scheduler_tui.app.screen_sources import ScreenSources
from prompt_alchemy_scheduler_tui.app.tui import SchedulerApp, _make_service
from prompt_alchemy_scheduler_tui.backends.path_discovery import find_binary, find_config

class MeasuredScreen(MainScreen):
    painted = None  # (expression, time) of the last preview painted

    def on_preview_ready(self, message):
        # Runs before MainScreen's own handler (Textual calls both): the refresh it waits for is the
        # one that paints what that handler shows.
        expression = message.explanation.expression
        self.call_after_refresh(lambda: setattr(self, "painted", (expression, time.perf_counter())))

class Measured(SchedulerApp):
    def get_default_screen(self):
        super().get_default_screen()  # its start-up settings
        return MeasuredScreen(self.sources)

async def main(keystrokes, seconds):
    sources = ScreenSources(
        service_factory=lambda: _make_service(None),
        log_directory=Path(os.environ["PA_BENCH_LOGS"]),
        find_paths=lambda: (find_binary(), find_config()),
    )
    app = Measured(sources)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        deadline = time.monotonic() + 30
        while not screen.populated:
            assert time.monotonic() < deadline, "the first screen was never populated"
            await pilot.pause(0.01)
        await pilot.pause(1)
        await pilot.press("e", "end")
        field = screen.query_one("#expression", Input)
        latencies = []
        for number in range(keystrokes):
            key = "backspace" if number % 2 == 0 else "asterisk"
            sent = time.perf_counter()
            await pilot.press(key)
            expected = field.value.strip()  # the screen explains the expression without its outer spaces
            deadline = time.monotonic() + 10
            while screen.painted is None or screen.painted[0] != expected:
                assert time.monotonic() < deadline, f"the preview of {expected!r} was never painted"
                await asyncio.sleep(0.0005)
            latencies.append((screen.painted[1] - sent) * 1000)
            await pilot.pause(0.05)
        await pilot.press("escape")
        await pilot.pause(2)
        cpu = await idle(seconds)
        print(json.dumps({"keystroke_ms": latencies, "idle_cpu": cpu, "rss_kib": rss_kib()}))

asyncio.run(main(int(sys.argv[1]), float(sys.argv[2])))
"""
)


def run(code: str, environment: dict[str, str], keystrokes: int, seconds: float) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", code, str(keystrokes), str(seconds)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env=environment,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main(keystrokes: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="pa-steady-") as private:
        logs = Path(private)
        (logs / "prompt-alchemy-nightly.log").write_text(
            'time="2026-11-26T02:00:01Z" level=info msg="Using config file: /home/me/.prompt-alchemy/config.yaml"\n'
        )
        (logs / "prompt-alchemy-nightly.error.log").write_text("Error: failed to open database\n")
        environment = {**os.environ, "TMPDIR": private, "PA_BENCH_LOGS": private}
        minimal = run(MINIMAL, environment, keystrokes, seconds)
        ours = run(OURS, environment, keystrokes, seconds)
    latencies = [float(value) for value in ours["keystroke_ms"]]  # type: ignore[attr-defined]
    print(
        f"keystroke to preview painted: median {statistics.median(latencies):.1f} ms, "
        f"max {max(latencies):.1f} ms of {len(latencies)}"
    )
    print(
        f"idle CPU over {seconds:g} s: ours {ours['idle_cpu']:.2f}%, minimal app {minimal['idle_cpu']:.2f}%"
    )
    print(
        f"RSS: ours {int(ours['rss_kib']) / 1024:.1f} MB, minimal app {int(minimal['rss_kib']) / 1024:.1f} MB"
    )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 40,
        float(sys.argv[2]) if len(sys.argv) > 2 else 10.0,
    )
