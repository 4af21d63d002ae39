"""The SMTP adapter: the message it builds, and how each SMTP answer maps to an outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from shvya_channels.outcome import Kind
from shvya_channels.smtp import Email, SmtpAdapter, render_html
from shvya_testkit.smtp import SmtpServer


def _email(**overrides) -> Email:
    values = {
        "to_address": "rahul@example.com",
        "to_name": "Rahul Kumar",
        "subject": "Your enquiry about Digital Marketing Pro",
        "text": "Hi Rahul,\n\nThe fee is Rs 24,999 <incl. GST>.\nDetails: https://shvya.test/dm",
        "message_id": "0b7e9a52-5d1c-4c39-9f1e-2f6f0a3c1d11",
    }
    values.update(overrides)
    return Email(**values)


@pytest.fixture
def adapter_for(make_settings):
    return lambda **overrides: SmtpAdapter(make_settings(**overrides))


@pytest.fixture
def adapter(adapter_for, smtp_server) -> SmtpAdapter:
    return adapter_for(smtp_port=smtp_server.port)


# -- the message ------------------------------------------------------------


def test_from_uses_the_sender_name_and_the_configured_address(adapter):
    msg = adapter.build(_email(sender_name="Acme Academy"))

    assert msg["From"] == "Acme Academy <admissions@shvya.test>"


def test_without_a_sender_name_from_keeps_the_configured_display_name(adapter):
    msg = adapter.build(_email(sender_name=""))

    assert msg["From"] == "Shvya Admissions <admissions@shvya.test>"


def test_to_carries_the_display_name(adapter):
    msg = adapter.build(_email(to_name='Rahul "RK" Kumar, Jr.'))

    assert msg["To"].addresses[0].display_name == 'Rahul "RK" Kumar, Jr.'
    assert msg["To"].addresses[0].addr_spec == "rahul@example.com"


def test_subject_and_date_are_set(adapter):
    msg = adapter.build(_email())

    assert msg["Subject"] == "Your enquiry about Digital Marketing Pro"
    sent = parsedate_to_datetime(msg["Date"])
    assert abs(sent - datetime.now(UTC)) < timedelta(minutes=1)


def test_the_message_id_derives_from_the_crm_message_id_and_the_from_domain(adapter):
    first = adapter.build(_email())
    again = adapter.build(_email())

    assert first["Message-ID"] == "<0b7e9a52-5d1c-4c39-9f1e-2f6f0a3c1d11@shvya.test>"
    assert again["Message-ID"] == first["Message-ID"]


def test_a_configured_message_id_domain_is_used(adapter_for, smtp_server):
    adapter = adapter_for(smtp_port=smtp_server.port, smtp_message_id_domain="mail.acme.test")

    assert adapter.build(_email(message_id="m1"))["Message-ID"] == "<m1@mail.acme.test>"


def test_a_reply_in_a_thread_carries_in_reply_to_and_references(adapter):
    msg = adapter.build(
        _email(in_reply_to="<m2@shvya.test>", references=("<m1@shvya.test>", "<m2@shvya.test>"))
    )

    assert msg["In-Reply-To"] == "<m2@shvya.test>"
    assert msg["References"] == "<m1@shvya.test> <m2@shvya.test>"


def test_a_first_message_has_no_thread_headers(adapter):
    msg = adapter.build(_email())

    assert msg["In-Reply-To"] is None
    assert msg["References"] is None


def test_allowed_extra_headers_are_added(adapter):
    msg = adapter.build(
        _email(
            headers={
                "List-Unsubscribe": "<https://shvya.test/u/abc>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        )
    )

    assert msg["List-Unsubscribe"] == "<https://shvya.test/u/abc>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_body_is_multipart_alternative_text_then_html(adapter):
    msg = adapter.build(_email())

    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert "Rs 24,999 <incl. GST>" in parts[0].get_content()
    html = parts[1].get_content()
    assert "Rs 24,999 &lt;incl. GST&gt;" in html
    assert '<a href="https://shvya.test/dm">https://shvya.test/dm</a>' in html


def test_render_html_keeps_paragraphs_and_line_breaks():
    html = render_html("First line\nsecond line\n\nNew paragraph")

    assert "<p>First line<br>\nsecond line</p>" in html
    assert "<p>New paragraph</p>" in html


# -- delivery ----------------------------------------------------------------


def test_a_delivered_email_arrives_with_its_headers_and_the_message_id_is_the_external_id(
    adapter, smtp_server
):
    outcome = adapter.send(_email(sender_name="Acme Academy"))

    assert outcome.kind == Kind.SENT
    [received] = smtp_server.wait_for(1, timeout=5)
    assert received.mail_from == "admissions@shvya.test"
    assert received.rcpt_tos == ["rahul@example.com"]
    assert received.message["To"] == "Rahul Kumar <rahul@example.com>"
    assert received.message["From"] == "Acme Academy <admissions@shvya.test>"
    assert received.message["Message-ID"] == outcome.external_id
    assert "Rs 24,999" in received.text
    assert "Rs 24,999" in received.html


def test_a_refused_recipient_550_is_rejected(adapter, smtp_server):
    smtp_server.refuse_recipients("550 5.1.1 <rahul@example.com>: no such user")

    outcome = adapter.send(_email())

    assert outcome.kind == Kind.REJECTED
    assert outcome.error_code == "550"
    assert "no such user" in outcome.reason
    assert smtp_server.messages == []


def test_a_temporarily_refused_recipient_451_is_retried_later(adapter, smtp_server):
    smtp_server.refuse_recipients("451 4.2.1 mailbox busy, try later")

    outcome = adapter.send(_email())

    assert outcome.kind == Kind.RETRY_LATER
    assert outcome.error_code == "451"
    assert "mailbox busy" in outcome.reason


def test_a_message_refused_at_data_554_is_rejected(adapter, smtp_server):
    smtp_server.refuse_data("554 5.7.1 message rejected as spam")

    outcome = adapter.send(_email())

    assert outcome.kind == Kind.REJECTED
    assert outcome.error_code == "554"
    assert "rejected as spam" in outcome.reason
    assert smtp_server.messages == []


def test_a_message_deferred_at_data_451_is_retried_later(adapter, smtp_server):
    smtp_server.refuse_data("451 4.3.0 queue full")

    assert adapter.send(_email()).kind == Kind.RETRY_LATER


def test_a_server_that_is_down_is_retried_later_with_a_clear_reason(adapter_for):
    # Given a port nothing listens on
    down = SmtpServer()

    outcome = adapter_for(smtp_port=down.port).send(_email())

    assert outcome.kind == Kind.RETRY_LATER
    assert outcome.error_code == "connection"
    assert f"127.0.0.1:{down.port} unreachable" in outcome.reason


def test_a_from_address_that_is_not_an_address_is_refused_at_start(make_settings):
    with pytest.raises(ValueError, match="SMTP_FROM"):
        SmtpAdapter(make_settings(smtp_from="Shvya Admissions"))
