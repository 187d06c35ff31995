"""Blocos de Assinatura: a unit gathers documents, makes the block available to other units, they sign
(one or all) and return it, and the unit concludes it. Every step writes history on each process involved,
and the block's own trace goes to the audit log (a block without documents touches no process).

States: open (Aberto) → available (Disponibilizado) → returned (Retornado, when every unit has returned
it, or the unit cancelled the availability) → concluded (Concluído); a concluded block may be reopened."""
from sqlalchemy import select

from app.extensions import db
from app.models import Unit
from app.models.base import utcnow
from app.models.signature import SignatureBlock, SignatureBlockDocument, SignatureBlockUnit
from app.services import access, audit, form_tokens, history, signing
from app.services.counters import next_value
from app.services.errors import Duplicate, Forbidden, InvalidInput

EDITABLE = ("open", "returned")
MAX_DOCUMENTS = 200
MAX_UNITS = 50

history.TEXTS.update({
    "block_document_added": "Documento {sei} incluído no Bloco de Assinatura nº {block}",
    "block_document_removed": "Documento {sei} retirado do Bloco de Assinatura nº {block}",
    "block_available": "Bloco de Assinatura nº {block} disponibilizado para {units}",
    "block_unavailable": "Cancelada a disponibilização do Bloco de Assinatura nº {block}",
    "block_returned": "Bloco de Assinatura nº {block} devolvido pela unidade {unit_sigla}",
    "block_concluded": "Bloco de Assinatura nº {block} concluído",
    "block_reopened": "Bloco de Assinatura nº {block} reaberto",
})
audit.AUDIT_TEXTS.update({
    "block_created": "Bloco de Assinatura criado: {block} — {description}",
    "block_updated": "Descrição de Bloco de Assinatura alterada: {block} — {description}",
    "block_available": "Bloco de Assinatura disponibilizado: {block} para {units}",
    "block_unavailable": "Disponibilização de Bloco de Assinatura cancelada: {block}",
    "block_returned": "Bloco de Assinatura devolvido: {block} pela unidade {by_unit}",
    "block_concluded": "Bloco de Assinatura concluído: {block}",
    "block_reopened": "Bloco de Assinatura reaberto: {block}",
})


# --- queries -----------------------------------------------------------------------------------

def own_blocks(unit, *, include_concluded=False):
    """The unit's blocks, newest first."""
    query = select(SignatureBlock).where(SignatureBlock.unit_id == unit.id)
    if not include_concluded:
        query = query.where(SignatureBlock.state != "concluded")
    return db.session.scalars(query.order_by(SignatureBlock.id.desc()).limit(200)).all()


def received_blocks(unit):
    """Blocks made available to the unit and not yet returned by it."""
    return db.session.scalars(select(SignatureBlock).join(SignatureBlockUnit).where(
        SignatureBlockUnit.unit_id == unit.id, SignatureBlockUnit.returned_at.is_(None),
        SignatureBlock.state == "available").order_by(SignatureBlock.id.desc()).limit(200)).all()


def block_documents(block):
    """The block's documents (not deleted), in the order they were added. One that became sigiloso after it
    was added (it or its process) is held back: a block never shows a sigiloso document."""
    return [e.document for e in block.entries if e.document.deleted_at is None and not access.is_secret(e.document)]


def editable_blocks(unit):
    return [b for b in own_blocks(unit) if b.state in EDITABLE]


def target_units(block):
    return [t.unit for t in block.targets]


def _processes(documents):
    seen, out = set(), []
    for document in documents:
        if document.process_id not in seen:
            seen.add(document.process_id)
            out.append(document.process)
    return out


def _record(block, kind, *, by, unit, documents=None, unit_only=False, **params):
    """One andamento on every process with a document in the block."""
    for process in _processes(documents if documents is not None else block_documents(block)):
        history.record(process, kind, unit=unit, by=by, unit_only=unit_only, block=block.number, **params)


def _audit(block, kind, *, by, unit, **params):
    """The block's own trace, whatever documents it holds."""
    audit.record(unit.organization, kind, by=by, block=f"nº {block.number} ({block.unit.sigla})", **params)


def _require_editable(block):
    if block.state not in EDITABLE:
        raise Forbidden(f"O bloco nº {block.number} está {block.state_label.lower()}: "
                        + ("cancele a disponibilização para alterá-lo." if block.state == "available"
                           else "reabra o bloco para alterá-lo."))


# --- the owner unit ------------------------------------------------------------------------------

def clean_description(text):
    text = " ".join((text or "").split())
    if not text:
        raise InvalidInput("Informe a descrição do bloco.", "description")
    if len(text) > 200:
        raise InvalidInput("A descrição deve ter no máximo 200 caracteres.", "description")
    return text


