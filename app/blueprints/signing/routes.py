"""Assinar (internal) and Autenticar (external digitalizado) from the document, the stored signed PDF,
and Incluir em Bloco de Assinatura."""
from flask import abort, make_response, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.blueprints.documents.routes import load as load_document
from app.blueprints.signing import bp
from app.blueprints.signing.forms import AuthenticateForm, IncludeForm, SignForm
from app.extensions import db
from app.models import Document, Process
from app.models.signature import Signature
from app.services import access, blocks, form_tokens, orgs, signing
from app.services.documents import current_html
from app.services.inputs import parse_id
from app.services.storage import get_storage
from app.web import current_unit, get_or_404, guard, render, submit

DOC = "/processos/<int:process_id>/documentos/<int:document_id>"


@bp.before_request
@login_required
def require_unit():
    guard(access.require_works_in, current_user, current_unit())


def load(process_id, document_id, check):
    """The document of the process, held or issued by the user's órgão (404 otherwise), passing `check`."""
    process, document = get_or_404(Process, process_id), get_or_404(Document, document_id)
    if document.process_id != process.id:
        abort(404)
    guard(access.require_document_org, current_user, document)
    guard(check, current_user, current_unit(), document)
    return process, document


def doc_url(document, endpoint="documents.show"):
    return url_for(endpoint, process_id=document.process_id, document_id=document.id)


def sign_form(form_class=SignForm, document=None):
    """The form with the unit's cargos; the cargo this user last signed with in this unit comes chosen;
    it carries the version of the text shown."""
    unit = current_unit()
    form = form_class()
    if request.method == "GET" and document is not None:
        form.version.data = document.current_version
    roles = orgs.signature_roles_for(unit)
    form.role_id.choices = [(0, "— escolha —")] + [(r.id, r.title) for r in roles]
    if request.method == "GET":
        last = db.session.scalar(select(Signature.role).where(Signature.user_id == current_user.id,
                                                              Signature.unit_id == unit.id)
                                 .order_by(Signature.id.desc()).limit(1))
        chosen = next((r.id for r in roles if r.title == last), None) or (roles[0].id if len(roles) == 1 else 0)
        form.role_id.data = chosen
    return form


def seen_version(form):
    version = parse_id(form.version.data)
    return -1 if version is None else version


def signing_submit(form, action, *, template, success_url, message, **context):
    """web.submit, where a wrong password is committed (it counts toward the login rate limit)."""
    return submit(form, action, template=template, success_url=success_url, message=message,
                  keep_errors=(signing.WrongPassword,), **context)


def page(document, **extra):
    """What signing/sign.html shows about the document."""
    signatures = signing.valid_signatures(document)
    if document.is_internal:
        pdf_url = doc_url(document, "documents.pdf")
    else:
        pdf_url = doc_url(document, "signing.signed_pdf") if signatures else url_for(
            "documents.file", process_id=document.process_id, document_id=document.id, inline=1)
    ctx = dict(document=document, process=document.process, signatures=signatures, doc_url=doc_url(document),
               html=current_html(document) if document.is_internal and not document.is_cancelled else "",
               pdf_url=pdf_url)
    ctx.update(extra)
    return ctx


@bp.route(DOC + "/assinar", methods=["GET", "POST"])
def sign(process_id, document_id):
    """Assinar Documento: password + Cargo/Função (from the document view or the editor)."""
    _, document = load(process_id, document_id, access.require_can_sign)
    form = sign_form(document=document)
    return signing_submit(form, lambda: signing.sign_document(
        document, by=current_user, unit=current_unit(), role_id=form.role_id.data, password=form.password.data,
        ip=request.remote_addr, seen_version=seen_version(form)), template="signing/sign.html", success_url=doc_url(document),
        message=f"Documento {document.sei} assinado.", action_label="Assinar", **page(document))


@bp.route(DOC + "/autenticar", methods=["GET", "POST"])
def authenticate(process_id, document_id):
    """Autenticar Documento digitalizado: the same as Assinar over the file, with the tipo de conferência."""
    _, document = load(process_id, document_id, access.require_can_authenticate)
    form = sign_form(AuthenticateForm)
    if request.method == "GET":
        form.conference.data = document.conference or ""
    return signing_submit(form, lambda: signing.authenticate_document(
        document, by=current_user, unit=current_unit(), role_id=form.role_id.data, password=form.password.data,
        ip=request.remote_addr, conference=form.conference.data or None), template="signing/sign.html",
        success_url=doc_url(document), message=f"Documento {document.sei} autenticado.", action_label="Autenticar",
        **page(document))


def pdf_response(sha256, filename, data=None):
    """A PDF inline (the stored bytes of `sha256`, or `data`), never cached by proxies."""
    response = make_response(get_storage().read(sha256) if sha256 else data)
    response.headers.update({"Content-Type": "application/pdf", "Cache-Control": "private, no-cache",
                             "Content-Disposition": f'inline; filename="{filename}"',
                             "Content-Security-Policy": "sandbox; default-src 'none'; object-src 'self'",
                             "X-Content-Type-Options": "nosniff"})
    return response


@bp.get(DOC + "/assinado.pdf")
def signed_pdf(process_id, document_id):
    """The stored signed (or authenticated) PDF: the same bytes every time."""
    _, document = load_document(process_id, document_id, access.require_document_content)
    sha = signing.signed_pdf(document)
    if sha is None:
        return render("errors.html", code=404, title="Página não encontrada",
                      text="Este documento não tem via assinada."), 404
    return pdf_response(sha, f"documento-{document.sei}-assinado.pdf")


@bp.route(DOC + "/bloco", methods=["GET", "POST"])
def include(process_id, document_id):
    """Incluir em Bloco de Assinatura: an open block of this unit, or a new one."""
    _, document = load(process_id, document_id, access.require_can_alter)
    unit = current_unit()
    form = IncludeForm(token=form_tokens.new_token()) if request.method == "GET" else IncludeForm()
    choices = blocks.editable_blocks(unit)
    form.block_id.choices = [(0, "Novo bloco")] + [(b.id, f"nº {b.number} — {b.description}") for b in choices]

    def action():
        return blocks.include_document(document, next((b for b in choices if b.id == form.block_id.data), None),
                                       by=current_user, unit=unit, description=form.description.data,
                                       token=form.token.data or None)
    return submit(form, action, template="signing/include.html",
                  success_url=lambda block: url_for("signing.block", block_id=block.id),
                  message=lambda block: f"Documento {document.sei} incluído no Bloco de Assinatura nº {block.number}.",
                  document=document, doc_url=doc_url(document))
