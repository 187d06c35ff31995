"""The document tree and view, Incluir Documento interno, the editor, versions, Alterar, Excluir, Cancelar, PDF."""
from flask import current_app, make_response, request, url_for
from flask_login import current_user, login_required

from app.blueprints.documents import bp
from app.blueprints.documents.forms import AlterForm, CancelForm, EditorForm, EmptyForm, InternalDocumentForm
from app.extensions import db
from app.models import Document, DocumentVersion, LegalBasis, Process, StandardText
from app.services import access, doc_types, document_images, documents, form_tokens, signing, versions
from app.services.errors import InvalidInput
from app.services.inputs import parse_id, to_id
from app.models.document import CONFERENCE_TYPES
from app.services.pdf import render_document_pdf
from app.services.storage import get_storage
from app.web import current_unit, get_or_404, guard, render, submit

PREFIX = "/processos/<int:process_id>/documentos"
DOC = PREFIX + "/<int:document_id>"


@bp.before_request
@login_required
def require_unit():
    guard(access.require_works_in, current_user, current_unit())


def load(process_id, document_id=None, check=None):
    """The process (readable here) and, if asked, its document (visible here, then passing `check`)."""
    unit, process = current_unit(), get_or_404(Process, process_id)
    if document_id is None:
        return guard(access.require_readable, current_user, unit, process), None
    document = get_or_404(Document, document_id)
    guard(access.require_document, current_user, unit, process, document)
    if check is not None:
        guard(check, current_user, unit, document)
    return process, document


def process_url(process):
    if "processes.show" in current_app.view_functions:
        return url_for("processes.show", process_id=process.id)
    return url_for("documents.index", process_id=process.id)


def doc_url(document, endpoint="documents.show", **kw):
    return url_for(endpoint, process_id=document.process_id, document_id=document.id, **kw)


def tree_entries(process, unit):
    """(document, readable) for the tree of `unit`."""
    return [(d, access.can_view_document(current_user, unit, d)) for d in documents.tree_documents(process, unit)]


def page_context(process, document=None, **extra):
    unit, user = current_unit(), current_user
    ctx = dict(process=process, document=document, entries=tree_entries(process, unit), process_url=process_url(process),
               can_include=access.try_check(access.require_can_include, user, unit, process), doc_url=doc_url)
    if document is not None:
        ctx.update(can_edit=access.try_check(access.require_can_edit, user, unit, document),
                   can_alter=access.try_check(access.require_can_alter, user, unit, document),
                   can_delete=access.try_check(access.require_can_delete, user, unit, document),
                   can_cancel=access.try_check(access.require_can_cancel, user, unit, document),
                   can_sign=access.try_check(access.require_can_sign, user, unit, document)  # issue 6
                   and not signing.has_signed(document, user),
                   can_authenticate=access.try_check(access.require_can_authenticate, user, unit, document),
                   html=documents.current_html(document)
                   if document.is_internal and not document.is_cancelled else "",
                   brasao_url=_brasao_url(document), conference_labels=CONFERENCE_TYPES)
    ctx.update(extra)
    return ctx


def _brasao_url(document):
    """The issuing órgão's brasão on the screen letterhead: the user's own (cached once) or, for a document
    of another órgão's unit, through the document (None: no brasão)."""
    org = documents.issuing_org(document)
    settings = doc_types.settings_for(org)
    sha = settings.brasao_svg_sha256 or settings.brasao_png_sha256
    if sha is None:
        return None
    if org.id == current_user.organization_id:
        return url_for("documents.brasao", v=sha[:12])
    return doc_url(document, "documents.document_brasao", v=sha[:12])


@bp.get(PREFIX)
def index(process_id):
    """The tree of documents of a process."""
    process, _ = load(process_id)
    return render("documents/show.html", block="tree", **page_context(process))


@bp.get(DOC)
def show(process_id, document_id):
    """One document beside the tree (htmx: only the document part). Opening it elsewhere locks it."""
    process, document = load(process_id, document_id)
    if document.locked_at is None and document.unit_id != current_unit().id:
        db.session.commit()
        documents.lock_if_opened_elsewhere(document, current_unit())
        db.session.commit()
    return render("documents/show.html", block="doc", **page_context(process, document))


