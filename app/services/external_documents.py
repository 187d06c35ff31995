"""Incluir Documento externo: several files in one go, each checked by content before a byte is stored."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Document, DocumentType
from app.models.document import CONFERENCE_TYPES, EXTERNAL_FORMATS
from app.services import documents, history, storage
from app.services.errors import InvalidInput
from app.services.form_tokens import TOKEN_RE
from app.services.uploads import inspect_upload

MAX_FILES = 50


@dataclass
class UploadItem:
    """One file of the form with its own data (tipo, data, número, nome na árvore, formato, nível)."""
    stream: object
    filename: str
    type_id: int | None = None
    document_date: date | None = None
    number: str | None = None
    description: str | None = None
    external_format: str | None = "nato_digital"
    conference: str | None = None
    access_level: str = "publico"
    legal_basis_id: int | None = None
    found: object = field(default=None, repr=False)


def documents_for_token(token, process, unit, by):
    """The documents a first submit of this form created (token "<form token>:<position>"): matched literally
    (no LIKE wildcards) and only among this user's documents in this process and unit."""
    if not token:
        return []
    if not TOKEN_RE.match(token):
        raise InvalidInput("O formulário está incompleto ou adulterado: abra a página de novo e envie outra vez.")
    return db.session.scalars(select(Document).where(
        Document.creation_token.startswith(f"{token}:", autoescape=True), Document.process_id == process.id,
        Document.unit_id == unit.id, Document.author_id == by.id).order_by(Document.id)).all()


def _check_meta(process, unit, item, position):
    """The file's data: a type of the including unit's órgão; the level with the process's Hipóteses Legais."""
    where = f"Arquivo {position} (“{item.filename}”): "
    doc_type = db.session.get(DocumentType, item.type_id) if item.type_id else None
    if doc_type is None or doc_type.organization_id != unit.organization_id or not doc_type.active \
            or not doc_type.external:
        raise InvalidInput(where + "escolha um Tipo de Documento externo da lista.", "type_id")
    if item.document_date is None:
        raise InvalidInput(where + "informe a data do documento.", "document_date")
    if item.document_date > documents.today_br():
        raise InvalidInput(where + "a data do documento não pode ser futura.", "document_date")
    if item.external_format not in EXTERNAL_FORMATS:
        raise InvalidInput(where + "escolha o formato (nato-digital ou digitalizado).", "external_format")
    if item.external_format == "digitalizado" and item.conference not in CONFERENCE_TYPES:
        raise InvalidInput(where + "para documento digitalizado, escolha o tipo de conferência.", "conference")
    if item.external_format == "nato_digital":
        item.conference = None
    try:
        documents.clean_level(process.organization_id, item.access_level, item.legal_basis_id)
    except InvalidInput as error:
        raise InvalidInput(where + error.message[0].lower() + error.message[1:], error.field) from None
    return doc_type


def create_external_documents(process, items, *, by, unit, accepted, max_bytes, token=None):
    """All or nothing: every file and its data are checked first; then the bytes are stored (fsynced)
    and the rows added; the caller commits. A doubled submit (same token) returns the first documents."""
    existing = documents_for_token(token, process, unit, by)
    if existing:
        return existing
    if not items:
        raise InvalidInput("Escolha ao menos um arquivo.", "files")
    if len(items) > MAX_FILES:
        raise InvalidInput(f"Envie no máximo {MAX_FILES} arquivos de uma vez.", "files")
    types = []
    for position, item in enumerate(items, 1):
        item.found = inspect_upload(item.stream, item.filename, accepted=accepted, max_bytes=max_bytes)
        types.append(_check_meta(process, unit, item, position))
    created = []
    for position, (item, doc_type) in enumerate(zip(items, types)):
        blob = storage.store(item.stream, item.found.media_type, max_size=max_bytes)
        description = (item.description or "").strip() or item.found.filename.rsplit(".", 1)[0]
        document = documents.new_document(
            process, doc_type, kind="external", by=by, unit=unit, access_level=item.access_level,
            legal_basis_id=item.legal_basis_id, description=description[:200], manual_number=item.number,
            token=f"{token}:{position}" if token else None, blob_sha256=blob.sha256,
            filename=item.found.filename, document_date=item.document_date,
            external_format=item.external_format, conference=item.conference)
        history.record(process, "document_created", unit=unit, by=by, sei=document.sei,
                       title=f"{document.title} {document.description}".strip(), doc_kind="external")
        documents.raise_process_level(process, document, by=by, unit=unit)
        created.append(document)
    db.session.flush()
    return created
