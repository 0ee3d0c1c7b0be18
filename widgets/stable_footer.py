"""A Footer that rebuilds its keys only when the keys it shows change.

Textual's Footer recomposes every key on each `bindings_updated_signal` (a focus change, any
`refresh_bindings()`), which costs tens of milliseconds for a screen's worth of keys; most of those
signals change nothing that the footer shows.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

Signature = tuple[tuple[str, str, bool, str], ...]


class StableFooter(Footer):
    _shown: Signature | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        signature = tuple(
            (binding.key, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )
        if signature == self._shown:
            return
        self._shown = signature
        super().bindings_changed(screen)
