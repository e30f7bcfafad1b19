"""Outgoing mail reaches a real SMTP server in each of the three ways ``SMTP_SECURITY`` names."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from webapp.jobs import mail


class Inbox:
    """What the server received: sender, recipients and the message text."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


def _authenticator(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"tandem", b"mot-de-passe-smtp")
    return AuthResult(success=ok)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, trusted by the client through ``SSL_CERT_FILE``."""
    folder = tmp_path_factory.mktemp("smtp-tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(certificate, monkeypatch, app):
    """Start an SMTP server in the requested mode and point the app's settings at it."""
    cert, key = certificate
    servers = []

    def start(security: str, *, user: str = "", password: str = "") -> Inbox:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        inbox, port = Inbox(), _free_port()
        # aiosmtpd only counts STARTTLS as TLS for AUTH; on implicit TLS the whole connection is encrypted.
        options = {"authenticator": _authenticator, "auth_require_tls": security == "starttls"}
        if security == "starttls":
            options.update(tls_context=context, require_starttls=True)
        elif security == "tls":
            options.update(ssl_context=context)
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
        controller.start()
        servers.append(controller)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        for name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_SECURITY": security,
                            "SMTP_USER": user, "SMTP_PASSWORD": password}.items():
            monkeypatch.setitem(app.config, name, value)
        return inbox

    yield start
    for controller in servers:
        controller.stop()


@pytest.mark.parametrize("security", ["starttls", "tls", "none"])
def test_mail_is_delivered_in_each_security_mode(smtp_server, security):
    inbox = smtp_server(security, user="tandem", password="mot-de-passe-smtp")
    mail.deliver(mail.build("elue@example.test", "Une note vous attend", "Bonjour,\nune note vous attend."))
    assert len(inbox.messages) == 1
    sender, recipients, text = inbox.messages[0]
    assert recipients == ["elue@example.test"] and sender == "tandem@localhost"
    assert "Subject: Une note vous attend" in text and "une note vous attend." in text


def test_starttls_refuses_a_server_whose_certificate_is_not_trusted(smtp_server, monkeypatch):
    smtp_server("starttls")
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.setenv("SSL_CERT_DIR", "/nonexistent")
    with pytest.raises(ssl.SSLCertVerificationError):
        mail.deliver(mail.build("elue@example.test", "Sujet", "Texte"))


def test_ports_follow_the_security_mode_unless_given(monkeypatch):
    from webapp.config import from_environment

    monkeypatch.delenv("SMTP_PORT", raising=False)
    for security, port in (("starttls", 587), ("tls", 465), ("none", 25)):
        monkeypatch.setenv("SMTP_SECURITY", security)
        assert from_environment()["SMTP_PORT"] == port
    monkeypatch.setenv("SMTP_PORT", "2525")
    assert from_environment()["SMTP_PORT"] == 2525
