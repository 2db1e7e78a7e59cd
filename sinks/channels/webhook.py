"""Alerts to a webhook: a generic JSON payload or a Slack-compatible one, signed when a secret is set.

The signature header is ``X-Tallywire-Signature: sha256=<hex HMAC-SHA256 of the body>``. Every request
carries the alert id in ``X-Tallywire-Alert-Id`` (and the JSON payload in ``alert_id``): an alert can
arrive more than once (at least once across crashes), and receivers deduplicate by it. A delivery
that fails (connection error, timeout, 5xx, 429) is retried with ``tallywire.runtime.backoff``'s jittered exponential
backoff, waiting at least as long as a ``Retry-After`` asks; a 4xx other than 429 is not retried, since
sending the same body again cannot succeed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx

from tallywire.core.alert_rules import summary
from sinks.channels import ALERT_ID_HEADER, ChannelError
from tallywire.runtime.backoff import Backoff, retry_after_s
from tallywire.core.topics import Alert

SIGNATURE_HEADER = "X-Tallywire-Signature"


def payload(alert: Alert, fmt: str) -> bytes:
    body: dict[str, object]
    if fmt == "slack":
        body = {"text": f":rotating_light: {summary(alert)}",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f"*New figure* {summary(alert)}\n>{alert.sentence}"}}]}
    else:
        body = {"alert_id": alert.alert_id, "summary": summary(alert), "alert": alert.model_dump(mode="json")}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class WebhookChannel:
    name = "webhook"

    def __init__(self, url: str, fmt: str = "json", secret: str | None = None, timeout_s: float = 5.0,
                 retries: int = 4, backoff_s: float = 0.5, backoff_cap_s: float = 30.0) -> None:
        self.url, self.fmt, self.secret = url, fmt, secret
        # Webhook URLs often hold a token (Slack's do), so the delivery record keeps a hash of it.
        self.key = f"webhook:{hashlib.sha256(url.encode('utf-8')).hexdigest()[:16]}"
        self.retries, self.backoff = retries, Backoff(backoff_s, backoff_cap_s)
        self._client = httpx.Client(timeout=timeout_s, follow_redirects=False)

    def deliver(self, alert: Alert) -> None:
        body = payload(alert, self.fmt)
        headers = {"Content-Type": "application/json", "User-Agent": "tallywire-alerts", ALERT_ID_HEADER: alert.alert_id}
        if self.secret:
            headers[SIGNATURE_HEADER] = signature(body, self.secret)
        problem, asked_wait_s = "", None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff.delay(attempt - 1, asked_wait_s))
            try:
                response = self._client.post(self.url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                problem, asked_wait_s = f"{type(exc).__name__}: {exc}", None
                continue
            if response.is_success:
                return
            problem = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                break
            asked_wait_s = retry_after_s(response.headers.get("retry-after"))
        raise ChannelError(f"webhook {self.url} failed after {attempt + 1} attempts: {problem}")

    def close(self) -> None:
        self._client.close()
