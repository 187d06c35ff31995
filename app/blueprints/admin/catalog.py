"""Admin pages of the órgão's Tipos de Processo and Hipóteses Legais (same blueprint, same guard)."""
from flask import request, url_for
from flask_login import current_user
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.blueprints.admin import bp
from app.blueprints.admin.forms import MultiCheckboxField
from app.blueprints.admin.routes import _load, _org
from app.forms import EmptyForm, Form
from app.models import ACCESS_LABELS, LegalBasis, ProcessType
from app.services import catalog
from app.web import render, submit

REQUIRED = "Campo obrigatório."
LEVELS = list(ACCESS_LABELS.items())


class ProcessTypeForm(Form):
    name = StringField("Nome", validators=[DataRequired(REQUIRED), Length(max=150)])
    code = StringField("Código de classificação", validators=[Length(max=30)])
    suggested_level = SelectField("Nível de acesso sugerido", choices=LEVELS)
    allowed_levels = MultiCheckboxField("Níveis de acesso permitidos", choices=LEVELS)
    suggested_legal_basis_id = SelectField("Hipótese Legal sugerida", coerce=int, default=0)
    active = BooleanField("Ativo", default=True)


class LegalBasisForm(Form):
    name = StringField("Nome", validators=[DataRequired(REQUIRED), Length(max=150)])
    basis = StringField("Base legal", validators=[DataRequired(REQUIRED), Length(max=300)])
    level = SelectField("Nível de acesso", choices=LEVELS[1:])
    active = BooleanField("Ativa", default=True)


@bp.get("/tipos-de-processo")
def process_types():
    """Tipos de Processo of the órgão."""
    return render("admin/process_types.html", types=catalog.process_types(_org()))


@bp.route("/tipos-de-processo/novo", methods=["GET", "POST"])
@bp.route("/tipos-de-processo/<int:process_type_id>", methods=["GET", "POST"])
def process_type_form(process_type_id=None):
    """Novo / alterar Tipo de Processo."""
    process_type = _load(ProcessType, process_type_id) if process_type_id else None
    form = ProcessTypeForm(obj=process_type)
    form.suggested_legal_basis_id.choices = [(0, "— nenhuma —")] + [
        (b.id, f"{ACCESS_LABELS[b.level]}: {b.name}") for b in catalog.legal_bases(_org(), active_only=True)]
    if request.method == "GET":
        form.allowed_levels.data = list(process_type.allowed) if process_type else [k for k, _ in LEVELS]
        form.suggested_legal_basis_id.data = process_type.suggested_legal_basis_id or 0 if process_type else 0

    def action():
        values = dict(name=form.name.data, code=form.code.data, suggested_level=form.suggested_level.data,
                      allowed_levels=form.allowed_levels.data, by=current_user,
                      suggested_legal_basis=_load(LegalBasis, form.suggested_legal_basis_id.data)
                      if form.suggested_legal_basis_id.data else None)
        if process_type is None:
            catalog.create_process_type(_org(), **values)
        else:
            catalog.update_process_type(process_type, active=form.active.data, **values)
    return submit(form, action, template="admin/process_type_form.html", success_url=url_for("admin.process_types"),
                  message="Tipo de Processo salvo.", process_type=process_type)


@bp.get("/hipoteses-legais")
def legal_bases():
    """Hipóteses Legais of the órgão."""
    return render("admin/legal_bases.html", bases=catalog.legal_bases(_org()), delete_form=EmptyForm(),
                  in_use=catalog.legal_bases_in_use(_org()))


@bp.route("/hipoteses-legais/nova", methods=["GET", "POST"])
@bp.route("/hipoteses-legais/<int:legal_basis_id>", methods=["GET", "POST"])
def legal_basis_form(legal_basis_id=None):
    """Nova / alterar Hipótese Legal."""
    legal_basis = _load(LegalBasis, legal_basis_id) if legal_basis_id else None
    form = LegalBasisForm(obj=legal_basis)

    def action():
        values = dict(name=form.name.data, basis=form.basis.data, level=form.level.data, by=current_user)
        if legal_basis is None:
            catalog.create_legal_basis(_org(), **values)
        else:
            catalog.update_legal_basis(legal_basis, active=form.active.data, **values)
    return submit(form, action, template="admin/legal_basis_form.html", success_url=url_for("admin.legal_bases"),
                  message="Hipótese Legal salva.", legal_basis=legal_basis)


@bp.post("/hipoteses-legais/<int:legal_basis_id>/excluir")
def delete_legal_basis(legal_basis_id):
    """Excluir a never-used Hipótese Legal (a used one can only be deactivated)."""
    legal_basis = _load(LegalBasis, legal_basis_id)
    return submit(EmptyForm(), lambda: catalog.delete_legal_basis(legal_basis, by=current_user),
                  template="admin/legal_bases.html", success_url=url_for("admin.legal_bases"),
                  message="Hipótese Legal excluída.", form_key="delete_form", bases=catalog.legal_bases(_org()),
                  in_use=catalog.legal_bases_in_use(_org()))
