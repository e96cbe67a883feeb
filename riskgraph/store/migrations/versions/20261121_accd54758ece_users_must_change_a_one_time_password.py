"""Users must change a one-time password.

An administrator who resets a password to a generated one-time password (or creates
an account with one) marks the account; the user then chooses their own password at
the next sign-in before anything else.

Revision ID: accd54758ece
Revises: 12cb50a61d08
Create Date: 2026-11-21 09:03:20.303433
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'accd54758ece'
down_revision: str | Sequence[str] | None = '12cb50a61d08'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('must_change_password')