def _level_choices(form, process):
    """The Hipóteses Legais of the process's órgão (it owns access, also for another órgão's unit answering)."""
    bases = db.session.scalars(db.select(LegalBasis).where(LegalBasis.organization_id == process.organization_id,
                                                           LegalBasis.active.is_(True)).order_by(LegalBasis.name))
    form.legal_basis_id.choices = [(0, "— nenhuma (documento público) —")] + [
        (b.id, f"{'Sigiloso' if b.level == 'sigiloso' else 'Restrito'}: {b.name} ({b.basis})") for b in bases]


@bp.route(PREFIX + "/novo", methods=["GET", "POST"])
def new(process_id):
    """Incluir Documento interno: tipo, texto inicial (Modelo, Texto Padrão ou Documento Modelo), dados."""
    process, _ = load(process_id)
    unit = current_unit()
    guard(access.require_can_include, current_user, unit, process)
    form = InternalDocumentForm()
    types = doc_types.types_for(unit.organization, kind="internal")  # the issuing órgão's (services/documents.py)
    form.type_id.choices = [(0, "— escolha —")] + [(t.id, t.name) for t in types]
    form.standard_text_id.choices = [(0, "— escolha —")] + [
        (t.id, f"{t.name}{'' if t.unit_id else ' (órgão)'}") for t in doc_types.standard_texts_for(unit)]
    _level_choices(form, process)
    if request.method == "GET":
        form.token.data = form_tokens.new_token()
        chosen = request.args.get("tipo", type=to_id)
        if chosen in {t.id for t in types}:
            form.type_id.data = chosen
            form.access_level.data = next(t.suggested_level for t in types if t.id == chosen)

    def action():
        doc_type = next((t for t in types if t.id == form.type_id.data), None)
        if doc_type is None:
            raise InvalidInput("Escolha o tipo do documento.", "type_id")
        text = db.session.get(StandardText, form.standard_text_id.data) if form.standard_text_id.data else None
        if text is not None and text not in doc_types.standard_texts_for(unit):
            text = None
        model = _model_document(form.model_sei.data) if form.source.data == "document" else None
        return documents.create_internal_document(
            process, doc_type, by=current_user, unit=unit, source=form.source.data, standard_text=text,
            model_document=model, description=form.description.data, recipient=form.recipient.data,
            interested=form.interested.data, access_level=form.access_level.data,
            legal_basis_id=form.legal_basis_id.data or None, manual_number=form.number.data,
            token=form.token.data or None)
    return submit(form, action, template="documents/new.html",
                  success_url=lambda doc: doc_url(doc, "documents.edit"),
                  message=lambda doc: f"Documento {doc.title} ({doc.sei}) gerado.", **page_context(process))


def _model_document(sei_text):
    found = documents.find_by_sei(current_user.organization_id, sei_text)
    if found is None or not access.can_view_document(current_user, current_unit(), found) or found.is_cancelled \
            or not found.is_internal:
        raise InvalidInput("Documento Modelo não encontrado: confira o número SEI de um documento interno "
                                     "que você pode ver.", "model_sei")
    return found


@bp.route(DOC + "/editar", methods=["GET", "POST"])
def edit(process_id, document_id):
    """The editor: plain <textarea> without JavaScript; editor.js makes it rich. Saves are versions."""
    process, document = load(process_id, document_id, access.require_can_edit)
    form = EditorForm()
    images = document_images.insertable_images(process, user=current_user, unit=current_unit())
    form.image_id.choices = [(0, "— nenhuma —")] + [(i.id, i.alt, {"data-src": i.src}) for i in images]
    if request.method == "GET":
        form.html.data, form.base_version.data = documents.current_html(document), document.current_version

    def action():
        base = parse_id(form.base_version.data)   # None: a stale form
        return document_images.save_text(document, form.html.data, by=current_user, unit=current_unit(),
                                         base_version=base, image_id=form.image_id.data)
    return submit(form, action, template="documents/edit.html", success_url=doc_url(document, "documents.edit"),
                  message=lambda version: f"Versão {version.number} salva." if version else "Nenhuma alteração para salvar.",
                  process=process, document=document, doc_url=doc_url, images=images,
                  no_images_hint=document_images.NONE_HINT)


@bp.get(DOC + "/versoes")
def versions_page(process_id, document_id):
    """Versões: list; ?versao=N shows one; ?de=A&para=B compares two."""
    process, document = load(process_id, document_id, access.require_document_content)
    if not document.is_internal:
        return render("errors.html", code=404, title="Página não encontrada", text="Documento externo não tem versões."), 404
    all_versions = documents.versions_of(document)
    by_number = {v.number: v for v in all_versions}
    shown = by_number.get(request.args.get("versao", type=to_id))
    old, new = by_number.get(request.args.get("de", type=to_id)), by_number.get(request.args.get("para", type=to_id))
    rows = versions.diff(old.html, new.html) if old and new else None
    return render("documents/versions.html", block="detail", process=process, document=document,
                  versions=all_versions, shown=shown, old=old, new=new, rows=rows, doc_url=doc_url,
                  can_edit=access.try_check(access.require_can_edit, current_user, current_unit(), document),
                  form=EmptyForm())


