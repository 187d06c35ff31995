from flask import request, url_for
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from app.blueprints.admin import bp
from app.blueprints.admin.forms import (CertificateUploadForm, OrganizationForm, ResetPasswordForm, RoleForm, TsaForm,
                                       UnitForm, UserForm)
from app.extensions import db
from app.forms import EmptyForm
from app.models import SealCertificate, SignatureRole, Unit, User
from app.services import access, orgs, seal, users
from app.services.inputs import clean_text
from app.web import get_or_404, guard, render, submit


@bp.before_request
@login_required
def require_admin():
    guard(access.require_org_admin, current_user)


def _org():
    return current_user.organization


def _load(model, ident):
    """Load an object of the admin's own órgão, else 404."""
    return guard(access.require_same_org, current_user, get_or_404(model, ident))


def _unit_choices(none_label):
    return [(0, none_label)] + [(u.id, "— " * depth + f"{u.sigla} – {u.name}") for u, depth in orgs.unit_tree(_org())]


def _units_from(ids):
    return [_load(Unit, i) for i in ids or []]


@bp.route("/", methods=["GET", "POST"])
def organization():
    """Dados do órgão."""
    org = _org()
    form = OrganizationForm(obj=org)
    return submit(form, lambda: orgs.update_organization(org, by=current_user,
                                                         **{k: form[k].data for k in orgs.ORG_EDITABLE}),
                  template="admin/organization.html", success_url=url_for("admin.organization"),
                  message="Dados do órgão salvos.", org=org)


@bp.get("/unidades")
def units():
    return render("admin/units.html", tree=orgs.unit_tree(_org()))


@bp.route("/unidades/nova", methods=["GET", "POST"])
@bp.route("/unidades/<int:unit_id>", methods=["GET", "POST"])
def unit_form(unit_id=None):
    """Nova unidade / alterar unidade."""
    unit = _load(Unit, unit_id) if unit_id else None
    form = UnitForm(obj=unit)
    form.parent_id.choices = _unit_choices("(nenhuma — unidade raiz)")
    if unit is not None and request.method == "GET":
        form.parent_id.data = unit.parent_id or 0

    def action():
        parent = _load(Unit, form.parent_id.data) if form.parent_id.data else None
        values = dict(sigla=form.sigla.data, name=form.name.data, parent=parent,
                      protocol_code=form.protocol_code.data, email=form.email.data)
        if unit is None:
            orgs.create_unit(_org(), by=current_user, **values)
        else:
            orgs.update_unit(unit, by=current_user, active=form.active.data, **values)
    return submit(form, action, template="admin/unit_form.html", success_url=url_for("admin.units"),
                  message="Unidade salva.", unit=unit)


@bp.get("/usuarios")
def users_list():
    query = select(User).where(User.organization_id == _org().id).order_by(User.name)
    term = clean_text(request.args.get("q") or "").strip()[:100]
    if term:
        query = query.where(or_(User.name.icontains(term, autoescape=True), User.login.icontains(term, autoescape=True)))
    return render("admin/users.html", block="results", people=db.session.scalars(query.limit(200)).all(), q=term)


@bp.route("/usuarios/novo", methods=["GET", "POST"])
@bp.route("/usuarios/<int:user_id>", methods=["GET", "POST"])
def user_form(user_id=None):
    """Novo usuário / alterar usuário e suas unidades."""
    person = _load(User, user_id) if user_id else None
    form = UserForm(obj=person)
    form.units.choices = _unit_choices("")[1:]
    if person is not None and request.method == "GET":
        form.units.data, form.is_admin.data = [m.unit_id for m in person.memberships], person.is_org_admin

    def action():
        units = _units_from(form.units.data)
        if person is None:
            users.create_user(_org(), by=current_user, login=form.login.data, name=form.name.data,
                              password=form.password.data, units=units, email=form.email.data,
                              cpf=form.cpf.data, is_admin=form.is_admin.data)
        else:
            users.update_user(person, by=current_user, name=form.name.data, email=form.email.data,
                              cpf=form.cpf.data, active=form.active.data, is_admin=form.is_admin.data)
            users.set_memberships(person, units, by=current_user)
    if person is not None:
        form.login.data = person.login
    return submit(form, action, template="admin/user_form.html", success_url=url_for("admin.users_list"),
                  message="Usuário salvo.", person=person, reset_form=ResetPasswordForm())


