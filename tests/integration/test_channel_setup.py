"""A lead for a channel this deployment has not set up is refused at intake, saying what to set."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from shvya_channels.server import run_server as run_channels
from shvya_channels.settings import ChannelKind, ChannelsSettings
from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings


@pytest.fixture
def api_without_cloud_credentials(mesh, redis_url, redis_prefix) -> Iterator[TestClient]:
    """The gateway of the mesh, with a WhatsApp Cloud channel deployed without its token."""
    unconfigured = ChannelsSettings(
        channel=ChannelKind.WHATSAPP_CLOUD,
        redis_url=redis_url,
        redis_prefix=redis_prefix,
        whatsapp_cloud_phone_id="",
        whatsapp_cloud_token=None,
    )
    with run_channels(unconfigured, port=0) as cloud:
        settings = GatewaySettings(
            crm_addr=mesh.crm_addr,
            conductor_addr=mesh.conductor_addr,
            channels_whatsapp_cloud_addr=f"localhost:{cloud.port}",
        )
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            yield client


def form(channel: str) -> dict:
    suffix = uuid.uuid4().int % 10**8
    return {
        "phone_number": f"+9198{suffix:08d}",
        "contact_name": "Rahul Kumar",
        "message_text": "Interested in Digital Marketing course",
        "channel": channel,
        "email": f"rahul.{suffix}@example.com",
    }


def leads(mesh) -> int:
    return mesh.sql("SELECT count(*) FROM leads")[0][0]


def test_a_whatsapp_cloud_lead_without_cloud_credentials_is_refused_naming_what_to_set(
    api_without_cloud_credentials, mesh
):
    before = leads(mesh)

    response = api_without_cloud_credentials.post("/inbound-message", json=form("whatsapp_cloud"))

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "channel"]
    assert error["type"] == "channel_not_configured"
    assert "WHATSAPP_CLOUD_TOKEN" in error["msg"]
    assert leads(mesh) == before


def test_an_email_lead_is_still_accepted_there(api_without_cloud_credentials):
    response = api_without_cloud_credentials.post("/inbound-message", json=form("email"))

    assert response.status_code == 200
