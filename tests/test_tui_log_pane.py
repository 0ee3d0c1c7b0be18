"""A log pane as a troubleshooting tool: search, the errors filter, colours, wrap, maximize, run jumps.

Every flow is typed: `l` focuses a pane, then its own keys act on it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.widgets import Input

from prompt_alchemy_scheduler_tui.app.tui import SchedulerApp
from prompt_alchemy_scheduler_tui.backends.log_lines import LineKind
from prompt_alchemy_scheduler_tui.widgets.log_pane import LogPane
from prompt_alchemy_scheduler_tui.widgets.log_view import LogView
from prompt_alchemy_scheduler_tui.widgets.logs_panel import LogsPanel
from prompt_alchemy_scheduler_tui.widgets.plan_screen import PlanScreen
from tests.tui_support import main_screen, make_app, record_notifications, wait_until

MARKER = "[prompt-alchemy-scheduler-tui] run {id} {what}"
SVG_FRAME = {"ff5f57", "febc2e", "28c840", "c5c8c6"}  # the exported picture's window buttons and title


def logrus(level: str, message: str, second: int = 1) -> str:
    return f'time="2026-11-26T02:00:{second:02d}Z" level={level} msg="{message}"'


def runs(count: int, lines_per_run: int = 30) -> list[str]:
    """`count` recorded runs, each between its start and end marker; run 2 fails."""
    lines = []
    for run in range(1, count + 1):
        run_id = f"176412{run:04d}-42{run}"
        lines.append(MARKER.format(id=run_id, what=f"started 2026-11-{run:02d}T02:00:00+0000 scheduled"))
        lines += [logrus("info", f"run {run} step {step}", step % 60) for step in range(lines_per_run)]
        if run == 2:
            lines.append(logrus("error", "Failed to write config"))
        lines.append(
            MARKER.format(id=run_id, what=f"ended 2026-11-{run:02d}T02:01:00+0000 exit {int(run == 2)}")
        )
    return lines


def setup(tmp_path: Path, binary: Path, lines: list[str]) -> tuple[SchedulerApp, Path]:
    logs = tmp_path / "logs"
    logs.mkdir()
    log = logs / "prompt-alchemy-nightly.log"
    log.write_text("".join(f"{line}\n" for line in lines))
    (logs / "prompt-alchemy-nightly.error.log").write_text(logrus("warning", "provider openai slow") + "\n")
    return make_app(tmp_path / "state", logs, binary), log


async def focused_pane(pilot, app: SchedulerApp, log: Path) -> LogPane:  # type: ignore[no-untyped-def]
    """Wait for the panes, then press `l` as a person would: the first pane (the stdout log) gets focus."""
    screen = main_screen(app)
    await wait_until(pilot, lambda: screen.populated and log in screen.query_one(LogsPanel).panes)
    pane = screen.query_one(LogsPanel).panes[log]
    await pilot.press("l")
    await wait_until(pilot, lambda: pane.log_view.has_focus)
    return pane


def in_view(view: LogView, number: int) -> bool:
    row = view.rows.row_of(number)
    return view.scroll_y <= row < view.scroll_y + view.view_size.height


def row_segments(view: LogView, number: int) -> list[Segment]:
    """The segments drawn for line `number` (which must be in view)."""
    return list(view.render_line(view.rows.row_of(number) - round(view.scroll_y)))


def styled(view: LogView, number: int, text: str) -> Style:
    """The style the view draws `text` of line `number` in."""
    for segment in row_segments(view, number):
        if text in segment.text:
            return segment.style or Style()
    raise AssertionError(f"{text!r} not drawn: {row_segments(view, number)}")


async def test_slash_searches_the_focused_pane_and_n_and_shift_n_step_through_the_matches(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    lines = [f"ranking batch {index}" for index in range(120)]
    for index in (10, 50, 90):
        lines[index] = f"Error: OpenAI failed on {index}"
    app, log = setup(tmp_path, stand_in_binary, lines)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        pane = await focused_pane(pilot, app, log)
        view = pane.log_view
        assert not pane.searching and not pane.query(Input)  # no box until `/`
        await pilot.press("slash")
        await pilot.pause()
        box = pane.query_one(Input)
        assert app.focused is box and pane.searching and box.region.height == 1
        await pilot.press(*"openai", "enter")
        assert view.buffer.matches == [10, 50, 90]
        # The newest match at or above the bottom of the view comes first, highlighted and in view.
        assert view.current == 90 and in_view(view, 90)
        assert styled(view, 90, "OpenAI").reverse and view.has_focus and not pane.searching
        await pilot.pause()
        assert box.region.height == 0  # found: the box closes, the header shows the search
        assert styled(view, 50, "OpenAI").underline or not in_view(view, 50)
        assert 'search "openai": 3/3' in str(pane.query_one(".log-header").render())
        await pilot.press("N")
        assert view.current == 50 and in_view(view, 50)
        await pilot.press("N")
        assert view.current == 10 and in_view(view, 10) and not in_view(view, 119)
        assert styled(view, 10, "OpenAI").reverse
        assert 'search "openai": 1/3' in str(pane.query_one(".log-header").render())
        await pilot.press("n")
        assert view.current == 50 and styled(view, 50, "OpenAI").reverse
        assert styled(view, 10, "OpenAI").underline and not styled(view, 10, "OpenAI").reverse
        await pilot.press("n", "n")
        assert view.current == 10 and "Search wrapped around to the first match." in notes


async def test_a_search_without_a_match_says_so_and_esc_leaves_the_search(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    app, log = setup(tmp_path, stand_in_binary, [logrus("info", "all good")])
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        pane = await focused_pane(pilot, app, log)
        await pilot.press("n")
        assert notes[-1] == "No search in this log: press / to search."
        await pilot.press("slash", *"quota (.*", "enter")
        assert notes[-1] == 'No match for "quota (.*" in prompt-alchemy-nightly.log.'
        assert pane.searching and isinstance(app.focused, Input)  # the box stays open to try again
        await pilot.press("escape")
        assert not pane.searching and pane.log_view.buffer.search is None and pane.log_view.has_focus
        await pilot.press("slash")
        assert app.query_one(LogPane).query_one(Input).value == "quota (.*"  # offered again
        await pilot.press("ctrl+a", "ctrl+k", *"ALL", "enter")
        assert pane.log_view.current == 0
        assert styled(pane.log_view, 0, "all").reverse
        await pilot.press("escape")  # leaves the search: the highlight goes
        assert pane.log_view.buffer.search is None and not styled(pane.log_view, 0, "all").reverse


async def test_a_slash_typed_in_the_search_box_is_text(tmp_path: Path, stand_in_binary: Path) -> None:
    app, log = setup(tmp_path, stand_in_binary, ["GET /api/v1/rank 200", "GET /health 200"])
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await focused_pane(pilot, app, log)
        await pilot.press("slash", *"/api/", "enter")
        assert pane.log_view.buffer.search is not None and pane.log_view.buffer.matches == [0]


async def test_slash_with_no_pane_focused_searches_the_first_pane(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    app, log = setup(tmp_path, stand_in_binary, [logrus("error", "Failed to write config")])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.populated and log in screen.query_one(LogsPanel).panes)
        assert app.focused is None
        await pilot.press("slash", *"failed", "enter")
        pane = screen.query_one(LogsPanel).panes[log]
        assert pane.log_view.current == 0 and pane.log_view.has_focus


async def test_keys_typed_at_once_after_slash_or_e_are_text_not_actions(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    """Keys sent in one burst (a fast typist, a script) reach the app before focus moves: `r` in the
    search text must not run the job, `d` and `i` in `@daily` must not start a dry run or an install."""
    app, log = setup(tmp_path, stand_in_binary, [logrus("error", "run failed")])
    before = log.read_text()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await focused_pane(pilot, app, log)
        for key, character in [("slash", "/"), ("r", "r"), ("u", "u"), ("n", "n"), ("enter", "\r")]:
            app.post_message(events.Key(key, character))
        await wait_until(pilot, lambda: pane.log_view.buffer.search is not None)
        assert pane.log_view.buffer.search.query == "run"  # type: ignore[union-attr]
        await pilot.press("escape", "escape")
        for key in ["e", "at", "d", "a", "i", "l", "y"]:
            app.post_message(events.Key(key, "@" if key == "at" else key))
        expression = main_screen(app).query_one("#expression", Input)
        await wait_until(pilot, lambda: expression.value.endswith("@daily"))
        await pilot.pause(0.3)
        assert not isinstance(app.screen, PlanScreen)
    assert log.read_text() == before  # the job never ran


async def test_the_errors_filter_hides_other_lines_including_ones_appended_later(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    lines = [*runs(2, lines_per_run=5), "Error: nightly failed: database is locked"]
    app, log = setup(tmp_path, stand_in_binary, lines)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await focused_pane(pilot, app, log)
        view = pane.log_view

        def header() -> str:
            return str(pane.query_one(".log-header").render())

        await pilot.press("f")
        assert view.shown_lines == [line for line in lines if "level=info" not in line]
        assert "errors and warnings only (6 lines; f shows all)" in header()
        with log.open("a") as handle:
            handle.write(
                logrus("info", "a new quiet line") + "\n" + logrus("warning", "a new warning") + "\n"
            )
        await wait_until(pilot, lambda: logrus("warning", "a new warning") in view.shown_lines, timeout=3)
        assert logrus("info", "a new quiet line") in view.lines
        assert logrus("info", "a new quiet line") not in view.shown_lines
        assert view.following and in_view(view, view.buffer.shown[-1])  # the new warning is in view
        await pilot.press("f")
        assert view.shown_lines == list(view.lines) and "errors and warnings only" not in header()


async def test_lines_are_coloured_by_level_from_the_theme_in_every_theme(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    lines = [
        logrus("error", "boom"),
        logrus("warning", "slow"),
        logrus("info", "fine"),
        logrus("debug", "chatter"),
        MARKER.format(id="1764122400-4242", what="started 2026-11-26T02:00:00+0000 scheduled"),
    ]
    app, log = setup(tmp_path, stand_in_binary, lines)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await focused_pane(pilot, app, log)
        view = pane.log_view
        themes = [name for name in app.available_themes if "ansi" not in name]
        assert len(themes) > 10
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            error, warning, info, debug = (styled(view, n, "level=") for n in range(4))
            marker = styled(view, 4, "run 1764122400-4242")
            assert error.bold and marker.bold, theme
            looks = {(style.color, style.bgcolor) for style in (error, warning, info, debug)}
            assert len(looks) == 4, theme
            assert marker.bgcolor != info.bgcolor, theme  # a band across the pane
            for style in (error, warning, info, debug, marker):
                contrast = _contrast(Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor))
                assert contrast >= 3.0, (theme, style, contrast)  # WCAG 2's minimum for large text


def _contrast(one: Color, two: Color) -> float:
    """WCAG 2 contrast ratio of two colours."""
    lighter, darker = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


async def test_no_color_keeps_levels_and_matches_apart_by_style(
    tmp_path: Path, stand_in_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR (no-color.org): Textual turns every colour grey, so what tells lines apart is bold,
    the marker band, underline and reverse."""
    monkeypatch.setenv("NO_COLOR", "1")
    lines = [
        logrus("error", "boom"),
        logrus("info", "boom too"),
        MARKER.format(id="1-1", what="ended x exit 0"),
    ]
    app, log = setup(tmp_path, stand_in_binary, lines)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.no_color
        pane = await focused_pane(pilot, app, log)
        await pilot.press("slash", *"boom", "enter")
        view = pane.log_view
        assert view.current == 1
        assert styled(view, 0, "level=error").bold and not styled(view, 1, "level=info").bold
        assert styled(view, 0, "boom").underline and styled(view, 1, "boom").reverse
        assert styled(view, 2, "ended").bold
        fills = set(re.findall(r'fill="#([0-9a-f]{6})"', app.export_screenshot())) - SVG_FRAME
        assert fills and all(fill[0:2] == fill[2:4] == fill[4:6] for fill in fills)  # greys only


