"""Background jobs with huey: SQLite storage by default (instance/jobs.db), Redis when REDIS_URL
is set. Tests run jobs immediately, in the caller's transaction.

Declare a job with `@job` (it runs inside an app context and commits when it succeeds);
enqueue it by calling it. The worker is `flask --app wsgi worker` (`make run` starts it)."""
import functools
import os

import click
from flask import has_app_context
from flask.cli import with_appcontext
from huey import RedisHuey, SqliteHuey

from app.config import INSTANCE_DIR


def _make_huey():
    if os.environ.get("REDIS_URL"):
        return RedisHuey("expediente", url=os.environ["REDIS_URL"])
    path = os.environ.get("JOBS_DB", str(INSTANCE_DIR / "jobs.db"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return SqliteHuey("expediente", filename=path)


huey = _make_huey()
_worker_app = None


def _app():
    global _worker_app
    if _worker_app is None:
        from app import create_app
        _worker_app = create_app()
    return _worker_app


def job(fn=None, *, retries=2, retry_delay=10):
    """Turn a function into a background job; calling it enqueues (or runs, in immediate mode)."""
    if fn is None:
        return functools.partial(job, retries=retries, retry_delay=retry_delay)

    @huey.task(retries=retries, retry_delay=retry_delay, name=f"{fn.__module__}.{fn.__name__}")
    @functools.wraps(fn)
    def run(*args, **kwargs):
        if has_app_context():  # immediate mode (tests): part of the caller's transaction
            return fn(*args, **kwargs)
        from app.extensions import db
        with _app().app_context():
            try:
                result = fn(*args, **kwargs)
                db.session.commit()
                return result
            except Exception:
                db.session.rollback()
                raise
    return run


def init_app(app):
    huey.immediate = bool(app.config.get("JOBS_IMMEDIATE", app.config.get("TESTING", False)))
    app.cli.add_command(worker)


@click.command("worker")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Tarefas simultâneas (1 ou mais).")
@with_appcontext
def worker(workers):
    """Executa as tarefas em segundo plano (indexação, OCR, exportação, e-mails)."""
    from huey.consumer import Consumer
    import app.tasks  # noqa: F401  (registers every job)
    Consumer(huey, workers=workers, worker_type="thread").run()
