"""Alerts as log lines, one per alert at INFO: always on, the operator's first view of them."""

from __future__ import annotations

import logging

from tallywire.core.alert_rules import summary
from tallywire.core.topics import Alert

log = logging.getLogger("tallywire.alerts")


class LogChannel:
    name = key = "log"

    def deliver(self, alert: Alert) -> None:
        log.info("alert: %s", summary(alert))
