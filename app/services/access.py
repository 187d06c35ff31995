"""The one access policy: who may see or do what. Every loader and listing asks here.

Functions take the acting user (and, where it matters, the current unit) and answer with a
bool, or raise Forbidden/NotFound for loaders. Other órgãos' objects are reported as NotFound,
so their existence is not revealed."""
from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Credential, Process, ProcessUnit
from app.services.errors import Forbidden, NotFound


def same_org(user, obj_org_id):
    return user is not None and user.organization_id == obj_org_id


def can_admin_org(user, org):
    return user is not None and user.active and user.is_org_admin and user.organization_id == org.id


def require_org_admin(user):
    if not (user and user.active and user.is_org_admin):
        raise Forbidden("Acesso restrito aos administradores do órgão.")


def require_same_org(user, obj, org_attr="organization_id"):
    """NotFound for another órgão's object (or a missing one)."""
    if obj is None or not same_org(user, getattr(obj, org_attr)):
        raise NotFound("Registro não encontrado.")
    return obj


def can_work_in(user, unit):
    return user is not None and user.active and unit is not None and unit.active and user.works_in(unit)


# --- Processes -------------------------------------------------------------------------------
# Público: every user of the órgão sees everything. Restrito: every user of the órgão sees the
# number, type and history; the content (especificação, interessados, documents) only units
# where the process has been (any process_unit row; for an annexed process, also the rows of the
# process it was annexed to). Sigiloso: only users holding an active credential in the current
# unit (services/credentials.py); everyone else gets 404. A unit of another órgão that received
# the process (cross-órgão routing) sees it as a unit where it has been. Listings show only what
# the unit may read. Acting on a process (send, conclude, assign, note, …) requires it to be open
# in the current unit.

class NotOpenHere(Forbidden):
    """The process is not open in the current unit, so the unit cannot act on it."""


def has_been_in(process, unit):
    """True when the process (or the process it was annexed to) is, or was once, open in `unit`."""
    if unit is None or process is None:
        return False
    ids = [process.id] + ([process.annexed_to_id] if process.annexed_to_id else [])
    return db.session.scalar(select(exists().where(ProcessUnit.process_id.in_(ids), ProcessUnit.unit_id == unit.id)))


def credential_clause(user, unit, process_id):
    """SQL: the user holds an active credential in `unit` for the process whose id is `process_id`."""
    return exists().where(Credential.process_id == process_id, Credential.user_id == user.id,
                          Credential.unit_id == unit.id, Credential.ended_at.is_(None))


def has_credential(user, unit, process):
    """Credencial de Acesso: the user, working in `unit`, may see the Sigiloso process."""
    if user is None or unit is None or process is None or process.id is None:
        return False
    return bool(db.session.scalar(select(credential_clause(user, unit, process.id))))


def can_view_process(user, unit, process):
    """May the user, working in `unit`, open the process page (at least its number and history)?"""
    if process is None or not can_work_in(user, unit):
        return False
    if not same_org(user, process.organization_id) and not has_been_in(process, unit):
        return False  # another órgão's process that never came to this unit
    if process.access_level == "sigiloso":
        return has_credential(user, unit, process)
    return True


def can_read_process(user, unit, process):
    """May the user see the process content (especificação, interessados, documents)?"""
    if not can_view_process(user, unit, process):
        return False
    return (process.access_level == "publico" and same_org(user, process.organization_id)) \
        or has_been_in(process, unit)


def require_process(user, unit, process):
    """Loader check: NotFound for another órgão's process or one whose existence must not leak."""
    if not can_view_process(user, unit, process):
        raise NotFound("Processo não encontrado.")
    return process


def require_readable(user, unit, process):
    require_process(user, unit, process)
    if not can_read_process(user, unit, process):
        raise Forbidden("Processo restrito: só as unidades por onde ele tramitou podem ver o conteúdo.")
    return process


def open_row(process, unit):
    """The open process_unit row of the process in `unit`, or None."""
    return db.session.scalar(select(ProcessUnit).where(
        ProcessUnit.process_id == process.id, ProcessUnit.unit_id == unit.id, ProcessUnit.closed_at.is_(None)))


def require_open_in(unit, process):
    """Return the open process_unit row, else NotOpenHere with a message for the clerk."""
    row = open_row(process, unit) if unit is not None else None
    if row is None:
        raise NotOpenHere(f"O processo {process.number} não está aberto na unidade "
                          f"{unit.sigla if unit else 'atual'}; nada foi alterado.")
    return row


