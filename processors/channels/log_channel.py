"""Alerts as log lines: always on, the operator's first view of them."""

from __future__ import annotations

import logging

from processors.alert_rules import summary
from tallywire.topics import Alert

log = logging.getLogger("tallywire.alerts")


class LogChannel:
    name = key = "log"

    def deliver(self, alert: Alert) -> None:
        log.warning("ALERT %s", summary(alert))
