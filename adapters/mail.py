"""Sending mail over SMTP, configured by environment (TREDE_SMTP_HOST, TREDE_SMTP_PORT,
TREDE_SMTP_USER, TREDE_SMTP_PASSWORD, TREDE_SMTP_STARTTLS, TREDE_MAIL_FROM)."""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int = 25
    sender: str = "trede@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False

    @classmethod
    def from_environment(cls) -> SmtpMailer | None:
        host = os.environ.get("TREDE_SMTP_HOST")
        if not host:
            return None
        return cls(
            host=host,
            port=int(os.environ.get("TREDE_SMTP_PORT", "25")),
            sender=os.environ.get("TREDE_MAIL_FROM", "trede@localhost"),
            user=os.environ.get("TREDE_SMTP_USER") or None,
            password=os.environ.get("TREDE_SMTP_PASSWORD") or None,
            starttls=os.environ.get("TREDE_SMTP_STARTTLS", "0") == "1",
        )

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user and self.password:
                smtp.login(self.user, self.password)
            smtp.send_message(message)
