"""How long reading the run record store takes, median of 21 reads of a store of 10,000 runs.

Reported twice: what every refresh does (read the file, keep the newest 1,000 runs as records, as the
store promises) and, for comparison, building all 10,000 as records. The recorder trims the store near
2,000 runs, so 10,000 is a bound with room to spare. Run by hand: python benchmarks/run_records.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.run_recorder import KEEP_RUNS, RunRecorder
from prompt_alchemy_scheduler_tui.backends.run_records import parse_records, read_records

RUNS = 10_000


def store_text(runs: int) -> bytes:
    lines = []
    for number in range(runs):
        started = 1_700_000_000 + number * 86_400
        pid = 1000 + number % 30000
        run_id = f"{started}-{pid}"
        lines.append(f"v1 start {run_id} scheduled {started} {pid}")
        lines.append(f"v1 end {run_id} scheduled {started} {started + 4} {number % 3}")
    return ("\n".join(lines) + "\n").encode()


def median_ms(read: Callable[[], int], expected: int) -> tuple[float, float]:
    timings = []
    for _ in range(21):
        began = time.perf_counter()
        count = read()
        timings.append(time.perf_counter() - began)
        assert count == expected, count
    return statistics.median(timings) * 1000, max(timings) * 1000


def main() -> None:
    data = store_text(RUNS)
    with tempfile.TemporaryDirectory() as folder:
        recorder = RunRecorder(Path(folder) / "run-nightly.sh", Path(folder) / "runs.log")
        recorder.records.write_bytes(data)
        kept = median_ms(lambda: len(read_records(recorder).runs), KEEP_RUNS)
        every = median_ms(lambda: len(parse_records(recorder.records.read_bytes(), keep=RUNS).runs), RUNS)
    print(f"store: {RUNS} runs, {len(data)} bytes")
    print(
        f"read_records (file read, newest {KEEP_RUNS} as records): median {kept[0]:.1f} ms, max {kept[1]:.1f} ms"
    )
    print(
        f"all {RUNS} built as records:                       median {every[0]:.1f} ms, max {every[1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
