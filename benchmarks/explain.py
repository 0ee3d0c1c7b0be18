"""Time validate + describe + 10 next runs + warnings per expression, over 1,000+ expressions.

Run by hand: `python benchmarks/explain.py`. Target (issue 2): p99 under 5 ms, so the editor preview can
follow every keystroke. The corpus is seeded, so runs are comparable.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from prompt_alchemy_scheduler_tui.backends.schedule import Schedule

NEVER_FIRING = ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 2 *", "15 3 30,31 2 *", "0 0 31 11 *"]
DOCUMENTED_EXAMPLES = [
    "0 2 * * *",
    "30 3 * * *",
    "0 1 * * 0",
    "0 4 1 * *",
    "0 */6 * * *",
    "@daily",
    "@weekly",
]


def _field(rng: random.Random, low: int, high: int) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return "*"
    if kind == 1:
        return str(rng.randint(low, high))
    if kind == 2:
        a = rng.randint(low, high)
        return f"{a}-{rng.randint(a, high)}"
    if kind == 3:
        return f"*/{rng.randint(1, high - low + 1)}"
    if kind == 4:
        a = rng.randint(low, high)
        return f"{a}-{rng.randint(a, high)}/{rng.randint(1, 5)}"
    return ",".join(str(rng.randint(low, high)) for _ in range(rng.randint(2, 4)))


def corpus(size: int = 1200) -> list[str]:
    rng = random.Random(20261126)
    ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
    expressions = [" ".join(_field(rng, lo, hi) for lo, hi in ranges) for _ in range(size)]
    return expressions + NEVER_FIRING * 10 + DOCUMENTED_EXAMPLES * 10


def main() -> None:
    zone = ZoneInfo("Europe/Paris")
    start = datetime(2026, 11, 26, 8, 0, tzinfo=zone)
    expressions = corpus()
    Schedule("0 2 * * *").explain(count=10, start=start, zone=zone)  # warm imports and caches
    timings = []
    never = 0
    for expression in expressions:
        began = time.perf_counter()
        explanation = Schedule(expression).explain(count=10, start=start, zone=zone)
        timings.append((time.perf_counter() - began) * 1000)
        never += explanation.never_fires
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"expressions: {len(expressions)} (never firing: {never})")
    print(f"median: {statistics.median(timings):.3f} ms  p99: {p99:.3f} ms  max: {timings[-1]:.3f} ms")
    print(f"target p99 < 5 ms: {'met' if p99 < 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
