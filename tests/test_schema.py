"""Every schema change is a migration: the models and the schema the migrations build agree."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


# The stored tsvector of the PostgreSQL search (and its GIN index) is written by SQL, not by the models.
SEARCH_COLUMNS = {("document_text", "tsv"), ("process_text", "tsv")}


def _fk_key(fk):
    return fk.table.name, tuple(c.name for c in fk.columns), tuple(e.target_fullname for e in fk.elements)


def _relevant(diffs, metadata):
    """Leave out what the models cannot say (the search tables, FTS5 / tsvector, belong to the migrations)
    and a foreign key that differs only by its name (SQLite keeps some unnamed)."""
    removed = {_fk_key(d[1]) for d in diffs if isinstance(d, tuple) and d[0] == "remove_fk"}
    added = {_fk_key(d[1]) for d in diffs if isinstance(d, tuple) and d[0] == "add_fk"}
    renamed = removed & added
    for diff in diffs:
        kind = diff[0] if isinstance(diff, tuple) else diff[0][0]
        if kind == "remove_table" and diff[1].name not in metadata.tables:
            continue
        if kind in ("remove_fk", "add_fk") and _fk_key(diff[1]) in renamed:
            continue
        if kind == "remove_column" and (diff[2], diff[3].name) in SEARCH_COLUMNS:
            continue
        if kind == "remove_index" and {(diff[1].table.name, c.name) for c in diff[1].columns} <= SEARCH_COLUMNS:
            continue
        yield diff


def test_models_match_the_migrated_schema(app, db):
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert list(_relevant(diffs, db.metadata)) == []
