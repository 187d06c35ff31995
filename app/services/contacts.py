"""Contatos (interessados) of an órgão: list and search, correcting a name or CPF/CNPJ, merging duplicates.

Process history is append-only and keeps the names as they were written; process and document pages
read the contact's current name, so a correction shows everywhere at once without rewriting anything."""
import math
import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Contact, ProcessInterested
from app.models.document import DocumentInterested
from app.models.process import contact_key
from app.services import access, audit
from app.services.errors import Duplicate, InvalidInput, NotFound
from app.services.validators import format_cnpj, format_cpf, validate_cpf_or_cnpj

NAME_MAX = 200
QUERY_MAX = 100
PAGE_SIZE = 25  # keeps the htmx results fragment within its 2 KB budget
DUPLICATES_SHOWN = 10

audit.AUDIT_TEXTS.update({
    "contact_updated": "Interessado “{name}” alterado: {fields}",
    "contacts_merged": "Interessado “{removed}” unido a “{kept}” ({processes} processos, {documents} documentos)",
})

_ALNUM_RE = re.compile(r"[^0-9A-Z]")


def shown_document(doc):
    """A stored CPF/CNPJ as printed: 000.000.000-00 or AA.AAA.AAA/AAAA-00 ("" when none)."""
    if not doc:
        return ""
    return format_cpf(doc) if len(doc) == 11 else format_cnpj(doc)


def _doc_label(doc):
    return f"CPF {format_cpf(doc)}" if len(doc) == 11 else f"CNPJ {format_cnpj(doc)}"


# --- Listing -----------------------------------------------------------------------------------

@dataclass
class ContactPage:
    rows: list  # (contact, number of processes)
    page: int
    pages: int
    total: int


def _like(text):
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _search_clause(q):
    """Name (accents and case ignored) or CPF/CNPJ (punctuation ignored) containing what was typed."""
    clauses = [Contact.name_key.like(_like(contact_key(q)), escape="\\")]
    doc = _ALNUM_RE.sub("", q.upper())
    if len(doc) >= 3 and any(ch.isdigit() for ch in doc):
        clauses.append(Contact.document.like(_like(doc), escape="\\"))
    return or_(*clauses)


def _process_count():
    return (select(func.count(ProcessInterested.id)).where(ProcessInterested.contact_id == Contact.id)
            .scalar_subquery())


def contact_page(org, q="", page=1, size=PAGE_SIZE):
    """One page of the órgão's contacts in alphabetical order, filtered by name or CPF/CNPJ."""
    q = (q or "").replace("\x00", "").strip()
    if len(q) > QUERY_MAX:
        raise InvalidInput(f"A pesquisa deve ter no máximo {QUERY_MAX} caracteres.", "q")
    where = [Contact.organization_id == org.id] + ([_search_clause(q)] if q else [])
    total = db.session.scalar(select(func.count(Contact.id)).where(*where))
    pages = max(1, math.ceil(total / size))
    page = min(max(1, page or 1), pages)
    rows = db.session.execute(select(Contact, _process_count()).where(*where)
                              .order_by(Contact.name_key, Contact.id).offset((page - 1) * size).limit(size)).all()
    return ContactPage(rows=[tuple(row) for row in rows], page=page, pages=pages, total=total)


def usage(contact):
    """(processes, documents) that name this contact as interessado."""
    processes = db.session.scalar(select(func.count(ProcessInterested.id)).where(
        ProcessInterested.contact_id == contact.id))
    documents = db.session.scalar(select(func.count(DocumentInterested.id)).where(
        DocumentInterested.contact_id == contact.id))
    return processes, documents


def possible_duplicates(contact):
    """Other contacts of the órgão with the same name (accents, case and spacing ignored) or the same CPF/CNPJ."""
    same = [Contact.name_key == contact.name_key]
    if contact.document:
        same.append(Contact.document == contact.document)
    return db.session.scalars(select(Contact).where(
        Contact.organization_id == contact.organization_id, Contact.id != contact.id, or_(*same))
        .order_by(Contact.id).limit(DUPLICATES_SHOWN)).all()


