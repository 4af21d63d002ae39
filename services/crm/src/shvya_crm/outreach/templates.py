"""Message templates with {variables}, per company and channel."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company, Template
from shvya_rpc.errors import FieldErrors

_VARIABLE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_NAME = re.compile(r"^[a-z0-9_]{1,200}$")


def placeholders(body: str) -> list[str]:
    """The {variables} of a template body, in order of first appearance."""
    seen: list[str] = []
    for name in _VARIABLE.findall(body):
        if name not in seen:
            seen.append(name)
    return seen


def upsert(
    session: Session,
    *,
    template_id: uuid.UUID | None,
    company_id: uuid.UUID,
    name: str,
    channel: str,
    language: str,
    subject: str,
    body: str,
    variables: list[str],
) -> tuple[Template, bool]:
    errors = {}
    if not _NAME.match(name):
        errors["template.name"] = (
            "must be 1-200 characters of a-z, 0-9 and _ (WhatsApp's rule for template names)"
        )
    if not body.strip():
        errors["template.body"] = "must not be empty"
    if not re.match(r"^[a-z]{2,3}(_[A-Z]{2})?$", language or "en"):
        errors["template.language"] = "must be a language code such as en or en_US"
    if any(c in subject for c in "\r\n"):
        errors["template.subject"] = "must be a single line"
    unknown = [v for v in variables if not re.match(r"^[a-z_][a-z0-9_]*$", v)]
    if unknown:
        errors["template.variables"] = f"invalid names: {', '.join(unknown)}"
    if errors:
        raise FieldErrors(errors)
    if session.get(Company, company_id) is None:
        raise LookupError(f"company {company_id} not found")
    now = now_of(session)
    values = {
        "channel": channel,
        "subject": subject,
        "body": body,
        "variables": variables or placeholders(body),
        "updated_at": now,
    }
    if template_id is not None:
        existing = session.get(Template, template_id)
        if existing is None or existing.company_id != company_id:
            raise LookupError(f"template {template_id} not found")
        for key, value in {**values, "name": name, "language": language or "en"}.items():
            setattr(existing, key, value)
        created, row_id = False, template_id
    else:
        row_id = session.execute(
            pg_insert(Template)
            .values(
                id=uuid.uuid4(),
                company_id=company_id,
                name=name,
                language=language or "en",
                created_at=now,
                **values,
            )
            .on_conflict_do_update(index_elements=["company_id", "name", "language"], set_=values)
            .returning(Template.id, Template.created_at)
        ).one()
        created = row_id.created_at == now
        row_id = row_id.id
    events.record(
        session,
        "template.created" if created else "template.updated",
        "template",
        row_id,
        company_id=company_id,
        data={"name": name, "channel": channel},
    )
    session.flush()
    return session.get(Template, row_id, populate_existing=True), created


def list_templates(session: Session, company_id: uuid.UUID, channel: str | None) -> list[Template]:
    query = select(Template).where(Template.company_id == company_id)
    if channel:
        query = query.where(Template.channel == channel)
    return list(session.scalars(query.order_by(Template.name, Template.language)))


def remove(session: Session, template_id: uuid.UUID) -> None:
    company_id = session.execute(
        delete(Template).where(Template.id == template_id).returning(Template.company_id)
    ).scalar_one_or_none()
    if company_id is None:
        raise LookupError(f"template {template_id} not found")
    events.record(session, "template.deleted", "template", template_id, company_id=company_id)


def render(text: str, variables: dict[str, str]) -> str:
    """Fills {variables}; an unknown one becomes empty rather than reaching a student as "{x}"."""
    rendered = _VARIABLE.sub(lambda m: variables.get(m.group(1), ""), text)
    # An empty variable must not leave a doubled space or a space before punctuation.
    rendered = re.sub(r"[ \t]{2,}", " ", rendered)
    return re.sub(r" ([,.!?])", r"\1", rendered).strip()


def find(session: Session, company_id: uuid.UUID, name: str, channel: str | None = None) -> Template | None:
    """The company's template of this name, preferring one for `channel`."""
    rows = session.scalars(
        select(Template).where(Template.company_id == company_id, Template.name == name)
    ).all()
    if not rows:
        return None
    for row in rows:
        if row.channel == channel:
            return row
    return rows[0]
