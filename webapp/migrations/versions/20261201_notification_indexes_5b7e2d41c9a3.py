"""notifications by index: a person's latest first, and their unread ones alone (every page's badge)

Revision ID: 5b7e2d41c9a3
Revises: 1eb5405defcf
Create Date: 2026-12-01 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5b7e2d41c9a3'
down_revision = '1eb5405defcf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_id')
        batch_op.create_index('ix_notification_user_created', ['user_id', 'created_at'], unique=False)
        batch_op.create_index('ix_notification_unread', ['user_id', 'read_at'], unique=False,
                              sqlite_where=sa.text('read_at IS NULL'), postgresql_where=sa.text('read_at IS NULL'))


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_unread')
        batch_op.drop_index('ix_notification_user_created')
        batch_op.create_index('ix_notification_user_id', ['user_id'], unique=False)
