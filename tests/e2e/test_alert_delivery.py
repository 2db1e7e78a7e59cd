"""kill -9 the pipeline between an alert's insert and its delivery: after the restart every stored alert
reaches the webhook exactly once.

The window is made real by the receiver: it answers two requests and holds the third unanswered
(TALLYWIRE_WEBHOOK_TIMEOUT_S keeps the sink waiting), so at the kill every alert is stored, two are
delivered and recorded, one is in flight and the rest wait in the dispatcher's queue in memory.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sinks.channels import ALERT_ID_HEADER
from tests.alerts.test_channels import Receiver
from tallywire.testkit.cli_runner import kill_hard, sql_rows, start_tallywire, wait_for_output

pytestmark = pytest.mark.e2e

STORED = "SELECT alert_id FROM alert_chain WHERE kind = 'alert'"
DELIVERED_ON_THE_WEBHOOK = "SELECT alert_id FROM alert_deliveries WHERE channel LIKE 'webhook:%' AND outcome = 'delivered'"


def _ids(data_dir: Path, sql: str) -> list[str]:
    return sorted(row["alert_id"] for row in sql_rows(data_dir, sql))


def test_alerts_stored_before_a_sigkill_are_each_delivered_once_after_the_restart(tmp_path: Path) -> None:
    hook = Receiver(hold_at=2)
    # Longer than the test holds the third request: the sink is still waiting for its answer when killed.
    env = {"TALLYWIRE_WEBHOOK_URLS": hook.url, "TALLYWIRE_WEBHOOK_TIMEOUT_S": "300", "TALLYWIRE_LOG_LEVEL": "INFO"}
    data_dir = tmp_path / "data"
    first = start_tallywire(data_dir, "run", "--seeds", "seeds/", "--until-idle", **env)
    try:
        # Drained: every alert is stored. The pipeline now stops, and waits for the held delivery.
        wait_for_output(first, "all topics drained", 180)
        assert hook.holding.wait(30), "the third alert never reached the webhook"
        stored = _ids(data_dir, STORED)
        delivered_before = _ids(data_dir, DELIVERED_ON_THE_WEBHOOK)
        assert len(stored) >= 3 and delivered_before == sorted(hook.delivered_ids()) and len(delivered_before) == 2
        kill_hard(first)
    finally:
        hook.released.set()
        if first.alive():
            kill_hard(first)

    second = start_tallywire(data_dir, "run", "--until-idle", **env)
    assert second.process.wait(timeout=120) == 0, second.output

    # Every stored alert exactly once at the receiver, the held one included; the replay added none.
    assert _ids(data_dir, STORED) == stored
    assert Counter(hook.delivered_ids()) == Counter(stored), hook.delivered_ids()
    [held] = [headers[ALERT_ID_HEADER] for headers, _, status in hook.requests if status == 0]
    assert held in stored
    assert _ids(data_dir, DELIVERED_ON_THE_WEBHOOK) == stored
    assert f"catching up {len(stored) - 2} stored alerts not yet sent on webhook:" in second.output
