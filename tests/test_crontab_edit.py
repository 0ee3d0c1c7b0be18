"""Pure crontab edits keep every byte that is not ours (property-based)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from prompt_alchemy_scheduler_tui.backends.crontab_edit import job_lines, with_entry, without_entries
from prompt_alchemy_scheduler_tui.backends.crontab_entry import MARKER
from prompt_alchemy_scheduler_tui.backends.text_diff import unified_diff
from tests.crontab_strategies import crontabs

ENTRY = "0 2 * * * /x/prompt-alchemy --config /c nightly >>/tmp/l 2>>/tmp/e " + MARKER
OTHER_ENTRY = "30 3 * * * /y/prompt-alchemy --config /c nightly >>/tmp/l 2>>/tmp/e " + MARKER
LEGACY = "0 2 * * * /usr/local/bin/prompt-alchemy --config /c nightly\n"


@settings(max_examples=300)
@given(text=crontabs(garbage=True), line_ending=st.sampled_from(["\n", "\r\n"]))
def test_install_then_uninstall_is_byte_identical(text: str, line_ending: str) -> None:
    text = text.replace("\n", line_ending)
    installed = with_entry(text, ENTRY)
    assert installed.count(MARKER) == 1
    assert without_entries(installed) == text


@settings(max_examples=200)
@given(text=crontabs(garbage=True))
def test_reinstall_replaces_in_place_never_a_second_copy(text: str) -> None:
    once = with_entry(text, ENTRY)
    twice = with_entry(once, OTHER_ENTRY)
    assert twice.count(MARKER) == 1 and OTHER_ENTRY in twice
    assert twice == once.replace(ENTRY, OTHER_ENTRY)


@settings(max_examples=200)
@given(text=crontabs(legacy=True, garbage=True))
def test_uninstall_removes_only_managed_and_legacy_lines(text: str) -> None:
    kept = "".join(
        line
        for line in text.splitlines(keepends=True)
        if "/prompt-alchemy --config" not in line or "echo" in line
    )
    assert without_entries(with_entry(text, ENTRY)) == (kept or None)


def test_install_takes_the_place_of_a_legacy_line() -> None:
    text = "# mine\n" + LEGACY + "0 5 * * * /usr/bin/backup\n"
    assert with_entry(text, ENTRY) == "# mine\n" + ENTRY + "\n0 5 * * * /usr/bin/backup\n"


def test_uninstall_of_only_our_line_means_no_crontab() -> None:
    assert without_entries(ENTRY + "\n") is None
    assert without_entries(None) is None


def test_uninstall_keeps_foreign_comment_lines() -> None:
    text = "# prompt-alchemy nightly at 2 (comment)\n" + ENTRY + "\n"
    assert without_entries(text) == "# prompt-alchemy nightly at 2 (comment)\n"


def test_append_to_a_crontab_without_final_newline_adds_one() -> None:
    assert with_entry("0 5 * * * /b", ENTRY) == "0 5 * * * /b\n" + ENTRY + "\n"


def test_job_lines_numbers_lines_and_kinds() -> None:
    lines = job_lines("# c\nA=1\n" + LEGACY + ENTRY + "\n0 1 * * * /b\n")
    assert [(line.number, line.kind) for line in lines] == [(3, "legacy"), (4, "managed"), (5, "foreign")]


def test_diff_names_missing_crontab() -> None:
    diff = unified_diff(None, ENTRY + "\n")
    assert diff.startswith("--- crontab (none)\n+++ crontab (new)\n")
    assert diff.endswith("+" + ENTRY + "\n")


_ANY_LINE = st.text(
    alphabet=st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)), max_size=40
)


@settings(max_examples=300)
@given(lines=st.lists(_ANY_LINE, max_size=10), final_newline=st.booleans())
def test_any_unicode_foreign_text_survives_install_and_uninstall(
    lines: list[str], final_newline: bool
) -> None:
    """Only `\\n` ends a line: `\\v`, `\\f`, `\\x1c`-`\\x1e`, `\\r`, NEL and U+2028/9 stay inside theirs."""
    text = "\n".join(lines) + ("\n" if final_newline and lines else "")
    installed = with_entry(text, ENTRY)
    kept = without_entries(installed)
    assert installed.count(ENTRY) == 1 and installed.startswith(text)
    if text.endswith("\n") or not text:
        assert kept == (text or None)
    else:  # crontab(1) needs a final newline: exactly one is added, nothing else changes
        assert kept == text + "\n"
