"""E-mail through the worker: SMTP when configured, otherwise a file in ``instance/mail``."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from webapp.core.clock import utcnow
from webapp.jobs import task


def build(to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def deliver(msg: EmailMessage) -> None:
    cfg = current_app.config
    if cfg["SMTP_HOST"]:
        with _connect(cfg) as smtp:
            if cfg["SMTP_USER"]:
                smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])
            smtp.send_message(msg)
        return
    # Development and tests: the mail is written where a developer can read it.
    folder = Path(cfg["INSTANCE_PATH"]) / "mail"
    folder.mkdir(exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    (folder / f"{stamp}-{msg['To']}.eml").write_bytes(bytes(msg))


def _connect(cfg) -> smtplib.SMTP:
    """Open the SMTP connection the way ``SMTP_SECURITY`` says. TLS certificates are verified against the
    system's authorities (``SSL_CERT_FILE`` adds a private one); "none" is for a relay on a trusted network."""
    host, port, security = cfg["SMTP_HOST"], cfg["SMTP_PORT"], cfg["SMTP_SECURITY"]
    if security == "tls":
        return smtplib.SMTP_SSL(host, port, timeout=20, context=ssl.create_default_context())
    smtp = smtplib.SMTP(host, port, timeout=20)
    if security == "starttls":
        try:
            smtp.starttls(context=ssl.create_default_context())
        except BaseException:
            smtp.close()
            raise
    return smtp


@task(retries=3, retry_delay=60)
def send_mail(to: str, subject: str, body: str) -> None:
    deliver(build(to, subject, body))
