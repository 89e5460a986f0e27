"""provider keys: an organization's own LLM provider keys, encrypted

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 02:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('provider_keys',
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('encrypted_key', sa.String(length=2000), nullable=False),
    sa.Column('hint', sa.String(length=8), nullable=False),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_provider_keys_org_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_provider_keys_updated_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_keys')),
    sa.UniqueConstraint('org_id', 'provider', name=op.f('uq_provider_keys_org_id_provider'))
    )
    op.create_index(op.f('ix_provider_keys_org_id'), 'provider_keys', ['org_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_provider_keys_org_id'), table_name='provider_keys')
    op.drop_table('provider_keys')