def require_acting(user, unit, process):
    """Acting on a process (routing, tools): visible to the user here and open in the unit."""
    require_works_in(user, unit)
    require_process(user, unit, process)
    return require_open_in(unit, process)


def require_works_in(user, unit):
    if not can_work_in(user, unit):
        raise Forbidden("Você não trabalha nesta unidade.")
    return unit


def _been_here_clause(unit, process_id, annexed_to_id):
    """SQL: the process (or the one it was annexed to) has a row in `unit` (an alias: listings select rows too)."""
    been = aliased(ProcessUnit)
    return or_(exists().where(been.process_id == process_id, been.unit_id == unit.id),
               exists().where(been.process_id == annexed_to_id, been.unit_id == unit.id))


def visible_processes_clause(user, unit):
    """SQL filter for listings of processes: only those the user, in `unit`, may read."""
    if not can_work_in(user, unit):
        return false()
    been_here = _been_here_clause(unit, Process.id, Process.annexed_to_id)
    return or_(
        and_(Process.access_level == "publico", or_(Process.organization_id == user.organization_id, been_here)),
        and_(Process.access_level == "restrito", been_here),
        and_(Process.access_level == "sigiloso", credential_clause(user, unit, Process.id)))


def unit_inbox_clause(user, unit):
    """SQL filter for the Controle de Processos: rows open in the user's current unit, not sobrestados;
    a Sigiloso one only for a user holding a credential here."""
    require_works_in(user, unit)
    return and_(ProcessUnit.unit_id == unit.id, ProcessUnit.closed_at.is_(None), ProcessUnit.suspended_at.is_(None),
                or_(ProcessUnit.sigiloso == false(), credential_clause(user, unit, ProcessUnit.process_id)))


# --- Documents (issue 5) ---------------------------------------------------------------------
# Process-level rules come from the functions above. On top of them: a minuta (unsigned internal
# document) exists only for its unit (404 elsewhere); a document's own level, when higher than the
# process's, narrows it further (Restrito: units where the process has been; Sigiloso: its unit).
# Changing a document needs the process open in the current unit and the document's own unit.

def _document_level_allows(user, unit, document):
    if document.access_level == "sigiloso":
        return has_credential(user, unit, document.process)
    if document.access_level == "restrito":
        return has_been_in(document.process, unit)
    return True


def can_list_document(user, unit, document):
    """Shown in the tree (maybe without its content): not deleted, not another unit's minuta."""
    return (document is not None and document.deleted_at is None
            and can_read_process(user, unit, document.process)
            and (not document.is_draft or document.unit_id == unit.id))


def can_view_document(user, unit, document):
    """May the user, working in `unit`, read the document's content (text, PDF, file)?"""
    return can_list_document(user, unit, document) and _document_level_allows(user, unit, document)


def require_document(user, unit, process, document):
    """Loader check for a document of `process`: 404 for what must not leak, 403 for a restricted one."""
    if (document is None or process is None or document.process_id != process.id or document.deleted_at is not None
            or document.organization_id != process.organization_id):
        raise NotFound("Documento não encontrado.")
    require_readable(user, unit, process)
    if document.is_draft and document.unit_id != unit.id:
        raise NotFound("Documento não encontrado.")
    if not _document_level_allows(user, unit, document):
        raise Forbidden("Documento de acesso restrito a outras unidades.")
    return document


def require_document_org(user, document):
    """NotFound unless the document is the user's órgão's: held in its process, or issued by its unit
    (a unit answering in another órgão's process routed to it; services/documents.py)."""
    if document is None or not (same_org(user, document.organization_id)
                                or same_org(user, document.unit.organization_id)):
        raise NotFound("Documento não encontrado.")
    return document


def require_document_content(user, unit, document):
    """After require_document: the content must not be cancelled (it stays in the tree, hidden)."""
    if document.is_cancelled:
        raise Forbidden("Documento cancelado: o conteúdo não é mais exibido.")
    return document


def require_can_include(user, unit, process):
    """Incluir Documento: a unit the user works in, where the process is open and not suspended/annexed."""
    require_readable(user, unit, process)
    require_works_in(user, unit)
    require_open_in(unit, process)
    if process.state != "open":
        raise Forbidden("O processo está sobrestado ou anexado: não é possível incluir documentos.")
    return process


def _require_own_unit(user, unit, document, what):
    require_works_in(user, unit)
    require_process(user, unit, document.process)  # a Sigiloso one without a credential: 404
    if document.unit_id != unit.id:
        raise Forbidden(f"Somente a unidade que gerou o documento ({document.unit.sigla}) pode {what}.")
    require_open_in(unit, document.process)


