"""routing: credentials, programmed returns, relations, holidays

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 01:12:46.751131

Credenciais de Acesso (Sigiloso), Retorno Programado, Relacionar, Anexar, Sobrestar, feriados do órgão.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

INBOX_WHERE = 'closed_at IS NULL AND suspended_at IS NULL'


def upgrade():
    op.create_table('holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_holiday_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holiday')),
    sa.UniqueConstraint('organization_id', 'day', name='uq_holiday_org_day')
    )
    op.create_table('credential',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_unit_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_kind', sa.String(length=10), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['ended_by_id'], ['user.id'], name=op.f('fk_credential_ended_by_id_user')),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user.id'], name=op.f('fk_credential_granted_by_id_user')),
    sa.ForeignKeyConstraint(['granted_unit_id'], ['unit.id'], name=op.f('fk_credential_granted_unit_id_unit')),
    sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_credential_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_credential_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_credential_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credential'))
    )
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credential_process_id'), ['process_id'], unique=False)
        batch_op.create_index('ix_credential_user_ended', ['user_id', 'ended_at'], unique=False)
        batch_op.create_index('uq_credential_active', ['process_id', 'user_id', 'unit_id'], unique=True, sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))

    op.create_table('process_relation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['other_id'], ['process.id'], name=op.f('fk_process_relation_other_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_process_relation_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_process_relation_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_process_relation_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_relation')),
    sa.UniqueConstraint('process_id', 'other_id', name='uq_process_relation')
    )
    with op.batch_alter_table('process_relation', schema=None) as batch_op:
        batch_op.create_index('ix_process_relation_other_id', ['other_id'], unique=False)

    op.create_table('scheduled_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('returned_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['from_unit_id'], ['unit.id'], name=op.f('fk_scheduled_return_from_unit_id_unit')),
    sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_scheduled_return_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_unit_id'], ['unit.id'], name=op.f('fk_scheduled_return_to_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduled_return'))
    )
    with op.batch_alter_table('scheduled_return', schema=None) as batch_op:
        batch_op.create_index('ix_scheduled_return_from_pending', ['from_unit_id', 'returned_at', 'due'], unique=False)
        batch_op.create_index(batch_op.f('ix_scheduled_return_process_id'), ['process_id'], unique=False)
        batch_op.create_index('ix_scheduled_return_to_pending', ['to_unit_id', 'returned_at', 'due'], unique=False)

    # Anexar / Sobrestar / stale-form version. SQLite: ADD COLUMN … REFERENCES (a batch copy of the
    # process table would cascade-delete its children when the old table is dropped).
    if op.get_bind().dialect.name == "sqlite":
        have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("process")}  # kept by a downgrade
        if "annexed_to_id" not in have:
            op.execute("ALTER TABLE process ADD COLUMN annexed_to_id INTEGER REFERENCES process (id)")
        if "suspended_with_id" not in have:
            op.execute("ALTER TABLE process ADD COLUMN suspended_with_id INTEGER REFERENCES process (id) "
                       "ON DELETE SET NULL")
    else:
        op.add_column('process', sa.Column('annexed_to_id', sa.Integer(), nullable=True))
        op.add_column('process', sa.Column('suspended_with_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_process_annexed_to_id_process'), 'process', 'process', ['annexed_to_id'], ['id'])
        op.create_foreign_key(op.f('fk_process_suspended_with_id_process'), 'process', 'process',
                              ['suspended_with_id'], ['id'], ondelete='SET NULL')
    op.add_column('process', sa.Column('version', sa.Integer(), server_default='0', nullable=False))
    op.create_index(op.f('ix_process_annexed_to_id'), 'process', ['annexed_to_id'], unique=False)

    # The inbox leaves out sobrestados (suspended_at) and hides sigilosos from non-holders (sigiloso).
    op.add_column('process_unit', sa.Column('suspended_at', sa.DateTime(), nullable=True))
    op.add_column('process_unit', sa.Column('sigiloso', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.drop_index('ix_process_unit_open', table_name='process_unit')
    op.drop_index('ix_process_unit_open_origin', table_name='process_unit')
    op.create_index('ix_process_unit_open', 'process_unit', ['unit_id', 'last_movement_at', 'id'], unique=False,
                    sqlite_where=sa.text(INBOX_WHERE), postgresql_where=sa.text(INBOX_WHERE))
    op.create_index('ix_process_unit_open_origin', 'process_unit', ['unit_id', 'origin', 'sigiloso', 'process_id'],
                    unique=False,
                    sqlite_where=sa.text(INBOX_WHERE), postgresql_where=sa.text(INBOX_WHERE))

    # Existing sigilosos were seen by their generating unit: their authors get a credential there.
    op.execute("UPDATE process_unit SET sigiloso = true WHERE process_id IN "
               "(SELECT id FROM process WHERE access_level = 'sigiloso')")
    op.execute("INSERT INTO credential (process_id, user_id, unit_id, granted_by_id, granted_unit_id, granted_at) "
               "SELECT id, author_id, generating_unit_id, author_id, generating_unit_id, created_at FROM process "
               "WHERE access_level = 'sigiloso'")



def downgrade():
    op.drop_index('ix_process_unit_open_origin', table_name='process_unit')
    op.drop_index('ix_process_unit_open', table_name='process_unit')
    op.create_index('ix_process_unit_open', 'process_unit', ['unit_id', 'last_movement_at', 'id'], unique=False,
                    sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))
    op.create_index('ix_process_unit_open_origin', 'process_unit', ['unit_id', 'origin'], unique=False,
                    sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))
    op.drop_column('process_unit', 'sigiloso')
    op.drop_column('process_unit', 'suspended_at')
    op.drop_index(op.f('ix_process_annexed_to_id'), table_name='process')
    op.drop_column('process', 'version')
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f('fk_process_suspended_with_id_process'), 'process', type_='foreignkey')
        op.drop_constraint(op.f('fk_process_annexed_to_id_process'), 'process', type_='foreignkey')
        op.drop_column('process', 'suspended_with_id')
        op.drop_column('process', 'annexed_to_id')
    # SQLite cannot drop a column that references a table; the two nullable columns stay (unused).
    op.drop_index('ix_scheduled_return_to_pending', table_name='scheduled_return')
    op.drop_index(op.f('ix_scheduled_return_process_id'), table_name='scheduled_return')
    op.drop_index('ix_scheduled_return_from_pending', table_name='scheduled_return')
    op.drop_table('scheduled_return')
    op.drop_index('ix_process_relation_other_id', table_name='process_relation')
    op.drop_table('process_relation')
    op.drop_index('uq_credential_active', table_name='credential')
    op.drop_index('ix_credential_user_ended', table_name='credential')
    op.drop_index(op.f('ix_credential_process_id'), table_name='credential')
    op.drop_table('credential')
    op.drop_table('holiday')
