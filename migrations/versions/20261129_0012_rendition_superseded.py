"""rendition: superseded (by an edit before the lock) instead of deleted

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29

An edit of a signed, unlocked document used to delete its rendition rows (the bytes stayed stored).
Now the rows stay, marked superseded_at (UTC) with the document version whose saving superseded them.
The upgrade gives back a row to every signed PDF whose row was deleted that way: the signature still
holds the PDF's SHA-256, and its cancelled_at (set only by such an edit) is when it was superseded.
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


BACKFILL = (
    "INSERT INTO rendition (document_id, blob_sha256, kind, created_at, superseded_at) "
    "SELECT s.document_id, s.rendition_sha256, 'signed_pdf', s.signed_at, s.cancelled_at FROM signature s "
    "WHERE s.cancelled_at IS NOT NULL AND s.rendition_sha256 IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM rendition r WHERE r.blob_sha256 = s.rendition_sha256) "
    "ORDER BY s.id")


def upgrade():
    with op.batch_alter_table("rendition", schema=None) as batch_op:
        batch_op.add_column(sa.Column("superseded_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("superseded_in_version", sa.Integer(), nullable=True))
    op.execute(BACKFILL)


def downgrade():
    # Before 0012 a superseded rendition had no row: without the column it would pass for the current one.
    op.execute("DELETE FROM rendition WHERE superseded_at IS NOT NULL")
    with op.batch_alter_table("rendition", schema=None) as batch_op:
        batch_op.drop_column("superseded_in_version")
        batch_op.drop_column("superseded_at")
