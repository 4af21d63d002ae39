"""The demo company: a small course catalogue and prompt, so a fresh install answers with real facts.

Seeding is idempotent: documents have fixed ids and are replaced, not duplicated.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shvya_crm.conversations import aimodels, knowledge, synonyms
from shvya_crm.leads.companies import ensure_company
from shvya_crm.people import passwords, users
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company, User

DEMO_NAME = "Shvya Demo Academy"
_NAMESPACE = uuid.UUID("6f0e2c56-3f55-4f2a-9f0e-5d1a9b7c2e11")

DEMO_PROMPT = (
    "You are Asha, an admissions counsellor at Shvya Demo Academy, an online institute that teaches "
    "job-ready skills. Be warm and brief (at most 120 words). Greet the student by first name. Answer "
    "only from the course information provided: never invent fees, dates, discounts, scholarships or "
    "placement figures. If the information does not answer the question, say that a counsellor will "
    "confirm it. Ask one question about the student's goal or background, and suggest one next step "
    "(the free demo class or a call with a counsellor). If the student asks to stop, confirm politely "
    "and do not sell."
)

DEMO_DOCUMENTS: tuple[tuple[str, list[str], str], ...] = (
    (
        "Digital Marketing Pro",
        ["course", "digital marketing", "seo", "ads"],
        "Digital Marketing Pro is a 12-week live online course covering SEO, Google Ads, Meta ads, "
        "content marketing, email marketing and analytics. Classes run on Saturdays and Sundays, "
        "10 AM to 1 PM IST. The fee is Rs 24,999, or Rs 2,199 per month on a 12-month EMI. The next "
        "batch starts on 5 January 2027. Students build campaigns for two real brands and receive a "
        "certificate on completion.",
    ),
    (
        "Full-Stack Web Development",
        ["course", "web development", "javascript", "react", "node"],
        "Full-Stack Web Development is a 24-week live online course covering HTML, CSS, JavaScript, "
        "React, Node.js, Express and PostgreSQL. Classes run Monday to Friday, 7 PM to 9 PM IST. The "
        "fee is Rs 49,999, or Rs 4,299 per month on a 12-month EMI. The next batch starts on "
        "12 January 2027. Students ship three portfolio projects and a capstone.",
    ),
    (
        "Data Science and AI",
        ["course", "data science", "machine learning", "python", "ai"],
        "Data Science and AI is a 28-week live online course covering Python, statistics, SQL, "
        "machine learning, deep learning and generative AI. Classes run on Saturdays and Sundays, "
        "2 PM to 6 PM IST. The fee is Rs 59,999, or Rs 5,199 per month on a 12-month EMI. The next "
        "batch starts on 19 January 2027. No prior coding experience is required; a 2-week Python "
        "foundation module is included.",
    ),
    (
        "UI/UX Design",
        ["course", "ui", "ux", "design", "figma"],
        "UI/UX Design is a 16-week live online course covering design thinking, user research, "
        "wireframing, Figma, prototyping and usability testing. Classes run on Tuesdays and "
        "Thursdays, 7 PM to 9 PM IST. The fee is Rs 34,999, or Rs 3,099 per month on a 12-month "
        "EMI. The next batch starts on 2 February 2027.",
    ),
    (
        "Fees, EMI and refunds",
        ["faq", "fees", "emi", "refund", "payment"],
        "Every course can be paid in full or on a 12-month EMI through our lending partners; the EMI "
        "amounts are listed on each course. Payment is by UPI, card or net banking. If a student "
        "withdraws within 7 days of the batch start, the full fee is refunded. Fees include GST.",
    ),
    (
        "Placement assistance",
        ["faq", "placement", "jobs", "career"],
        "Every course includes placement assistance: resume reviews, two mock interviews and "
        "introductions to hiring partners for students who complete all projects. Placement is "
        "assisted, not guaranteed.",
    ),
    (
        "Free demo class and counsellor calls",
        ["faq", "demo", "call", "counsellor", "trial"],
        "A free live demo class runs every Saturday at 11 AM IST; a counsellor shares the joining "
        "link after registration. Students can also book a 15-minute call with a counsellor, "
        "Monday to Saturday, 10 AM to 7 PM IST.",
    ),
    (
        "About Shvya Demo Academy",
        ["faq", "about", "online", "certificate", "mentors"],
        "Shvya Demo Academy teaches job-ready skills in live online classes with industry mentors. "
        "Every batch has at most 40 students. Recordings of every class are available for one year. "
        "Students receive a certificate on completing the course projects.",
    ),
)


def document_id(title: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, title)


def seed_demo(session: Session, company_id: uuid.UUID) -> int:
    """Creates or refreshes the demo company; returns the number of documents written."""
    ensure_company(session, company_id, DEMO_NAME)
    session.execute(
        update(Company).where(Company.id == company_id).values(name=DEMO_NAME, updated_at=now_of(session))
    )
    synonyms.seed_defaults(session, company_id)
    for title, tags, content in DEMO_DOCUMENTS:
        knowledge.upsert(
            session,
            company_id=company_id,
            document_id=document_id(title),
            title=title,
            content=content,
            tags=tags,
        )
    aimodels.update_config(
        session,
        aimodels.AiConfig(
            company_id=company_id,
            provider="",
            model=aimodels.DEFAULT_MODEL,
            temperature=aimodels.DEFAULT_TEMPERATURE,
            max_tokens=aimodels.DEFAULT_MAX_TOKENS,
            system_prompt=DEMO_PROMPT,
            base_url="",
        ),
    )
    return len(DEMO_DOCUMENTS)


def seed_demo_owner(session: Session, company_id: uuid.UUID, email: str, password: str) -> str:
    """An owner for the demo company, with the password the operator chose (there is no default
    password). An owner already there gets that password again: what `make up` prints is then
    always what signs in, even when the database outlived the file that kept the password.
    Returns the owner's email."""
    email = users.normalise_email(email)
    existing = session.execute(
        select(User).where(User.company_id == company_id, User.email == email)
    ).scalar_one_or_none()
    if existing is None:
        users.create_owner(session, company_id, email, password, "Demo Owner")
    elif not passwords.verify(existing.password_hash, password):
        passwords.check_new(password)
        existing.password_hash = passwords.hash_password(password)
        existing.is_active = True
    return email
