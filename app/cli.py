"""Entry point: a command runs on the command line; no command opens the TUI."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence

from prompt_alchemy_scheduler_tui.app.cli_parser import build_parser, fail


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a closed pipe (`| head`) or Ctrl-C ends it without a traceback."""
    try:
        return _run(argv)
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at /dev/null so that flush cannot fail too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return fail("interrupted.", 130)


def _run(argv: Sequence[str] | None) -> int:
    if isinstance(sys.stdout, io.TextIOWrapper):
        # Arguments that are not UTF-8 reach Python as lone surrogates; print them back as the bytes
        # they were instead of failing (a UTF-8 locale other than C makes stdout strict).
        sys.stdout.reconfigure(errors="surrogateescape")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "explain":
        from prompt_alchemy_scheduler_tui.app.cmd_explain import run_explain

        return run_explain(args)
    if args.command == "doctor":
        from prompt_alchemy_scheduler_tui.app.cmd_doctor import run_doctor

        return run_doctor(args)
    if args.command == "schedule":
        from prompt_alchemy_scheduler_tui.app.cmd_schedule import run_schedule

        return run_schedule(args)
    if args.command == "restore":
        from prompt_alchemy_scheduler_tui.app.cmd_restore import run_restore

        return run_restore(args)
    if args.command in ("status", "runs"):
        from prompt_alchemy_scheduler_tui.app.cmd_health import run_runs, run_status

        return run_status(args) if args.command == "status" else run_runs(args)
    if args.command == "logs":
        from prompt_alchemy_scheduler_tui.app.cmd_logs import run_logs

        return run_logs(args)
    if args.command is None:
        from prompt_alchemy_scheduler_tui.app.tui import SchedulerApp

        app = SchedulerApp(crontab_user=args.crontab_user, binary=args.tui_binary, config=args.tui_config)
        app.run()
        return app.return_code or 0
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
