"""designation week step runs (the worker's once-only record of each step)

Revision ID: 7a1e5c3d9b20
Revises: 05204a918c4e
Create Date: 2026-11-30 16:00:00

"""
from alembic import op
import sqlalchemy as sa
import webapp.core.types


# revision identifiers, used by Alembic.
revision = '7a1e5c3d9b20'
down_revision = '05204a918c4e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('designation_week_step_run',
    sa.Column('mandate_id', sa.Uuid(), nullable=False),
    sa.Column('step', sa.String(length=30), nullable=False),
    sa.Column('due_at', webapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ran_at', webapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('notified', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandate.id'], name=op.f('fk_designation_week_step_run_mandate_id_mandate'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designation_week_step_run')),
    sa.UniqueConstraint('mandate_id', 'step', 'due_at', name='uq_designation_week_step_run')
    )
    with op.batch_alter_table('designation_week_step_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_designation_week_step_run_mandate_id'), ['mandate_id'], unique=False)


def downgrade():
    with op.batch_alter_table('designation_week_step_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_designation_week_step_run_mandate_id'))
    op.drop_table('designation_week_step_run')
