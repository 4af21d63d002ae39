"""On the WhatsApp Cloud API a follow-up outside the 24-hour window is an approved template.

The Cloud adapter itself is another deployment's work: here a ChannelsService
on a free port records the exact SendMessage requests the conductor sends it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest

from shvya.channels.v1 import channels_service_pb2 as ch_pb
from shvya.channels.v1 import channels_service_pb2_grpc as ch_grpc
from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.type.v1 import channel_pb2
from shvya_rpc.server import Registration, run_server

HOUR = 3600


class RecordingCloudChannel(ch_grpc.ChannelsServiceServicer):
    """Accepts every send, as Meta would, and keeps the request."""

    def __init__(self) -> None:
        self.requests: list[ch_pb.SendMessageRequest] = []
        self._lock = threading.Lock()

    def SendMessage(self, request, context):
        with self._lock:
            self.requests.append(request)
            return ch_pb.SendMessageResponse(
                outcome=ch_pb.SEND_OUTCOME_SENT, external_id=f"wamid.{len(self.requests)}"
            )

    def DescribeChannel(self, request, context):
        return ch_pb.DescribeChannelResponse(channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD, ready=True)


@pytest.fixture
def cloud() -> Iterator[RecordingCloudChannel]:
    servicer = RecordingCloudChannel()
    registration = Registration(
        servicer,
        ch_grpc.add_ChannelsServiceServicer_to_server,
        ch_pb.DESCRIPTOR.services_by_name["ChannelsService"],
    )
    with run_server([registration], port=0, host="127.0.0.1") as running:
        servicer.port = running.port
        yield servicer


@pytest.fixture
def whatsapp_cloud_addr(cloud) -> str:
    return f"127.0.0.1:{cloud.port}"


def start(mesh, cloud, *, delay_seconds: int) -> leads_pb.IngestInboundMessageResponse:
    """A lead who wrote on WhatsApp at 11:00 in India and got the first reply."""
    mesh.move_to_local(11)
    company_id = str(mesh.sql("SELECT id FROM companies")[0][0])
    mesh.crm.outreach.UpdateCompanySettings(
        outreach_pb.UpdateCompanySettingsRequest(
            settings=outreach_pb.CompanySettings(company_id=company_id, followup_delay_seconds=delay_seconds)
        )
    )
    result = mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=f"+9196{uuid.uuid4().int % 10**8:08d}",
            contact_name="Arjun Mehta",
            message_text="Is there an EMI option for Data Science?",
            channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
            # As Meta's webhook records it: only a WhatsApp message opens the 24-hour window.
            source="whatsapp_cloud_webhook",
            external_message_id=f"wamid.{uuid.uuid4().hex}",
        )
    )
    mesh.conductor.DispatchJobs(conductor_pb.DispatchJobsRequest(job_ids=[result.job_id]))
    mesh.wait_for_job(result.job_id, "completed")
    mesh.wait_until(
        lambda: (
            mesh.sql(
                "SELECT count(*) FROM jobs WHERE lead_id = %s AND task_name = 'followup_bumpup'",
                (result.lead_id,),
            )[0][0]
            == 1
        ),
        what="the follow-up to be scheduled",
    )
    return result


def test_a_bump_outside_the_window_without_a_registered_template_is_not_sent_and_says_why(mesh, cloud):
    # Given a company that registered no approved WhatsApp template
    lead = start(mesh, cloud, delay_seconds=25 * HOUR)
    [(bump_job,)] = mesh.sql(
        "SELECT id::text FROM jobs WHERE lead_id = %s AND task_name = 'followup_bumpup'", (lead.lead_id,)
    )
    # When the bump falls due outside the 24-hour window
    mesh.advance(25 * HOUR + 1)
    mesh.wait_for_job(bump_job, "dlq")
    # Then no template is guessed: nothing is sent and the message says why
    assert len(cloud.requests) == 1
    [(status, error)] = mesh.sql(
        "SELECT status, error_message FROM messages WHERE lead_id = %s AND direction = 'outbound' "
        "AND meta->>'purpose' = 'followup'",
        (lead.lead_id,),
    )
    assert status == "failed"
    assert "approved template" in error


def test_a_bump_outside_the_window_is_the_companys_follow_up_template_with_the_leads_name(mesh, cloud):
    company_id = str(mesh.sql("SELECT id FROM companies")[0][0])
    for name, body in (
        ("lead_intro_v1", "Hi {first_name}, thanks for asking."),
        ("nudge_v2", "Hi {first_name}!"),
    ):
        mesh.crm.outreach.UpsertTemplate(
            outreach_pb.UpsertTemplateRequest(
                template=outreach_pb.Template(
                    company_id=company_id,
                    name=name,
                    channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
                    language="en",
                    body=body,
                    variables=["first_name"],
                )
            )
        )
    lead = start(mesh, cloud, delay_seconds=25 * HOUR)
    mesh.advance(25 * HOUR + 1)
    mesh.wait_until(lambda: len(cloud.requests) == 2, what="the follow-up send")
    bump = cloud.requests[1]
    assert bump.HasField("template")
    assert (bump.template.name, bump.template.language, list(bump.template.parameters)) == (
        "nudge_v2",
        "en",
        ["Arjun"],
    )
    assert not bump.window_open
    assert (
        bump.recipient.phone_number
        == mesh.sql("SELECT phone FROM leads WHERE id = %s", (lead.lead_id,))[0][0]
    )


def test_a_companys_own_approved_template_is_used_with_its_variables(mesh, cloud):
    company_id = str(mesh.sql("SELECT id FROM companies")[0][0])
    mesh.crm.outreach.UpsertTemplate(
        outreach_pb.UpsertTemplateRequest(
            template=outreach_pb.Template(
                company_id=company_id,
                name="followup",
                channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
                language="en_US",
                body="Hi {{1}}, still thinking about {{2}}?",
                variables=["first_name", "course"],
            )
        )
    )
    start(mesh, cloud, delay_seconds=25 * HOUR)
    mesh.advance(25 * HOUR + 1)
    mesh.wait_until(lambda: len(cloud.requests) == 2, what="the follow-up send")
    template = cloud.requests[1].template
    assert (template.name, template.language, list(template.parameters)) == (
        "followup",
        "en_US",
        ["Arjun", "Data Science and AI"],
    )


def test_a_bump_inside_the_window_is_free_text(mesh, cloud):
    start(mesh, cloud, delay_seconds=2 * HOUR)
    mesh.advance(2 * HOUR + 1)
    mesh.wait_until(lambda: len(cloud.requests) == 2, what="the follow-up send")
    bump = cloud.requests[1]
    assert not bump.HasField("template")
    assert bump.window_open
    assert bump.text.startswith("Hi Arjun")
