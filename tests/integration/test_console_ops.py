"""What the staff console asks of the conductor for a company's owner or admin, with the person's
crm credential forwarded so that the crm decides: a reply tried out, and dead letters replayed."""

from __future__ import annotations

import uuid

import grpc
import pytest
from argon2 import PasswordHasher

from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.leads.companies import ensure_company
from shvya_crm.seed import document_id
from shvya_crm.settings import DEFAULT_COMPANY_ID
from shvya_crm.storage.db import make_engine, make_sessionmaker

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


def test_a_question_tried_for_another_company_is_refused_by_the_crm(mesh):
    outsider = _signed_in(mesh, "owner", _other_company(mesh))
    assert _code(lambda: _preview(mesh, outsider)) == grpc.StatusCode.PERMISSION_DENIED


def test_a_question_tried_with_an_unknown_session_is_unauthenticated(mesh):
    stranger = [("x-shvya-credential", "shvs_no-such-session")]
    assert _code(lambda: _preview(mesh, stranger)) == grpc.StatusCode.UNAUTHENTICATED


def test_an_empty_question_is_invalid(mesh):
    assert _code(lambda: _preview(mesh, [], question=" ")) == grpc.StatusCode.INVALID_ARGUMENT


# -- ReplayDeadLetters --------------------------------------------------------------------------


def _dead_letters(mesh, count: int) -> list[str]:
    """First replies that died because SMTP stayed down longer than the mesh waits out an outage."""
    mesh.smtp.stop()
    job_ids = []
    for _ in range(count):
        suffix = uuid.uuid4().int % 10**8
        job_ids.append(
            mesh.crm.leads.IngestInboundMessage(
                leads_pb.IngestInboundMessageRequest(
                    phone_number=f"+9198{suffix:08d}",
                    contact_name="Priya Sharma",
                    message_text="What is the fee for the Digital Marketing course?",
                    channel=channel_pb2.CHANNEL_EMAIL,
                    email=f"priya.{suffix}@example.com",
                )
            ).job_id
        )
    for job_id in job_ids:
        mesh.wait_for_job(job_id, "dlq")
    mesh.smtp.start()
    return job_ids


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_an_owner_or_admin_replays_the_chosen_dead_letter_and_only_it(mesh, role):
    chosen, left = _dead_letters(mesh, 2)

    replayed = mesh.conductor.ReplayDeadLetters(
        conductor_pb.ReplayDeadLettersRequest(company_id=ACADEMY, job_ids=[chosen]),
        metadata=_signed_in(mesh, role),
    )

    assert list(replayed.job_ids) == [chosen]
    mesh.wait_for_job(chosen, "completed")
    assert len(mesh.smtp.wait_for(1)) == 1
    assert mesh.job_status(left) == "dlq"


def test_a_counsellor_may_not_replay_dead_letters(mesh):
    (dead,) = _dead_letters(mesh, 1)

    code = _code(
        lambda: mesh.conductor.ReplayDeadLetters(
            conductor_pb.ReplayDeadLettersRequest(company_id=ACADEMY, job_ids=[dead]),
            metadata=_signed_in(mesh, "counsellor"),
        )
    )

    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert mesh.job_status(dead) == "dlq"


def test_an_admin_may_not_replay_every_company_dead_letters(mesh):
    (dead,) = _dead_letters(mesh, 1)

    code = _code(
        lambda: mesh.conductor.ReplayDeadLetters(
            conductor_pb.ReplayDeadLettersRequest(max_jobs=10), metadata=_signed_in(mesh, "admin")
        )
    )

    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert mesh.job_status(dead) == "dlq"


def test_a_dead_letter_of_another_company_is_not_found_to_an_admin(mesh):
    (dead,) = _dead_letters(mesh, 1)
    company = _other_company(mesh)

    code = _code(
        lambda: mesh.conductor.ReplayDeadLetters(
            conductor_pb.ReplayDeadLettersRequest(company_id=company, job_ids=[dead]),
            metadata=_signed_in(mesh, "admin", company),
        )
    )

    assert code == grpc.StatusCode.NOT_FOUND
    assert mesh.job_status(dead) == "dlq"


def test_a_replay_without_a_credential_stays_the_mesh_own(mesh):
    (dead,) = _dead_letters(mesh, 1)

    replayed = mesh.conductor.ReplayDeadLetters(conductor_pb.ReplayDeadLettersRequest(job_ids=[dead]))

    assert list(replayed.job_ids) == [dead]
    mesh.wait_for_job(dead, "completed")
