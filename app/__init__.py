"""Expediente: electronic processes and documents for municipalities."""
from pathlib import Path

from flask import Flask

from app.config import INSTANCE_DIR, Config, DevelopmentConfig, TestingConfig, load_secret_key
from app.extensions import compress, csrf, db, htmx, login_manager, migrate

CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": Config}


def create_app(config=None):
    """Build the app; `config` is a config name, a class, or a dict of overrides."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    base = CONFIGS.get(config if isinstance(config, str) else Config.ENV_NAME, Config)
    app.config.from_object(config if isinstance(config, type) else base)
    if isinstance(config, dict):
        app.config.update(config)
    load_secret_key(app.config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)

    from app import database, security, templating
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
