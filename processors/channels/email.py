"""Alerts by email over SMTP, with STARTTLS and a login when configured.

The Message-ID is made of the alert id (and the header ``X-Tallywire-Alert-Id`` carries it), so a
mail sent again after a crash is the same message to the receiving side.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from processors.alert_rules import summary
from processors.channels import ALERT_ID_HEADER, ChannelError
from tallywire.topics import Alert


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
                 user: str = "", password: str | None = None, timeout_s: float = 10.0) -> None:
        self.host, self.port, self.sender, self.recipients = host, port, sender, recipients
        self.starttls, self.user, self.password, self.timeout_s = starttls, user, password, timeout_s

    def deliver(self, alert: Alert) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(message(alert, self.sender, self.recipients))
        except (OSError, smtplib.SMTPException) as exc:
            raise ChannelError(f"email via {self.host}:{self.port} failed: {exc}") from exc
