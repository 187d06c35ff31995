"""Database engine settings. SQLite: WAL, foreign keys, busy timeout, and BEGIN IMMEDIATE for writes.

Why IMMEDIATE: in WAL mode a deferred transaction that read first and then writes fails at
once with SQLITE_BUSY when another writer committed in between; busy_timeout cannot help.
Taking the write lock at BEGIN for state-changing requests, and for everything outside a request
(background jobs, commands), makes writers queue instead. GET requests stay deferred readers."""
from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

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
        if has_request_context():
            writing = request.method not in READ_METHODS or g.get("sqlite_write_intent", False)
        else:
            writing = immediate_outside_requests
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def is_retryable_read(error):
    """A GET that also writes (first opening marks a process received; opening a document from
    another unit locks it) found, on SQLite, that another writer committed since its first read."""
    return (isinstance(error, OperationalError) and has_request_context() and request.method in READ_METHODS
            and not g.get("sqlite_write_intent", False)
            and ("database is locked" in str(error) or "SQLITE_BUSY" in str(error)))


def retry_with_write_lock():
    """Roll back and make the next transaction of this request BEGIN IMMEDIATE (it queues, not fails)."""
    from app.extensions import db
    db.session.rollback()
    g.sqlite_write_intent = True
