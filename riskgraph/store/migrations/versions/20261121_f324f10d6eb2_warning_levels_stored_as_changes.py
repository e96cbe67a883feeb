"""Warning levels stored as changes, and a record of each level computation.

``warning_levels`` gains ``previous`` (the level a row replaced) and ``current`` (the
newest row of a cadre on watch); ``level_updates`` records each computation. Existing
rows are kept as history and filled in: ``previous`` from the cadre's row before,
``current`` on each cadre's newest row that is not a clean green, and one update per
sweep that stored rows.

Revision ID: f324f10d6eb2
Revises: 443156edd0a5
Create Date: 2026-11-21 13:37:23.557434
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'f324f10d6eb2'
down_revision: str | Sequence[str] | None = '443156edd0a5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('level_updates',
    sa.Column('id', ID, nullable=False),
    sa.Column('sweep_id', sa.String(length=64), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('watched', sa.Integer(), nullable=False),
    sa.Column('written', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_level_updates'))
    )
    with op.batch_alter_table('level_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_level_updates_sweep_id'), ['sweep_id'], unique=False)

    with op.batch_alter_table('warning_levels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous', sa.Enum('red', 'yellow', 'green', name='previous', native_enum=False, create_constraint=True, length=32), server_default='green', nullable=False))
        batch_op.add_column(sa.Column('current', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_warning_levels_current_computed_at'), ['current', 'computed_at'], unique=False)

    _fill_in()


def _fill_in() -> None:
    """``previous``, ``current`` and ``level_updates`` for the rows of the old scheme
    (a row per cadre on watch per sweep)."""
    bind = op.get_bind()
    levels = sa.table('warning_levels', sa.column('id'), sa.column('person_id'),
                      sa.column('sweep_id'), sa.column('level'), sa.column('reasons', sa.JSON),
                      sa.column('computed_at'), sa.column('previous'), sa.column('current'))
    updates = sa.table('level_updates', sa.column('sweep_id'), sa.column('computed_at'),
                       sa.column('watched'), sa.column('written'))
    rows = bind.execute(sa.select(levels.c.id, levels.c.person_id, levels.c.level,
                                  levels.c.reasons).order_by(levels.c.id)).all()
    before: dict[str, str] = {}
    newest: dict[str, tuple[int, bool]] = {}
    after: dict[str, list[int]] = {'red': [], 'yellow': []}   # previous level -> row ids
    for row in rows:
        previous = before.get(row.person_id, 'green')
        if previous != 'green':
            after[previous].append(row.id)
        before[row.person_id] = row.level
        watched = row.level != 'green' or any(r.get('finding_id') for r in row.reasons or ())
        newest[row.person_id] = (row.id, watched)

    def set_rows(ids: list[int], **values) -> None:
        for i in range(0, len(ids), 500):
            bind.execute(sa.update(levels).where(levels.c.id.in_(ids[i:i + 500])).values(**values))

    for previous, ids in after.items():
        set_rows(ids, previous=previous)
    set_rows(sorted(i for i, watched in newest.values() if watched), current=True)
    sweeps = bind.execute(sa.select(levels.c.sweep_id, sa.func.max(levels.c.computed_at),
                                    sa.func.count()).group_by(levels.c.sweep_id)
                          .order_by(sa.func.min(levels.c.id))).all()
    for sweep_id, at, count in sweeps:
        bind.execute(sa.insert(updates).values(sweep_id=sweep_id, computed_at=at,
                                               watched=count, written=count))


def downgrade() -> None:
    with op.batch_alter_table('warning_levels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warning_levels_current_computed_at'))
        batch_op.drop_column('current')
        batch_op.drop_constraint(batch_op.f('ck_warning_levels_previous'), type_='check')
        batch_op.drop_column('previous')

    with op.batch_alter_table('level_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_level_updates_sweep_id'))

    op.drop_table('level_updates')
