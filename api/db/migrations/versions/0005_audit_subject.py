"""audit subject: the key an audit entry's key action concerns (key.create, key.revoke)

Entries made before this revision have none. The CLI's key actions are audited too, with key_id
`cli:<user>` (the operating-system user who ran `courtplan keys`).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.drop_column('subject')