def require_can_edit(user, unit, document):
    """Edit the text: an internal minuta (or signed but unlocked) of the current unit, process open here."""
    _require_own_unit(user, unit, document, "editá-lo")
    if not document.is_internal or document.state not in ("draft", "signed") or document.locked_at is not None:
        raise Forbidden("Este documento não pode mais ser editado.")
    require_not_offered(document, "editá-lo")  # issue 6
    others = signed_by_other_unit(document) if document.state == "signed" else ()
    if others:
        raise Forbidden(f"O documento já foi assinado por outra unidade ({', '.join(others)}): não pode mais ser "
                        "editado, apenas cancelado.")
    return document


def require_can_alter(user, unit, document):
    _require_own_unit(user, unit, document, "alterá-lo")
    if document.is_cancelled:
        raise Forbidden("Documento cancelado não pode ser alterado.")
    return document


def can_delete_document(document):
    return document.locked_at is None and document.state in ("draft", "signed", "final")


def require_can_delete(user, unit, document):
    _require_own_unit(user, unit, document, "excluí-lo")
    if not can_delete_document(document):
        raise Forbidden("O documento já foi visto por outra unidade ou o processo tramitou: ele não pode mais ser "
                        "excluído, apenas cancelado.")
    require_not_offered(document, "excluí-lo")  # issue 6
    if document.state == "signed" and signed_by_other_unit(document):
        raise Forbidden("O documento já foi assinado por outra unidade: não pode mais ser excluído, apenas cancelado.")
    return document


def require_can_cancel(user, unit, document):
    _require_own_unit(user, unit, document, "cancelá-lo")
    if document.state not in ("signed", "final"):
        raise Forbidden("Só documentos assinados ou externos podem ser cancelados; uma minuta pode ser excluída.")
    return document


def try_check(check, *args):
    """True when the `require_*` check passes (for showing or hiding buttons)."""
    try:
        check(*args)
        return True
    except (Forbidden, NotFound):
        return False


# --- Search and export (issue 7) ---------------------------------------------------------------
# The search filter is SQL, part of the query, so counts and pages are right. It applies the same
# levels as the loaders: Sigiloso content (a sigiloso process, or a sigiloso document) only for a
# user holding a credential in the current unit; Restrito content only for units where the process
# (or the one it was annexed to) has been; Público for the órgão (and units of another órgão that
# received it); minutas only for their unit; cancelled and deleted documents never.

def searchable_documents_clause(user, unit):
    """SQL filter over Document joined with Process: documents whose text the user, in `unit`, may search."""
    from app.models import Document
    if not can_work_in(user, unit):
        return false()
    been_here = _been_here_clause(unit, Document.process_id, Process.annexed_to_id)
    level_ok = or_(
        and_(Process.access_level == "publico", Document.access_level == "publico",
             Process.organization_id == user.organization_id),
        and_(Process.access_level != "sigiloso", Document.access_level != "sigiloso", been_here),
        credential_clause(user, unit, Document.process_id))
    return and_(
        Document.organization_id == Process.organization_id,
        or_(Process.organization_id == user.organization_id, been_here), level_ok,
        Document.deleted_at.is_(None), Document.state.notin_(("cancelled", "deleted")),
        or_(Document.state != "draft", Document.unit_id == unit.id))


def searchable_process_entries_clause(user, unit):
    """SQL filter over ProcessText joined with Process: the row with content (especificação, interessados)
    of processes the user, in `unit`, may read; only the head (number and type) of a Restrito process of
    the órgão that has not been in the unit; nothing of a Sigiloso one without a credential here."""
    from app.models.search import ProcessText
    if not can_work_in(user, unit):
        return false()
    head_only = and_(Process.access_level == "restrito", Process.organization_id == user.organization_id,
                     ~_been_here_clause(unit, Process.id, Process.annexed_to_id))
    return or_(and_(ProcessText.with_content.is_(True), visible_processes_clause(user, unit)),
               and_(ProcessText.with_content.is_(False), head_only))


def can_export_document(user, unit, document):
    """A document goes into the process PDF/ZIP only if its content may be read and it is not cancelled."""
    return can_view_document(user, unit, document) and not document.is_cancelled


# --- Signing and Blocos de Assinatura (issue 6) -------------------------------------------------
# The generating unit signs its documents while the process is open there; any other unit signs
# only through a Bloco de Assinatura made available to it (and while it is). Such a unit sees the
# document (even a minuta, even in a restricted process) without locking it. Sigilosos never go
# into blocks. An edit is refused once another unit has signed.

