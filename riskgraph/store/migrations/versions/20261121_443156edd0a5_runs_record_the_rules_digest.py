"""Runs record the rules digest, their scope's size and a note.

Each run keeps a fingerprint of the detectors' versions and configuration it ran under,
so the re-check after an import carries earlier results forward only under the same
rules (riskgraph.incremental.basis_change). Older runs have none: the first re-check
after this upgrade sweeps the whole graph. The run history also shows how much each run
was asked to check (``scope_size``) and why its sweep ran as it did (``note``).

Revision ID: 443156edd0a5
Revises: accd54758ece
Create Date: 2026-11-21 13:34:22.141112
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '443156edd0a5'
down_revision: str | Sequence[str] | None = 'accd54758ece'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rebuilt on SQLite, so the table reads as the models create it; altered elsewhere.
    sqlite = op.get_context().dialect.name == "sqlite"
    with op.batch_alter_table('runs', recreate="always" if sqlite else "auto") as batch_op:
        batch_op.add_column(sa.Column('rules_digest', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('scope_size', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('runs') as batch_op:
        batch_op.drop_column('note')
        batch_op.drop_column('scope_size')
        batch_op.drop_column('rules_digest')
