from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.blueprints.admin import catalog, routes  # noqa: E402,F401
from app.blueprints.admin import audit  # noqa: E402,F401  (Auditoria with filters)
from app.blueprints.admin import holidays  # noqa: E402,F401  (issue 4: feriados)
from app.blueprints.admin import contacts  # noqa: E402,F401  (Contatos: interessados)
