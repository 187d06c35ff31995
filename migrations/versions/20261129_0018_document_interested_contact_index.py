"""document_interested: index on contact_id (merging contacts and counting a contact's documents scan it)

Revision ID: 0018
Revises: 0016
Create Date: 2026-11-29
"""
from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("document_interested", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_interested_contact_id"), ["contact_id"], unique=False)


def downgrade():
    with op.batch_alter_table("document_interested", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_interested_contact_id"))