def in_available_block(document, unit):
    """True when the document is in a block currently made available to `unit` (not yet returned)."""
    from app.models.signature import SignatureBlock, SignatureBlockDocument, SignatureBlockUnit
    if document is None or unit is None or document.id is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        SignatureBlockDocument.document_id == document.id, SignatureBlock.id == SignatureBlockDocument.block_id,
        SignatureBlock.state == "available", SignatureBlockUnit.block_id == SignatureBlock.id,
        SignatureBlockUnit.unit_id == unit.id, SignatureBlockUnit.returned_at.is_(None)))))


def require_not_offered(document, what):
    """While a block offers the document to other units, its text must stay as they read it."""
    from app.models.signature import SignatureBlock, SignatureBlockDocument
    number = db.session.scalar(select(SignatureBlock.number).join(SignatureBlockDocument).where(
        SignatureBlockDocument.document_id == document.id, SignatureBlock.state == "available").limit(1))
    if number is not None:
        raise Forbidden(f"O documento está no Bloco de Assinatura nº {number}, disponibilizado a outras unidades: "
                        f"cancele a disponibilização (ou aguarde a devolução) para {what}.")


def signed_by_other_unit(document):
    """The siglas of other units holding a valid signature on the document (empty: none)."""
    from app.models import Unit
    from app.models.signature import Signature
    return db.session.scalars(select(Unit.sigla).join(Signature, Signature.unit_id == Unit.id).where(
        Signature.document_id == document.id, Signature.cancelled_at.is_(None),
        Signature.unit_id != document.unit_id).distinct()).all()


def require_can_sign(user, unit, document):
    """Assinar: an internal document, not cancelled; the generating unit (process open there) or a block's unit."""
    require_works_in(user, unit)
    if document is None or document.deleted_at is not None:
        raise NotFound("Documento não encontrado.")
    require_document_org(user, document)
    require_process(user, unit, document.process)  # a Sigiloso one without a credential: 404 (issue 4)
    if document.is_cancelled:
        raise Forbidden("Documento cancelado não pode ser assinado.")
    if not document.is_internal:
        raise Forbidden("Documento externo não se assina: um documento digitalizado pode ser autenticado.")
    if document.unit_id == unit.id:
        require_open_in(unit, document.process)
    elif not in_available_block(document, unit):
        raise Forbidden("Só a unidade que gerou o documento, ou uma unidade para a qual ele foi disponibilizado em "
                        "Bloco de Assinatura, pode assiná-lo.")
    return document


def require_can_authenticate(user, unit, document):
    """Autenticar: an external digitalizado of the current unit, process open here, not cancelled."""
    _require_own_unit(user, unit, document, "autenticá-lo")
    if document.is_internal or document.state != "final":
        raise Forbidden("Só documentos externos incluídos (não cancelados) podem ser autenticados.")
    if document.external_format != "digitalizado":
        raise Forbidden("Só documentos digitalizados são autenticados; o nato-digital já é o original.")
    return document


def block_available_to(block, unit):
    return unit is not None and block.state == "available" and any(
        t.unit_id == unit.id and t.returned_at is None for t in block.targets)


def require_block(user, unit, block):
    """A block is seen by its unit and, while it is made available to them, by its target units."""
    require_works_in(user, unit)
    if block is None or not same_org(user, block.organization_id):
        raise NotFound("Bloco não encontrado.")
    if block.unit_id != unit.id and not block_available_to(block, unit):
        raise Forbidden("Este bloco não está disponível para a unidade atual.")
    return block


def require_block_owner(user, unit, block):
    require_block(user, unit, block)
    if block.unit_id != unit.id:
        raise Forbidden(f"Só a unidade do bloco ({block.unit.sigla}) pode fazer isto.")
    return block


def require_block_signer(user, unit, block):
    require_block(user, unit, block)
    if not block_available_to(block, unit):
        raise Forbidden("O bloco não está disponibilizado para a unidade atual.")
    return block


def is_secret(document):
    """Sigiloso, by the document's own level or its process's."""
    return "sigiloso" in (document.access_level, document.process.access_level)


def require_block_document(user, unit, block, document):
    """A document of the block, seen from the block (its unit or a target unit); never a sigiloso one, even
    if it became sigiloso after it was added (a block reaches units that hold no credential)."""
    require_block(user, unit, block)
    if document is None or document.deleted_at is not None or document.id not in {e.document_id for e in block.entries} \
            or is_secret(document):
        raise NotFound("Documento não encontrado neste bloco.")
    return document
