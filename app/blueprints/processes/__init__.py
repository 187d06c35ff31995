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


@bp.app_template_global("can_act_on")
def can_act_on(process):
    """Is the process open in the current unit (so its buttons, like Dar Ciência, apply here)?"""
    from app.services import access
    from app.web import current_unit
    unit = current_unit()
    return unit is not None and process is not None and access.open_row(process, unit) is not None


@bp.record_once
def _setup(state):
    """Routing (issue 4): the e-mail hook (notifications are sent after commit)."""
    from app.services import mail
    mail.init_hooks()


from app.blueprints.processes import routes, unit_routes  # noqa: E402,F401
from app.blueprints.processes import action_routes, credential_routes, routing_routes  # noqa: E402,F401
