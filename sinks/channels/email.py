"""Alerts by email over SMTP, with STARTTLS and a login when configured.

The Message-ID is made of the alert id (and the header ``X-Tallywire-Alert-Id`` carries it), so a
mail sent again after a crash, or after a retry whose first try the server took after all, is the same
message to the receiving side. A failed send is retried with ``tallywire.runtime.backoff``'s policy unless the
server refused it for good (a 5xx reply).
"""

from __future__ import annotations

import smtplib
import ssl
import time
from email.message import EmailMessage

from tallywire.core.alert_rules import summary
from sinks.channels import ALERT_ID_HEADER, ChannelError
from tallywire.runtime.backoff import Backoff
from tallywire.core.topics import Alert


def message(alert: Alert, sender: str, recipients: list[str]) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = f"[tallywire] {alert.category} {alert.force} {alert.location}: {alert.value:,.0f} ({alert.status})"
    mail["From"] = sender
    mail["To"] = ", ".join(recipients)
    mail["Message-ID"] = f"<{alert.alert_id}@{sender.rpartition('@')[2] or 'tallywire'}>"
    mail[ALERT_ID_HEADER] = alert.alert_id
    previous = "none" if alert.previous_value is None else f"{alert.previous_value:,.0f} (change {alert.change:+,.0f})"
    mail.set_content(
        f"{summary(alert)}\n\n"
        f"Value: {alert.value:,.0f} ({alert.qualifier}, {alert.status})\n"
        f"Previous value: {previous}\n"
        f"Said by: {alert.attribution or 'not named'}\n"
        f"First article: {alert.title}\n  {alert.url}\n  outlet {alert.source}, published {alert.published_at}\n"
        f"Outlets of the story so far: {alert.outlets}\n\n"
        f"Sentence: {alert.sentence}\n"
    )
    return mail


class EmailChannel:
    name = key = "email"

    def __init__(self, host: str, port: int, sender: str, recipients: list[str], starttls: bool = True,
                 user: str = "", password: str | None = None, timeout_s: float = 10.0,
                 retries: int = 4, backoff_s: float = 0.5, backoff_cap_s: float = 30.0) -> None:
        self.host, self.port, self.sender, self.recipients = host, port, sender, recipients
        self.starttls, self.user, self.password, self.timeout_s = starttls, user, password, timeout_s
        self.retries, self.backoff = retries, Backoff(backoff_s, backoff_cap_s)

    def deliver(self, alert: Alert) -> None:
        mail = message(alert, self.sender, self.recipients)
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff.delay(attempt - 1))
            try:
                self._send(mail)
                return
            except (OSError, smtplib.SMTPException) as exc:
                problem = exc
                if refused_for_good(exc):
                    break
        raise ChannelError(f"email via {self.host}:{self.port} failed after {attempt + 1} attempts: {problem}") from problem

    def _send(self, mail: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(mail)


def refused_for_good(exc: Exception) -> bool:
    """Whether sending the same mail again cannot succeed: a permanent (5xx) reply, or a server without STARTTLS."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPNotSupportedError)
