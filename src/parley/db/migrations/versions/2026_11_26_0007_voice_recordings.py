"""voice recordings

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 01:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('voice_recordings',
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('bot_id', sa.Uuid(), nullable=False),
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('message_id', sa.Uuid(), nullable=True),
    sa.Column('speaker', sa.String(length=10), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('duration_s', sa.Float(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['bot_id'], ['bots.id'], name=op.f('fk_voice_recordings_bot_id_bots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_voice_recordings_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_voice_recordings_message_id_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_voice_recordings_org_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_recordings'))
    )
    op.create_index('ix_voice_recordings_created_at', 'voice_recordings', ['created_at'], unique=False)
    op.create_index(op.f('ix_voice_recordings_bot_id'), 'voice_recordings', ['bot_id'], unique=False)
    op.create_index(op.f('ix_voice_recordings_conversation_id'), 'voice_recordings', ['conversation_id'], unique=False)
    op.create_index(op.f('ix_voice_recordings_org_id'), 'voice_recordings', ['org_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_voice_recordings_org_id'), table_name='voice_recordings')
    op.drop_index(op.f('ix_voice_recordings_conversation_id'), table_name='voice_recordings')
    op.drop_index(op.f('ix_voice_recordings_bot_id'), table_name='voice_recordings')
    op.drop_index('ix_voice_recordings_created_at', table_name='voice_recordings')
    op.drop_table('voice_recordings')
