"""A company's assignment settings, kept in companies.settings["assignment"]: rules and reassign-after."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from shvya_crm.assignment.counsellors import company_user
from shvya_crm.storage import events
from shvya_crm.storage.models import Company
from shvya_rpc.errors import FieldErrors

# A counsellor who has not replied within this long loses the lead to the next one.
DEFAULT_REASSIGN_AFTER_MINUTES = 30
MAX_REASSIGN_AFTER_MINUTES = 7 * 24 * 60
MAX_RULES = 100


@dataclass(frozen=True)
class Rule:
    course: str
    user_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class AssignmentSettings:
    company_id: uuid.UUID
    reassign_after_minutes: int
    rules: tuple[Rule, ...]


def effective(company: Company) -> AssignmentSettings:
    stored = (company.settings or {}).get("assignment") or {}
    rules = tuple(
        Rule(course=r.get("course", ""), user_ids=tuple(uuid.UUID(u) for u in r.get("user_ids", ())))
        for r in stored.get("rules", ())
    )
    return AssignmentSettings(
        company_id=company.id,
        reassign_after_minutes=int(stored.get("reassign_after_minutes", DEFAULT_REASSIGN_AFTER_MINUTES)),
        rules=rules,
    )


def rule_for(settings: AssignmentSettings, course: str) -> Rule | None:
    wanted = " ".join(course.lower().split())
    if not wanted:
        return None
    for rule in settings.rules:
        if " ".join(rule.course.lower().split()) == wanted:
            return rule
    return None


def update(
    session: Session,
    company_id: uuid.UUID,
    reassign_after_minutes: int,
    rules: list[tuple[str, list[str]]],
    actor: str,
) -> AssignmentSettings:
    """Replaces the company's rules and reassign-after; every user a rule names must be the company's."""
    company = session.get(Company, company_id, with_for_update=True)
    if company is None:
        raise LookupError(f"company {company_id} not found")
    errors: dict[str, str] = {}
    if not 0 <= reassign_after_minutes <= MAX_REASSIGN_AFTER_MINUTES:
        errors["settings.reassign_after_minutes"] = (
            f"must be between 0 (never) and {MAX_REASSIGN_AFTER_MINUTES} minutes"
        )
    if len(rules) > MAX_RULES:
        errors["settings.rules"] = f"at most {MAX_RULES} rules"
    stored_rules = []
    seen: set[str] = set()
    for i, (course, user_ids) in enumerate(rules[:MAX_RULES]):
        where = f"settings.rules.{i}"
        key = " ".join(course.lower().split())
        if not key or len(course) > 200:
            errors[f"{where}.course"] = "must be a course name of 1 to 200 characters"
        elif key in seen:
            errors[f"{where}.course"] = "is named by an earlier rule"
        seen.add(key)
        if not user_ids:
            errors[f"{where}.user_ids"] = "must name at least one user"
        parsed = []
        for j, raw in enumerate(user_ids):
            try:
                user_id = uuid.UUID(raw)
                company_user(session, company_id, user_id, f"{where}.user_ids.{j}")
                parsed.append(str(user_id))
            except ValueError:
                errors[f"{where}.user_ids.{j}"] = "must be a UUID"
            except FieldErrors as exc:
                errors.update(exc.violations)
        stored_rules.append({"course": " ".join(course.split()), "user_ids": parsed})
    if errors:
        raise FieldErrors(errors)
    company.settings = {
        **(company.settings or {}),
        "assignment": {"reassign_after_minutes": reassign_after_minutes, "rules": stored_rules},
    }
    events.record(
        session,
        "company.assignment_changed",
        "company",
        company.id,
        company_id=company.id,
        data={"reassign_after_minutes": reassign_after_minutes, "rules": stored_rules, "actor": actor},
    )
    session.flush()
    return effective(company)
