"""Pesquisar: the header box (a number jumps to it) and the search page with filters."""
from flask import request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.blueprints.search import bp
from app.blueprints.search.forms import SearchForm
from app.extensions import db
from app.models import ProcessType, Unit
from app.models.document import DocumentType
from app.services import access, search
from app.services.errors import DomainError
from app.web import apply_errors, current_unit, guard, render, see_other, wants_fragment


@bp.before_request
@login_required
def require_unit():
    guard(access.require_works_in, current_user, current_unit())


def _choices(form):
    org_id = current_user.organization_id

    def options(model, label, *where):
        rows = db.session.scalars(select(model).where(model.organization_id == org_id, *where).order_by(label))
        return [(0, "Todos")] + [(r.id, getattr(r, label.key)) for r in rows]
    form.process_type_id.choices = options(ProcessType, ProcessType.name)
    form.document_type_id.choices = options(DocumentType, DocumentType.name)
    form.unit_id.choices = [(0, "Todas")] + [(u.id, u.sigla) for u in db.session.scalars(
        select(Unit).where(Unit.organization_id == org_id).order_by(Unit.sigla))]
    return form


def _filters(form):
    return search.Filters(process_type_id=form.process_type_id.data or None,
                          document_type_id=form.document_type_id.data or None, unit_id=form.unit_id.data or None,
                          date_from=form.date_from.data, date_to=form.date_to.data,
                          interested=(form.interested.data or "").strip(), access_level=form.access_level.data or "")


def _number_url(kind, obj):
    if kind == "process":
        return url_for("processes.show", process_id=obj.id)
    return url_for("documents.show", process_id=obj.process_id, document_id=obj.id)


@bp.get("/pesquisar", endpoint="search")
def search_page():
    """Pesquisar: words, "frases exatas", E/OU/NÃO and filters; a process or SEI number opens it."""
    form = _choices(SearchForm(request.args))
    results, jump, status = None, None, 200
    if request.args and form.validate():
        try:
            found = search.find_number(current_user, current_unit(), form.q.data)
            if found and not wants_fragment():
                return see_other(_number_url(*found))
            if found:
                jump = (found[1], _number_url(*found))
            else:
                results = search.search(current_user, current_unit(), form.q.data, _filters(form),
                                        page=form.page.data or 1, order=form.order.data)
        except DomainError as error:
            apply_errors(form, error)
    if form.errors or form.form_errors:
        status = 422
        form.q.data = (form.q.data or "")[:300]
    return render("search/search.html", block="results", status=status, form=form, results=results, jump=jump)

