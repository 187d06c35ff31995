"""Credenciais de Acesso of a Sigiloso process (Conceder, Cassar, Renunciar) and "Processos com Credencial"."""
from flask import abort, request, url_for
from flask_login import current_user

from app.blueprints.processes import bp
from app.blueprints.processes.forms import CredentialForm, VersionForm
from app.blueprints.processes.routes import load_process
from app.extensions import db
from app.models import Credential, Unit, User
from app.services import access, credentials
from app.services.errors import InvalidInput
from app.services.inputs import parse_id, to_id
from app.services.movement import parse_version
from app.web import current_unit, get_or_404, render, submit, wants_fragment


def _holder_process(process_id):
    """The Sigiloso process, for a holder of a credential in the current unit (404 otherwise)."""
    process = load_process(process_id)
    if process.access_level != "sigiloso":
        abort(404)
    return process


def _grantee(value):
    """"user_id:unit_id" from the finder → (user, unit) of the órgão; InvalidInput for anything else."""
    user_id, _, unit_id = (value or "").partition(":")
    user = db.session.get(User, parse_id(user_id)) if parse_id(user_id) else None
    unit = db.session.get(Unit, parse_id(unit_id)) if parse_id(unit_id) else None
    if user is None or unit is None or user.organization_id != current_user.organization_id:
        raise InvalidInput("Escolha na lista o usuário e a unidade que receberão a credencial.", "grantee")
    return user, unit


def _context(process, form):
    found = credentials.find_users(current_user.organization, form.q.data)
    form.grantee.choices = [(f"{u.id}:{unit.id}", f"{u.name} ({u.login}) — {unit.sigla}") for u, unit in found]
    return dict(process=process, form=form, found=found, active=credentials.active_credentials(process),
                ended=[c for c in credentials.credential_history(process) if c.ended_at is not None][:50],
                row=access.open_row(process, current_unit()), fragment=wants_fragment(),
                searched=bool((form.q.data or "").strip()), end_form=VersionForm(formdata=None, version=process.version))


@bp.route("/processos/<int:process_id>/credenciais", methods=["GET", "POST"])
def credentials_page(process_id):
    """Gerenciar Credenciais: who holds one, and Conceder Credencial de Acesso (user finder by name or login)."""
    process = _holder_process(process_id)
    form = CredentialForm(version=process.version)
    context = _context(process, form)
    if request.method == "GET" or request.form.get("op") == "find":
        return render("processes/credentials.html", block="found", **context)

    def action():
        user, unit = _grantee(form.grantee.data)
        credentials.grant(process, current_unit(), by=current_user, user=user, to_unit=unit,
                          version=parse_version(form.version.data))
    return submit(form, action, template="processes/credentials.html",
                  success_url=url_for("processes.credentials_page", process_id=process.id),
                  message="Credencial de acesso concedida.", **context)


@bp.post("/processos/<int:process_id>/credenciais/<int:credential_id>/cassar")
def revoke_credential(process_id, credential_id):
    """Cassar Credencial (granted by this unit)."""
    process = _holder_process(process_id)
    credential = get_or_404(Credential, credential_id)
    if credential.process_id != process.id:
        abort(404)
    form = VersionForm()
    return submit(form, lambda: credentials.revoke(process, current_unit(), by=current_user, credential=credential,
                                                   version=parse_version(form.version.data)),
                  template="processes/credentials.html", form_key="end_form",
                  success_url=url_for("processes.credentials_page", process_id=process.id),
                  message="Credencial cassada.", **dict(_context(process, CredentialForm(formdata=None)), end_form=form))


@bp.post("/processos/<int:process_id>/credenciais/renunciar")
def renounce_credential(process_id):
    """Renunciar Credencial: the user stops seeing the process (refused for the last holder)."""
    process = _holder_process(process_id)
    form = VersionForm()
    return submit(form, lambda: credentials.renounce(process, current_unit(), by=current_user,
                                                     version=parse_version(form.version.data)),
                  template="processes/credentials.html", form_key="end_form", success_url=url_for("processes.credentialed"),
                  message="Você renunciou à credencial de acesso.",
                  **dict(_context(process, CredentialForm(formdata=None)), end_form=form))


@bp.get("/credenciais")
def credentialed():
    """Processos com Credencial: the Sigiloso processes the user holds a credential for."""
    rows, next_before = credentials.credentials_of(current_user, before=request.args.get("antes", type=to_id))
    return render("processes/credentialed.html", rows=rows, next_before=next_before)
