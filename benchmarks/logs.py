"""Last 1,000 lines of a 1 MiB and a 1 GiB log: time and peak memory, against GNU `tail -n 1000`.

Run by hand: `python benchmarks/logs.py`. Targets (issue 5): the 1 GiB time within 1.5x of the 1 MiB
time, peak memory growth under 10 MiB. The files are generated in a temporary directory and removed.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from prompt_alchemy_scheduler_tui.backends.log_tail import last_lines

MIB = 1024 * 1024
RUNS = 20
LEVELS = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"]
MESSAGES = [
    "ranking prompts for provider={p} model={m} batch={b}",
    "retrained {b} prompt rankings in {ms} ms (score delta {d:+.4f})",
    "fetched {b} interactions since last run from ~/.prompt-alchemy/db.sqlite",
    "provider {p} returned HTTP 429, retrying in {ms} ms",
    "nightly: wrote rankings snapshot {b} ({ms} KiB)",
]


def write_log(path: Path, size: int) -> None:
    """Real-looking nightly log lines until `size` bytes, written in 8 MiB chunks."""
    rng = random.Random(7)
    moment = datetime(2026, 11, 1, 2, 0)
    lines = []
    for _ in range(20_000):
        moment += timedelta(milliseconds=rng.randint(1, 900))
        message = rng.choice(MESSAGES).format(
            p=rng.choice(["openai", "anthropic", "google", "ollama"]),
            m=rng.choice(["o4", "sonnet", "gemini-2", "llama3"]),
            b=rng.randint(1, 5000),
            ms=rng.randint(1, 90_000),
            d=rng.uniform(-1, 1),
        )
        lines.append(f"{moment.isoformat(timespec='milliseconds')} {rng.choice(LEVELS):5} {message}\n")
    pattern = "".join(lines).encode()
    with path.open("wb") as handle:
        written = 0
        while written < size:
            piece = pattern[: size - written] if size - written < len(pattern) else pattern
            handle.write(piece)
            written += len(piece)
        if not piece.endswith(b"\n"):
            handle.write(b"\n")


def time_ours(path: Path) -> tuple[float, float]:
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        chunk = last_lines(path, 1000)
        timings.append(time.perf_counter() - began)
        assert len(chunk.lines) == 1000
    tracemalloc.start()
    last_lines(path, 1000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(timings) * 1000, peak / MIB


def time_tail(path: Path) -> float:
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        subprocess.run(["tail", "-n", "1000", str(path)], stdout=subprocess.DEVNULL, check=True)
        timings.append(time.perf_counter() - began)
    return statistics.median(timings) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pa-logs-bench-") as folder:
        results = {}
        for name, size in (("1 MiB", MIB), ("1 GiB", 1024 * MIB)):
            path = Path(folder) / f"{name.replace(' ', '')}.log"
            write_log(path, size)
            ours, peak = time_ours(path)
            tail = time_tail(path)
            results[name] = ours
            print(
                f"{name}: ours {ours:.3f} ms (peak traced memory {peak:.2f} MiB), GNU tail {tail:.3f} ms, ratio {ours / tail:.2f}"
            )
            path.unlink()
        ratio = results["1 GiB"] / results["1 MiB"]
        print(f"1 GiB / 1 MiB time: {ratio:.2f}x (target within 1.5x: {'met' if ratio <= 1.5 else 'MISSED'})")


if __name__ == "__main__":
    main()
