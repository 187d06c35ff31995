"""Browser fixtures: a live server on a seeded SQLite database and Debian's Chromium via Playwright.

Fixtures: `live_server` (base URL), `seeded` (same, named for readability), `browser`,
`page` (JavaScript on), `page_nojs` (JavaScript off), and `login_as(page, login)`.
Every page also records console errors (CSP violations included) in `page.console_errors`."""
import tempfile
import threading

import pytest
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
DEMO_PASSWORD = "Expediente@2026"


@pytest.fixture(scope="session")
def live_app():
    tmp = tempfile.mkdtemp(prefix="expediente-browser-")
    app = create_app({"ENV_NAME": "testing", "SECRET_KEY": "browser-tests", "PASSWORD_HASH_PROFILE": "fast",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/browser.db", "STORAGE_DIR": f"{tmp}/storage", "SEAL_DIR": f"{tmp}/certs",
                      # No worker runs beside the live server: jobs (indexing, exports) run in the request.
                      "JOBS_IMMEDIATE": True})
    with app.app_context():
        upgrade(revision="heads")
        from app.seeds.demo import seed
        seed()
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def seeded(live_server):
    return live_server


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def _page(browser, live_server, javascript):
    context = browser.new_context(java_script_enabled=javascript, locale="pt-BR", base_url=live_server)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = _page(browser, live_server, True)
    yield page
    context.close()


@pytest.fixture
def page_nojs(browser, live_server):
    context, page = _page(browser, live_server, False)
    yield page
    context.close()


@pytest.fixture
def login_as():
    def _login(page, login, password=DEMO_PASSWORD):
        page.goto("/login")
        page.get_by_label("Usuário").fill(login)
        page.get_by_label("Senha").fill(password)
        page.get_by_role("button", name="Entrar").click()
        page.wait_for_url(lambda url: "/login" not in url)
    return _login
