"""slack outbox: messages kept while Slack is unreachable

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'slack_outbox',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('run_id', sa.String(length=36), nullable=True),
        sa.Column('run_started_at', sa.DateTime(), nullable=True),
        sa.Column('channel', sa.String(length=64), nullable=False),
        sa.Column('thread_ts', sa.String(length=32), nullable=True),
        sa.Column('replaces_ts', sa.String(length=32), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('blocks_json', sa.Text(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_slack_outbox')),
    )
    with op.batch_alter_table('slack_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slack_outbox_run_id'), ['run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('slack_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slack_outbox_run_id'))
    op.drop_table('slack_outbox')
