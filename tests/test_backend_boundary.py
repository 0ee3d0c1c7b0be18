"""backends/ is reachable without the TUI: importing any of it must not import textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BACKENDS = Path(__file__).resolve().parent.parent / "backends"


def test_no_backend_module_imports_textual() -> None:
    modules = sorted(
        f"prompt_alchemy_scheduler_tui.backends.{p.stem}"
        for p in BACKENDS.glob("*.py")
        if p.stem != "__init__"
    )
    assert len(modules) >= 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=BACKENDS.parent
    )
    assert result.stdout.strip() == ""
