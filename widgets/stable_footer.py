"""A Footer that rebuilds its keys only when the keys it shows change, and builds them at once at start.

Textual's Footer recomposes every key on each `bindings_updated_signal` (a focus change, any
`refresh_bindings()`), which costs tens of milliseconds for a screen's worth of keys; most of those
signals change nothing that the footer shows. Its recompose also waits for the screen's next refresh,
which at start is the refresh after every worker has answered: the keys would be the last thing drawn.
"""

from __future__ import annotations

import asyncio

from textual.screen import Screen
from textual.widgets import Footer

Signature = tuple[tuple[str, str, bool, str], ...]


def _signature(screen: Screen[object]) -> Signature:
    """The keys a footer on `screen` shows: key, description, enabled, tooltip."""
    return tuple(
        (binding.key, binding.description, enabled, tooltip)
        for _, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show
    )


class StableFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._shown: Signature | None = None  # the keys last signalled
        self._composed: Signature | None = None  # the keys the footer holds
        self._recomposing = asyncio.Lock()  # recompose runs on the footer's task and on the screen's

    def bindings_changed(self, screen: Screen[object]) -> None:
        signature = _signature(screen)
        # Footer skips its recompose while the app is in the background; the keys then still differ
        # from the ones composed, and the signal that comes when it is back brings them up to date.
        if signature == self._shown == self._composed:
            return
        first = self._shown is None
        self._shown = signature
        super().bindings_changed(screen)  # ready to show keys; recomposes after the screen's next refresh
        if first:
            self.call_later(self.recompose)  # now, not after that refresh

    async def recompose(self) -> None:
        """Recompose unless the keys held are the ones the screen offers now (the recompose Footer
        asked for after a refresh is then already done); one at a time."""
        async with self._recomposing:
            if not self.is_attached:
                return  # removed meanwhile (the app is closing): nothing to show keys on
            current = _signature(self.screen)
            if current != self._composed:
                self._composed = current
                await super().recompose()
