"""Classifying log lines, plain-text search, and the buffer a log pane keeps (no Textual here)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prompt_alchemy_scheduler_tui.backends.log_buffer import LogBuffer, RowMap
from prompt_alchemy_scheduler_tui.backends.log_lines import MAX_QUERY, LineKind, TextSearch, classify, nearest

START = "[prompt-alchemy-scheduler-tui] run 1764122400-4242 started 2026-11-26T02:00:00+0000 scheduled"
END = "[prompt-alchemy-scheduler-tui] run 1764122400-4242 ended 2026-11-26T02:00:04+0000 exit 0"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ('time="2026-11-26T02:00:01Z" level=error msg="Failed to write config"', LineKind.ERROR),
        ('time="2026-11-26T02:00:01Z" level=fatal msg="cannot open database"', LineKind.ERROR),
        ('time="2026-11-26T02:00:01Z" level=panic msg="boom"', LineKind.ERROR),
        ('time="2026-11-26T02:00:01Z" level=warning msg="provider slow"', LineKind.WARNING),
        ('time="2026-11-26T02:00:01Z" level=warn msg="provider slow"', LineKind.WARNING),
        ('time="2026-11-26T02:00:01Z" level=info msg="nightly: done"', LineKind.INFO),
        ('time="2026-11-26T02:00:01Z" level=debug msg="batch 3"', LineKind.DEBUG),
        ('time="2026-11-26T02:00:01Z" level=trace msg="batch 3"', LineKind.DEBUG),
        ('{"level":"error","msg":"Failed","time":"2026-11-26T02:00:01Z"}', LineKind.ERROR),
        ("level=ERROR msg=x", LineKind.ERROR),
        ("Error: unknown flag: --nope", LineKind.ERROR),
        ("panic: runtime error: index out of range [3] with length 3", LineKind.ERROR),
        (START, LineKind.RUN_START),
        (END, LineKind.RUN_END),
        ("2026-11-26T02:00:01 INFO nightly: loading interactions", LineKind.PLAIN),
        ("errors: 0", LineKind.PLAIN),
        ("  Error: indented is not cobra's", LineKind.PLAIN),
        ("sublevel=error is another field", LineKind.PLAIN),
        ("level=errorish", LineKind.PLAIN),
        ("", LineKind.PLAIN),
    ],
)
def test_classify_reads_logrus_levels_cobra_errors_and_run_markers(line: str, kind: LineKind) -> None:
    assert classify(line) is kind


def test_the_first_level_field_counts_not_one_quoted_in_the_message() -> None:
    assert classify('time="t" level=info msg="the user typed level=error"') is LineKind.INFO


def test_a_marker_with_a_forged_tail_is_not_a_marker() -> None:
    assert classify(START + " \x1b[2J") is LineKind.PLAIN


def test_search_is_plain_text_in_any_case() -> None:
    search = TextSearch("Failed TO")
    assert search.matches('level=error msg="failed to write config"')
    assert search.spans("failed to, FAILED TO") == [(0, 9), (11, 20)]
    for pattern in ("(.*", "[a-", "a+b?", "\\d", "$^"):
        literal = TextSearch(pattern)
        assert literal.matches(f"x {pattern} y")
        assert not literal.matches("x y")


def test_search_spans_point_into_the_original_line_when_lowering_changes_lengths() -> None:
    line = "İstanbul: ERROR İ error"  # "İ".lower() is two characters
    spans = TextSearch("error").spans(line)
    assert [line[start:end] for start, end in spans] == ["ERROR", "error"]
    assert [line[start:end] for start, end in TextSearch("i").spans(line)] == ["İ", "İ"]


def test_search_refuses_nothing_and_keeps_at_most_max_query_characters() -> None:
    with pytest.raises(ValueError):
        TextSearch("")
    assert len(TextSearch("x" * (MAX_QUERY + 50)).query) == MAX_QUERY


@given(st.text(alphabet="aAbB .(*", max_size=40), st.text(alphabet="aAbB .(*", min_size=1, max_size=4))
def test_search_spans_agree_with_an_escaped_case_insensitive_regex(line: str, query: str) -> None:
    expected = [m.span() for m in re.finditer(re.escape(query), line, re.IGNORECASE)]
    assert TextSearch(query).spans(line) == expected
    assert TextSearch(query).matches(line) == bool(expected)


def test_a_hostile_line_and_query_cost_one_pass_not_line_times_query() -> None:
    """A regular expression with IGNORECASE would try the whole query at every position: about
    10,000 lines x 8 KiB x 200 steps. str.find is linear."""
    lines = ["a" * 8192] * 10_000
    search = TextSearch("a" * (MAX_QUERY - 1) + "b")
    began = time.perf_counter()
    assert not any(search.matches(line) for line in lines)
    assert search.spans(lines[0]) == []
    assert time.perf_counter() - began < 2.0


def test_nearest_goes_forward_and_back_and_wraps_only_when_asked() -> None:
    numbers = [3, 7, 12]
    assert nearest(numbers, 7, forward=True) == 12
    assert nearest(numbers, 7, forward=False) == 3
    assert nearest(numbers, 12, forward=True) == 3
    assert nearest(numbers, 3, forward=False) == 12
    assert nearest(numbers, 12, forward=True, wrap=False) is None
    assert nearest(numbers, 3, forward=False, wrap=False) is None
    assert nearest([], 0, forward=True) is None


def _logrus(level: str, message: str) -> str:
    return f'time="2026-11-26T02:00:01Z" level={level} msg="{message}"'


def test_the_buffer_numbers_lines_for_good_and_drops_the_oldest() -> None:
    buffer = LogBuffer(max_lines=3)
    buffer.append(["a", "b", "c", "d", "e"])
    assert list(buffer.lines) == ["c", "d", "e"]
    assert (buffer.first, buffer.end) == (2, 5)
    assert buffer.shown == [2, 3, 4]
    assert buffer.text(4) == "e"
    buffer.clear()
    buffer.append(["f"])
    assert buffer.shown == [5]  # no number names two lines


def test_the_problems_filter_keeps_errors_warnings_markers_and_notes_and_applies_to_new_lines() -> None:
    buffer = LogBuffer(max_lines=100)
    buffer.append([START, _logrus("info", "loading"), _logrus("error", "locked"), "Error: failed", END])
    buffer.append(["── the log was truncated"], kind=LineKind.NOTE)
    buffer.set_problems_only(True)
    assert [buffer.text(n) for n in buffer.shown] == [
        START,
        _logrus("error", "locked"),
        "Error: failed",
        END,
        "── the log was truncated",
    ]
    buffer.append([_logrus("debug", "new"), _logrus("warning", "new")])
    assert buffer.text(buffer.shown[-1]) == _logrus("warning", "new")
    buffer.set_problems_only(False)
    assert len(buffer.shown) == len(buffer.lines) == 8


def test_search_matches_follow_the_filter_new_lines_and_dropped_lines() -> None:
    buffer = LogBuffer(max_lines=4)
    buffer.append([_logrus("info", "disk ok"), _logrus("error", "disk full")])
    assert buffer.set_search("DISK") == 2
    buffer.set_problems_only(True)
    assert buffer.matches == [1]
    buffer.set_problems_only(False)
    buffer.append([_logrus("info", "disk ok again"), "nothing", "nothing"])
    assert buffer.matches == [1, 2]  # line 0 was dropped (four are kept); 2 is new
    buffer.clear_search()
    assert buffer.matches == [] and buffer.search is None


def test_run_starts_are_kept_and_dropped_with_their_lines() -> None:
    buffer = LogBuffer(max_lines=5)
    buffer.append([START, "x", END, START, "y"])
    assert buffer.run_starts == [0, 3]
    buffer.append(["z"])
    assert buffer.run_starts == [3]


def test_rows_map_wrapped_lines_to_screen_rows_and_back() -> None:
    buffer = LogBuffer(max_lines=10)
    buffer.append(["x" * 25, "", "y" * 10])
    rows = RowMap(buffer, width=10, wrap=True)
    assert rows.rows == 3 + 1 + 1
    assert [rows.line_at(row) for row in range(5)] == [(0, 0), (0, 1), (0, 2), (1, 0), (2, 0)]
    assert rows.line_at(5) is None and rows.line_at(-1) is None
    assert [rows.row_of(number) for number in range(3)] == [0, 3, 4]
    flat = RowMap(buffer, width=10, wrap=False)
    assert flat.rows == 3 and flat.line_at(2) == (2, 0) and flat.row_of(2) == 2


def test_a_filtered_out_line_maps_to_the_next_shown_one() -> None:
    buffer = LogBuffer(max_lines=10)
    buffer.append([_logrus("error", "a"), _logrus("info", "b"), _logrus("error", "c")])
    buffer.set_problems_only(True)
    rows = RowMap(buffer, width=80, wrap=False)
    assert rows.row_of(1) == 1 and rows.line_at(1) == (2, 0)


def test_rows_take_the_viewers_row_count_when_it_knows_better() -> None:
    buffer = LogBuffer(max_lines=10)
    buffer.append(["ab", "cd"])
    rows = RowMap(buffer, width=10, wrap=True, height=lambda number: 3 if number == 0 else 1)
    assert rows.rows == 4 and rows.line_at(2) == (0, 2) and rows.row_of(1) == 3