def create_block(unit, *, by, description, token=None):
    """Novo bloco. `token` is the form's one-time token: a doubled submit returns the first block."""
    access.require_works_in(by, unit)
    description = clean_description(description)
    earlier = form_tokens.claim("block", token)
    if earlier is not None:
        block = db.session.get(SignatureBlock, earlier)
        if block is None or block.unit_id != unit.id:
            raise Duplicate("Este formulário já foi enviado: recarregue a página para criar outro bloco.")
        return block
    block = SignatureBlock(organization_id=unit.organization_id, unit_id=unit.id, unit=unit, created_by_id=by.id,
                           number=next_value(f"signature_block:{unit.organization_id}"),
                           description=description, state="open")
    db.session.add(block)
    db.session.flush()
    form_tokens.record("block", token, block.id)
    _audit(block, "block_created", by=by, unit=unit, description=description)
    db.session.flush()
    return block


def update_block(block, *, by, unit, description):
    access.require_block_owner(by, unit, block)
    description = clean_description(description)
    if description != block.description:
        block.description = description
        _audit(block, "block_updated", by=by, unit=unit, description=description)
    db.session.flush()


def include_document(document, block, *, by, unit, description=None, token=None):
    """Incluir em Bloco from the document: into `block`, or a new one (None). A doubled submit of the same
    form (its one-time token) finds the block the first one created with the document already in it."""
    if block is None:
        block = create_block(unit, by=by, description=description, token=token)
        if any(e.document_id == document.id for e in block.entries):
            return block
    add_document(block, document, by=by, unit=unit)
    return block


def add_document(block, document, *, by, unit):
    """Incluir em Bloco: an internal document of this unit, in a process open here, not cancelled or sigiloso."""
    access.require_block_owner(by, unit, block)
    _require_editable(block)
    if document is None or document.deleted_at is not None or document.unit.organization_id != block.organization_id:
        raise InvalidInput("Documento não encontrado: confira o número SEI.", "sei")
    if document.organization_id != block.organization_id:  # the block's units never saw that órgão's process
        raise InvalidInput(f"O documento {document.sei} está em processo de outro órgão e não pode ir para um bloco "
                           "de assinatura.", "sei")
    if not document.is_internal or document.is_cancelled:
        raise InvalidInput(f"O documento {document.sei} não pode ir para o bloco: só documentos internos não "
                           "cancelados são assinados em bloco.", "sei")
    if document.unit_id != unit.id:
        raise InvalidInput(f"O documento {document.sei} é da unidade {document.unit.sigla}: só documentos gerados "
                           "nesta unidade podem ser incluídos nos seus blocos.", "sei")
    if "sigiloso" in (document.access_level, document.process.access_level):
        raise InvalidInput(f"O documento {document.sei} é sigiloso e não pode ser disponibilizado em bloco.", "sei")
    if access.open_row(document.process, unit) is None:
        raise InvalidInput(f"O processo {document.process.number} não está aberto nesta unidade.", "sei")
    if any(e.document_id == document.id for e in block.entries):
        raise Duplicate(f"O documento {document.sei} já está neste bloco.", "sei")
    if len(block.entries) >= MAX_DOCUMENTS:
        raise InvalidInput(f"Um bloco tem no máximo {MAX_DOCUMENTS} documentos.", "sei")
    block.entries.append(SignatureBlockDocument(document_id=document.id, added_by_id=by.id))
    _record(block, "block_document_added", by=by, unit=unit, documents=[document], unit_only=True, sei=document.sei)
    db.session.flush()


def remove_document(block, document, *, by, unit):
    access.require_block_owner(by, unit, block)
    _require_editable(block)
    entry = next((e for e in block.entries if e.document_id == document.id), None)
    if entry is None:
        raise InvalidInput("O documento não está neste bloco.")
    block.entries.remove(entry)
    _record(block, "block_document_removed", by=by, unit=unit, documents=[document], unit_only=True,
            sei=document.sei)
    db.session.flush()


