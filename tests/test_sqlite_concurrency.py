"""SQLite: a GET that writes after another writer committed is retried once with the write lock."""
import sqlite3
import tempfile

from sqlalchemy import text

from app import create_app
from app.extensions import db


def test_get_that_loses_a_write_race_is_retried_with_the_write_lock():
    path = f"{tempfile.mkdtemp()}/race.db"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    attempts = []

    @app.get("/race")
    def race():
        attempts.append(1)
        db.session.execute(text("SELECT count(*) FROM t")).scalar()  # the read that fixes the snapshot
        if len(attempts) == 1:
            other = sqlite3.connect(path, isolation_level=None)
            other.execute("INSERT INTO t VALUES (2)")  # another worker commits in between
            other.close()
        db.session.execute(text("INSERT INTO t VALUES (3)"))  # the GET's late write
        db.session.commit()
        return "ok"

    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
    response = app.test_client().get("/race")
    assert response.status_code == 200 and len(attempts) == 2
    with app.app_context():
        assert sorted(db.session.execute(text("SELECT x FROM t")).scalars()) == [2, 3]


def test_other_errors_are_not_retried(app, db):
    from app.database import is_retryable_read
    from sqlalchemy.exc import OperationalError
    with app.test_request_context(method="POST"):
        assert not is_retryable_read(OperationalError("x", {}, Exception("database is locked")))
    with app.test_request_context(method="GET"):
        assert is_retryable_read(OperationalError("x", {}, Exception("database is locked")))
        assert not is_retryable_read(OperationalError("x", {}, Exception("no such table")))
        assert not is_retryable_read(ValueError("database is locked"))

