"""workbench jobs: runs.kind and runs.task, and the run_results table

A run is a plan (kind 'plan', as before) or a workbench job that answers a question by
re-solving: 'explain' (exact regrets), 'officers' (exact falls) or 'sweep' (a grid of variants).
A job's answer is a JSON document, kept zlib-compressed in run_results.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='plan'))
        batch_op.add_column(sa.Column('task', sa.JSON(), nullable=True))
    op.create_table('run_results',
    sa.Column('run_id', sa.String(length=32), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id')
    )


def downgrade() -> None:
    op.drop_table('run_results')
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_column('task')
        batch_op.drop_column('kind')
