"""lead work: tags and notes of leads, and the indexes that find leads (sorts, search, dead letters)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The expressions of the functional indexes; the crm's queries use the same ones (leads/search.py).
LAST_MESSAGE = "coalesce(greatest(last_inbound_at, last_outbound_at), created_at)"
LEAD_TEXT = "(contact_name || ' ' || phone || ' ' || coalesce(email, ''))"
MESSAGE_WORDS = "to_tsvector('simple'::regconfig, text)"


def upgrade() -> None:
    # A trusted extension since PostgreSQL 13: the database's owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.add_column(
        "leads",
        sa.Column(
            "tags", postgresql.ARRAY(sa.String(length=64)), server_default=sa.text("'{}'"), nullable=False
        ),
    )
    op.create_table(
        "lead_notes",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("company_id", sa.UUID(), nullable=False),
        sa.Column("lead_id", sa.UUID(), nullable=False),
        sa.Column("author", sa.String(length=320), server_default="", nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_lead_notes_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_lead_notes_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_notes")),
    )
    op.create_index("ix_lead_notes_lead_id_created_at", "lead_notes", ["lead_id", "created_at"])
    # Keyset pages in each sort: the company, the sort key, the id that breaks ties.
    op.create_index("ix_leads_company_id_created_at_id", "leads", ["company_id", "created_at", "id"])
    op.create_index("ix_leads_company_id_contact_name_id", "leads", ["company_id", "contact_name", "id"])
    op.create_index(
        "ix_leads_company_id_last_message_at_id",
        "leads",
        ["company_id", sa.text(LAST_MESSAGE), "id"],
    )
    op.create_index("ix_leads_tags", "leads", ["tags"], postgresql_using="gin")
    # Substrings of a name, phone number or email (ILIKE '%...%').
    op.create_index(
        "ix_leads_search_trgm",
        "leads",
        [sa.text(f"{LEAD_TEXT} gin_trgm_ops")],
        postgresql_using="gin",
    )
    # Import's de-duplication by email.
    op.create_index("ix_leads_company_id_lower_email", "leads", ["company_id", sa.text("lower(email)")])
    # Words of messages.
    op.create_index("ix_messages_text_words", "messages", [sa.text(MESSAGE_WORDS)], postgresql_using="gin")


def downgrade() -> None:
    op.drop_index("ix_messages_text_words", table_name="messages")
    op.drop_index("ix_leads_company_id_lower_email", table_name="leads")
    op.drop_index("ix_leads_search_trgm", table_name="leads")
    op.drop_index("ix_leads_tags", table_name="leads")
    op.drop_index("ix_leads_company_id_last_message_at_id", table_name="leads")
    op.drop_index("ix_leads_company_id_contact_name_id", table_name="leads")
    op.drop_index("ix_leads_company_id_created_at_id", table_name="leads")
    op.drop_index("ix_lead_notes_lead_id_created_at", table_name="lead_notes")
    op.drop_table("lead_notes")
    op.drop_column("leads", "tags")
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
