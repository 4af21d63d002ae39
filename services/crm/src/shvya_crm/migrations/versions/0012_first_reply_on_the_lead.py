"""each lead keeps its time to first reply, so the dashboard reads it instead of working it out

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The same definition the crm applies when it marks a message sent: from the first inbound message
# (the lead's creation when there is none) to the first outbound message accepted after it.
BACKFILL = """
UPDATE leads AS l
   SET first_reply_seconds = extract(epoch FROM w.replied - w.started)
  FROM (
        SELECT s.id, s.started,
               (SELECT min(o.sent_at) FROM messages o
                 WHERE o.lead_id = s.id AND o.direction = 'outbound' AND o.sent_at IS NOT NULL
                   AND o.status <> 'failed' AND o.created_at >= s.started) AS replied
          FROM (SELECT l2.id,
                       coalesce((SELECT min(i.created_at) FROM messages i
                                  WHERE i.lead_id = l2.id AND i.direction = 'inbound'),
                                l2.created_at) AS started
                  FROM leads l2) AS s
       ) AS w
 WHERE w.id = l.id AND w.replied IS NOT NULL
"""


def upgrade() -> None:
    op.add_column("leads", sa.Column("first_reply_seconds", sa.Float(), nullable=True))
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_column("leads", "first_reply_seconds")
