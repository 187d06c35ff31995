"""merge the feature branches (routing, signing, search) into one line

Revision ID: 0011
Revises: 0004, 0006, 0008
Create Date: 2026-11-29

From here on there is a single head again: `flask db upgrade` and `flask db upgrade heads` agree.
"""
revision = "0011"
down_revision = ("0004", "0006", "0008")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
