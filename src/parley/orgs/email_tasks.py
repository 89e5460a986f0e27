"""Sending mail happens in a job, so a slow SMTP server never holds up a request."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage

from procrastinate import RetryStrategy

from parley.config import Settings
from parley.jobs.queue import tasks

SEND_EMAIL = "parley:send_email"


@tasks.task(name="send_email", retry=RetryStrategy(max_attempts=5, exponential_wait=10))
async def send_email(to: str, subject: str, body: str) -> None:
    settings = Settings()
    if not settings.smtp_host:
        return
    await asyncio.to_thread(_send, settings, to, subject, body)


def _send(settings: Settings, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.smtp_from, to, subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username and settings.smtp_password:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(message)
