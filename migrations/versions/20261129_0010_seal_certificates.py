"""seal certificates (PAdES) and the órgão's timestamp authority URL

Revision ID: 0010
Revises: 0002
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "seal_certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("subject", sa.String(length=400), nullable=False),
        sa.Column("issuer", sa.String(length=400), nullable=False),
        sa.Column("serial", sa.String(length=80), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=True),
        sa.Column("not_after", sa.DateTime(), nullable=True),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=120), nullable=False),
        sa.Column("password_enc", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"],
                                name=op.f("fk_seal_certificate_organization_id_organization")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seal_certificate")),
    )
    with op.batch_alter_table("seal_certificate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seal_certificate_organization_id"), ["organization_id"], unique=False)
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tsa_url", sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_column("tsa_url")
    with op.batch_alter_table("seal_certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seal_certificate_organization_id"))
    op.drop_table("seal_certificate")
