"""What the staff console asks of the conductor for a company's owner or admin, with the person's
crm credential forwarded so that the crm decides: a reply tried out, and dead letters replayed."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.leads.companies import ensure_company
from shvya_crm.seed import document_id
from shvya_crm.settings import DEFAULT_COMPANY_ID
from shvya_crm.storage.db import make_engine, make_sessionmaker
from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_rpc.errors import field_violations

PASSWORD = "correct horse battery"
ACADEMY = str(DEFAULT_COMPANY_ID)
# What a reply tried out must leave as it was.
STORED = ("leads", "messages", "jobs", "ai_sessions", "events", "unanswered_questions")


def _signed_in(mesh, role: str, company: str = ACADEMY) -> list[tuple[str, str]]:
    """The metadata the console sends for a person of `company` with `role`."""
    email = f"{role}.{uuid.uuid4().hex[:6]}@academy.example"
    mesh.sql(
        "INSERT INTO users (id, company_id, email, name, role, password_hash) "
        "VALUES (%s, %s, %s, %s, %s, %s);COMMIT",
        (
            str(uuid.uuid4()),
            company,
            email,
            role,
            role,
            PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD),
        ),
    )
    token = mesh.crm.users.Login(
        users_pb.LoginRequest(company_id=company, email=email, password=PASSWORD)
    ).session_token
    return [("x-shvya-credential", token)]


def _other_company(mesh) -> str:
    company = str(uuid.uuid4())
    engine = make_engine(mesh.database_url, 1)
    try:
        with make_sessionmaker(engine).begin() as session:
            ensure_company(session, uuid.UUID(company), "Another Academy")
    finally:
        engine.dispose()
    return company


def _code(call) -> grpc.StatusCode:
    try:
        call()
    except grpc.RpcError as exc:
        return exc.code()
    return grpc.StatusCode.OK


def _counts(mesh) -> dict[str, int]:
    return {table: mesh.sql(f"SELECT count(*) FROM {table}")[0][0] for table in STORED}


# -- PreviewReply -------------------------------------------------------------------------------


def _preview(mesh, metadata, question: str = "What is the fee for the data science course?", **more):
    return mesh.conductor.PreviewReply(
        conductor_pb.PreviewReplyRequest(company_id=ACADEMY, question=question, **more), metadata=metadata
    )


def test_a_tried_question_is_answered_from_the_catalogue_as_a_real_turn_is(mesh):
    admin = _signed_in(mesh, "admin")

    reply = _preview(mesh, admin, channel=channel_pb2.CHANNEL_EMAIL)

    # As test_ai_turns' real first turn to the same question: the fee, its document, a question
    # that qualifies the lead, answered by the mesh's offline provider.
    assert "Rs 59,999" in reply.text
    assert [(d.id, d.title) for d in reply.documents] == [
        (str(document_id("Data Science and AI")), "Data Science and AI")
    ]
    assert (reply.intent, reply.suggested_stage, reply.hand_off) == ("question", "qualified", False)
    assert reply.provider == "offline"
    assert reply.model


def test_a_tried_question_stores_nothing_and_sends_nothing(mesh):
    admin = _signed_in(mesh, "owner")
    before = _counts(mesh)

    _preview(mesh, admin, question="Please call me about the UI/UX course")

    assert _counts(mesh) == before
    assert mesh.smtp.messages == []


def test_a_call_request_tried_out_says_a_counsellor_would_take_over(mesh):
    reply = _preview(mesh, _signed_in(mesh, "admin"), question="Please call me, I want to discuss UI/UX")
    assert (reply.intent, reply.hand_off) == ("wants_call", True)


def _model_endpoint(status: int, content: dict) -> Iterator[str]:
    """An OpenAI-compatible chat completions endpoint on 127.0.0.1 giving every request one answer."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            if status == 200:
                body = {
                    "id": "chatcmpl-preview",
                    "object": "chat.completion",
                    "created": 0,
                    "model": request.get("model", ""),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": json.dumps(content)},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 300, "completion_tokens": 40, "total_tokens": 340},
                }
            else:
                body = {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def answering_model() -> Iterator[str]:
    yield from _model_endpoint(
        200,
        {
            "reply": "The Data Science and AI course fee is Rs 59,999.",
            "subject": "Data Science and AI fees",
            "intent": "question",
            "suggested_stage": "qualified",
            "hand_off": False,
            "opt_out": False,
            "unanswered": False,
            "sources": [1],
        },
    )


@pytest.fixture
def refusing_model() -> Iterator[str]:
    yield from _model_endpoint(401, {})


def _use_model(mesh, base_url: str) -> None:
    """The academy's AI counsellor answers through an OpenAI-compatible endpoint at `base_url`."""
    config = mesh.crm.conversations.GetAiModel(
        conversations_pb.GetAiModelRequest(company_id=ACADEMY)
    ).ai_model
    config.provider, config.model, config.base_url = "openai", "gpt-4o-mini", base_url
    mesh.crm.conversations.UpdateAiModel(conversations_pb.UpdateAiModelRequest(ai_model=config))


def test_a_tried_question_names_the_model_that_answered_it(mesh, answering_model):
    _use_model(mesh, answering_model)

    reply = _preview(mesh, _signed_in(mesh, "admin"))

    assert (reply.provider, reply.model) == ("openai", "gpt-4o-mini")
    assert "Rs 59,999" in reply.text
    assert [d.title for d in reply.documents] == ["Data Science and AI"]


def test_a_tried_question_to_a_model_that_refuses_its_key_is_a_failed_precondition(mesh, refusing_model):
    _use_model(mesh, refusing_model)

    with pytest.raises(grpc.RpcError) as refused:
        _preview(mesh, _signed_in(mesh, "admin"))

    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "refused the API key" in refused.value.details()


def test_a_question_tried_for_another_company_is_refused_by_the_crm(mesh):
    outsider = _signed_in(mesh, "owner", _other_company(mesh))
    assert _code(lambda: _preview(mesh, outsider)) == grpc.StatusCode.PERMISSION_DENIED


def test_a_question_tried_with_an_unknown_session_is_unauthenticated(mesh):
    stranger = [("x-shvya-credential", "shvs_no-such-session")]
    assert _code(lambda: _preview(mesh, stranger)) == grpc.StatusCode.UNAUTHENTICATED


def test_an_empty_question_is_invalid(mesh):
    assert _code(lambda: _preview(mesh, [], question=" ")) == grpc.StatusCode.INVALID_ARGUMENT


# -- ReplayDeadLetters --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_an_owner_or_admin_replays_the_chosen_dead_letter_and_only_it(mesh, role):
    chosen, left = mesh.dead_first_replies(2)

    replayed = mesh.conductor.ReplayDeadLetters(
        conductor_pb.ReplayDeadLettersRequest(company_id=ACADEMY, job_ids=[chosen]),
        metadata=_signed_in(mesh, role),
    )

    assert list(replayed.job_ids) == [chosen]
    mesh.wait_for_job(chosen, "completed")
    assert len(mesh.smtp.wait_for(1)) == 1
    assert mesh.job_status(left) == "dlq"


def test_a_counsellor_may_not_replay_dead_letters(mesh):
    (dead,) = mesh.dead_first_replies(1)

    code = _code(
        lambda: mesh.conductor.ReplayDeadLetters(
            conductor_pb.ReplayDeadLettersRequest(company_id=ACADEMY, job_ids=[dead]),
            metadata=_signed_in(mesh, "counsellor"),
        )
    )

    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert mesh.job_status(dead) == "dlq"


def test_an_admin_may_not_replay_every_company_dead_letters(mesh):
    (dead,) = mesh.dead_first_replies(1)

    code = _code(
        lambda: mesh.conductor.ReplayDeadLetters(
            conductor_pb.ReplayDeadLettersRequest(max_jobs=10), metadata=_signed_in(mesh, "admin")
        )
    )

    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert mesh.job_status(dead) == "dlq"


def test_a_dead_letter_of_another_company_is_not_found_to_an_admin(mesh):
    (dead,) = mesh.dead_first_replies(1)
    company = _other_company(mesh)

    code = _code(
        lambda: mesh.conductor.ReplayDeadLetters(
            conductor_pb.ReplayDeadLettersRequest(company_id=company, job_ids=[dead]),
            metadata=_signed_in(mesh, "admin", company),
        )
    )

    assert code == grpc.StatusCode.NOT_FOUND
    assert mesh.job_status(dead) == "dlq"


def test_a_chosen_job_that_is_not_dead_is_invalid_naming_the_field_and_nothing_is_replayed(mesh):
    (dead,) = mesh.dead_first_replies(1)
    suffix = uuid.uuid4().int % 10**8
    alive = mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=f"+9198{suffix:08d}",
            message_text="Fees?",
            channel=channel_pb2.CHANNEL_EMAIL,
            email=f"asha.{suffix}@example.com",
        )
    ).job_id
    mesh.wait_for_job(alive, "completed")

    with pytest.raises(grpc.RpcError) as refused:
        mesh.conductor.ReplayDeadLetters(
            conductor_pb.ReplayDeadLettersRequest(company_id=ACADEMY, job_ids=[dead, alive]),
            metadata=_signed_in(mesh, "admin"),
        )

    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert list(field_violations(refused.value)) == ["job_ids"]
    assert mesh.job_status(dead) == "dlq"


def test_a_replay_without_a_credential_stays_the_mesh_own(mesh):
    (dead,) = mesh.dead_first_replies(1)

    replayed = mesh.conductor.ReplayDeadLetters(conductor_pb.ReplayDeadLettersRequest(job_ids=[dead]))

    assert list(replayed.job_ids) == [dead]
    mesh.wait_for_job(dead, "completed")


def test_an_admin_reads_their_company_dead_letters_through_the_gateway_but_not_every_company(mesh):
    (dead,) = mesh.dead_first_replies(1)
    [(_, token)] = _signed_in(mesh, "admin")
    settings = GatewaySettings(
        crm_addr=mesh.crm_addr, conductor_addr=mesh.conductor_addr, admin_token=mesh.admin_token
    )
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings), raise_server_exceptions=False) as api:
        mine = api.get(f"/admin/dead-letters?company_id={ACADEMY}", headers=headers)
        everyone = api.get("/admin/dead-letters", headers=headers)

    assert mine.status_code == 200, mine.text
    assert [d["job_id"] for d in mine.json()["dead_letters"]] == [dead]
    assert everyone.status_code == 403
