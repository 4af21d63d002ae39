"""inbox and activity: when a person took a lead over, and the indexes of the inbox, the activity
watermark and the dashboard

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("leads", sa.Column("taken_over_at", sa.DateTime(timezone=True), nullable=True))
    # Leads already with a person: since their last hand-off or take-over.
    op.execute(
        "UPDATE leads SET taken_over_at = (SELECT max(e.created_at) FROM events e WHERE e.lead_id = leads.id "
        "AND e.type IN ('lead.handed_off', 'lead.taken_over')) WHERE status = 'handed_off'"
    )
    # The inbox's sources, each small beside its table: leads waiting for a person, hot leads,
    # open questions, failed sends.
    op.create_index(
        "ix_leads_company_id_assigned_user_id_handed_off",
        "leads",
        ["company_id", "assigned_user_id"],
        postgresql_where=sa.text("status = 'handed_off'"),
    )
    op.create_index(
        "ix_events_company_id_lead_id_hot",
        "events",
        ["company_id", "lead_id"],
        postgresql_where=sa.text("type = 'lead.hot'"),
    )
    op.create_index(
        "ix_unanswered_questions_company_id_lead_id_open",
        "unanswered_questions",
        ["company_id", "lead_id"],
        postgresql_where=sa.text("resolved_at IS NULL"),
    )
    op.create_index(
        "ix_messages_company_id_lead_id_failed",
        "messages",
        ["company_id", "lead_id"],
        postgresql_where=sa.text("direction = 'outbound' AND status = 'failed'"),
    )
    # The activity watermark: a company's newest events, without the jobs ledger's own.
    op.create_index(
        "ix_events_company_id_id_activity",
        "events",
        ["company_id", "id"],
        postgresql_where=sa.text("entity_type <> 'job'"),
    )


def downgrade() -> None:
    op.drop_index("ix_events_company_id_id_activity", table_name="events")
    op.drop_index("ix_messages_company_id_lead_id_failed", table_name="messages")
    op.drop_index("ix_unanswered_questions_company_id_lead_id_open", table_name="unanswered_questions")
    op.drop_index("ix_events_company_id_lead_id_hot", table_name="events")
    op.drop_index("ix_leads_company_id_assigned_user_id_handed_off", table_name="leads")
    op.drop_column("leads", "taken_over_at")
