"""Expediente: electronic processes and documents for municipalities."""
from pathlib import Path

from flask import Flask

from app import database
from app.config import INSTANCE_DIR, Config, DevelopmentConfig, TestingConfig, load_secret_key
from app.extensions import compress, csrf, db, htmx, login_manager


class Expediente(Flask):
    def dispatch_request(self):
        """Run the view; a GET that lost a SQLite write race is run once more with the write lock."""
        try:
            return super().dispatch_request()
        except Exception as error:
            if not database.is_retryable_read(error):
                raise
            database.retry_with_write_lock()
            return super().dispatch_request()


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": Config}


def create_app(config=None):
    """Build the app; `config` is a config name, a class, or a dict of overrides."""
    app = Expediente(__name__, instance_path=str(INSTANCE_DIR))
    base = CONFIGS.get(config if isinstance(config, str) else Config.ENV_NAME, Config)
    app.config.from_object(config if isinstance(config, type) else base)
    if isinstance(config, dict):
        app.config.update(config)
    load_secret_key(app.config)

    db.init_app(app)
    if not app.config["WEB_ONLY"]:  # Alembic costs every gunicorn worker ~9 MB and a web worker never migrates
        from flask_migrate import Migrate
        Migrate(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)

    from app import request_input, security, templating
    request_input.init_app(app)
    database.init_app(app)
    security.init_app(app)
    templating.init_app(app)

    from app.blueprints import register_blueprints
    register_blueprints(app)

    from app import cli, errors, jobs
    errors.init_app(app)
    cli.init_app(app)
    jobs.init_app(app)
    return app
