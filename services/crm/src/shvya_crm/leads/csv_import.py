"""Leads from a CSV file: every row checked, duplicates by phone and email skipped, all or nothing."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from shvya_crm.leads import inbound
from shvya_crm.leads.companies import load_company
from shvya_crm.leads.work import normalise_tags, validate_email_field
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Lead, LeadContact, Stage
from shvya_rpc.errors import FieldErrors

MAX_BYTES = 3 * 2**20  # under gRPC's 4 MiB message limit
MAX_ROWS = 10_000
MAX_SOURCE_CHARS = 64
CHANNELS = {"whatsapp_web": "wa_web", "whatsapp_cloud": "wa_cloud", "email": "email"}
# Header names read, with the spellings people use for them.
COLUMNS = {
    "phone_number": "phone_number",
    "phone": "phone_number",
    "contact_name": "contact_name",
    "name": "contact_name",
    "email": "email",
    "course": "course",
    "channel": "channel",
    "source": "source",
    "tags": "tags",
    "stage": "stage",
}
# Columns of the export that an import does not take (they describe the lead's history), so that
# an exported file can be imported into another company as it is.
IGNORED = {"id", "status", "summary", "created_at", "last_message_at", "company_id"}


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str


@dataclass(frozen=True)
class Duplicate:
    row: int
    matched_on: str
    lead_id: uuid.UUID | None = None
    same_as_row: int = 0


@dataclass
class Report:
    rows: int = 0
    created: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    lead_ids: list[uuid.UUID] = field(default_factory=list)


@dataclass(frozen=True)
class _Lead:
    row: int
    phone: str
    contact_name: str
    email: str | None
    course: str
    channel: str
    source: str
    tags: list[str]
    stage: str


def _read(data: bytes) -> tuple[list[str], list[list[str]]]:
    if not data.strip():
        raise FieldErrors({"csv": "is empty: send a header row and at least one lead"})
    if len(data) > MAX_BYTES:
        raise FieldErrors({"csv": f"must be at most {MAX_BYTES // 2**20} MiB; split the file"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FieldErrors({"csv": "must be UTF-8"}) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise FieldErrors({"csv": f"is not CSV: {exc}"}) from None
    header = [h.strip().lower() for h in rows[0]]
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    if len(body) > MAX_ROWS:
        raise FieldErrors({"csv": f"holds {len(body)} rows; at most {MAX_ROWS} at a time"})
    return header, body


def _row(
    number: int, values: dict[str, str], stages: set[str], region: str
) -> tuple[_Lead | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(name: str, reason: str) -> None:
        errors.append(RowError(number, name, reason))

    phone = ""
    try:
        phone = inbound.normalise_phone(values.get("phone_number", ""), region)
    except ValueError as exc:
        fail("phone_number", str(exc))
    name = " ".join(values.get("contact_name", "").split())
    if len(name) > inbound.MAX_NAME_CHARS:
        fail("contact_name", f"must be at most {inbound.MAX_NAME_CHARS} characters")
    email = None
    try:
        email = validate_email_field(values.get("email", ""))
    except FieldErrors as exc:
        fail("email", exc.violations["email"])
    channel_name = values.get("channel", "").strip().lower() or "whatsapp_web"
    channel = CHANNELS.get(channel_name)
    if channel is None:
        fail("channel", f"{channel_name!r} must be one of {', '.join(CHANNELS)}")
    elif channel == "email" and email is None and "email" not in {e.field for e in errors}:
        fail("email", "is required when channel is email")
    course = " ".join(values.get("course", "").split())
    if len(course) > inbound.MAX_COURSE_CHARS:
        fail("course", f"must be at most {inbound.MAX_COURSE_CHARS} characters")
    source = values.get("source", "").strip() or "import"
    if len(source) > MAX_SOURCE_CHARS:
        fail("source", f"must be at most {MAX_SOURCE_CHARS} characters")
    tags: list[str] = []
    try:
        tags = normalise_tags([t for t in values.get("tags", "").split(";") if t.strip()], "tags")
    except FieldErrors as exc:
        fail("tags", exc.violations["tags"])
    stage = values.get("stage", "").strip().lower() or "new"
    if stage not in stages:
        fail("stage", f"{stage!r} is not a stage of the company's pipeline ({', '.join(sorted(stages))})")
    if errors:
        return None, errors
    return _Lead(number, phone, name, email, course, channel or "", source, tags, stage), []


def check(session: Session, company_id: uuid.UUID, data: bytes, region: str) -> tuple[Report, list[_Lead]]:
    """The report of what an import would do, and the leads it would create."""
    header, body = _read(data)
    report = Report(rows=len(body))
    unknown = [h for h in header if h and h not in COLUMNS and h not in IGNORED]
    if unknown:
        report.errors.append(
            RowError(0, unknown[0], f"unknown column(s) {', '.join(unknown)}; known: {', '.join(COLUMNS)}")
        )
    columns = [COLUMNS.get(h) for h in header]
    if "phone_number" not in columns:
        raise FieldErrors({"csv": "the header must name a phone_number column"})
    company = load_company(session, company_id)
    stage_ids = dict(
        session.execute(select(Stage.key, Stage.id).where(Stage.pipeline_id == company.pipeline_id)).all()
    )
    candidates: list[_Lead] = []
    for number, cells in enumerate(body, start=1):
        if len(cells) > len(header):
            report.errors.append(
                RowError(number, "", f"has {len(cells)} cells; the header has {len(header)}")
            )
            continue
        values = {c: v for c, v in zip(columns, cells, strict=False) if c is not None}
        lead, errors = _row(number, values, set(stage_ids), region)
        report.errors.extend(errors)
        if lead is not None:
            candidates.append(lead)
    fresh = _skip_duplicates(session, company_id, candidates, report)
    report.created = len(fresh)
    return report, ([] if report.errors else fresh)


def _skip_duplicates(
    session: Session, company_id: uuid.UUID, leads: list[_Lead], report: Report
) -> list[_Lead]:
    phones = {lead.phone for lead in leads}
    emails = {lead.email.lower() for lead in leads if lead.email}
    by_phone = dict(
        session.execute(
            select(Lead.phone, Lead.id).where(Lead.company_id == company_id, Lead.phone.in_(phones))
        ).all()
    )
    by_email = dict(
        session.execute(
            select(func.lower(Lead.email), Lead.id).where(
                Lead.company_id == company_id, func.lower(Lead.email).in_(emails)
            )
        ).all()
    )
    seen_phone: dict[str, int] = {}
    seen_email: dict[str, int] = {}
    fresh = []
    for lead in leads:
        email = lead.email.lower() if lead.email else None
        if lead.phone in by_phone:
            report.duplicates.append(Duplicate(lead.row, "phone_number", lead_id=by_phone[lead.phone]))
        elif email and email in by_email:
            report.duplicates.append(Duplicate(lead.row, "email", lead_id=by_email[email]))
        elif lead.phone in seen_phone:
            report.duplicates.append(Duplicate(lead.row, "phone_number", same_as_row=seen_phone[lead.phone]))
        elif email and email in seen_email:
            report.duplicates.append(Duplicate(lead.row, "email", same_as_row=seen_email[email]))
        else:
            seen_phone[lead.phone] = lead.row
            if email:
                seen_email[email] = lead.row
            fresh.append(lead)
    return fresh


def import_leads(
    session: Session, company_id: uuid.UUID, data: bytes, *, dry_run: bool, region: str
) -> Report:
    """Checks the file; unless it is a dry run or a row is bad, creates its new leads in the
    caller's transaction (one transaction: a failure part-way leaves nothing behind)."""
    report, leads = check(session, company_id, data, region)
    if dry_run or report.errors or not leads:
        return report
    company = load_company(session, company_id)
    stage_ids = dict(
        session.execute(select(Stage.key, Stage.id).where(Stage.pipeline_id == company.pipeline_id)).all()
    )
    now = now_of(session)
    rows, contacts, created = [], [], []
    for lead in leads:
        lead_id = uuid.uuid4()
        report.lead_ids.append(lead_id)
        rows.append(
            {
                "id": lead_id,
                "company_id": company_id,
                "pipeline_id": company.pipeline_id,
                "stage_id": stage_ids[lead.stage],
                "contact_name": lead.contact_name,
                "phone": lead.phone,
                "email": lead.email,
                "channel": lead.channel,
                "source": lead.source,
                "profile": {"course": lead.course} if lead.course else {},
                "tags": lead.tags,
                "created_at": now,
                "updated_at": now,
            }
        )
        address = lead.email if lead.channel == "email" else lead.phone
        contacts.append(
            {
                "id": uuid.uuid4(),
                "lead_id": lead_id,
                "channel": lead.channel,
                "value": address,
                "is_primary": True,
            }
        )
        created.append(
            {
                "type": "lead.created",
                "entity_type": "lead",
                "entity_id": lead_id,
                "company_id": company_id,
                "lead_id": lead_id,
                "data": {"source": lead.source, "channel": lead.channel, "import_row": lead.row},
            }
        )
    session.execute(insert(Lead.__table__), rows)
    session.execute(insert(LeadContact.__table__), contacts)
    events.record_many(session, created)
    events.record(
        session,
        "leads.imported",
        "company",
        company_id,
        company_id=company_id,
        data={"rows": report.rows, "created": len(rows), "duplicates": len(report.duplicates)},
    )
    report.applied = True
    return report