@bp.post(DOC + "/versoes/<int:version_number>/restaurar")
def restore(process_id, document_id, version_number):
    """Restaurar: the old text becomes a new version (nothing is lost)."""
    process, document = load(process_id, document_id, access.require_can_edit)
    version = db.session.scalar(db.select(DocumentVersion).where(DocumentVersion.document_id == document.id,
                                                                 DocumentVersion.number == version_number))
    if version is None:
        return render("errors.html", code=404, title="Página não encontrada", text="Versão não encontrada."), 404
    base = request.form.get("base_version", type=to_id)
    return submit(EmptyForm(), lambda: documents.restore_version(document, version, by=current_user, unit=current_unit(),
                                                                 base_version=base),
                  template="documents/versions.html", success_url=doc_url(document, "documents.versions_page"),
                  message=f"Texto da versão {version_number} restaurado como nova versão.", process=process,
                  document=document, versions=documents.versions_of(document), shown=None, old=None, new=None,
                  rows=None, doc_url=doc_url, can_edit=True)


@bp.route(DOC + "/alterar", methods=["GET", "POST"])
def alter(process_id, document_id):
    """Alterar Documento: descrição, interessados, nível de acesso."""
    process, document = load(process_id, document_id, access.require_can_alter)
    # Not obj=document: its `interested` is the relationship, and a post without the field would keep that list.
    form = AlterForm(description=document.description, interested=documents.interested_text(document),
                     access_level=document.access_level, legal_basis_id=document.legal_basis_id or 0)
    _level_choices(form, process)
    return submit(form, lambda: documents.update_document(
        document, by=current_user, unit=current_unit(), description=form.description.data,
        interested=form.interested.data, access_level=form.access_level.data,
        legal_basis_id=form.legal_basis_id.data or None),
        template="documents/alter.html", success_url=doc_url(document), message="Documento alterado.",
        **page_context(process, document))


@bp.route(DOC + "/excluir", methods=["GET", "POST"])
def delete(process_id, document_id):
    """Excluir Documento (minuta, or not yet seen elsewhere): confirm, then out of the tree."""
    process, document = load(process_id, document_id, access.require_can_delete)
    return submit(EmptyForm(), lambda: documents.delete_document(document, by=current_user, unit=current_unit()),
                  template="documents/confirm.html", success_url=process_url(process),
                  message=f"Documento {document.sei} excluído.", mode="delete", **page_context(process, document))


@bp.route(DOC + "/cancelar", methods=["GET", "POST"])
def cancel(process_id, document_id):
    """Cancelar Documento: with a reason; it stays in the tree with its content hidden."""
    process, document = load(process_id, document_id, access.require_can_cancel)
    form = CancelForm()
    return submit(form, lambda: documents.cancel_document(document, by=current_user, unit=current_unit(),
                                                          reason=form.reason.data),
                  template="documents/confirm.html", success_url=doc_url(document),
                  message=f"Documento {document.sei} cancelado.", mode="cancel", **page_context(process, document))


@bp.get(DOC + "/pdf")
def pdf(process_id, document_id):
    """The PDF of an internal document: the stored signed PDF, or the text as it would be signed."""
    process, document = load(process_id, document_id, access.require_document_content)
    if not document.is_internal:
        return render("errors.html", code=404, title="Página não encontrada", text="Documento externo: use Baixar."), 404
    from app.services.signing import signed_pdf
    stored = signed_pdf(document)   # a signed document: its stored bytes, never a fresh render (issue 6)
    data = get_storage().read(stored) if stored else render_document_pdf(
        document, documents.current_html(document), load_image=_image_loader(document))
    response = make_response(data)
    response.headers.update({"Content-Type": "application/pdf", "Cache-Control": "private, no-store",
                             "Content-Disposition": f'inline; filename="documento-{document.sei}.pdf"',
                             "Content-Security-Policy": "sandbox; default-src 'none'; object-src 'self'"})
    return response


def _image_loader(document):
    from app.blueprints.documents.files import image_bytes_for
    return lambda src: image_bytes_for(src, current_user, current_unit())
