"""Last N lines read backwards, on real files, for every awkward shape of file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.log_tail import MAX_LINES, UNREAD_START, last_lines, visible


def _tail(tmp_path: Path, content: bytes, count: int, **options: int) -> tuple[str, ...]:
    path = tmp_path / "log"
    path.write_bytes(content)
    return last_lines(path, count, **options).lines


@pytest.mark.parametrize("block_size", [1, 3, 7, 64 * 1024])
def test_last_lines_at_any_block_size(tmp_path: Path, block_size: int) -> None:
    content = b"".join(f"line {i}\n".encode() for i in range(100))
    assert _tail(tmp_path, content, 3, block_size=block_size) == ("line 97", "line 98", "line 99")
    assert len(_tail(tmp_path, content, 500, block_size=block_size)) == 100


def test_no_trailing_newline(tmp_path: Path) -> None:
    assert _tail(tmp_path, b"a\nb\nc", 2) == ("b", "c")


def test_crlf_line_endings(tmp_path: Path) -> None:
    assert _tail(tmp_path, b"a\r\nb\r\nc\r\n", 2) == ("b", "c")


def test_empty_file_and_zero_lines(tmp_path: Path) -> None:
    assert _tail(tmp_path, b"", 5) == ()
    assert _tail(tmp_path, b"a\n", 0) == ()


def test_blank_lines_are_lines(tmp_path: Path) -> None:
    assert _tail(tmp_path, b"\n\n\n", 5) == ("", "", "")
    assert _tail(tmp_path, b"\n", 5) == ("",)


def test_line_longer_than_the_block_is_capped_and_says_so(tmp_path: Path) -> None:
    content = b"start" + b"x" * 200_000 + b"\nshort\n"
    path = tmp_path / "log"
    path.write_bytes(content)
    chunk = last_lines(path, 2, block_size=4096, max_line_bytes=100)
    assert chunk.lines[1] == "short"
    assert chunk.lines[0] == "start" + "x" * 95 + " … [199905 more bytes of this line not shown]"
    assert chunk.cut_lines == 1 and chunk.end_offset == len(content)


def test_invalid_utf8_becomes_replacement_characters(tmp_path: Path) -> None:
    assert _tail(tmp_path, b"ok \xff\xfe end\n", 1) == ("ok \ufffd\ufffd end",)


def test_nul_and_control_bytes_are_made_visible(tmp_path: Path) -> None:
    assert _tail(tmp_path, b"a\x00b\x1b[31mred\tok\n", 1) == ("a\u2400b\u241b[31mred\tok",)


def test_multibyte_characters_split_across_blocks_survive(tmp_path: Path) -> None:
    assert _tail(tmp_path, "héllo wörld ✓\n".encode(), 1, block_size=2) == ("héllo wörld ✓",)


def test_count_is_bounded(tmp_path: Path) -> None:
    content = b"x\n" * (MAX_LINES + 50)
    assert len(_tail(tmp_path, content, MAX_LINES + 50)) == MAX_LINES


def test_unreadable_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        last_lines(tmp_path / "missing", 5)


def test_reading_stops_at_the_scan_limit_and_says_the_line_start_was_not_read(tmp_path: Path) -> None:
    path = tmp_path / "log"
    path.write_bytes(b"first\n" + b"x" * 5000 + b"\n")
    chunk = last_lines(path, 5, block_size=100, max_line_bytes=100, max_scan_bytes=1000)
    assert chunk.lines == (UNREAD_START + "x" * 100 + " … [899 more bytes of this line not shown]",)
    assert chunk.cut_lines == 1 and chunk.end_offset == 5007


def test_complete_lines_within_the_scan_limit_are_all_shown(tmp_path: Path) -> None:
    path = tmp_path / "log"
    path.write_bytes(b"x" * 5000 + b"\nlast\n")
    chunk = last_lines(path, 1, block_size=100, max_scan_bytes=1000)
    assert chunk.lines == ("last",) and chunk.cut_lines == 0


def test_a_planted_terabyte_of_nul_bytes_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "log"
    with path.open("wb") as handle:
        handle.truncate(1 << 40)  # sparse: costs no disk
    chunk = last_lines(path, 200)
    assert len(chunk.lines) == 1 and chunk.lines[0].startswith(UNREAD_START + "\u2400" * 10)


def test_c1_controls_in_a_line_are_replaced(tmp_path: Path) -> None:
    assert _tail(tmp_path, "a\u009b2Jb é\n".encode(), 1) == ("a\ufffd2Jb é",)


def test_planted_names_are_made_visible_not_sent_to_the_terminal() -> None:
    name = os.fsdecode(b"prompt-alchemy-nightly-\x1b]0;pwned\x07\xff\nfake\t\xc2\x9b.log")
    assert visible(name) == "prompt-alchemy-nightly-\u241b]0;pwned\u2407\ufffd\u240afake\u2409\ufffd.log"
    assert visible("/tmp/prompt-alchemy-nightly.log") == "/tmp/prompt-alchemy-nightly.log"
