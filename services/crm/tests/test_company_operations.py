"""A company's owner or admin runs its own jobs: counts, dead letters and their replay, by company."""

from __future__ import annotations

import uuid

import grpc
import pytest
from argon2 import PasswordHasher

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya_crm.settings import DEFAULT_COMPANY_ID

OPERATORS = ("owner", "admin")
REFUSED = ("counsellor", "api_key_all_scopes")


@pytest.fixture
def a(crm, people):
    return people.build_company(crm.sql, crm.database_url, crm.stub.users, "a")


@pytest.fixture
def b(crm, people):
    return people.build_company(crm.sql, crm.database_url, crm.stub.users, "b")


def _dead_letter(crm, company_id: str = "", phone: str = "9876543210") -> str:
    job_id = crm.ingest(company_id=company_id, phone_number=phone).job_id
    crm.stub.jobs.StartJob(jobs_pb.StartJobRequest(job_id=job_id, lease_seconds=60))
    crm.stub.jobs.FailJob(jobs_pb.FailJobRequest(job_id=job_id, error_message="smtp: 550"))
    return job_id


def _status(crm, job_id: str) -> str:
    return crm.scalar("SELECT status FROM jobs WHERE id = %s", (job_id,))


def _default_company_admin(crm, people) -> str:
    """An admin of the default company (the one an empty company id means elsewhere), signed in."""
    crm.ingest()  # creates the default company
    crm.sql(
        "INSERT INTO users (id, company_id, email, name, role, password_hash) "
        "VALUES (%s, %s, 'admin@default.example', 'admin', 'admin', %s)",
        (
            str(uuid.uuid4()),
            str(DEFAULT_COMPANY_ID),
            PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(people.PASSWORD),
        ),
    )
    return people.login(crm.stub.users, str(DEFAULT_COMPANY_ID), "admin@default.example")


# -- GetJobCounts -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", OPERATORS)
def test_an_owner_or_admin_counts_only_their_company_jobs(crm, people, a, b, role):
    _dead_letter(crm, a.id, "9876500001")
    _dead_letter(crm, b.id, "9876500002")
    _dead_letter(crm, b.id, "9876500003")

    counts = crm.stub.jobs.GetJobCounts(
        jobs_pb.GetJobCountsRequest(company_id=a.id), metadata=people.as_(a.credentials[role])
    )

    assert (counts.dlq, counts.queued) == (1, 0)


def test_company_counts_keep_due_now_apart_from_scheduled_later(crm, people, a, b):
    crm.ingest(company_id=a.id, phone_number="9876500001")
    crm.ingest(company_id=b.id, phone_number="9876500002")
    crm.sql("UPDATE jobs SET run_at = now() + interval '1 day' WHERE company_id = %s", (a.id,))

    counts = crm.stub.jobs.GetJobCounts(
        jobs_pb.GetJobCountsRequest(company_id=a.id), metadata=people.as_(a.credentials["admin"])
    )

    assert (counts.queued, counts.due_now, counts.scheduled_later) == (1, 0, 1)


