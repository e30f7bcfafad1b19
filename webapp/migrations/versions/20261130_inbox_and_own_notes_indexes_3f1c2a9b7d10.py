"""inbox and own notes by index: each addressee row carries the note's inbox place (rank, deadline)

Revision ID: 3f1c2a9b7d10
Revises: 397f5ea25241
Create Date: 2026-11-30 13:10:00

"""
from alembic import op
import sqlalchemy as sa
import webapp.core.types


revision = '3f1c2a9b7d10'
down_revision = '397f5ea25241'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('note_addressee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inbox_rank', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('deadline', webapp.core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.drop_index('ix_note_addressee_user_id')
        batch_op.create_index('ix_note_addressee_inbox', ['user_id', 'inbox_rank', 'deadline', 'note_id'],
                              unique=False)
    # Existing notes take their place: 0 waiting for an answer, 1 answered, NULL not in an inbox.
    op.execute("""
        UPDATE note_addressee SET
          deadline = (SELECT note.deadline FROM note WHERE note.id = note_addressee.note_id),
          inbox_rank = (SELECT CASE WHEN note.status IN ('sent', 'question', 'delegated') THEN 0
                                    WHEN note.status IN ('answered', 'decided') THEN 1 END
                        FROM note WHERE note.id = note_addressee.note_id)
    """)
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.create_index('ix_note_author_updated', ['author_id', 'updated_at', 'id'], unique=False)
        batch_op.create_index('ix_note_manager_updated', ['manager_id', 'updated_at', 'id'], unique=False)
    with op.batch_alter_table('note_concerned', schema=None) as batch_op:
        batch_op.create_index('ix_note_concerned_user', ['user_id', 'note_id'], unique=False)
    with op.batch_alter_table('note_delegation_delegatee', schema=None) as batch_op:
        batch_op.create_index('ix_note_delegation_delegatee_user', ['user_id', 'delegation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('note_delegation_delegatee', schema=None) as batch_op:
        batch_op.drop_index('ix_note_delegation_delegatee_user')
    with op.batch_alter_table('note_concerned', schema=None) as batch_op:
        batch_op.drop_index('ix_note_concerned_user')
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_index('ix_note_manager_updated')
        batch_op.drop_index('ix_note_author_updated')
    with op.batch_alter_table('note_addressee', schema=None) as batch_op:
        batch_op.drop_index('ix_note_addressee_inbox')
        batch_op.create_index('ix_note_addressee_user_id', ['user_id'], unique=False)
        batch_op.drop_column('deadline')
        batch_op.drop_column('inbox_rank')
