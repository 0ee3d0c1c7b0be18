"""`doctor`: the troubleshooting checks of Prompt Alchemy's scheduling documentation."""

from __future__ import annotations

import argparse
import json

from prompt_alchemy_scheduler_tui.backends.doctor import CheckStatus, run_checks

_MARKS = {CheckStatus.OK: "ok  ", CheckStatus.WARN: "warn", CheckStatus.FAIL: "FAIL"}


def run_doctor(args: argparse.Namespace) -> int:
    results = run_checks(binary=args.binary, config=args.config)
    if args.json:
        print(
            json.dumps(
                [
                    {"check": r.name, "status": r.status.value, "detail": r.detail, "hint": r.hint}
                    for r in results
                ],
                indent=2,
            )
        )
    else:
        for result in results:
            print(f"[{_MARKS[result.status]}] {result.name}: {result.detail}")
            if result.hint and result.status is not CheckStatus.OK:
                print(f"       {result.hint}")
    return 1 if any(r.status is CheckStatus.FAIL for r in results) else 0
