"""Assinar and Autenticar (DESIGN.md §4): password re-typed + Cargo/Função, freezing at the first signature,
a new sealed rendition per signature, and the cancellation of all signatures by an edit before the lock.

Renditions: every signature stores a new PDF (sealed, content-addressed) and a `rendition` row; the
latest row not superseded is the document's current signed PDF (what the export and the PDF routes
serve). An edit before the lock voids the freeze and its signatures and marks their renditions
superseded — no row or byte is deleted or rewritten, and each signature keeps the SHA-256 of the PDF
it produced, so /conferir still recognises the old copies and says they were superseded."""
from sqlalchemy import select, update

from app.extensions import db
from app.models import Document, Rendition
from app.models.base import utcnow
from app.models.document import CONFERENCE_TYPES
from app.models.signature import Signature
from app.services import access, history, orgs, signing_pdf
from app.services.auth import check_password
from app.services.errors import Duplicate, Forbidden, InvalidInput, RateLimited

LEVEL_RANK = {"simples": 0, "avancada": 1, "qualificada": 2}
METHOD_LEVEL = {"senha": "avancada"}     # login + password re-typed: an advanced electronic signature

history.TEXTS.update({
    "document_signed": "Assinado Documento {sei} por {name}",
    "document_authenticated": "Autenticado Documento {sei} por {name}",
    "document_signatures_cancelled": "Documento {sei} editado: canceladas as assinaturas de {names}",
})


class WrongPassword(InvalidInput):
    """The password did not match; the failure was counted and must be committed."""


# --- queries -----------------------------------------------------------------------------------

def valid_signatures(document):
    """The document's signatures in force, in signing order."""
    return db.session.scalars(select(Signature).where(
        Signature.document_id == document.id, Signature.cancelled_at.is_(None))
        .order_by(Signature.signed_at, Signature.id)).all()


def has_signed(document, user):
    return db.session.scalar(select(Signature.id).where(
        Signature.document_id == document.id, Signature.user_id == user.id, Signature.cancelled_at.is_(None))
        .limit(1)) is not None


def signed_pdf(document):
    """The SHA-256 of the stored signed PDF to serve for the document, or None (never a fresh render)."""
    return signing_pdf.latest_rendition(document)


# --- guards ------------------------------------------------------------------------------------

def role_for(unit, role_id):
    """The Cargo/Função chosen, which must be in the unit's list (or the órgão's default list)."""
    role = next((r for r in orgs.signature_roles_for(unit) if r.id == role_id), None)
    if role is None:
        raise InvalidInput("Escolha um Cargo/Função da lista da unidade.", "role_id")
    return role


def check_level(document, method="senha"):
    required = document.type.min_signature_level or "avancada"
    if LEVEL_RANK.get(METHOD_LEVEL[method], 0) < LEVEL_RANK.get(required, 1):
        raise Forbidden(f"O tipo “{document.type.name}” exige assinatura qualificada (certificado ICP-Brasil), "
                        "que este sistema ainda não oferece; altere o nível mínimo do tipo ou use outro tipo.")


def verify_password(user, password, ip):
    """The password re-typed; wrong ones count toward the login rate limit (WrongPassword: commit it)."""
    if not password:
        raise InvalidInput("Digite a sua senha para assinar.", "password")
    try:
        check_password(user, password, ip=ip)
    except RateLimited:
        raise
    except InvalidInput as error:
        raise WrongPassword(error.message, "password") from None


def _lock(document):
    """Serialise signatures of one document (row lock on PostgreSQL; SQLite writers are already serial)."""
    db.session.execute(select(Document.id).where(Document.id == document.id).with_for_update())


# --- signing -----------------------------------------------------------------------------------

