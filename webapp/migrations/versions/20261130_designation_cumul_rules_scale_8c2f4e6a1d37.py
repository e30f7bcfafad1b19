"""designation cumul rules, scale versions, declared other indemnities

Revision ID: 8c2f4e6a1d37
Revises: 6c7b16e2729c
Create Date: 2026-11-30 16:20:00

"""
from alembic import op
import sqlalchemy as sa
import webapp.core.types


# revision identifiers, used by Alembic.
revision = '8c2f4e6a1d37'
down_revision = '6c7b16e2729c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('designation_cumul_rule',
    sa.Column('mandate_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('other_role', sa.String(length=30), nullable=False),
    sa.Column('body_kind', sa.String(length=30), nullable=False),
    sa.Column('limit', sa.Integer(), nullable=True),
    sa.Column('interest_role', sa.String(length=200), nullable=False),
    sa.Column('interest_organisation', sa.String(length=200), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandate.id'], name=op.f('fk_designation_cumul_rule_mandate_id_mandate'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designation_cumul_rule'))
    )
    with op.batch_alter_table('designation_cumul_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_designation_cumul_rule_mandate_id'), ['mandate_id'], unique=False)
    op.create_table('designation_scale_version',
    sa.Column('mandate_id', sa.Uuid(), nullable=False),
    sa.Column('reference', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('conseiller_rate', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('permanent_commission_bonus', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('vice_president_bonus', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('president_rate', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('parliamentary_base', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('caps', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('in_force_since', sa.Date(), nullable=False),
    sa.Column('recorded_at', webapp.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['mandate_id'], ['mandate.id'], name=op.f('fk_designation_scale_version_mandate_id_mandate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_designation_scale_version_recorded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designation_scale_version'))
    )
    with op.batch_alter_table('designation_scale_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_designation_scale_version_mandate_id'), ['mandate_id'], unique=False)
    with op.batch_alter_table('designation_availability', schema=None) as batch_op:
        batch_op.add_column(sa.Column('other_indemnities', sa.Numeric(precision=10, scale=2), server_default='0',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('designation_availability', schema=None) as batch_op:
        batch_op.drop_column('other_indemnities')
    with op.batch_alter_table('designation_scale_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_designation_scale_version_mandate_id'))
    op.drop_table('designation_scale_version')
    with op.batch_alter_table('designation_cumul_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_designation_cumul_rule_mandate_id'))
    op.drop_table('designation_cumul_rule')
