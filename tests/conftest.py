"""Fixtures: `app` (schema built from the migrations), `db`, `client`, `login`, and small factories.

SQLite by default (a temp file, like production); PostgreSQL when TEST_DATABASE_URL is set.
The schema is migrated once per session; each test then starts from empty tables."""
import os
import re
import tempfile

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db as _db
from app.services import orgs, users

PASSWORD = "Senha-de-teste-1"
_tmpdir = tempfile.mkdtemp(prefix="expediente-tests-")
DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_tmpdir}/test.db"


def _reset_postgres(app):
    with app.app_context():
        with _db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (fresh `g` and DB session), as in production,
    even though the test itself holds an app context open."""

    def open(self, *args, **kwargs):
        # End the test's own transaction first: pending test data is saved, and afterwards the
        # test sees what the request committed (SQLite WAL and PostgreSQL both use snapshots).
        _db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app():
    app = create_app({"TESTING": True, "ENV_NAME": "testing", "SECRET_KEY": "test-secret",
                      "PASSWORD_HASH_PROFILE": "fast", "SQLALCHEMY_DATABASE_URI": DATABASE_URL,
                      "STORAGE_DIR": f"{_tmpdir}/storage", "SEAL_DIR": f"{_tmpdir}/certs",
                      "SERVER_NAME": "localhost"})
    app.test_client_class = IsolatedClient
    if DATABASE_URL.startswith("postgresql"):
        _reset_postgres(app)
    with app.app_context():
        upgrade(revision="heads")
    return app


def _tables():
    return [t for t in reversed(_db.metadata.sorted_tables)]


@pytest.fixture
def db(app):
    """An app context whose tables are emptied after the test."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in _tables():
                conn.execute(table.delete())


@pytest.fixture
def client(app, db):
    return app.test_client()


def csrf_from(html):
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    return match.group(1) if match else None


class Factory:
    """Small builders for órgãos, units and users; everything is flushed, not committed."""

    def __init__(self):
        self.n = 0

    def _next(self):
        self.n += 1
        return self.n

    def org(self, sigla=None, **kw):
        n = self._next()
        values = dict(sigla=sigla or f"ORG{n}", name=f"Prefeitura Municipal {n}", city="Exemplo", uf="MG",
                      protocol_code=f"{10000 + n:05d}")
        values.update(kw)
        return orgs.create_organization(**values)

    def unit(self, org, sigla=None, **kw):
        n = self._next()
        return orgs.create_unit(org, sigla=sigla or f"U{n}", name=kw.pop("name", f"Unidade {n}"), **kw)

    def user(self, org, units, login=None, admin=False, **kw):
        n = self._next()
        units = units if isinstance(units, (list, tuple)) else [units]
        return users.create_user(org, login=login or f"user{n}", name=kw.pop("name", f"Usuário {n}"),
                                 password=PASSWORD, units=units, is_admin=admin, **kw)


@pytest.fixture
def make(db):
    return Factory()


@pytest.fixture
def world(db, make):
    """Two órgãos: PM (units SEMAD, GAB; users ana, bia, admin) and CM (PRESI; users caio, cadmin)."""
    pm = make.org("PM", name="Prefeitura Municipal de Teste")
    semad = make.unit(pm, "SEMAD", name="Secretaria de Administração")
    gab = make.unit(pm, "GAB", name="Gabinete")
    cm = make.org("CM", name="Câmara Municipal de Teste")
    presi = make.unit(cm, "PRESI", name="Presidência")
    w = dict(pm=pm, cm=cm, semad=semad, gab=gab, presi=presi,
             ana=make.user(pm, [semad, gab], "ana", name="Ana Souza"),
             bia=make.user(pm, [gab], "bia", name="Bia Lima"),
             admin=make.user(pm, [semad], "admin", admin=True, name="Admin PM"),
             caio=make.user(cm, [presi], "caio", name="Caio Reis"),
             cadmin=make.user(cm, [presi], "cadmin", admin=True, name="Admin CM"))
    db.session.commit()
    return type("World", (), w)


class Login:
    def __init__(self, client):
        self.client = client

    def __call__(self, login, password=PASSWORD):
        page = self.client.get("/login")
        token = csrf_from(page.get_data(as_text=True))
        response = self.client.post("/login", data={"login": login, "password": password, "csrf_token": token})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return response


@pytest.fixture
def login(client):
    return Login(client)


def post_form(client, url, data=None, page_url=None, **kw):
    """POST with the CSRF token taken from `page_url` (default: the same url)."""
    page = client.get(page_url or url)
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_from(page.get_data(as_text=True)))
    return client.post(url, data=data, **kw)
