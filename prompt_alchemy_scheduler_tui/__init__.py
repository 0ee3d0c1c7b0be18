"""prompt-alchemy-scheduler-tui: install, show and remove Prompt Alchemy's nightly job.

The one installed package. Its subpackages are `backends` (all logic and I/O, no Textual), `widgets`
(Textual widgets rendering backend values) and `app` (screens, bindings, the command line).

In the repository those three live at the top level; the entries of the same names here are symbolic
links to them, so a source checkout, an editable install and the wheel all import them as
`prompt_alchemy_scheduler_tui.backends...`. The bare names `app`, `backends` and `widgets` are never
imported (a lint rule forbids it), so no module can load twice under two names.
"""

from __future__ import annotations

__version__ = "0.1.0"
