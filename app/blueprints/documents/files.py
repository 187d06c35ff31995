"""Incluir Documento externo (several files at once) and every route that serves stored bytes.

Bytes leave only through these routes, after an access check, with Content-Disposition, nosniff and a
sandboxing CSP; PDFs and images may open inline, everything else downloads."""
import re

from flask import abort, request, send_file, url_for
from flask_login import current_user

from app.blueprints.documents import bp
from app.blueprints.documents.forms import UploadForm
from app.blueprints.documents.routes import DOC, PREFIX, _level_choices, doc_url, load, page_context
from app.extensions import db
from app.models import Blob, Document, ProcessUnit
from app.services import access, doc_types, documents, external_documents, form_tokens
from app.services.inputs import clean_text, parse_id
from app.services.storage import get_storage
from app.services.uploads import INLINE_KINDS, KINDS
from app.web import current_unit, guard, submit

MB = 1024 * 1024
FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'"
PER_FILE = ("type_id", "document_date", "number", "description", "external_format", "conference", "access_level",
            "legal_basis_id")
IMAGE_SRC = re.compile(r"^/documentos/imagens/([0-9a-f]{64})$")


@bp.route(PREFIX + "/externo", methods=["GET", "POST"])
def upload(process_id):
    """Incluir Documento externo: one multi-file input; with JavaScript each file gets its own row of data."""
    process, _ = load(process_id)
    unit = current_unit()
    guard(access.require_can_include, current_user, unit, process)
    settings = doc_types.settings_for(unit.organization)  # the including unit's órgão (services/documents.py)
    form = UploadForm()
    types = doc_types.types_for(unit.organization, kind="external")
    form.type_id.choices = [(0, "— escolha —")] + [(t.id, t.name) for t in types]
    _level_choices(form, process)
    if request.method == "GET":
        form.token.data = form_tokens.new_token()
        form.document_date.data = documents.today_br()
    return submit(form, lambda: external_documents.create_external_documents(
                      process, _items(form), by=current_user, unit=unit, accepted=settings.accepted,
                      max_bytes=settings.max_upload_mb * MB, token=form.token.data or None),
                  template="documents/upload.html", success_url=lambda created: doc_url(created[0]),
                  message=lambda created: f"{len(created)} documento(s) externo(s) incluído(s): "
                                          + ", ".join(d.sei for d in created) + ".",
                  settings=settings, kinds=KINDS, types=types, **page_context(process))


def _items(form):
    """One UploadItem per file: the common data, overridden by the file's own row (f<i>-<field>)."""
    items = []
    for i, storage in enumerate(f for f in request.files.getlist(form.files.name) if f and f.filename):
        own = {k: clean_text(request.form.get(f"f{i}-{k}")) for k in PER_FILE
               if request.form.get(f"f{i}-{k}") not in (None, "")}   # not through the form: cleaned here
        items.append(external_documents.UploadItem(
            stream=storage.stream, filename=storage.filename,
            type_id=_int(own.get("type_id")) or form.type_id.data, document_date=_date(own.get("document_date"))
            or form.document_date.data, number=own.get("number", form.number.data),
            description=own.get("description", form.description.data),
            external_format=own.get("external_format", form.external_format.data),
            conference=own.get("conference", form.conference.data or None),
            access_level=own.get("access_level", form.access_level.data),
            legal_basis_id=_int(own.get("legal_basis_id")) or form.legal_basis_id.data or None))
    return items


def _int(value):
    return parse_id(value) or None


def _date(value):
    from datetime import date
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _send(sha256, media_type, filename, inline):
    response = send_file(get_storage().path(sha256), mimetype=media_type, as_attachment=not inline,
                         download_name=filename, conditional=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get(DOC + "/arquivo")
def file(process_id, document_id):
    """The bytes of an external document (?inline=1 opens PDFs and images in the browser)."""
    process, document = load(process_id, document_id, access.require_document_content)
    if document.is_internal or document.blob_sha256 is None:
        abort(404)
    if document.locked_at is None and document.unit_id != current_unit().id:
        db.session.commit()
        documents.lock_if_opened_elsewhere(document, current_unit())
        db.session.commit()
    blob = db.session.get(Blob, document.blob_sha256)
    kind = next((k for k, v in KINDS.items() if v[0] == blob.media_type), None)
    inline = request.args.get("inline") == "1" and kind in INLINE_KINDS
    return _send(blob.sha256, blob.media_type, document.filename or f"documento-{document.sei}", inline)


def image_bytes_for(src, user, unit):
    """The bytes of an image used in a document's text, if `user` may see a document holding them."""
    match = IMAGE_SRC.match(src or "")
    if not match:
        return None
    document = _visible_image_document(match.group(1), user, unit)
    return get_storage().read(document.blob_sha256) if document is not None else None


def _visible_image_document(sha256, user, unit):
    """An image document with these bytes that the user may see: of the órgão's processes, or of another
    órgão's process that came to the unit (cross-órgão routing; the policy decides on each candidate)."""
    came_here = db.select(ProcessUnit.process_id).where(ProcessUnit.unit_id == unit.id) if unit else None
    held = Document.organization_id == user.organization_id
    candidates = db.session.scalars(db.select(Document).join(Blob).where(
        Document.blob_sha256 == sha256, db.or_(held, Document.process_id.in_(came_here)) if unit else held,
        Blob.media_type.in_(("image/png", "image/jpeg"))).limit(20))
    return next((d for d in candidates if access.can_view_document(user, unit, d) and not d.is_cancelled), None)


@bp.get("/documentos/imagens/<sha256>")
def image(sha256):
    """An image shown inside a document's text: served only if it is an image document the user may see."""
    document = _visible_image_document(sha256, current_user, current_unit()) if re.fullmatch(r"[0-9a-f]{64}", sha256) \
        else None
    if document is None:
        abort(404)
    blob = db.session.get(Blob, sha256)
    return _send(sha256, blob.media_type, f"imagem-{document.sei}", True)


@bp.get("/timbre/brasao")
def brasao():
    """The brasão of the user's órgão, for the letterhead on screen (SVG preferred, else PNG)."""
    return _brasao_response(doc_types.settings_for(current_user.organization))


@bp.get(DOC + "/brasao")
def document_brasao(process_id, document_id):
    """The brasão of the órgão that issued the document (another órgão's unit answering in the process)."""
    _, document = load(process_id, document_id)
    return _brasao_response(doc_types.settings_for(documents.issuing_org(document)))


def _brasao_response(settings):
    sha = settings.brasao_svg_sha256 or settings.brasao_png_sha256
    if sha is None:
        abort(404)
    blob = db.session.get(Blob, sha)
    return _send(sha, blob.media_type, "brasao." + ("svg" if blob.media_type == "image/svg+xml" else "png"), True)


def brasao_url():
    return url_for("documents.brasao")
