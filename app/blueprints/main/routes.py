from flask import abort, request, session, url_for
from flask_login import current_user, login_required

from app.blueprints.main import bp
from app.extensions import db, htmx
from app.web import current_unit, render, safe_next, see_other


@bp.get("/")
@login_required
def home():
    """Controle de Processos of the current unit (htmx filters and paging get only the list)."""
    from app.blueprints.processes.unit_routes import inbox_context
    if current_unit() is None:
        return render("main/home.html", page=None)
    return render("main/home.html", block="inbox", **inbox_context(request.args))


@bp.post("/unidade")
@login_required
def switch_unit():
    """Trocar a unidade atual; htmx (select change) gets a refresh, a plain form a 303."""
    unit_id = request.form.get("unit_id", type=int)
    unit = next((u for u in current_user.units if u.id == unit_id), None)
    if unit is None:
        abort(403)
    session["unit_id"] = unit.id
    current_user.last_unit_id = unit.id
    db.session.commit()
    if htmx and not htmx.boosted:
        response = see_other(url_for("main.home"))
        response.status_code, response.headers["HX-Refresh"] = 204, "true"
        return response
    return see_other(safe_next(request.form.get("next")) or url_for("main.home"))
