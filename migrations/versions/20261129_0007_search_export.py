"""search and export: document_text (+ FTS5 on SQLite / tsvector + GIN on PostgreSQL), export_job

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-29 01:00:00

The terms indexed are produced by app/services/search_terms.py (accent and plural folding plus
the Snowball Portuguese stemmer), the same for both databases; each database only indexes them.
"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None

SQLITE_FTS = [
    """CREATE VIRTUAL TABLE document_fts USING fts5(terms, content='document_text', content_rowid='document_id',
       tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER document_text_fts_insert AFTER INSERT ON document_text WHEN new.terms IS NOT NULL BEGIN
       INSERT INTO document_fts(rowid, terms) VALUES (new.document_id, new.terms); END""",
    """CREATE TRIGGER document_text_fts_delete AFTER DELETE ON document_text WHEN old.terms IS NOT NULL BEGIN
       INSERT INTO document_fts(document_fts, rowid, terms) VALUES ('delete', old.document_id, old.terms); END""",
    """CREATE TRIGGER document_text_fts_update AFTER UPDATE OF terms ON document_text BEGIN
       INSERT INTO document_fts(document_fts, rowid, terms)
         SELECT 'delete', old.document_id, old.terms WHERE old.terms IS NOT NULL;
       INSERT INTO document_fts(rowid, terms) SELECT new.document_id, new.terms WHERE new.terms IS NOT NULL; END""",
]


def upgrade():
    op.create_table('document_text',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('terms', sa.Text(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_text_document_id_document'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_document_text'))
    )
    op.create_index('ix_document_text_status', 'document_text', ['status'], unique=False)
    op.create_table('export_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=5), nullable=False),
    sa.Column('document_ids', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=True),
    sa.Column('filename', sa.String(length=120), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_export_job_process_id_process'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_export_job_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_export_job_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_job'))
    )
    op.create_index('ix_export_job_process_id', 'export_job', ['process_id'], unique=False)
    op.create_index('ix_export_job_user_process', 'export_job', ['user_id', 'process_id', 'status'], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == 'postgresql':
        op.execute("ALTER TABLE document_text ADD COLUMN tsv tsvector")
        op.execute("CREATE INDEX ix_document_text_tsv ON document_text USING gin (tsv)")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for name in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER IF EXISTS document_text_fts_{name}")
        op.execute("DROP TABLE IF EXISTS document_fts")
    op.drop_index('ix_export_job_user_process', table_name='export_job')
    op.drop_index('ix_export_job_process_id', table_name='export_job')
    op.drop_table('export_job')
    op.drop_index('ix_document_text_status', table_name='document_text')
    op.drop_table('document_text')
