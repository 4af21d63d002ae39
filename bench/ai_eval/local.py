"""Runs the cases through the real crm (a temporary, seeded database) and the real ai service.

Each case is a new lead: its earlier turns are recorded in the crm as they
would have happened, then the reply is composed from the crm's own reply
context (unanswered messages, history, knowledge-base search) by the
conductor's own request builder, exactly as a running mesh composes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import grpc

from bench.ai_eval.cases import Case
from bench.ai_eval.score import Outcome
from shvya.ai.v1 import ai_service_pb2 as ai_pb
from shvya.ai.v1 import ai_service_pb2_grpc as ai_grpc
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2
from shvya_ai.server import run_server as run_ai
from shvya_ai.settings import AiSettings
from shvya_conductor.conversation import compose_request, intent_name
from shvya_crm.migrate import upgrade
from shvya_crm.seed import DEMO_DOCUMENTS, seed_demo
from shvya_crm.server import run_server as run_crm
from shvya_crm.settings import DEFAULT_COMPANY_ID, CrmSettings
from shvya_crm.storage.db import make_engine, make_sessionmaker
from shvya_rpc.client import connect
from shvya_rpc.crm_client import CrmClient
from shvya_testkit.postgres import temporary_database

KNOWLEDGE = [content for _, _, content in DEMO_DOCUMENTS] + [title for title, _, _ in DEMO_DOCUMENTS]


@dataclass
class Mesh:
    crm: CrmClient
    ai: ai_grpc.AiServiceStub
    providers: list[str]


@contextmanager
def local_mesh(ai_settings: AiSettings) -> Iterator[Mesh]:
    """A temporary database with the demo catalogue, and the crm and ai servers on free ports."""
    with ExitStack() as stack, temporary_database(prefix="shvya_ai_eval") as url:
        upgrade(url)
        engine = make_engine(url, 1)
        with make_sessionmaker(engine).begin() as session:
            seed_demo(session, DEFAULT_COMPANY_ID)
        engine.dispose()
        crm = stack.enter_context(run_crm(CrmSettings(database_url=url, env="development"), port=0))
        ai = stack.enter_context(run_ai(ai_settings, port=0))
        crm_channel = connect(f"127.0.0.1:{crm.port}")
        ai_channel = connect(f"127.0.0.1:{ai.port}")
        stack.callback(crm_channel.close)
        stack.callback(ai_channel.close)
        providers = ["offline"] + (["openai"] if ai_settings.openai_api_key else [])
        yield Mesh(CrmClient.over(crm_channel), ai_grpc.AiServiceStub(ai_channel), providers)


def _ingest(mesh: Mesh, phone: str, email: str, text: str) -> leads_pb.IngestInboundMessageResponse:
    return mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=phone,
            contact_name="Rahul Kumar",
            message_text=text,
            channel=channel_pb2.CHANNEL_EMAIL,
            email=email,
            idempotency_key=str(uuid.uuid4()),
            source="ai_eval",
        )
    )


def run_case(mesh: Mesh, case: Case, provider: str, timeout: float = 120.0) -> tuple[Outcome, list[str]]:
    """The provider's reply to the case; and the knowledge-base text it was given."""
    suffix = uuid.uuid4().int % 10**8
    phone, email = f"+9198{suffix:08d}", f"eval.{suffix}@example.com"
    said = None
    for who, text in case.history:
        if who == "lead":
            said = _ingest(mesh, phone, email, text)
            continue
        context = mesh.crm.conversations.GetReplyContext(
            conversations_pb.GetReplyContextRequest(lead_id=said.lead_id, message_id=said.message_id)
        )
        mesh.crm.conversations.ReserveReply(
            conversations_pb.ReserveReplyRequest(
                message=conversations_pb.ReserveOutboundMessageRequest(
                    lead_id=said.lead_id,
                    channel=channel_pb2.CHANNEL_EMAIL,
                    text=text,
                    idempotency_key=f"eval:{uuid.uuid4()}",
                    ai_turn=conversations_pb.AiTurn(
                        provider="eval", model="history", inbound_message_id=said.message_id
                    ),
                ),
                outcome=conversations_pb.TurnOutcome(answered_message_ids=[m.id for m in context.pending]),
            )
        )
    said = _ingest(mesh, phone, email, case.text)
    context = mesh.crm.conversations.GetReplyContext(
        conversations_pb.GetReplyContextRequest(lead_id=said.lead_id, message_id=said.message_id)
    )
    request = compose_request(context)
    request.model.provider = provider
    snippets = [k.content for k in request.knowledge] + [k.title for k in request.knowledge]
    try:
        reply = mesh.ai.ComposeReply(request, timeout=timeout)
    except grpc.RpcError as exc:
        return Outcome(case.id, "", "", False, error=f"{exc.code().name}: {exc.details()}"), snippets
    return (
        Outcome(
            case_id=case.id,
            text=reply.text,
            intent=intent_name(reply.intent),
            opt_out=reply.opt_out or reply.intent == ai_pb.INTENT_OPT_OUT,
            unanswered=reply.unanswered,
            hand_off=reply.hand_off,
        ),
        snippets,
    )
