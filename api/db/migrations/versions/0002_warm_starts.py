"""warm starts of runs: runs.warm_from and the run_warm_starts table

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warm_from', sa.String(length=32), nullable=True))
    op.create_table('run_warm_starts',
    sa.Column('run_id', sa.String(length=32), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id')
    )


def downgrade() -> None:
    op.drop_table('run_warm_starts')
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_column('warm_from')
