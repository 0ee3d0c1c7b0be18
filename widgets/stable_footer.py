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
    _shown: Signature | None = None  # the keys last asked for
    _composed: Signature | None = None  # the keys composed

    def bindings_changed(self, screen: Screen[object]) -> None:
        signature = tuple(
            (binding.key, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )
        if signature == self._shown:
            return
        first = self._shown is None
        self._shown = signature
        super().bindings_changed(screen)  # ready to show keys; recomposes after the next screen refresh
        if first:
            # At start that refresh is the whole screen's, and the one after it waits for the workers'
            # answers: the keys would be the last thing drawn. They are composed now instead.
            self.call_later(self.recompose)

    async def recompose(self) -> None:
        """Recompose only when the keys asked for are not the ones shown (the recompose Footer asked
        for is then already done)."""
        if self._composed != self._shown:
            self._composed = self._shown
            await super().recompose()