# --- Changes -----------------------------------------------------------------------------------

def _check_admin(by, *contacts):
    access.require_org_admin(by)
    for contact in contacts:
        access.require_same_org(by, contact)


def clean_name(name):
    name = " ".join((name or "").replace("\x00", "").split())
    if not name:
        raise InvalidInput("Informe o nome.", "name")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"O nome deve ter no máximo {NAME_MAX} caracteres (tem {len(name)}).", "name")
    return name


def clean_document(text):
    """The bare CPF/CNPJ, or None when left blank."""
    if not (text or "").strip():
        return None
    try:
        return validate_cpf_or_cnpj(text.strip())
    except ValueError as error:
        raise InvalidInput(str(error), "document") from None


def _holder(org_id, doc, other_than):
    return db.session.scalar(select(Contact).where(Contact.organization_id == org_id, Contact.document == doc,
                                                   Contact.id != other_than).order_by(Contact.id).limit(1))


def update_contact(contact, *, by, name, document):
    """Correct the name and/or CPF/CNPJ of a contact (audited); returns the changed fields' descriptions."""
    _check_admin(by, contact)
    name, doc = clean_name(name), clean_document(document)
    if doc and doc != contact.document and (holder := _holder(contact.organization_id, doc, contact.id)):
        raise Duplicate(f"O {_doc_label(doc)} já está cadastrado para “{holder.name}”. Se for a mesma pessoa, "
                        "una os dois contatos.", "document")
    changed = []
    if name != contact.name:
        changed.append(f"nome “{contact.name}” → “{name}”")
    if doc != contact.document:
        before, after = shown_document(contact.document) or "(nenhum)", shown_document(doc) or "(nenhum)"
        changed.append(f"CPF/CNPJ {before} → {after}")
    if changed:
        audit.record(by.organization, "contact_updated", by=by, name=contact.name, fields=", ".join(changed))
        contact.name, contact.document = name, doc
        db.session.flush()
    return changed


def _move_rows(model, owner_column, remove, keep):
    """Point remove's rows of `model` at keep; a process/document that already has keep loses the duplicate row."""
    rows = db.session.scalars(select(model).where(model.contact_id == remove.id)).all()
    owners = {getattr(r, owner_column) for r in rows}
    taken = set(db.session.scalars(select(getattr(model, owner_column)).where(
        model.contact_id == keep.id, getattr(model, owner_column).in_(owners)))) if owners else set()
    for row in rows:
        if getattr(row, owner_column) in taken:
            db.session.delete(row)
        else:
            row.contact = keep
    return len(rows)


def merge_contacts(keep, remove, *, by):
    """Unir contatos: every interessado row of `remove` moves to `keep`, `remove` is deleted (audited).

    `keep` takes remove's CPF/CNPJ when it has none; two different numbers are two people: refused."""
    _check_admin(by, keep, remove)
    if keep.id == remove.id:
        raise InvalidInput("Escolha dois contatos diferentes para unir.")
    if keep.organization_id != remove.organization_id:
        raise NotFound("Registro não encontrado.")
    if keep.document and remove.document and keep.document != remove.document:
        raise InvalidInput(f"“{keep.name}” ({_doc_label(keep.document)}) e “{remove.name}” "
                           f"({_doc_label(remove.document)}) têm números diferentes: não são a mesma pessoa. "
                           "Se um número está errado, corrija-o antes de unir.")
    processes = _move_rows(ProcessInterested, "process_id", remove, keep)
    documents = _move_rows(DocumentInterested, "document_id", remove, keep)
    audit.record(by.organization, "contacts_merged", by=by, removed=remove.name, kept=keep.name,
                 processes=processes, documents=documents)
    keep.document = keep.document or remove.document
    db.session.delete(remove)
    db.session.flush()
    return keep
