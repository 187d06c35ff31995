"""documents

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-29 00:25:32.169093

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('blob',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_blob'))
    )
    op.create_table('document_settings',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('brasao_png_sha256', sa.String(length=64), nullable=True),
    sa.Column('brasao_svg_sha256', sa.String(length=64), nullable=True),
    sa.Column('accepted_types', sa.String(length=200), nullable=False),
    sa.Column('max_upload_mb', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['brasao_png_sha256'], ['blob.sha256'], name=op.f('fk_document_settings_brasao_png_sha256_blob')),
    sa.ForeignKeyConstraint(['brasao_svg_sha256'], ['blob.sha256'], name=op.f('fk_document_settings_brasao_svg_sha256_blob')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_document_settings_organization_id_organization')),
    sa.PrimaryKeyConstraint('organization_id', name=op.f('pk_document_settings'))
    )
    op.create_table('document_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('applies_to', sa.String(length=10), nullable=False),
    sa.Column('numbering', sa.String(length=10), nullable=False),
    sa.Column('title_template', sa.String(length=200), nullable=False),
    sa.Column('model_html', sa.Text(), nullable=False),
    sa.Column('min_signature_level', sa.String(length=12), nullable=False),
    sa.Column('suggested_level', sa.String(length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_document_type_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_type')),
    sa.UniqueConstraint('organization_id', 'name', name='uq_document_type_org_name')
    )
    with op.batch_alter_table('document_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_type_organization_id'), ['organization_id'], unique=False)

    op.create_table('standard_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_standard_text_organization_id_organization')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_standard_text_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_text'))
    )
    with op.batch_alter_table('standard_text', schema=None) as batch_op:
        batch_op.create_index('ix_standard_text_org_unit', ['organization_id', 'unit_id'], unique=False)

    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('sei_number', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('number_value', sa.Integer(), nullable=True),
    sa.Column('number_scope', sa.String(length=120), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('access_level', sa.String(length=10), nullable=False),
    sa.Column('legal_basis_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('crc', sa.String(length=8), nullable=True),
    sa.Column('blob_sha256', sa.String(length=64), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('document_date', sa.Date(), nullable=True),
    sa.Column('external_format', sa.String(length=15), nullable=True),
    sa.Column('conference', sa.String(length=30), nullable=True),
    sa.Column('creation_token', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_document_author_id_user')),
    sa.ForeignKeyConstraint(['blob_sha256'], ['blob.sha256'], name=op.f('fk_document_blob_sha256_blob')),
    sa.ForeignKeyConstraint(['legal_basis_id'], ['legal_basis.id'], name=op.f('fk_document_legal_basis_id_legal_basis')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_document_organization_id_organization')),
    sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_document_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['type_id'], ['document_type.id'], name=op.f('fk_document_type_id_document_type')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_document_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('creation_token', name=op.f('uq_document_creation_token')),
    sa.UniqueConstraint('number_scope', 'number_value', name='uq_document_number'),
    sa.UniqueConstraint('sei_number', name=op.f('uq_document_sei_number'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_blob_sha256'), ['blob_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_document_process_id_id', ['process_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_type_id'), ['type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_unit_id'), ['unit_id'], unique=False)

    op.create_table('document_interested',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_document_interested_contact_id_contact')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_interested_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_interested')),
    sa.UniqueConstraint('document_id', 'contact_id', name='uq_document_interested')
    )
    with op.batch_alter_table('document_interested', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_interested_document_id'), ['document_id'], unique=False)

    op.create_table('document_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('restored_from', sa.Integer(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_document_version_author_id_user')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_version_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_document_version_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_version')),
    sa.UniqueConstraint('document_id', 'number', name='uq_document_version_number')
    )
    op.create_table('rendition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['blob_sha256'], ['blob.sha256'], name=op.f('fk_rendition_blob_sha256_blob')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_rendition_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rendition'))
    )
    with op.batch_alter_table('rendition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rendition_document_id'), ['document_id'], unique=False)



def downgrade():
    with op.batch_alter_table('rendition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rendition_document_id'))

    op.drop_table('rendition')
    op.drop_table('document_version')
    with op.batch_alter_table('document_interested', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_interested_document_id'))

    op.drop_table('document_interested')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_unit_id'))
        batch_op.drop_index(batch_op.f('ix_document_type_id'))
        batch_op.drop_index('ix_document_process_id_id')
        batch_op.drop_index(batch_op.f('ix_document_organization_id'))
        batch_op.drop_index(batch_op.f('ix_document_blob_sha256'))

    op.drop_table('document')
    with op.batch_alter_table('standard_text', schema=None) as batch_op:
        batch_op.drop_index('ix_standard_text_org_unit')

    op.drop_table('standard_text')
    with op.batch_alter_table('document_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_type_organization_id'))

    op.drop_table('document_type')
    op.drop_table('document_settings')
    op.drop_table('blob')