def make_available(block, units, *, by, unit):
    """Disponibilizar: the chosen units (of the órgão, not this one) see and sign the block's documents."""
    access.require_block_owner(by, unit, block)
    _require_editable(block)
    units = list({u.id: u for u in units if u is not None}.values())
    if not units:
        raise InvalidInput("Escolha ao menos uma unidade.", "unit_ids")
    if len(units) > MAX_UNITS:
        raise InvalidInput(f"Escolha no máximo {MAX_UNITS} unidades.", "unit_ids")
    if any(u.organization_id != block.organization_id or not u.active for u in units):
        raise InvalidInput("Escolha unidades ativas do órgão.", "unit_ids")
    if any(u.id == block.unit_id for u in units):
        raise InvalidInput("O bloco já é desta unidade: escolha outras unidades.", "unit_ids")
    documents = block_documents(block)
    if not any(not d.is_cancelled for d in documents):
        raise InvalidInput("Inclua ao menos um documento no bloco antes de disponibilizá-lo.")
    now, chosen = utcnow(), {u.id for u in units}
    for target in list(block.targets):
        if target.unit_id not in chosen:
            block.targets.remove(target)
    existing = {t.unit_id: t for t in block.targets}
    for u in units:
        target = existing.get(u.id) or SignatureBlockUnit(unit_id=u.id)
        target.made_available_at, target.returned_at, target.returned_by_id = now, None, None
        if u.id not in existing:
            block.targets.append(target)
    block.state = "available"
    siglas = ", ".join(sorted(u.sigla for u in units))
    _record(block, "block_available", by=by, unit=unit, documents=documents, units=siglas)
    _audit(block, "block_available", by=by, unit=unit, units=siglas)
    db.session.flush()


def cancel_availability(block, *, by, unit):
    access.require_block_owner(by, unit, block)
    if block.state != "available":
        raise Forbidden("O bloco não está disponibilizado.")
    now = utcnow()
    for target in block.targets:
        target.returned_at = target.returned_at or now
    block.state = "returned"
    _record(block, "block_unavailable", by=by, unit=unit)
    _audit(block, "block_unavailable", by=by, unit=unit)
    db.session.flush()


def conclude_block(block, *, by, unit):
    access.require_block_owner(by, unit, block)
    if block.state == "concluded":
        raise Duplicate(f"O bloco nº {block.number} já está concluído.")
    if block.state == "available":
        raise Forbidden("O bloco ainda está disponibilizado: aguarde a devolução ou cancele a disponibilização.")
    block.state, block.concluded_at = "concluded", utcnow()
    _record(block, "block_concluded", by=by, unit=unit)
    _audit(block, "block_concluded", by=by, unit=unit)
    db.session.flush()


def reopen_block(block, *, by, unit):
    access.require_block_owner(by, unit, block)
    if block.state != "concluded":
        raise Forbidden("Só um bloco concluído pode ser reaberto.")
    block.state, block.concluded_at = "open", None
    _record(block, "block_reopened", by=by, unit=unit)
    _audit(block, "block_reopened", by=by, unit=unit)
    db.session.flush()


# --- the units it was made available to ---------------------------------------------------------

def return_block(block, *, by, unit):
    """Devolver: this unit is done; when every unit has returned it, the block is Retornado."""
    access.require_block_signer(by, unit, block)
    target = next(t for t in block.targets if t.unit_id == unit.id)
    target.returned_at, target.returned_by_id = utcnow(), by.id
    if all(t.returned_at is not None for t in block.targets):
        block.state = "returned"
    _record(block, "block_returned", by=by, unit=unit, unit_sigla=unit.sigla)
    _audit(block, "block_returned", by=by, unit=unit, by_unit=unit.sigla)
    db.session.flush()


def sign_all(block, *, by, unit, role_id, password, ip):
    """Assinar todos: every document of the block not cancelled and not yet signed by this user."""
    access.require_block_signer(by, unit, block)
    documents = [d for d in block_documents(block) if not d.is_cancelled]
    return signing.sign_documents(documents, by=by, unit=unit, role_id=role_id, password=password, ip=ip,
                                  skip_signed=True)


def sign_one(block, document, *, by, unit, role_id, password, ip, seen_version=None):
    """Assinar one document from the block (its own unit or a unit it was made available to)."""
    access.require_block_document(by, unit, block, document)
    return signing.sign_document(document, by=by, unit=unit, role_id=role_id, password=password, ip=ip,
                                 seen_version=seen_version)


def find_document(org_id, sei_text):
    from app.services.documents import find_by_sei
    return find_by_sei(org_id, sei_text)


def units_to_offer(block):
    """Active units of the órgão other than the block's, for Disponibilizar."""
    return db.session.scalars(select(Unit).where(
        Unit.organization_id == block.organization_id, Unit.active.is_(True), Unit.id != block.unit_id)
        .order_by(Unit.sigla)).all()


def blocks_with_document(document):
    """The blocks holding the document (for its page)."""
    return db.session.scalars(select(SignatureBlock).join(SignatureBlockDocument).where(
        SignatureBlockDocument.document_id == document.id, SignatureBlock.state != "concluded")
        .order_by(SignatureBlock.id)).all()