async def test_log_text_is_shown_as_written_never_as_markup_or_escapes(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    hostile = "[b]not bold[/b] [@click=app.quit]click[/] [red]x\x1b[2J\x07 \u009b31m"
    app, log = setup(tmp_path, stand_in_binary, [hostile])
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await focused_pane(pilot, app, log)
        view = pane.log_view
        shown = view.lines[0]
        assert shown == "[b]not bold[/b] [@click=app.quit]click[/] [red]x\u241b[2J\u2407 \ufffd31m"
        drawn = "".join(segment.text for segment in row_segments(view, 0))
        assert len(drawn) > 50 and shown.startswith(drawn)  # as written, cut at the pane's edge
        assert not any(
            segment.style and (segment.style.bold or segment.style.meta) for segment in row_segments(view, 0)
        )
        await pilot.press("slash", *"[/b]", "enter")
        assert view.current == 0 and styled(view, 0, "[/b]").reverse
        assert app.is_running


async def test_w_wraps_long_lines_and_back(tmp_path: Path, stand_in_binary: Path) -> None:
    long = logrus("error", "a long message " * 30 + "THE END")
    app, log = setup(tmp_path, stand_in_binary, ["short", long])
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await focused_pane(pilot, app, log)
        view = pane.log_view
        width = view.view_size.width
        assert view.virtual_size.width == len(long) > width
        await pilot.press("w")
        assert view.wrap and view.virtual_size.width == width
        assert view.rows.rows == 1 + -(-len(long) // width)
        text = "".join(
            segment.text
            for row in range(1, view.rows.rows)
            for segment in view.render_line(row - round(view.scroll_y))
        )
        assert "THE END" in text and "wrapped" in str(pane.query_one(".log-header").render())
        await pilot.press("w")
        assert not view.wrap and view.rows.rows == 2


async def test_m_maximizes_the_pane_and_m_or_esc_restores_it(tmp_path: Path, stand_in_binary: Path) -> None:
    app, log = setup(tmp_path, stand_in_binary, runs(3))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await focused_pane(pilot, app, log)
        await pilot.press("m")
        assert app.screen.maximized is pane and pane.region.width == 80 and pane.log_view.has_focus
        assert pane.log_view.view_size.height >= 18
        await pilot.press("m")
        assert app.screen.maximized is None and pane.log_view.has_focus
        await pilot.press("m", "slash", *"step 7", "enter")
        await pilot.press("escape")  # first Esc leaves the search, the pane stays maximized
        assert app.screen.maximized is pane and pane.log_view.buffer.search is None
        await pilot.press("escape")
        assert app.screen.maximized is None


async def test_l_reaches_the_logs_at_80x24_and_again_moves_to_the_next_pane(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    app, log = setup(tmp_path, stand_in_binary, runs(1))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await focused_pane(pilot, app, log)
        await pilot.pause(0.3)
        assert pane.log_view.region.height >= 3 and app.screen.region.contains_region(pane.log_view.region)
        footer = " ".join(str(key.render()) for key in app.screen.query("FooterKey"))
        for words in ("Search", "Errors", "Quit", "Help"):
            assert words in footer, words
        await pilot.press("l")
        second = (
            main_screen(app).query_one(LogsPanel).panes[log.with_name("prompt-alchemy-nightly.error.log")]
        )
        assert second.log_view.has_focus
        await pilot.press("l")
        assert pane.log_view.has_focus


async def test_brackets_jump_between_runs_and_say_when_there_is_none(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    lines = runs(3)
    starts = [index for index, line in enumerate(lines) if " started " in line]
    app, log = setup(tmp_path, stand_in_binary, lines)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        pane = await focused_pane(pilot, app, log)
        view = pane.log_view
        await pilot.press("left_square_bracket")
        assert view.top_line() == starts[2]
        await pilot.press("left_square_bracket")
        assert view.top_line() == starts[1]
        assert styled(view, starts[1], "[prompt-alchemy-scheduler-tui] run").bold
        assert view.buffer.kind(starts[1]) is LineKind.RUN_START
        await pilot.press("left_square_bracket")
        assert view.top_line() == starts[0]
        await pilot.press("left_square_bracket")
        assert notes[-1] == "No earlier run start in prompt-alchemy-nightly.log."
        await pilot.press("right_square_bracket")
        assert view.top_line() == starts[1]
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert notes[-1] == "No later run start in prompt-alchemy-nightly.log."


async def test_a_log_without_markers_says_why_run_jumps_do_nothing(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    app, log = setup(tmp_path, stand_in_binary, [])
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        pane = await focused_pane(pilot, app, log)
        await pilot.press("right_square_bracket")
        assert notes[-1].startswith("No run start lines in prompt-alchemy-nightly.log")
        await pilot.press("f", "w", "slash", "x", "enter")  # an empty log: nothing to show, no traceback
        assert notes[-1] == 'No match for "x" in the errors and warnings of prompt-alchemy-nightly.log.'
        assert pane.log_view.rows.rows == 0 and app.is_running


async def test_a_huge_line_is_searched_and_scrolled_to_sideways(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    line = "x" * 7000 + " needle at the far end"
    app, log = setup(tmp_path, stand_in_binary, ["before", line, "after"])
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await focused_pane(pilot, app, log)
        await pilot.press("slash", *"NEEDLE", "enter")
        view = pane.log_view
        assert view.current == 1 and view.scroll_x > 6000
        assert styled(view, 1, "needle").reverse


async def test_a_match_cut_by_the_right_edge_is_scrolled_fully_into_view(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    app, log = setup(tmp_path, stand_in_binary, ["x" * 54 + "a needle" + "y" * 200])
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await focused_pane(pilot, app, log)
        view = pane.log_view
        assert view.view_size.width < 62  # two panes side by side: the match starts in view, ends past it
        await pilot.press("slash", *"a needle", "enter")
        assert view.scroll_x > 0 and styled(view, 0, "a needle").reverse


async def test_a_paused_view_keeps_its_lines_while_the_oldest_are_dropped(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    from prompt_alchemy_scheduler_tui.backends.log_tail import MAX_LINES

    app, log = setup(tmp_path, stand_in_binary, [f"old {index}" for index in range(200)])
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await focused_pane(pilot, app, log)
        view = pane.log_view
        view.scroll_to(y=100, animate=False, immediate=True)
        top = view.buffer.text(view.top_line() or 0)
        assert top == "old 100" and not view.following
        with log.open("a") as handle:
            handle.write("".join(f"new {index}\n" for index in range(MAX_LINES - 150)))
        await wait_until(pilot, lambda: view.buffer.first > 0, timeout=5)
        assert view.buffer.text(view.top_line() or 0) == top


def test_no_pane_key_is_a_key_of_the_main_screen() -> None:
    from prompt_alchemy_scheduler_tui.app.main_screen import MainScreen

    screen_keys = {key for binding in MainScreen.BINDINGS for key in binding.key.split(",")}  # type: ignore[union-attr]
    pane_keys = {binding.key for binding in LogPane.BINDINGS}  # type: ignore[union-attr]
    assert pane_keys & screen_keys == {"slash", "escape"}  # both hand the key on when it is not theirs


async def test_a_log_a_little_longer_than_its_pane_starts_and_stays_at_the_bottom(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    """The first lines go in before the pane has a size; a following pane that then shrinks (a longer
    preview, a smaller terminal) keeps its last line in view."""
    app, log = setup(tmp_path, stand_in_binary, [f"line {index}" for index in range(12)])
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await focused_pane(pilot, app, log)
        view = pane.log_view
        assert (
            view.following
            and in_view(view, 11)
            and "paused" not in str(pane.query_one(".log-header").render())
        )
        # Since the health line and the runs table, the log panel sits at its minimum height at 40 rows
        # and above: a narrower terminal is what shrinks the pane now (its lines then wrap or cut).
        await pilot.resize_terminal(90, 30)
        await pilot.pause(0.2)
        assert view.following and in_view(view, 11)
        with log.open("a") as handle:
            handle.write("line 12\n")
        await wait_until(pilot, lambda: "line 12" in view.lines, timeout=3)
        await pilot.pause()
        assert in_view(view, 12)


async def test_a_next_run_already_in_view_is_said_so(tmp_path: Path, stand_in_binary: Path) -> None:
    app, log = setup(tmp_path, stand_in_binary, runs(2, lines_per_run=1))
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        record_notifications(app, notes)
        pane = await focused_pane(pilot, app, log)
        await pilot.press("m")
        assert pane.log_view.max_scroll_y == 0  # the whole log fits
        await pilot.press("right_square_bracket")
        assert notes[-1] == "The next run's start is in view."


async def test_a_maximized_pane_whose_file_goes_away_gives_the_screen_back(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    app, log = setup(tmp_path, stand_in_binary, ["main log"])
    extra = log.with_name("prompt-alchemy-nightly-extra.log")
    extra.write_text("an extra log\n")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = main_screen(app).query_one(LogsPanel)
        await wait_until(pilot, lambda: main_screen(app).populated and extra in panel.panes)
        await pilot.press("l", "l", "l")
        pane = panel.panes[extra]
        assert pane.log_view.has_focus
        await pilot.press("m")
        assert app.screen.maximized is pane
        extra.unlink()
        await pilot.press("f5")
        await wait_until(pilot, lambda: extra not in panel.panes)
        assert app.screen.maximized is None
        await pilot.press("l")
        assert panel.panes[log].log_view.has_focus


async def test_wrapping_never_cuts_a_double_width_character_in_two(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    line = "提示词排名" * 30 + " done"  # five double-width characters, thirty times
    app, log = setup(tmp_path, stand_in_binary, [line])
    async with app.run_test(size=(81, 24)) as pilot:
        pane = await focused_pane(pilot, app, log)
        await pilot.press("m", "w")
        view = pane.log_view
        assert view.view_size.width % 2 == 1  # an odd width: a row cannot end on a character boundary
        rows = ["".join(s.text for s in view.render_line(row)) for row in range(view.rows.rows)]
        assert "".join(row.rstrip(" ") for row in rows) == line.replace(" done", "") + " done"
        assert all(cell_len(row) == view.view_size.width for row in rows)
