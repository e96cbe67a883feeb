"""Post scores, leases, and runs' as-of date, attempt and warnings.

Post scores hold the high-risk post ranking of each sweep; leases the scheduler's lock.

Revision ID: 12cb50a61d08
Revises: a4f83634d421
Create Date: 2026-11-21 06:37:48.184521
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '12cb50a61d08'
down_revision: str | Sequence[str] | None = 'a4f83634d421'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
JSON = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), 'postgresql'
)


def upgrade() -> None:
    op.create_table('leases',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('holder', sa.String(length=128), nullable=False),
    sa.Column('acquired_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_leases'))
    )
    op.create_table('post_scores',
    sa.Column('id', ID, nullable=False),
    sa.Column('sweep_id', sa.String(length=64), nullable=False),
    sa.Column('post_id', sa.String(length=64), nullable=False),
    sa.Column('post_name', sa.String(length=255), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('org_name', sa.String(length=255), nullable=False),
    sa.Column('holder_id', sa.String(length=64), nullable=True),
    sa.Column('holder_name', sa.String(length=128), nullable=True),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=32), nullable=True),
    sa.Column('factors', JSON, nullable=False),
    sa.Column('tenure', JSON, nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_scores'))
    )
    with op.batch_alter_table('post_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_scores_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_scores_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_scores_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_scores_sweep_id_rank'), ['sweep_id', 'rank'], unique=False)

    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('attempt', sa.Integer(), server_default=sa.text('1'), nullable=False))
        batch_op.add_column(sa.Column('warnings', JSON, server_default=sa.text("'[]'"), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_column('warnings')
        batch_op.drop_column('attempt')
        batch_op.drop_column('as_of')

    with op.batch_alter_table('post_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_scores_sweep_id_rank'))
        batch_op.drop_index(batch_op.f('ix_post_scores_post_id'))
        batch_op.drop_index(batch_op.f('ix_post_scores_org_id'))
        batch_op.drop_index(batch_op.f('ix_post_scores_holder_id'))

    op.drop_table('post_scores')
    op.drop_table('leases')
