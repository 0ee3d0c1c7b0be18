"""Outcomes read from real `nightly` output (logrus text records) and exit statuses."""

from __future__ import annotations

import subprocess
import sys

import pytest

from prompt_alchemy_scheduler_tui.backends.run_outcome import Outcome, parse_record, run_outcome

CONFIG = (
    'time="2026-11-26T02:00:01Z" level=info msg="Using config file: /home/me/.prompt-alchemy/config.yaml"'
)
STORAGE = (
    'time="2026-11-26T02:00:01Z" level=info msg="Initializing future-proof hybrid storage" '
    "dsn=/home/me/.prompt-alchemy/prompts.db"
)
TRAINED = [
    CONFIG,
    STORAGE,
    'time="2026-11-26T02:00:02Z" level=info msg="Training on 12 feature pairs"',
    'time="2026-11-26T02:00:03Z" level=info msg="Weights updated successfully" '
    'config_file=/home/me/.prompt-alchemy/config.yaml new_weights="map[historical:0.1 length:0.2 '
    'semantic:0.3 temperature:0.2 token:0.2]" training_pairs=12',
]


def test_a_logrus_line_is_parsed_into_level_message_and_fields() -> None:
    record = parse_record(STORAGE)
    assert record is not None and record.level == "info"
    assert record.message == "Initializing future-proof hybrid storage"
    assert record.fields == {"time": "2026-11-26T02:00:01Z", "dsn": "/home/me/.prompt-alchemy/prompts.db"}
    assert parse_record("plain text") is None


def test_a_training_run_reports_its_pairs_and_new_weights() -> None:
    result = run_outcome(TRAINED, [], 0)
    assert (result.outcome, result.summary, result.training_pairs) == (
        Outcome.TRAINED,
        "trained on 12 pairs",
        12,
    )
    assert result.new_weights is not None and result.new_weights.startswith("map[historical:0.1")


@pytest.mark.parametrize(
    ("stdout", "stderr", "status", "outcome", "summary"),
    [
        (
            [CONFIG, 'time="x" level=info msg="No new interactions"'],
            [],
            0,
            Outcome.NOTHING_TO_TRAIN,
            "nothing to train",
        ),
        (
            [CONFIG, 'time="x" level=info msg="No training pairs generated"'],
            [],
            0,
            Outcome.NO_PAIRS,
            "no training pairs",
        ),
        (
            [CONFIG, 'time="x" level=error msg="Failed to write config" error="permission denied"'],
            ["Error: permission denied"],
            1,
            Outcome.FAILED,
            "failed (exit 1): Failed to write config",
        ),
        (
            [],
            ["Error: unknown flag: --data-dir"],
            1,
            Outcome.FAILED,
            "failed (exit 1): Error: unknown flag: --data-dir",
        ),
        ([CONFIG], [], 124, Outcome.TIMEOUT, "killed by the timeout"),
        ([], ["/bin/sh: 1: /x/prompt-alchemy: not found"], 127, Outcome.NOT_FOUND, "not found (exit 127)"),
        (
            [],
            ["/bin/sh: 1: /x/prompt-alchemy: Permission denied"],
            126,
            Outcome.COULD_NOT_START,
            "could not be started",
        ),
        (["something new"], [], 0, Outcome.UNKNOWN, "exit 0: something new"),
        ([], [], 0, Outcome.UNKNOWN, "exit 0: no output"),
        ([CONFIG], [], None, Outcome.RUNNING, "running"),
    ],
)
def test_each_outcome_from_its_real_lines(
    stdout: list[str], stderr: list[str], status: int | None, outcome: Outcome, summary: str
) -> None:
    result = run_outcome(stdout, stderr, status)
    assert result.outcome is outcome and summary in result.summary


def test_a_huge_log_line_without_fields_is_read_in_linear_time() -> None:
    """Every position of a long line with no `=` (a base64 blob, a progress bar) was tried as a key:
    quadratic, a 20,000-character line took a second and a log's 4 MiB line hung `status`. Run in a
    child process so that a regression fails on its time limit instead of hanging the suite."""
    code = (
        "from prompt_alchemy_scheduler_tui.backends.run_outcome import run_outcome; "
        "print(run_outcome(['x' * 4_000_000, 'y' * 100_000 + '=1'], [], 0).outcome)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "unknown", result.stderr


def test_a_count_too_long_for_int_is_no_count_not_a_traceback() -> None:
    """int() refuses more than 4,300 digits with a ValueError."""
    digits = "9" * 5000
    trained = run_outcome(
        [
            f'level=info msg="Training on {digits} feature pairs"',
            f'level=info msg="Weights updated successfully" training_pairs={digits}',
        ],
        [],
        0,
    )
    assert (trained.outcome, trained.summary, trained.training_pairs) == (Outcome.TRAINED, "trained", None)


@pytest.mark.parametrize("status", [0, 1])
def test_a_summary_quotes_at_most_a_short_part_of_a_long_line(status: int) -> None:
    result = run_outcome(["Error: " + "z" * 100_000], [], status)
    assert len(result.summary) < 250 and result.summary.endswith("z…")


def test_a_key_inside_a_word_is_no_field() -> None:
    record = parse_record('time="x" level=info msg="ok" path=/a/b=c')
    assert record is not None and record.fields == {"time": "x", "path": "/a/b=c"}
