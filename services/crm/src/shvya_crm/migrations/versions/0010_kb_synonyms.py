"""kb synonyms: each company's search synonyms as data, the defaults given to every existing company

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The synonyms the search had built in when this revision was written (frozen here: later edits to
# the defaults a new company gets must not change what this revision did).
_BUILT_IN = """
    ('price', 'fee'),
    ('prices', 'fee'),
    ('pricing', 'fee'),
    ('cost', 'fee'),
    ('costs', 'fee'),
    ('charge', 'fee'),
    ('charges', 'fee'),
    ('installment', 'emi'),
    ('installments', 'emi'),
    ('instalment', 'emi'),
    ('instalments', 'emi'),
    ('job', 'placement'),
    ('jobs', 'placement'),
    ('naukri', 'placement'),
    ('trial', 'demo'),
    ('timing', 'classes'),
    ('timings', 'classes'),
    ('dev', 'development'),
    ('developer', 'development'),
    ('webdev', 'web development'),
    ('fullstack', 'full stack'),
    ('datascience', 'data science'),
    ('ds', 'data science'),
    ('ml', 'machine learning'),
    ('dm', 'digital marketing'),
    ('uiux', 'ui ux'),
    ('refundable', 'refund'),
    ('money', 'fee refund'),
    ('wapas', 'refund'),
    ('quit', 'withdraw refund'),
    ('certified', 'certificate'),
    ('certification', 'certificate'),
    ('recorded', 'recordings'),
    ('recording', 'recordings'),
    ('expensive', 'fee emi'),
    ('costly', 'fee emi'),
    ('afford', 'fee emi'),
    ('budget', 'fee emi'),
    ('mehenga', 'fee emi'),
    ('mehnga', 'fee emi'),
    ('discount', 'fee emi'),
    ('scholarship', 'fee emi')
"""


def upgrade() -> None:
    op.create_table(
        "ai_kb_synonyms",
        sa.Column("company_id", sa.UUID(), nullable=False),
        sa.Column("word", sa.String(length=64), nullable=False),
        sa.Column("expands_to", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_ai_kb_synonyms_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "word", name=op.f("pk_ai_kb_synonyms")),
    )
    # Companies that searched with the built-in synonyms keep them, now as rows they can edit.
    op.execute(
        "INSERT INTO ai_kb_synonyms (company_id, word, expands_to) "
        f"SELECT c.id, s.word, s.expands_to FROM companies c CROSS JOIN (VALUES {_BUILT_IN}) AS s(word, expands_to)"
    )


def downgrade() -> None:
    op.drop_table("ai_kb_synonyms")