@pytest.mark.parametrize("caller", REFUSED)
def test_a_counsellor_or_an_api_key_may_not_count_company_jobs(crm, people, a, caller):
    code = people.code_of(
        lambda: crm.stub.jobs.GetJobCounts(
            jobs_pb.GetJobCountsRequest(company_id=a.id), metadata=people.as_(a.credentials[caller])
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED


def test_an_owner_may_not_count_another_company_jobs(crm, people, a, b):
    code = people.code_of(
        lambda: crm.stub.jobs.GetJobCounts(
            jobs_pb.GetJobCountsRequest(company_id=b.id), metadata=people.as_(a.credentials["owner"])
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED


def test_every_company_counts_are_refused_to_a_default_company_admin(crm, people):
    admin = _default_company_admin(crm, people)

    code = people.code_of(
        lambda: crm.stub.jobs.GetJobCounts(jobs_pb.GetJobCountsRequest(), metadata=people.as_(admin))
    )

    assert code == grpc.StatusCode.PERMISSION_DENIED


def test_the_platform_operator_counts_every_company_jobs(crm, people, a, b):
    _dead_letter(crm, a.id, "9876500001")
    _dead_letter(crm, b.id, "9876500002")

    counts = crm.stub.jobs.GetJobCounts(
        jobs_pb.GetJobCountsRequest(), metadata=people.as_(people.PLATFORM_TOKEN)
    )

    assert counts.dlq == 2


# -- ListDeadJobs -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", OPERATORS)
def test_an_owner_or_admin_lists_only_their_company_dead_letters(crm, people, a, b, role):
    mine = _dead_letter(crm, a.id, "9876500001")
    _dead_letter(crm, b.id, "9876500002")

    page = crm.stub.jobs.ListDeadJobs(
        jobs_pb.ListDeadJobsRequest(company_id=a.id), metadata=people.as_(a.credentials[role])
    )

    assert [d.job.id for d in page.jobs] == [mine]


def test_a_default_company_admin_cannot_list_every_company_dead_letters(crm, people, b):
    admin = _default_company_admin(crm, people)
    _dead_letter(crm, b.id, "9876500002")

    code = people.code_of(
        lambda: crm.stub.jobs.ListDeadJobs(jobs_pb.ListDeadJobsRequest(), metadata=people.as_(admin))
    )

    assert code == grpc.StatusCode.PERMISSION_DENIED


def test_a_default_company_admin_lists_its_own_dead_letters_when_it_names_its_company(crm, people, b):
    admin = _default_company_admin(crm, people)
    mine = _dead_letter(crm, "", "9876500001")
    _dead_letter(crm, b.id, "9876500002")

    page = crm.stub.jobs.ListDeadJobs(
        jobs_pb.ListDeadJobsRequest(company_id=str(DEFAULT_COMPANY_ID)), metadata=people.as_(admin)
    )

    assert [d.job.id for d in page.jobs] == [mine]


@pytest.mark.parametrize("caller", REFUSED)
def test_a_counsellor_or_an_api_key_may_not_list_dead_letters(crm, people, a, caller):
    code = people.code_of(
        lambda: crm.stub.jobs.ListDeadJobs(
            jobs_pb.ListDeadJobsRequest(company_id=a.id), metadata=people.as_(a.credentials[caller])
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED


def test_an_owner_may_not_list_another_company_dead_letters(crm, people, a, b):
    code = people.code_of(
        lambda: crm.stub.jobs.ListDeadJobs(
            jobs_pb.ListDeadJobsRequest(company_id=b.id), metadata=people.as_(a.credentials["owner"])
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED


# -- RequeueDeadJobs ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", OPERATORS)
def test_an_owner_or_admin_requeues_the_selected_dead_letters(crm, people, a, role):
    chosen = _dead_letter(crm, a.id, "9876500001")
    left = _dead_letter(crm, a.id, "9876500002")

    requeued = crm.stub.jobs.RequeueDeadJobs(
        jobs_pb.RequeueDeadJobsRequest(company_id=a.id, job_ids=[chosen]),
        metadata=people.as_(a.credentials[role]),
    ).jobs

    assert [(j.id, j.attempts) for j in requeued] == [(chosen, 0)]
    assert (_status(crm, chosen), _status(crm, left)) == ("queued", "dlq")


def test_a_selected_job_of_another_company_is_not_found_and_nothing_is_requeued(crm, people, a, b):
    mine = _dead_letter(crm, a.id, "9876500001")
    theirs = _dead_letter(crm, b.id, "9876500002")

    code = people.code_of(
        lambda: crm.stub.jobs.RequeueDeadJobs(
            jobs_pb.RequeueDeadJobsRequest(company_id=a.id, job_ids=[mine, theirs]),
            metadata=people.as_(a.credentials["admin"]),
        )
    )

    assert code == grpc.StatusCode.NOT_FOUND
    assert (_status(crm, mine), _status(crm, theirs)) == ("dlq", "dlq")


def test_a_selected_job_that_is_not_dead_is_invalid_and_nothing_is_requeued(crm, people, a):
    dead = _dead_letter(crm, a.id, "9876500001")
    waiting = crm.ingest(company_id=a.id, phone_number="9876500002").job_id

    code = people.code_of(
        lambda: crm.stub.jobs.RequeueDeadJobs(
            jobs_pb.RequeueDeadJobsRequest(company_id=a.id, job_ids=[dead, waiting]),
            metadata=people.as_(a.credentials["admin"]),
        )
    )

    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert _status(crm, dead) == "dlq"


def test_a_selected_job_id_that_is_not_a_uuid_is_invalid(crm, people, a):
    code = people.code_of(
        lambda: crm.stub.jobs.RequeueDeadJobs(
            jobs_pb.RequeueDeadJobsRequest(company_id=a.id, job_ids=["job-1"]),
            metadata=people.as_(a.credentials["admin"]),
        )
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT


def test_requeue_by_count_keeps_to_the_named_company(crm, people, a, b):
    mine = _dead_letter(crm, a.id, "9876500001")
    theirs = _dead_letter(crm, b.id, "9876500002")

    requeued = crm.stub.jobs.RequeueDeadJobs(
        jobs_pb.RequeueDeadJobsRequest(company_id=a.id, max_jobs=10),
        metadata=people.as_(a.credentials["owner"]),
    ).jobs

    assert [j.id for j in requeued] == [mine]
    assert _status(crm, theirs) == "dlq"


@pytest.mark.parametrize("caller", REFUSED)
def test_a_counsellor_or_an_api_key_may_not_requeue(crm, people, a, caller):
    dead = _dead_letter(crm, a.id, "9876500001")

    code = people.code_of(
        lambda: crm.stub.jobs.RequeueDeadJobs(
            jobs_pb.RequeueDeadJobsRequest(company_id=a.id, job_ids=[dead]),
            metadata=people.as_(a.credentials[caller]),
        )
    )

    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert _status(crm, dead) == "dlq"


def test_an_owner_may_not_requeue_another_company_dead_letters(crm, people, a, b):
    theirs = _dead_letter(crm, b.id, "9876500002")

    code = people.code_of(
        lambda: crm.stub.jobs.RequeueDeadJobs(
            jobs_pb.RequeueDeadJobsRequest(company_id=b.id, job_ids=[theirs]),
            metadata=people.as_(a.credentials["owner"]),
        )
    )

    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert _status(crm, theirs) == "dlq"


def test_a_default_company_admin_cannot_requeue_every_company_dead_letters(crm, people, b):
    admin = _default_company_admin(crm, people)
    theirs = _dead_letter(crm, b.id, "9876500002")

    code = people.code_of(
        lambda: crm.stub.jobs.RequeueDeadJobs(
            jobs_pb.RequeueDeadJobsRequest(max_jobs=10), metadata=people.as_(admin)
        )
    )

    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert _status(crm, theirs) == "dlq"
