"""Settings read from the environment, with embedded defaults (SQLite and files in instance/)."""
import os
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", Path(__file__).resolve().parent.parent / "instance"))


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "sim", "on"}


class Config:
    ENV_NAME = os.environ.get("EXPEDIENTE_ENV", "production")
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'expediente.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    STORAGE_DIR = os.environ.get("STORAGE_DIR", str(INSTANCE_DIR / "storage"))
    SEAL_DIR = os.environ.get("SEAL_DIR", str(INSTANCE_DIR / "certs"))
    REDIS_URL = os.environ.get("REDIS_URL")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Set by gunicorn.conf.py: the web server needs no `flask db` commands (and so no Alembic).
    WEB_ONLY = os.environ.get("EXPEDIENTE_WEB_ONLY") == "1"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 10
    # Behind a reverse proxy (nginx/caddy) that sets X-Forwarded-*: number of proxies to trust.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; a stale session fails anyway
    WTF_CSRF_HEADERS = ["X-CSRFToken"]
    WTF_I18N_ENABLED = False  # use WTForms' own pt translations (app.forms.Form), no Babel needed
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(110 * 1024 * 1024)))

    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIMETYPES = ["text/html", "text/css", "application/javascript", "text/javascript",
                          "application/json", "image/svg+xml", "text/plain", "text/csv"]
    COMPRESS_MIN_SIZE = 300

    LOGIN_MAX_FAILURES_PER_LOGIN = int(os.environ.get("LOGIN_MAX_FAILURES_PER_LOGIN", "5"))
    LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("LOGIN_MAX_FAILURES_PER_IP", "30"))
    # PER_LOGIN counts one login from one IP; this ceiling counts the login from every IP together.
    LOGIN_MAX_FAILURES_PER_LOGIN_GLOBAL = int(os.environ.get("LOGIN_MAX_FAILURES_PER_LOGIN_GLOBAL", "50"))
    LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", str(15 * 60)))
    PASSWORD_HASH_PROFILE = "strong"
    # Esqueci minha senha: how long the link sent by e-mail stays valid.
    PASSWORD_RESET_MAX_AGE_SECONDS = int(os.environ.get("PASSWORD_RESET_MAX_AGE_SECONDS", "3600"))
    INBOX_PAGE_SIZE = 20  # rows per Controle de Processos page: keeps the htmx list ≤ 2 KB gzip (bench/inbox.py)

    # E-mail notifications of Enviar Processo (services/mail.py); SMTP_HOST unset = e-mail off.
    SMTP_HOST = os.environ.get("SMTP_HOST")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_USER = os.environ.get("SMTP_USER")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", False)
    MAIL_FROM = os.environ.get("MAIL_FROM", "expediente@localhost")


class DevelopmentConfig(Config):
    ENV_NAME = "development"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"
    PASSWORD_HASH_PROFILE = "fast"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite:///:memory:")


def load_secret_key(config):
    """In development, use (or create) instance/secret_key so `make run` needs no setup."""
    if config.get("SECRET_KEY"):
        return
    if config.get("ENV_NAME") in ("development", "testing"):
        key_file = INSTANCE_DIR / "secret_key"
        if not key_file.exists():
            INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(os.urandom(32).hex())
            key_file.chmod(0o600)
        config["SECRET_KEY"] = key_file.read_text().strip()
        return
    raise RuntimeError("SECRET_KEY não definida: configure a variável de ambiente SECRET_KEY em produção.")
