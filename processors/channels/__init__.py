"""Where alerts go: each channel has ``name`` and ``deliver(alert)``, which raises ChannelError."""

from __future__ import annotations

from tallywire.errors import TallywireError


class ChannelError(TallywireError):
    """An alert could not be delivered on a channel."""
