"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be changed from the environment (GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_TIMEOUT), so the systemd unit stays the same on every server."""
import ctypes
import ctypes.util
import gc
import os

os.environ.setdefault("EXPEDIENTE_WEB_ONLY", "1")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1)))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# A worker is replaced now and then, so a slow leak in a library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The app is loaded once in the master and shared copy-on-write by the workers.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"


def on_starting(server):
    # Argon2 takes 19 MiB per login. Past its first free, glibc raises its mmap threshold and serves
    # such blocks from the heap, which a threaded worker then keeps for good (~38 MB with two threads,
    # measured). A fixed threshold keeps large blocks in mmap, returned to the system when freed.
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        libc.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError, TypeError):  # not glibc: nothing to tune
        pass


def pre_fork(server, worker):
    # Objects loaded by the master move to the permanent generation: a worker's garbage collection
    # then neither walks them (a full collection costs ~110 ms on a small server) nor writes to
    # their pages, which would copy them into every worker's memory.
    gc.freeze()


def post_fork(server, worker):
    # Connections opened while the master loaded the app must not be shared by the workers.
    from app.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
