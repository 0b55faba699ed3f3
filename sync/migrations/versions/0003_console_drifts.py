"""console drifts: controls found only through a fallback locator

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
    op.create_table(
        'console_drifts',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('setting', sa.String(length=64), nullable=False),
        sa.Column('page', sa.String(length=32), nullable=False),
        sa.Column('how', sa.String(length=32), nullable=False),
        sa.Column('found', sa.String(length=200), nullable=False),
        sa.Column('first_seen_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('announced_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_console_drifts')),
        sa.UniqueConstraint('setting', 'how', 'found',
                            name=op.f('uq_console_drifts_setting')),
    )


def downgrade() -> None:
    op.drop_table('console_drifts')
