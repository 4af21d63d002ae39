"""SMTP over TLS: STARTTLS and implicit TLS against a private CA; nothing leaves in clear text
when encryption was asked for and is not there, and a certificate that does not check out is refused."""

from __future__ import annotations

import trustme
from aiosmtpd.smtp import AuthResult

from shvya_channels.outcome import Kind
from shvya_channels.settings import ChannelsSettings
from shvya_channels.smtp import Email, SmtpAdapter

EMAIL = Email(
    to_address="rahul@example.com",
    to_name="Rahul Kumar",
    subject="Your enquiry",
    text="Hi Rahul, the fee is Rs 24,999.",
    message_id="m-tls-1",
)


def test_starttls_with_the_private_ca_delivers_encrypted(make_settings, start_smtp, pki):
    # Given a server that requires STARTTLS, with a certificate from our CA
    smtp = start_smtp(tls_context=pki.server_context("127.0.0.1"), require_starttls=True)
    adapter = SmtpAdapter(
        make_settings(smtp_port=smtp.port, smtp_security="starttls", smtp_ca_file=pki.ca_file)
    )

    # When an email is sent
    outcome = adapter.send(EMAIL)

    # Then it was delivered, and every envelope command travelled encrypted
    assert outcome.kind == Kind.SENT
    [delivered] = smtp.handler.messages()
    assert delivered.encrypted is True
    assert smtp.handler.commands == [("MAIL", True), ("RCPT", True), ("DATA", True)]
    assert delivered.message["Message-ID"] == "<m-tls-1@shvya.test>"


def test_implicit_tls_from_the_reference_environment_variables_delivers(
    monkeypatch, redis_prefix, start_smtp, pki
):
    # Given a server speaking TLS from the first byte, configured as an operator would
    smtp = start_smtp(ssl_context=pki.server_context("127.0.0.1"))
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("SMTP_SECURITY", "ssl")
    monkeypatch.setenv("SMTP_CA_FILE", pki.ca_file)
    monkeypatch.setenv("SMTP_FROM", "admissions@shvya.test")
    for name in ("SMTP_USER", "SMTP_PASSWORD", "SMTP_MESSAGE_ID_DOMAIN"):
        monkeypatch.delenv(name, raising=False)
    settings = ChannelsSettings(env="development", internal_token=None, redis_prefix=redis_prefix)

    outcome = SmtpAdapter(settings).send(EMAIL)

    assert outcome.kind == Kind.SENT
    [delivered] = smtp.handler.messages()
    assert delivered.encrypted is True


def test_port_465_means_implicit_tls_and_587_means_starttls(make_settings):
    assert make_settings(smtp_security="auto", smtp_port=465).smtp_tls_mode == "ssl"
    assert make_settings(smtp_security="auto", smtp_port=587).smtp_tls_mode == "starttls"
    assert make_settings(smtp_security="auto", smtp_port=1025).smtp_tls_mode == "none"


def test_starttls_required_but_not_offered_sends_nothing_in_clear_text(make_settings, start_smtp):
    # Given a server that does not offer STARTTLS
    smtp = start_smtp()
    adapter = SmtpAdapter(make_settings(smtp_port=smtp.port, smtp_security="starttls"))

    # When an email is sent with STARTTLS required
    outcome = adapter.send(EMAIL)

    # Then it is not sent, to be retried later, and the server saw no envelope at all
    assert outcome.kind == Kind.RETRY_LATER
    assert outcome.error_code == "starttls-unavailable"
    assert "STARTTLS" in outcome.reason
    assert smtp.handler.commands == []
    assert smtp.handler.messages() == []


def test_a_certificate_from_an_unknown_ca_is_refused(make_settings, start_smtp, pki):
    # Given a server whose certificate our CA file does not vouch for
    stranger = trustme.CA()
    smtp = start_smtp(tls_context=pki.server_context("127.0.0.1", ca=stranger), require_starttls=True)
    adapter = SmtpAdapter(
        make_settings(smtp_port=smtp.port, smtp_security="starttls", smtp_ca_file=pki.ca_file)
    )

    outcome = adapter.send(EMAIL)

    assert outcome.kind == Kind.RETRY_LATER
    assert outcome.error_code == "tls"
    assert "certificate" in outcome.reason.lower()
    assert smtp.handler.commands == []


def test_a_certificate_for_another_host_is_refused(make_settings, start_smtp, pki):
    smtp = start_smtp(ssl_context=pki.server_context("mail.elsewhere.test"))
    adapter = SmtpAdapter(make_settings(smtp_port=smtp.port, smtp_security="ssl", smtp_ca_file=pki.ca_file))

    outcome = adapter.send(EMAIL)

    assert outcome.kind == Kind.RETRY_LATER
    assert outcome.error_code == "tls"
    assert smtp.handler.messages() == []


def test_without_the_ca_file_a_private_certificate_is_not_trusted(make_settings, start_smtp, pki):
    smtp = start_smtp(ssl_context=pki.server_context("127.0.0.1"))
    adapter = SmtpAdapter(make_settings(smtp_port=smtp.port, smtp_security="ssl", smtp_ca_file=None))

    outcome = adapter.send(EMAIL)

    assert outcome.kind == Kind.RETRY_LATER
    assert smtp.handler.messages() == []


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"admissions" and auth_data.password == b"app-password"
    # handled=False: aiosmtpd then answers a refusal with its standard 535 itself.
    return AuthResult(success=ok, handled=False)


def test_a_login_over_starttls_with_the_right_password_delivers(make_settings, start_smtp, pki):
    smtp = start_smtp(
        tls_context=pki.server_context("127.0.0.1"), require_starttls=True, authenticator=_authenticator
    )
    adapter = SmtpAdapter(
        make_settings(
            smtp_port=smtp.port,
            smtp_security="starttls",
            smtp_ca_file=pki.ca_file,
            smtp_user="admissions",
            smtp_password="app-password",
        )
    )

    assert adapter.send(EMAIL).kind == Kind.SENT
    assert len(smtp.handler.messages()) == 1


def test_a_refused_login_blocks_the_account_and_sends_nothing(make_settings, start_smtp, pki):
    smtp = start_smtp(
        tls_context=pki.server_context("127.0.0.1"), require_starttls=True, authenticator=_authenticator
    )
    adapter = SmtpAdapter(
        make_settings(
            smtp_port=smtp.port,
            smtp_security="starttls",
            smtp_ca_file=pki.ca_file,
            smtp_user="admissions",
            smtp_password="wrong",
        )
    )

    outcome = adapter.send(EMAIL)

    assert outcome.kind == Kind.ACCOUNT_BLOCKED
    assert outcome.error_code == "535"
    assert smtp.handler.commands == []