def _add_signature(document, *, by, unit, role, kind="assinatura", conference=None):
    """Freeze (first signature), record the signature, render from the frozen inputs, seal, store."""
    freeze = signing_pdf.active_freeze(document) or signing_pdf.freeze_document(document, by=by, unit=unit)
    org = document.unit.organization
    signature = Signature(document_id=document.id, freeze_id=freeze.id, user_id=by.id, unit_id=unit.id,
                          name=by.name, role=role, legal_text=org.signature_legal_text, kind=kind, method="senha",
                          conference=conference, content_hash=freeze.content_hash, signed_at=utcnow())
    db.session.add(signature)
    db.session.flush()
    data = signing_pdf.render_pdf(document, freeze, valid_signatures(document))
    stored = signing_pdf.seal_and_store(document, data)
    signature.rendition_sha256, signature.seal_level = stored.sha256, stored.level
    if document.is_internal:
        document.state = "signed"
    document.content_hash, document.crc = freeze.content_hash, freeze.crc
    history.record(document.process, "document_signed" if kind == "assinatura" else "document_authenticated",
                   unit=unit, by=by, sei=document.sei, name=by.name, role=role)
    db.session.flush()
    return signature


def sign_document(document, *, by, unit, role_id, password, ip, seen_version=None):
    """Assinar one document (from its page, the editor or a block). `seen_version`: the version the clerk
    was shown; if the text changed since, nothing is signed (they must read it again)."""
    if seen_version is not None and seen_version != document.current_version:
        raise InvalidInput(f"O documento {document.sei} foi alterado depois que você abriu esta página: confira o "
                           "texto atual e assine de novo.")
    return sign_documents([document], by=by, unit=unit, role_id=role_id, password=password, ip=ip)[0]


def sign_documents(documents, *, by, unit, role_id, password, ip, skip_signed=False):
    """Assinar several documents with one password and cargo; all or nothing. `skip_signed` leaves out those
    this user already signed (Assinar todos); otherwise signing one twice is refused."""
    if not documents:
        raise InvalidInput("Não há documentos para assinar.")
    role = role_for(unit, role_id)
    pending = []
    for document in documents:
        access.require_can_sign(by, unit, document)
        check_level(document)
        _lock(document)
        if has_signed(document, by):
            if skip_signed:
                continue
            raise Duplicate(f"Você já assinou o documento {document.sei}.")
        pending.append(document)
    if not pending:
        raise Duplicate("Você já assinou todos estes documentos.")
    verify_password(by, password, ip)
    return [_add_signature(d, by=by, unit=unit, role=role.title) for d in pending]


def authenticate_document(document, *, by, unit, role_id, password, ip, conference=None):
    """Autenticar a digitalizado: the same rules over the file bytes; the tipo de conferência is fixed then."""
    access.require_can_authenticate(by, unit, document)
    role = role_for(unit, role_id)
    check_level(document)
    _lock(document)
    if has_signed(document, by):
        raise Duplicate(f"Você já autenticou o documento {document.sei}.")
    first = signing_pdf.active_freeze(document) is None
    conference = (conference or document.conference) if first else document.conference
    if conference not in CONFERENCE_TYPES:
        raise InvalidInput("Escolha o tipo de conferência.", "conference")
    verify_password(by, password, ip)
    if first and conference != document.conference:
        document.conference = conference
    return _add_signature(document, by=by, unit=unit, role=role.title, kind="autenticacao", conference=conference)


# --- an edit before the lock ------------------------------------------------------------------

def cancel_signatures_for_edit(document, *, by, unit):
    """Saving a new text of a signed (unlocked) document: every signature is cancelled, every rendition
    superseded, and it is a minuta again; refused if another unit signed. Called by documents.save_version."""
    others = access.signed_by_other_unit(document)
    if others:
        raise Forbidden(f"O documento já foi assinado por outra unidade ({', '.join(others)}): não pode mais ser "
                        "editado, apenas cancelado.")
    now, signatures = utcnow(), valid_signatures(document)
    for signature in signatures:
        signature.cancelled_at = now
    freeze = signing_pdf.active_freeze(document)
    if freeze is not None:
        freeze.cancelled_at = now
    # save_version calls this before it saves the text, so the superseding version is the next one
    db.session.execute(update(Rendition).where(Rendition.document_id == document.id, Rendition.superseded_at.is_(None))
                       .values(superseded_at=now, superseded_in_version=document.current_version + 1)
                       .execution_options(synchronize_session=False))
    document.state, document.content_hash, document.crc = "draft", None, None
    if signatures:
        history.record(document.process, "document_signatures_cancelled", unit=unit, by=by, sei=document.sei,
                       names=", ".join(s.name for s in signatures))
    db.session.flush()
