"""once-only changes: a version column (compare-and-set) on notes, excursions, aperçus, bilan sessions
and posters; at most one decision and one pending renegotiation per note

Revision ID: c0ncu44e11a1
Revises: e13f03ecd22e
Create Date: 2026-11-30 13:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0ncu44e11a1'
down_revision = 'e13f03ecd22e'
branch_labels = None
depends_on = None

TABLES = ("note", "excursion", "apercu", "bilan_session", "atlas_poster")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('note_answer', schema=None) as batch_op:
        batch_op.create_index('uq_note_answer_one_decision', ['note_id'], unique=True,
                              sqlite_where=sa.text("kind = 'decision'"),
                              postgresql_where=sa.text("kind = 'decision'"))
    with op.batch_alter_table('note_renegotiation', schema=None) as batch_op:
        batch_op.create_index('uq_note_renegotiation_one_pending', ['note_id'], unique=True,
                              sqlite_where=sa.text("status = 'pending'"),
                              postgresql_where=sa.text("status = 'pending'"))


def downgrade():
    with op.batch_alter_table('note_renegotiation', schema=None) as batch_op:
        batch_op.drop_index('uq_note_renegotiation_one_pending')
    with op.batch_alter_table('note_answer', schema=None) as batch_op:
        batch_op.drop_index('uq_note_answer_one_decision')
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
