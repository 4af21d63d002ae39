"""delivery receipts: WhatsApp status reports, kept until their message is known

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_receipts",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.UUID(), nullable=True),
        sa.Column("error_code", sa.String(length=64), server_default="", nullable=False),
        sa.Column("error_message", sa.Text(), server_default="", nullable=False),
        sa.Column("recipient", sa.String(length=64), server_default="", nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('sent', 'delivered', 'read', 'failed')", name=op.f("ck_delivery_receipts_status")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_delivery_receipts_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_receipts")),
        sa.UniqueConstraint(
            "channel", "external_id", "status", name=op.f("uq_delivery_receipts_channel_external_id_status")
        ),
    )
    op.create_index(
        op.f("ix_delivery_receipts_message_id"), "delivery_receipts", ["message_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_delivery_receipts_message_id"), table_name="delivery_receipts")
    op.drop_table("delivery_receipts")
