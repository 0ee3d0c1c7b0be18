"""Following like `tail -F`, on real files with real time (bounded waits)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.log_files import (
    MAX_EXTRA_LOGS,
    LogState,
    discover_logs,
    inspect_log,
    safety_warnings,
    select_logs,
)
from prompt_alchemy_scheduler_tui.backends.log_follow import (
    POLL_INTERVAL,
    FollowEvent,
    FollowEventKind,
    LogFollower,
)


class Collector:
    """Runs a follower in a thread, as the TUI does, and collects its events."""

    def __init__(self, path: Path) -> None:
        self.events: list[FollowEvent] = []
        self.stop = threading.Event()
        follower = LogFollower(path)
        self.thread = threading.Thread(
            target=lambda: self.events.extend(follower.follow(self.stop)), daemon=True
        )
        self.thread.start()

    def lines(self) -> list[str]:
        return [line for event in list(self.events) for line in event.lines]

    def kinds(self) -> list[FollowEventKind]:
        return [event.kind for event in list(self.events) if event.kind is not FollowEventKind.LINES]

    def wait_for(self, condition, timeout: float = 0.3) -> bool:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.01)
        return bool(condition())

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=2)


def _append(path: Path, text: str) -> None:
    with path.open("a") as handle:
        handle.write(text)


def test_appended_lines_arrive_in_order_within_300_ms(tmp_path: Path) -> None:
    path = tmp_path / "job.log"
    path.write_text("old line\n")
    collector = Collector(path)
    try:
        _append(path, "one\ntwo\n")
        assert collector.wait_for(lambda: collector.lines() == ["one", "two"])
        _append(path, "thr")
        time.sleep(2 * POLL_INTERVAL)
        assert collector.lines() == ["one", "two"]  # a partial line waits for its newline
        _append(path, "ee\n")
        assert collector.wait_for(lambda: collector.lines() == ["one", "two", "three"])
    finally:
        collector.close()


def test_truncated_file_restarts_from_its_beginning(tmp_path: Path) -> None:
    path = tmp_path / "job.log"
    path.write_text("a long first run of output\n")
    collector = Collector(path)
    try:
        path.write_text("new\n")
        assert collector.wait_for(lambda: collector.lines() == ["new"])
        assert collector.kinds() == [FollowEventKind.TRUNCATED]
    finally:
        collector.close()


def test_rotated_file_is_reopened(tmp_path: Path) -> None:
    path = tmp_path / "job.log"
    path.write_text("before\n")
    collector = Collector(path)
    try:
        path.rename(tmp_path / "job.log.1")
        fresh = tmp_path / "fresh"
        fresh.write_text("after rotation, a much longer first line\n")
        fresh.rename(path)
        assert collector.wait_for(lambda: collector.lines() == ["after rotation, a much longer first line"])
        assert FollowEventKind.ROTATED in collector.kinds()
    finally:
        collector.close()


def test_deleted_file_is_reported_and_picked_up_again(tmp_path: Path) -> None:
    path = tmp_path / "job.log"
    path.write_text("x\n")
    collector = Collector(path)
    try:
        path.unlink()
        assert collector.wait_for(lambda: FollowEventKind.DELETED in collector.kinds())
        path.write_text("back again\n")
        assert collector.wait_for(lambda: collector.lines() == ["back again"])
        assert collector.kinds() == [FollowEventKind.DELETED, FollowEventKind.APPEARED]
    finally:
        collector.close()


def test_missing_file_is_picked_up_when_created(tmp_path: Path) -> None:
    path = tmp_path / "job.log"
    collector = Collector(path)
    try:
        path.write_text("first\n")
        assert collector.wait_for(lambda: collector.lines() == ["first"])
    finally:
        collector.close()


def test_idle_follow_polls_at_the_interval_not_in_a_busy_loop(tmp_path: Path) -> None:
    path = tmp_path / "job.log"
    path.write_text("x\n")
    follower = LogFollower(path)
    polls = 0
    original = follower.poll

    def counted() -> list[FollowEvent]:
        nonlocal polls
        polls += 1
        return original()

    follower.poll = counted  # type: ignore[method-assign]
    stop = threading.Event()
    thread = threading.Thread(target=lambda: list(follower.follow(stop)), daemon=True)
    thread.start()
    time.sleep(1.0)
    stop.set()
    thread.join(timeout=2)
    assert polls <= 1.0 / POLL_INTERVAL + 2


def test_discovery_lists_both_defaults_and_other_matches(tmp_path: Path) -> None:
    (tmp_path / "prompt-alchemy-nightly.log").write_text("hi\n")
    (tmp_path / "prompt-alchemy-nightly-2026.log").write_text("")
    (tmp_path / "unrelated.log").write_text("")
    found = {info.path.name: info.state for info in discover_logs(tmp_path)}
    assert found == {
        "prompt-alchemy-nightly.log": LogState.PRESENT,
        "prompt-alchemy-nightly.error.log": LogState.MISSING,
        "prompt-alchemy-nightly-2026.log": LogState.EMPTY,
    }
    info = inspect_log(tmp_path / "prompt-alchemy-nightly.log")
    assert info.size == 3 and info.modified is not None


def test_symlinks_foreign_owners_and_world_writable_files_are_warned_about(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("fake output\n")
    link = tmp_path / "prompt-alchemy-nightly.log"
    link.symlink_to(target)
    assert any("is a symbolic link" in w for w in safety_warnings(link))
    target.chmod(0o666)
    assert any("writable by every user" in w for w in inspect_log(target).warnings)
    if os.geteuid() == 0:
        os.chown(target, 12345, 12345)
        assert any("belongs to another user (uid 12345)" in w for w in inspect_log(target).warnings)


def test_unreadable_log_is_reported(tmp_path: Path) -> None:
    directory = tmp_path / "prompt-alchemy-nightly.log"
    directory.mkdir()
    assert inspect_log(directory).state is LogState.UNREADABLE


def test_a_log_that_appears_as_a_symlink_is_followed_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "job.log"
    follower = LogFollower(path)
    target = tmp_path / "planted"
    target.write_text("fake\n")
    path.symlink_to(target)
    events = follower.poll()
    assert [e.kind for e in events] == [
        FollowEventKind.APPEARED,
        FollowEventKind.WARNING,
        FollowEventKind.LINES,
    ]
    assert "symbolic link" in events[1].message


def _extras(directory: Path, count: int) -> list[Path]:
    """`count` extra matching logs, the later ones modified later (explicit times: no sleeping)."""
    paths = []
    for index in range(count):
        path = directory / f"prompt-alchemy-nightly-{index:03d}.log"
        path.write_text(f"extra {index}\n")
        os.utime(path, ns=(1_700_000_000_000_000_000 + index * 10**9,) * 2)
        paths.append(path)
    return paths


def test_selection_keeps_both_defaults_first_then_the_newest_extras(tmp_path: Path) -> None:
    extras = _extras(tmp_path, 10)
    (tmp_path / "prompt-alchemy-nightly.log").write_text("old\n")
    os.utime(tmp_path / "prompt-alchemy-nightly.log", ns=(0, 0))  # older than every extra
    selection = select_logs(tmp_path, max_extras=3)
    assert [info.path for info in selection.logs] == [
        tmp_path / "prompt-alchemy-nightly.log",
        tmp_path / "prompt-alchemy-nightly.error.log",
        *extras[7:],
    ]
    assert selection.skipped == 7
    assert [info.path.name for info in discover_logs(tmp_path)][2:] == [p.name for p in extras[6:]]


def test_three_hundred_planted_logs_cost_a_bounded_selection(tmp_path: Path) -> None:
    _extras(tmp_path, 300)
    selection = select_logs(tmp_path)
    assert len(selection.logs) == 2 + MAX_EXTRA_LOGS
    assert selection.skipped == 300 - MAX_EXTRA_LOGS


def test_selection_uses_a_links_own_time_and_never_follows_it(tmp_path: Path) -> None:
    link = tmp_path / "prompt-alchemy-nightly-link.log"
    link.symlink_to(tmp_path / "nowhere")
    os.utime(link, ns=(0, 0), follow_symlinks=False)
    _extras(tmp_path, 1)
    selection = select_logs(tmp_path, max_extras=1)
    assert [info.path.name for info in selection.logs][2:] == ["prompt-alchemy-nightly-000.log"]
    assert selection.skipped == 1
    dangling = {info.path: info for info in select_logs(tmp_path).logs}[link]
    assert dangling.state is LogState.MISSING and "symbolic link" in dangling.warnings[0]
