"""Leave as soon as the terminal goes away, instead of living on without it.

Textual (8.2) installs no handler for SIGHUP, and once its terminal has hung up, its input thread finds
the terminal always readable with nothing to read and loops without pause (textual/drivers/
linux_driver.py, `run_input_thread`): a full core for as long as the process lives. SIGHUP's default
action ends the process first, but not when whoever started the app ignored SIGHUP (nohup, some
supervisors: an ignored signal stays ignored across exec(2)), nor when the terminal is not the
process's controlling terminal, so it receives no SIGHUP at all.

So SIGHUP and SIGTERM are handled (even when inherited as ignored), and on Linux a thread sleeps in
poll(2) asking for no events on the terminal: poll still reports POLLHUP and POLLERR, which is exactly
a hung-up terminal, and costs nothing until then. (macOS poll(2) does not work on terminals.)
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import sys
import threading
from collections.abc import Callable

SIGNALS = (signal.SIGHUP, signal.SIGTERM)


def watch_terminal(loop: asyncio.AbstractEventLoop, gone: Callable[[int], None]) -> None:
    """Call `gone(signal number)` on the event loop on SIGHUP or SIGTERM, or with SIGHUP when the
    terminal on stdin hangs up. Call from the loop's (main) thread."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
    for signum in SIGNALS:
        loop.add_signal_handler(signum, gone, signum)
    terminal = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
    if sys.platform == "linux" and terminal >= 0 and os.isatty(terminal):
        threading.Thread(
            target=_wait_for_hangup, args=(terminal, loop, gone), name="terminal-hangup", daemon=True
        ).start()


def _wait_for_hangup(terminal: int, loop: asyncio.AbstractEventLoop, gone: Callable[[int], None]) -> None:
    poller = select.poll()
    poller.register(terminal, 0)
    while True:
        events = poller.poll()
        if any(mask & (select.POLLHUP | select.POLLERR) for _, mask in events):
            with contextlib.suppress(RuntimeError):  # the loop has closed: the app is gone already
                loop.call_soon_threadsafe(gone, signal.SIGHUP)
            return
        if any(mask & select.POLLNVAL for _, mask in events):
            return  # the descriptor was closed: the app is ending anyway
