"""Database engine settings. SQLite: WAL, foreign keys, busy timeout, and BEGIN IMMEDIATE for writes.

Why IMMEDIATE: in WAL mode a deferred transaction that read first and then writes fails at
once with SQLITE_BUSY when another writer committed in between; busy_timeout cannot help.
Taking the write lock at BEGIN for state-changing requests, and for everything outside a request
(background jobs, commands), makes writers queue instead. GET requests stay deferred readers."""
from flask import has_request_context, request
from sqlalchemy import event

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def init_app(app):
    with app.app_context():
        from app.extensions import db
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    # The test suite holds its own session open outside requests while requests and threads write.
    immediate_outside_requests = not app.config.get("TESTING")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        writing = request.method not in READ_METHODS if has_request_context() else immediate_outside_requests
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
