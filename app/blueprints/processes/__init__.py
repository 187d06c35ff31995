from flask import Blueprint

from app.models import ACCESS_LABELS

bp = Blueprint("processes", __name__)


@bp.app_template_filter("access_label")
def access_label(level):
    """"restrito" → "Restrito"."""
    return ACCESS_LABELS.get(level, level or "")


@bp.app_template_filter("moment_br")
def moment_br(moment, today):
    """Brasília time: "hoje 14:05" for today, else the date."""
    from app.templating import local
    moment = local(moment)
    return f"hoje {moment:%H:%M}" if moment.date() == today else f"{moment:%d/%m/%Y}"


from app.blueprints.processes import routes, unit_routes  # noqa: E402,F401
