from flask import Blueprint

from app.models import ACCESS_LABELS

bp = Blueprint("processes", __name__)


@bp.app_template_filter("access_label")
def access_label(level):
    """"restrito" → "Restrito"."""
    return ACCESS_LABELS.get(level, level or "")


from app.blueprints.processes import routes, unit_routes  # noqa: E402,F401
