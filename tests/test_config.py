"""Configuration: SECRET_KEY required in production; SQLite pragmas."""
import pytest
from sqlalchemy import text

from app import create_app


def test_secret_key_required_in_production(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_sqlite_runs_in_wal_with_foreign_keys_and_busy_timeout(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
