"""Post scores stored as changes.

``post_rankings`` records each storing of the ranking; ``post_scores`` rows name the
storing that wrote them (``ranking_id``) and the one that replaced them
(``replaced_by``; NULL: current), and lose ``sweep_id`` and ``rank`` (derived when
read). Existing rows are kept as history: each earlier sweep's rows become one storing
(its day from the sweep's post_risk run), replaced by the next sweep's.

Downgrade keeps the current rows only, as the ranking of the latest storing's sweep.

Revision ID: d5749901c936
Revises: baeca99598cc
Create Date: 2026-11-21 16:28:59.572054
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd5749901c936'
down_revision: str | Sequence[str] | None = 'baeca99598cc'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('post_rankings',
    sa.Column('id', ID, nullable=False),
    sa.Column('sweep_id', sa.String(length=64), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.Column('written', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Integer(), nullable=False),
    sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_rankings'))
    )
    with op.batch_alter_table('post_scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ranking_id', ID, nullable=True))
        batch_op.add_column(sa.Column('replaced_by', ID, nullable=True))

    _fill_in()

    with op.batch_alter_table('post_scores', schema=None) as batch_op:
        batch_op.alter_column('ranking_id', existing_type=ID, nullable=False)
        batch_op.drop_index(batch_op.f('ix_post_scores_sweep_id_rank'))
        batch_op.create_index(batch_op.f('ix_post_scores_replaced_by_post_id'), ['replaced_by', 'post_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_post_scores_ranking_id_post_rankings'), 'post_rankings', ['ranking_id'], ['id'])
        batch_op.drop_column('rank')
        batch_op.drop_column('sweep_id')


def _fill_in() -> None:
    """One storing per earlier sweep (oldest first), its rows replaced by the next."""
    bind = op.get_bind()
    scores = sa.table('post_scores', sa.column('id'), sa.column('sweep_id'),
                      sa.column('post_id'), sa.column('computed_at', sa.DateTime(timezone=True)),
                      sa.column('ranking_id'), sa.column('replaced_by'))
    rankings = sa.table('post_rankings', sa.column('id'), sa.column('sweep_id'),
                        sa.column('as_of', sa.Date), sa.column('posts'), sa.column('written'),
                        sa.column('retired'), sa.column('stored_at', sa.DateTime(timezone=True)))
    runs = sa.table('runs', sa.column('sweep_id'), sa.column('detector'),
                    sa.column('as_of', sa.Date))
    sweeps = bind.execute(sa.select(scores.c.sweep_id, sa.func.count(), sa.func.max(scores.c.computed_at))
                          .group_by(scores.c.sweep_id).order_by(sa.func.min(scores.c.id))).all()
    before: set[str] = set()
    previous = None
    for sweep_id, count, stored_at in sweeps:
        posts = set(bind.scalars(sa.select(scores.c.post_id).where(scores.c.sweep_id == sweep_id)))
        as_of = bind.scalar(sa.select(sa.func.max(runs.c.as_of)).where(
            runs.c.sweep_id == sweep_id, runs.c.detector == 'post_risk'))
        ranking_id = bind.execute(rankings.insert().values(
            sweep_id=sweep_id, as_of=as_of or stored_at.date(), posts=count, written=count,
            retired=len(before - posts),
            stored_at=stored_at).returning(rankings.c.id)).scalar_one()
        bind.execute(scores.update().where(scores.c.sweep_id == sweep_id).values(ranking_id=ranking_id))
        if previous is not None:
            bind.execute(scores.update().where(scores.c.sweep_id == previous)
                         .values(replaced_by=ranking_id))
        before, previous = posts, sweep_id


def downgrade() -> None:
    with op.batch_alter_table('post_scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sweep_id', sa.VARCHAR(length=64), nullable=True))
        batch_op.add_column(sa.Column('rank', sa.INTEGER(), nullable=True))

    bind = op.get_bind()
    scores = sa.table('post_scores', sa.column('id'), sa.column('sweep_id'), sa.column('rank'),
                      sa.column('score'), sa.column('post_id'), sa.column('replaced_by'))
    rankings = sa.table('post_rankings', sa.column('id'), sa.column('sweep_id'))
    bind.execute(scores.delete().where(scores.c.replaced_by.is_not(None)))
    sweep_id = bind.scalar(sa.select(rankings.c.sweep_id).order_by(rankings.c.id.desc()).limit(1))
    ids = bind.scalars(sa.select(scores.c.id).order_by(scores.c.score.desc(), scores.c.post_id)).all()
    if ids:
        bind.execute(scores.update().where(scores.c.id == sa.bindparam('row_id'))
                     .values(sweep_id=sweep_id, rank=sa.bindparam('row_rank')),
                     [{'row_id': id_, 'row_rank': rank} for rank, id_ in enumerate(ids, 1)])

    with op.batch_alter_table('post_scores', schema=None) as batch_op:
        batch_op.alter_column('sweep_id', existing_type=sa.VARCHAR(length=64), nullable=False)
        batch_op.alter_column('rank', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_post_scores_ranking_id_post_rankings'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_post_scores_replaced_by_post_id'))
        batch_op.create_index(batch_op.f('ix_post_scores_sweep_id_rank'), ['sweep_id', 'rank'], unique=False)
        batch_op.drop_column('replaced_by')
        batch_op.drop_column('ranking_id')

    op.drop_table('post_rankings')