@bp.route("/usuarios/<int:user_id>/senha", methods=["POST"])
def reset_password(user_id):
    """Redefinir a senha de um usuário."""
    person = _load(User, user_id)
    form = ResetPasswordForm()
    return submit(form, lambda: users.reset_password(person, form.password.data, by=current_user),
                  template="admin/user_form.html", success_url=url_for("admin.user_form", user_id=person.id),
                  message="Senha redefinida.", person=person, form_key="reset_form", form=UserForm(obj=person))


@bp.route("/cargos", methods=["GET", "POST"])
def roles():
    """Cargos/Funções: the órgão's default list and each unit's own list."""
    form = _role_form()

    def action():
        unit = _load(Unit, form.unit_id.data) if form.unit_id.data else None
        orgs.create_signature_role(_org(), title=form.title.data, unit=unit, by=current_user)
    return submit(form, action, template="admin/roles.html", success_url=url_for("admin.roles"),
                  message="Cargo/Função incluído.", roles=_roles(), toggle=EmptyForm())


def _role_form():
    form = RoleForm()
    form.unit_id.choices = _unit_choices("Lista padrão do órgão")
    return form


def _roles():
    return db.session.scalars(select(SignatureRole).where(SignatureRole.organization_id == _org().id)
                              .order_by(SignatureRole.unit_id.is_not(None), SignatureRole.title)).all()


@bp.post("/cargos/<int:role_id>/ativo")
def toggle_role(role_id):
    role = _load(SignatureRole, role_id)
    # The button says which state it asks for: a doubled click asks for the same state, never toggles back.
    wanted = request.form.get("active", "1" if not role.active else "0") == "1"
    return submit(EmptyForm(), lambda: orgs.set_signature_role_active(role, wanted, by=current_user),
                  template="admin/roles.html", success_url=url_for("admin.roles"), roles=_roles(),
                  form_key="toggle", form=_role_form())


def _certificate_page(**forms):
    org = _org()
    context = dict(org=org, active=seal.active_certificate(org), upload=CertificateUploadForm(),
                   tsa=TsaForm(tsa_url=org.tsa_url), generate=EmptyForm(),
                   previous=db.session.scalars(select(SealCertificate).where(
                       SealCertificate.organization_id == org.id).order_by(SealCertificate.id.desc())).all())
    context.update(forms)
    return context


@bp.get("/certificado")
def certificate():
    """Certificado do selo (PAdES) que o sistema aplica a todo PDF assinado."""
    return render("admin/certificate.html", **_certificate_page())


@bp.post("/certificado/a1")
def certificate_upload():
    form = CertificateUploadForm()
    context = _certificate_page()
    context.pop("upload")
    return submit(form, lambda: seal.import_pkcs12(_org(), form.file.data.read(), form.password.data, by=current_user),
                  template="admin/certificate.html", success_url=url_for("admin.certificate"),
                  message="Certificado A1 instalado.", form_key="upload", **context)


@bp.post("/certificado/autoassinado")
def certificate_generate():
    context = _certificate_page()
    return submit(context.pop("generate"), lambda: seal.generate_self_signed(_org(), by=current_user),
                  template="admin/certificate.html", success_url=url_for("admin.certificate"),
                  message="Novo certificado autoassinado gerado.", form_key="generate", **context)


@bp.post("/certificado/carimbo")
def certificate_tsa():
    form = TsaForm()
    context = _certificate_page()
    context.pop("tsa")
    return submit(form, lambda: seal.set_tsa_url(_org(), form.tsa_url.data, by=current_user),
                  template="admin/certificate.html", success_url=url_for("admin.certificate"),
                  message="Carimbo do tempo salvo.", form_key="tsa", **context)
