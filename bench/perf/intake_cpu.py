"""The crm's CPU per form at intake, without the mesh: `LeadsService.IngestInboundMessage` called
directly, in one thread, on a migrated database seeded with the demo company (temporary unless
one is given). CPU time of this process, so a busy machine slows it less than it does the
closed loop of `bench.perf --sections intake`; compare two revisions in interleaved pairs.

    .venv/bin/python -m bench.perf.intake_cpu [forms] [database url]

Each form is a new student (as the bench's wrk script posts them); then the first 200 again,
which are duplicates."""

from __future__ import annotations

import contextlib
import sys
import time
import uuid

from bench.perf.mesh import prepared_database
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2
from shvya_crm import reactions
from shvya_crm.api.leads import LeadsServicer
from shvya_crm.settings import CrmSettings
from shvya_crm.storage.clock import Clock
from shvya_crm.storage.db import Database, make_engine, make_sessionmaker
from shvya_testkit.mesh import base_env

WARM_UP = 50
DUPLICATES = 200


def form(run: int, i: int) -> leads_pb.IngestInboundMessageRequest:
    number = f"98{run:02d}{i:06d}"
    return leads_pb.IngestInboundMessageRequest(
        phone_number=f"+91{number}",
        contact_name=f"Bench Student {number}",
        message_text="Hi, I am interested in the Digital Marketing course. What is the fee?",
        channel=channel_pb2.CHANNEL_EMAIL,
        email=f"student{number}@bench.example",
        source="form",
        dispatch_lease_seconds=3600,
    )


def measure(database_url: str, forms: int) -> dict[str, float]:
    settings = CrmSettings(env="development", database_url=database_url, internal_token=None)
    engine = make_engine(settings.database_url, 2)
    try:
        servicer = LeadsServicer(
            settings, Database(make_sessionmaker(engine), Clock(), reactions.subscriptions())
        )
        # Numbers no earlier run on the same database used.
        run = uuid.uuid4().int % 90 + 10
        for i in range(WARM_UP):
            servicer.IngestInboundMessage(form(run, i), None)
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(WARM_UP, WARM_UP + forms):
            said = servicer.IngestInboundMessage(form(run, i), None)
            if not (said.lead_created and said.job_leased):
                raise RuntimeError(f"form {i} was not taken as a new lead with a leased job: {said}")
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        repeats = min(DUPLICATES, forms)
        repeat_cpu = time.process_time()
        for i in range(WARM_UP, WARM_UP + repeats):
            if not servicer.IngestInboundMessage(form(run, i), None).duplicate:
                raise RuntimeError(f"form {i}, posted again, was not taken as a duplicate")
        repeat_cpu = time.process_time() - repeat_cpu
    finally:
        engine.dispose()
    return {
        "cpu_ms_per_form": cpu / forms * 1000,
        "wall_ms_per_form": wall / forms * 1000,
        "cpu_ms_per_duplicate": repeat_cpu / repeats * 1000,
    }


def main() -> None:
    forms = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with contextlib.ExitStack() as stack:
        url = sys.argv[2] if len(sys.argv) > 2 else prepared_database(stack, base_env())
        result = measure(url, forms)
    print(
        f"new forms: {result['cpu_ms_per_form']:.2f} ms CPU per form "
        f"({result['wall_ms_per_form']:.2f} ms wall); duplicates: {result['cpu_ms_per_duplicate']:.2f} ms CPU"
    )


if __name__ == "__main__":
    main()
