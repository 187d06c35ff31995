"""contact: name_key (the name folded: lower case, no accents, single spaces) for the Contatos admin page

Revision ID: 0016
Revises: 0012
Create Date: 2026-11-29

The admin lists and searches an órgão's interessados by name ignoring accents, on SQLite and PostgreSQL
alike. Folding every row at query time was slow (PostgreSQL's translate() over 20 000 names ≈ 200 ms),
so the folded name is stored beside the name, kept by the model, and indexed per órgão for the order.
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0012"
branch_labels = None
depends_on = None

BATCH = 1000


def _key(name):
    decomposed = unicodedata.normalize("NFKD", name or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())[:200]


def upgrade():
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(200), nullable=False, server_default=""))
    conn = op.get_bind()
    contact = sa.table("contact", sa.column("id", sa.Integer), sa.column("name", sa.String),
                       sa.column("name_key", sa.String))
    last = 0
    while rows := conn.execute(sa.select(contact.c.id, contact.c.name).where(contact.c.id > last)
                               .order_by(contact.c.id).limit(BATCH)).all():
        conn.execute(contact.update().where(contact.c.id == sa.bindparam("row_id"))
                     .values(name_key=sa.bindparam("key")), [{"row_id": r.id, "key": _key(r.name)} for r in rows])
        last = rows[-1].id
    op.create_index("ix_contact_org_name_key", "contact", ["organization_id", "name_key", "id"])


def downgrade():
    op.drop_index("ix_contact_org_name_key", table_name="contact")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("name_key")
