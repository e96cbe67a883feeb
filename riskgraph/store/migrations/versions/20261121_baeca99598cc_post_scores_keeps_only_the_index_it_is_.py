"""post_scores keeps only the index it is read by.

Its rows are read by sweep (a ranking in rank order, which the pages then filter by
organisation or holder); the single-column indexes on post, organisation and holder
served no query, and each was written for every post at every sweep and re-check
(about two thirds of the time of storing a ranking at county scale).

Revision ID: baeca99598cc
Revises: f324f10d6eb2
Create Date: 2026-11-21 15:05:54.068336
"""

from collections.abc import Sequence

from alembic import op

revision: str = 'baeca99598cc'
down_revision: str | Sequence[str] | None = 'f324f10d6eb2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('post_scores') as batch_op:
        batch_op.drop_index('ix_post_scores_holder_id')
        batch_op.drop_index('ix_post_scores_org_id')
        batch_op.drop_index('ix_post_scores_post_id')


def downgrade() -> None:
    with op.batch_alter_table('post_scores') as batch_op:
        batch_op.create_index('ix_post_scores_post_id', ['post_id'], unique=False)
        batch_op.create_index('ix_post_scores_org_id', ['org_id'], unique=False)
        batch_op.create_index('ix_post_scores_holder_id', ['holder_id'], unique=False)
