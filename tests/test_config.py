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


def test_the_web_server_loads_no_migration_tooling(tmp_path):
    # TESTING keeps jobs immediate: the job queue is one object shared by every app of the process.
    app = create_app({"ENV_NAME": "testing", "TESTING": True, "SECRET_KEY": "x", "WEB_ONLY": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/web.db"})
    assert "migrate" not in app.extensions
    assert app.test_client().get("/login").status_code == 200


def test_gunicorn_configuration_loads_the_app(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, SECRET_KEY="x" * 40, EXPEDIENTE_ENV="production", INSTANCE_DIR=str(tmp_path),
               DATABASE_URL=f"sqlite:///{tmp_path}/g.db", JOBS_DB=str(tmp_path / "jobs.db"))
    result = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "--check-config", "-c", "gunicorn.conf.py",
                             "wsgi:app"], cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
