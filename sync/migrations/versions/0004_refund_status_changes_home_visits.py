"""refund status changes seen by syncs; who opened the bot's Home tab

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'refund_status_changes',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('order_number', sa.String(length=64), nullable=False),
        sa.Column('old_status', sa.Text(), nullable=True),
        sa.Column('new_status', sa.Text(), nullable=True),
        sa.Column('refund_request_price', sa.BigInteger(), nullable=True),
        sa.Column('observed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_refund_status_changes')),
    )
    with op.batch_alter_table('refund_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_status_changes_observed_at'),
                              ['observed_at'], unique=False)
    op.create_table(
        'home_visits',
        sa.Column('user_id', sa.String(length=64), nullable=False),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_home_visits')),
    )


def downgrade() -> None:
    op.drop_table('home_visits')
    with op.batch_alter_table('refund_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_status_changes_observed_at'))
    op.drop_table('refund_status_changes')
