"""search: process metadata (process_text + FTS5 / tsvector) and bucket lexemes for PostgreSQL

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 02:00:00

process_text holds two rows per process (id = 2 * process_id + with_content): the head (number, type)
and the row with content (also especificação and interessados). The terms come from
app/services/search_terms.py: run `flask --app wsgi reindex --processes` once after upgrading to
index the processes that already exist (seconds).

PostgreSQL: every tsvector also carries one lexeme `_b<id // 16384>` (a "bucket" of ids; no search
term can contain "_"), so the newest matches of a word are found bucket by bucket through the GIN
index, whatever the planner thinks of the word (app/services/search_candidates.py).
"""
from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

BUCKET = 16384

SQLITE_FTS = [
    """CREATE VIRTUAL TABLE process_fts USING fts5(terms, content='process_text', content_rowid='id',
       tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER process_text_fts_insert AFTER INSERT ON process_text WHEN new.terms IS NOT NULL BEGIN
       INSERT INTO process_fts(rowid, terms) VALUES (new.id, new.terms); END""",
    """CREATE TRIGGER process_text_fts_delete AFTER DELETE ON process_text WHEN old.terms IS NOT NULL BEGIN
       INSERT INTO process_fts(process_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END""",
    """CREATE TRIGGER process_text_fts_update AFTER UPDATE OF terms ON process_text BEGIN
       INSERT INTO process_fts(process_fts, rowid, terms) SELECT 'delete', old.id, old.terms WHERE old.terms IS NOT NULL;
       INSERT INTO process_fts(rowid, terms) SELECT new.id, new.terms WHERE new.terms IS NOT NULL; END""",
]


def upgrade():
    op.create_table('process_text',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('with_content', sa.Boolean(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_process_text_process_id_process'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_text'))
    )
    op.create_index(op.f('ix_process_text_process_id'), 'process_text', ['process_id'], unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == 'postgresql':
        op.execute("ALTER TABLE process_text ADD COLUMN tsv tsvector")
        op.execute("CREATE INDEX ix_process_text_tsv ON process_text USING gin (tsv)")
        op.execute(f"UPDATE document_text SET tsv = tsv || array_to_tsvector(ARRAY['_b' || (document_id / {BUCKET})]) "
                   "WHERE tsv IS NOT NULL")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for name in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER IF EXISTS process_text_fts_{name}")
        op.execute("DROP TABLE IF EXISTS process_fts")
    elif dialect == 'postgresql':
        op.execute(f"UPDATE document_text SET tsv = ts_delete(tsv, '_b' || (document_id / {BUCKET})) "
                   "WHERE tsv IS NOT NULL")
    op.drop_index(op.f('ix_process_text_process_id'), table_name='process_text')
    op.drop_table('process_text')
