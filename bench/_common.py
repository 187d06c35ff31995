"""Shared helpers for the bench scripts: a seeded app on a temp database, a logged-in client, timing."""
import gzip
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Jobs a bench enqueues go to a queue of its own, never to the installation's instance/jobs.db.
os.environ.setdefault("JOBS_DB", os.path.join(tempfile.mkdtemp(prefix="expediente-bench-jobs-"), "jobs.db"))

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402

DEMO_PASSWORD = "Expediente@2026"


def make_app(seed_demo=True, **overrides):
    """An app on a fresh database: BENCH_DATABASE_URL, else a temp SQLite file."""
    tmp = tempfile.mkdtemp(prefix="expediente-bench-")
    config = {"ENV_NAME": "testing", "SECRET_KEY": "bench", "PASSWORD_HASH_PROFILE": "fast",
              "SQLALCHEMY_DATABASE_URI": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.db"),
              "STORAGE_DIR": f"{tmp}/storage", "SEAL_DIR": f"{tmp}/certs", "WTF_CSRF_ENABLED": False}
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        upgrade(revision="heads")
        if seed_demo:
            from app.seeds.demo import seed
            seed()
            db.session.commit()
    return app


def logged_in_client(app, login="ana"):
    client = app.test_client()
    response = client.post("/login", data={"login": login, "password": DEMO_PASSWORD})
    assert response.status_code == 303, response.status_code
    return client


def sizes(body, css=b""):
    """(gzip, brotli) compressed sizes in bytes of HTML (+ CSS)."""
    import brotli
    return len(gzip.compress(body, 9)) + (len(gzip.compress(css, 9)) if css else 0), \
        len(brotli.compress(body)) + (len(brotli.compress(css)) if css else 0)


def css_of(client, html):
    urls = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
    return b"".join(client.get(u.decode()).get_data() for u in urls)


def timed(fn, n=200, warmup=20):
    """p50, p95 in milliseconds of n calls of fn()."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def floor_client():
    """A bare Flask app with one route: the framework floor measured in the same run."""
    bare = Flask("floor")
    bare.add_url_rule("/", "floor", lambda: "ok")
    return bare.test_client()
