"""Where alerts go: each channel has ``name``, ``key`` and ``deliver(alert)``, which raises ChannelError."""

from __future__ import annotations

from tallywire.core.errors import TallywireError

# Every channel's payload carries the alert id here: receivers deduplicate by it, since an alert is
# delivered at least once (a crash after the delivery and before its record sends it again).
ALERT_ID_HEADER = "X-Tallywire-Alert-Id"


class ChannelError(TallywireError):
    """An alert could not be delivered on a channel."""
