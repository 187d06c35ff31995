"""signing: frozen content of signed documents, signatures, Blocos de Assinatura

Revision ID: 0006
Revises: 0005, 0010
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = ("0005", "0010")
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete=None):
    ref_table, ref_column = target.split(".")
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{ref_table}"),
                                   ondelete=ondelete)


def upgrade():
    op.create_table(
        "document_freeze",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("crc", sa.String(length=8), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("sei", sa.String(length=20), nullable=False),
        sa.Column("process_number", sa.String(length=30), nullable=False),
        sa.Column("org_name", sa.String(length=200), nullable=False),
        sa.Column("unit_line", sa.String(length=300), nullable=False),
        sa.Column("brasao_sha256", sa.String(length=64), nullable=True),
        sa.Column("image_shas", sa.JSON(), nullable=False),
        sa.Column("verify_url", sa.String(length=300), nullable=False),
        sa.Column("renderer", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        _fk("document_freeze", "document_id", "document.id", "CASCADE"),
        _fk("document_freeze", "brasao_sha256", "blob.sha256"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_freeze")),
    )
    op.create_index(op.f("ix_document_freeze_document_id"), "document_freeze", ["document_id"])

    op.create_table(
        "signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("freeze_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=120), nullable=False),
        sa.Column("legal_text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("method", sa.String(length=12), nullable=False),
        sa.Column("conference", sa.String(length=30), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("rendition_sha256", sa.String(length=64), nullable=True),
        sa.Column("seal_level", sa.String(length=20), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        _fk("signature", "document_id", "document.id", "CASCADE"),
        _fk("signature", "freeze_id", "document_freeze.id", "CASCADE"),
        _fk("signature", "user_id", "user.id"),
        _fk("signature", "unit_id", "unit.id"),
        _fk("signature", "rendition_sha256", "blob.sha256"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signature")),
    )
    op.create_index(op.f("ix_signature_document_id"), "signature", ["document_id"])
    op.create_index(op.f("ix_signature_freeze_id"), "signature", ["freeze_id"])
    op.create_index("ix_signature_rendition_sha256", "signature", ["rendition_sha256"])
    op.create_index("uq_signature_document_user_valid", "signature", ["document_id", "user_id"], unique=True,
                    sqlite_where=sa.text("cancelled_at IS NULL"), postgresql_where=sa.text("cancelled_at IS NULL"))

    op.create_table(
        "signature_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("concluded_at", sa.DateTime(), nullable=True),
        _fk("signature_block", "organization_id", "organization.id"),
        _fk("signature_block", "unit_id", "unit.id"),
        _fk("signature_block", "created_by_id", "user.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signature_block")),
        sa.UniqueConstraint("organization_id", "number", name="uq_signature_block_number"),
    )
    op.create_index("ix_signature_block_unit_state", "signature_block", ["unit_id", "state"])

    op.create_table(
        "signature_block_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("block_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=True),
        _fk("signature_block_document", "block_id", "signature_block.id", "CASCADE"),
        _fk("signature_block_document", "document_id", "document.id", "CASCADE"),
        _fk("signature_block_document", "added_by_id", "user.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signature_block_document")),
        sa.UniqueConstraint("block_id", "document_id", name="uq_signature_block_document"),
    )
    op.create_index(op.f("ix_signature_block_document_document_id"), "signature_block_document", ["document_id"])

    op.create_table(
        "signature_block_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("block_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("made_available_at", sa.DateTime(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("returned_by_id", sa.Integer(), nullable=True),
        _fk("signature_block_unit", "block_id", "signature_block.id", "CASCADE"),
        _fk("signature_block_unit", "unit_id", "unit.id"),
        _fk("signature_block_unit", "returned_by_id", "user.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signature_block_unit")),
        sa.UniqueConstraint("block_id", "unit_id", name="uq_signature_block_unit"),
    )
    op.create_index(op.f("ix_signature_block_unit_unit_id"), "signature_block_unit", ["unit_id"])


def downgrade():
    op.drop_index(op.f("ix_signature_block_unit_unit_id"), table_name="signature_block_unit")
    op.drop_table("signature_block_unit")
    op.drop_index(op.f("ix_signature_block_document_document_id"), table_name="signature_block_document")
    op.drop_table("signature_block_document")
    op.drop_index("ix_signature_block_unit_state", table_name="signature_block")
    op.drop_table("signature_block")
    op.drop_index("uq_signature_document_user_valid", table_name="signature")
    op.drop_index("ix_signature_rendition_sha256", table_name="signature")
    op.drop_index(op.f("ix_signature_freeze_id"), table_name="signature")
    op.drop_index(op.f("ix_signature_document_id"), table_name="signature")
    op.drop_table("signature")
    op.drop_index(op.f("ix_document_freeze_document_id"), table_name="document_freeze")
    op.drop_table("document_freeze")
