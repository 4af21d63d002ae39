"""WhatsApp Web in the mesh: the real adapter in headless Chromium against the local WhatsApp Web page.
A student who writes on WhatsApp Web is recorded and answered in the same chat, the ticks reach the
crm, and a message caught while the crm is down is recorded once it is back."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from shvya.channels.v1 import channels_service_pb2 as ch_pb
from shvya.channels.v1 import channels_service_pb2_grpc as ch_grpc
from shvya_channels.server import run_server as run_channels
from shvya_channels.settings import ChannelKind, ChannelsSettings
from shvya_crm.server import run_server as run_crm
from shvya_crm.settings import CrmSettings
from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_rpc.client import connect
from shvya_testkit.ports import free_port
from shvya_testkit.postgres import query

pytestmark = pytest.mark.browser


def wait_until(predicate, timeout: float = 20.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def web_values(page, chromium_path: str, tmp_path) -> dict:
    return {
        "whatsapp_web_url": page.url,
        "whatsapp_web_chromium_path": chromium_path,
        "whatsapp_session_dir": str(tmp_path / "session"),
        "whatsapp_web_account": "mesh-number",
        "whatsapp_web_poll_seconds": 0.2,
        "whatsapp_human_pacing": False,
    }


def link(address: str, page) -> None:
    with connect(address) as channel:
        stub = ch_grpc.ChannelsServiceStub(channel)

        def state():
            return stub.GetAccountStatus(ch_pb.GetAccountStatusRequest()).status.login_state

        wait_until(lambda: state() == ch_pb.LOGIN_STATE_NEEDS_QR, what="the QR code")
        page.scan()
        wait_until(lambda: state() == ch_pb.LOGIN_STATE_LOGGED_IN, what="the login")


@pytest.fixture
def web_mesh(make_mesh, whatsapp_web_page, chromium_path, tmp_path):
    mesh = make_mesh(whatsapp_web=web_values(whatsapp_web_page, chromium_path, tmp_path))
    link(mesh.channel_addrs["whatsapp_web"], whatsapp_web_page)
    return mesh


@pytest.fixture
def api(web_mesh) -> Iterator[TestClient]:
    settings = GatewaySettings(
        crm_addr=web_mesh.crm_addr,
        conductor_addr=web_mesh.conductor_addr,
        channels_whatsapp_web_addr=web_mesh.channel_addrs["whatsapp_web"],
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_a_student_who_writes_on_whatsapp_web_is_answered_in_the_same_chat(web_mesh, whatsapp_web_page, api):
    # When a student writes to the linked number
    incoming = whatsapp_web_page.receive("919812345678", "Priya Sharma", "What is the fee for UI/UX design?")

    # Then the message is recorded as the lead's, and the answer is typed into her chat
    [sent] = wait_until(lambda: whatsapp_web_page.sent(), what="the answer")
    assert sent.to == "919812345678"
    assert "Rs 34,999" in sent.text
    [(lead_id, source, external_id)] = web_mesh.sql(
        "SELECT l.id::text, m.source, m.external_id FROM messages m JOIN leads l ON l.id = m.lead_id "
        "WHERE m.direction = 'inbound' AND l.phone = '+919812345678'"
    )
    assert (source, external_id) == ("whatsapp_web", incoming)
    conversation = api.get(f"/leads/{lead_id}").json()
    assert conversation["lead"]["contact_name"] == "Priya Sharma"
    assert [(m["direction"], m["channel"]) for m in conversation["messages"]] == [
        ("inbound", "whatsapp_web"),
        ("outbound", "whatsapp_web"),
    ]


def test_the_ticks_of_the_answer_become_its_delivery_status(web_mesh, whatsapp_web_page, api):
    whatsapp_web_page.receive("919812345678", "Priya Sharma", "Hello, is there a weekend batch?")
    [sent] = wait_until(lambda: whatsapp_web_page.sent(), what="the answer")

    whatsapp_web_page.deliver(sent.id)
    whatsapp_web_page.read(sent.id)

    def status():
        rows = web_mesh.sql("SELECT status FROM messages WHERE external_id = %s", (sent.id,))
        return rows and rows[0][0]

    wait_until(lambda: status() == "read", what="the read status")
    [(message_id,)] = web_mesh.sql("SELECT id::text FROM messages WHERE external_id = %s", (sent.id,))
    view = api.get(f"/messages/{message_id}").json()
    assert view["status"] == "read"
    assert view["delivered_at"] is not None


def test_a_form_asking_for_whatsapp_is_answered_on_whatsapp_web(web_mesh, whatsapp_web_page, api):
    response = api.post(
        "/inbound-message",
        json={
            "phone_number": "+919811122233",
            "contact_name": "Arjun Mehta",
            "message_text": "Interested in Full-Stack Web Development",
            "channel": "whatsapp_web",
        },
    )

    web_mesh.wait_for_job(response.json()["job_id"], "completed")
    [sent] = whatsapp_web_page.sent()
    assert sent.to == "919811122233"
    assert "Arjun" in sent.text


def test_the_admin_endpoints_show_the_login_and_the_daily_count(web_mesh, whatsapp_web_page, api):
    whatsapp_web_page.receive("919812345678", "Priya Sharma", "Hi")
    wait_until(lambda: whatsapp_web_page.sent(), what="the answer")

    status = api.get("/admin/whatsapp-web/status").json()

    assert status["login_state"] == "logged_in"
    assert status["account"] == "mesh-number"
    assert status["sent_today"] == 1
    assert api.get("/admin/whatsapp-web/qr").status_code == 409


def test_a_message_caught_while_the_crm_is_down_is_recorded_when_it_returns(
    database_url, redis_url, redis_prefix, whatsapp_web_page, chromium_path, tmp_path
):
    crm_port = free_port()
    settings = ChannelsSettings(
        channel=ChannelKind.WHATSAPP_WEB,
        redis_url=redis_url,
        redis_prefix=redis_prefix,
        crm_addr=f"localhost:{crm_port}",
        **web_values(whatsapp_web_page, chromium_path, tmp_path),
    )
    with run_channels(settings, port=0) as web:
        link(f"localhost:{web.port}", whatsapp_web_page)
        # Given a student writes while the crm is down
        incoming = whatsapp_web_page.receive("919812345678", "Priya Sharma", "Any scholarships?")
        time.sleep(1.5)

        # When the crm comes back
        with run_crm(CrmSettings(database_url=database_url), port=crm_port):

            def recorded():
                rows = query(database_url, "SELECT external_id FROM messages WHERE direction = 'inbound'")
                return [external_id for (external_id,) in rows]

            # Then the message is recorded, once
            assert wait_until(recorded, what="the message in the crm") == [incoming]


def test_an_admin_links_a_headless_number_through_the_gateway(
    make_mesh, whatsapp_web_page, chromium_path, tmp_path
):
    mesh = make_mesh(whatsapp_web=web_values(whatsapp_web_page, chromium_path, tmp_path))
    settings = GatewaySettings(
        crm_addr=mesh.crm_addr,
        conductor_addr=mesh.conductor_addr,
        channels_whatsapp_web_addr=mesh.channel_addrs["whatsapp_web"],
        admin_token="a-long-admin-token-0123",
    )
    auth = {"Authorization": "Bearer a-long-admin-token-0123"}
    with TestClient(create_app(settings), raise_server_exceptions=False) as api:
        # The number is not linked: the status says so, and the QR code comes as a PNG
        wait_until(
            lambda: (
                api.get("/admin/whatsapp-web/status", headers=auth).json().get("login_state") == "needs_qr"
            ),
            what="needs_qr",
        )
        qr = api.get("/admin/whatsapp-web/qr", headers=auth)
        assert qr.status_code == 200
        assert qr.headers["content-type"] == "image/png"
        assert qr.content.startswith(b"\x89PNG\r\n\x1a\n")
        assert api.get("/admin/whatsapp-web/qr").status_code == 401

        # The admin scans it with the number's phone
        whatsapp_web_page.scan()

        wait_until(
            lambda: (
                api.get("/admin/whatsapp-web/status", headers=auth).json().get("login_state") == "logged_in"
            ),
            what="logged_in",
        )
