"""Documents of a process: numbering, creation from a model, versions, Alterar, Excluir, Cancelar, locking.

Rules in DESIGN.md §4. Every change writes a history entry (kinds below; texts registered in
history.TEXTS); events about a minuta are unit_only, since a minuta exists only for its unit.

Two órgãos per document, the same one unless a unit of another órgão answers in a process routed to
it (issue 4). The process's órgão (`Document.organization_id`, always the process's) owns access: the
policy, the Nível de Acesso and its Hipótese Legal (the process inherits both), interessados, search,
export. The issuing órgão (`issuing_org`: the authoring unit's) owns the form: Tipo de Documento,
Modelo, Textos Padrão, numbering, letterhead, brasão, seal, legal text and Cargo/Função of signatures."""
import html as html_lib
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Contact, Document, DocumentInterested, DocumentVersion, LegalBasis
from app.models.base import utcnow
from app.models.document import SEI_DIGITS
from app.services import access, history
from app.services.counters import next_value
from app.services.errors import DomainError, Duplicate, Forbidden, InvalidInput
from app.services.inputs import clean_text
from app.services.form_tokens import TOKEN_RE
from app.services.sanitize import clean_html

BRASILIA = ZoneInfo("America/Sao_Paulo")
MONTHS = ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
          "novembro", "dezembro")
LEVEL_RANK = {"publico": 0, "restrito": 1, "sigiloso": 2}
LEVEL_LABELS = {"publico": "Público", "restrito": "Restrito", "sigiloso": "Sigiloso"}
VARIABLE_RE = re.compile(r"\{([a-z_]+)\}")
SEI_SCOPE = "document:sei"
FIELD_LABELS = {"description": "descrição", "interested": "interessados", "access_level": "nível de acesso",
                "legal_basis": "hipótese legal"}

DOCUMENT_HISTORY_TEXTS = {
    "document_created": lambda p: (f"Incluído documento externo {p.get('title')} ({p.get('sei')})"
                                   if p.get("doc_kind") == "external" else f"Gerado documento {p.get('title')} ({p.get('sei')})"),
    "document_edited": "Documento {sei} editado (versão {version})",
    "document_version_restored": "Documento {sei}: restaurado o texto da versão {restored} (nova versão {version})",
    "document_updated": "Alterado documento {sei}: {fields}",
    "document_deleted": "Excluído documento {title} ({sei})",
    "document_cancelled": "Cancelado documento {sei}. Motivo: {reason}",
}
history.TEXTS.update(DOCUMENT_HISTORY_TEXTS)


class StaleEdit(DomainError):
    """Someone saved the document after this editor was opened."""


def format_sei(value):
    return f"{value:0{SEI_DIGITS}d}"


def today_br():
    return datetime.now(BRASILIA).date()


def date_extenso(day):
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def issuing_org(document):
    """The órgão that issues the document: its unit's (type, numbering, letterhead, seal, legal text)."""
    return document.unit.organization


# --- numbers and titles ----------------------------------------------------------------------

def number_scope(doc_type, unit, year):
    """The counter scope of the type's numbering mode (None: no number or typed in)."""
    return {"unit_year": f"doctype:{doc_type.id}:unit:{unit.id}:{year}", "org_year": f"doctype:{doc_type.id}:{year}",
            "unit": f"doctype:{doc_type.id}:unit:{unit.id}", "org": f"doctype:{doc_type.id}"}.get(doc_type.numbering)


def _clean_manual_number(value, required):
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput("Informe o número do documento.", "number")
    if len(value) > 40:
        raise InvalidInput("O número deve ter no máximo 40 caracteres.", "number")
    return value or None


def render_title(template, *, doc_type, number, year, unit):
    values = {"tipo": doc_type.name, "numero": number or "", "ano": str(year), "siglas": unit.sigla_path,
              "unidade": unit.name, "orgao": unit.organization.name}
    title = VARIABLE_RE.sub(lambda m: values.get(m.group(1), m.group(0)), template)
    return re.sub(r"\s+", " ", title).strip()[:300]


def _assign_numbers(document, doc_type, unit, manual_number):
    document.sei_number = next_value(SEI_SCOPE)
    scope = number_scope(doc_type, unit, document.year)
    if scope is not None:
        document.number_scope, document.number_value = scope, next_value(scope)
        document.number = str(document.number_value)
    elif doc_type.numbering == "manual":
        document.number = _clean_manual_number(manual_number, required=True)


# --- variables of Modelos and Textos Padrão --------------------------------------------------

def variables(process, document, *, by, unit, recipient=None):
    names = ", ".join(i.contact.name for i in process.interested) or "[interessados]"
    org = unit.organization
    return {"processo": process.number, "documento": document.sei if document.sei_number else "",
            "tipo": document.type.name, "numero": document.number or "", "ano": str(document.year),
            "data_extenso": date_extenso(today_br()), "unidade": unit.name, "siglas": unit.sigla_path,
            "orgao": org.name, "cidade": org.city, "uf": org.uf, "interessados": names, "usuario": by.name,
            "destinatario": (recipient or "").strip() or "[destinatário]"}


def fill_variables(text, values):
    """Replace {name} by its value (HTML-escaped); unknown names are left as typed."""
    return VARIABLE_RE.sub(lambda m: html_lib.escape(values[m.group(1)]) if m.group(1) in values else m.group(0),
                           text or "")


# --- access level, interessados --------------------------------------------------------------

def clean_level(org_id, level, legal_basis_id):
    if level not in LEVEL_RANK:
        raise InvalidInput("Escolha o nível de acesso.", "access_level")
    if level == "publico":
        return level, None
    basis = db.session.get(LegalBasis, legal_basis_id) if legal_basis_id else None
    if basis is None or basis.organization_id != org_id or not basis.active:
        raise InvalidInput("Documento restrito ou sigiloso exige uma Hipótese Legal.", "legal_basis_id")
    return level, basis


def raise_process_level(process, document, *, by, unit):
    """A process takes the highest level of its documents (rules and history in services/credentials.py)."""
    from app.services.credentials import raise_to_document_level
    raise_to_document_level(process, document, by=by, unit=unit)


def parse_names(text):
    names, seen = [], set()
    for line in clean_text(text or "").replace(";", "\n").splitlines():
        name = " ".join(line.split())
        if name and name.lower() not in seen:
            if len(name) > 200:
                raise InvalidInput("Cada interessado deve ter no máximo 200 caracteres.", "interested")
            seen.add(name.lower())
            names.append(name)
    if len(names) > 100:
        raise InvalidInput("Informe no máximo 100 interessados.", "interested")
    return names


def _set_interested(document, names):
    contacts = []
    for name in names:
        contact = db.session.scalar(select(Contact).where(Contact.organization_id == document.organization_id,
                                                          func.lower(Contact.name) == name.lower()).limit(1))
        if contact is None:
            contact = Contact(organization_id=document.organization_id, name=name)
            db.session.add(contact)
            db.session.flush()
        contacts.append(contact)
    document.interested = [DocumentInterested(contact_id=c.id, position=i) for i, c in enumerate(contacts)]


def interested_text(document):
    return "\n".join(i.contact.name for i in document.interested)


# --- creation --------------------------------------------------------------------------------

def find_by_token(token, process, by):
    """The document a first submit of this form created: only the same user's, in the same process."""
    if not token:
        return None
    if not TOKEN_RE.match(token):
        raise InvalidInput("O formulário está incompleto ou adulterado: abra a página de novo e envie outra vez.")
    return db.session.scalar(select(Document).where(Document.creation_token == token,
                                                    Document.process_id == process.id, Document.author_id == by.id))


def new_document(process, doc_type, *, kind, by, unit, access_level, legal_basis_id, description=None,
                 manual_number=None, token=None, **extra):
    """Insert the row with its números (SEI and per type); the caller adds content and history."""
    if unit.organization_id != process.organization_id:  # another órgão's unit answers only where it is open
        access.require_can_include(by, unit, process)
    if doc_type.organization_id != unit.organization_id or not doc_type.active:  # the issuing órgão's types
        raise InvalidInput("Escolha um Tipo de Documento da lista.", "type_id")
    if (kind == "internal" and not doc_type.internal) or (kind == "external" and not doc_type.external):
        raise InvalidInput(f"O tipo “{doc_type.name}” não se aplica a documentos "
                           f"{'internos' if kind == 'internal' else 'externos'}.", "type_id")
    level, basis = clean_level(process.organization_id, access_level, legal_basis_id)
    description = (description or "").strip() or None
    if description and len(description) > 200:
        raise InvalidInput("A descrição deve ter no máximo 200 caracteres.", "description")
    document = Document(organization_id=process.organization_id, process_id=process.id, kind=kind,
                        type_id=doc_type.id, type=doc_type, year=today_br().year, description=description,
                        access_level=level, legal_basis=basis, unit_id=unit.id, unit=unit, author_id=by.id,
                        state="draft" if kind == "internal" else "final", creation_token=token, **extra)
    if kind == "internal":
        _assign_numbers(document, doc_type, unit, manual_number)
        document.title = render_title(doc_type.title_template, doc_type=doc_type, number=document.number,
                                      year=document.year, unit=unit)
    else:
        document.sei_number = next_value(SEI_SCOPE)
        document.number = _clean_manual_number(manual_number, required=False)
        document.title = " ".join(x for x in (doc_type.name, document.number) if x)[:300]
    try:
        with db.session.begin_nested():
            db.session.add(document)
            db.session.flush()
    except IntegrityError:
        raise Duplicate("Este formulário já foi enviado; o documento já foi incluído.") from None
    return document


def create_internal_document(process, doc_type, *, by, unit, source="model", standard_text=None,
                             model_document=None, description=None, recipient=None, interested="",
                             access_level="publico", legal_basis_id=None, manual_number=None, token=None):
    """Incluir Documento interno: a minuta whose first version comes from the type's Modelo, a Texto
    Padrão or a Documento Modelo, with the variables filled. A doubled submit returns the first one."""
    existing = find_by_token(token, process, by)
    if existing is not None:
        return existing
    names = parse_names(interested)
    document = new_document(process, doc_type, kind="internal", by=by, unit=unit, access_level=access_level,
                            legal_basis_id=legal_basis_id, description=description, manual_number=manual_number,
                            token=token)
    if source == "standard_text":
        if standard_text is None:
            raise InvalidInput("Escolha o Texto Padrão.", "standard_text_id")
        initial = standard_text.html
    elif source == "document":
        if model_document is None:
            raise InvalidInput("Informe o número SEI do Documento Modelo.", "model_sei")
        initial = current_html(model_document)
    else:
        initial = doc_type.model_html
    html = clean_html(fill_variables(initial, variables(process, document, by=by, unit=unit, recipient=recipient)))
    db.session.add(DocumentVersion(document_id=document.id, number=1, html=html, author_id=by.id, unit_id=unit.id))
    document.current_version = 1
    _set_interested(document, names)
    history.record(process, "document_created", unit=unit, by=by, unit_only=True, sei=document.sei,
                   title=document.title, doc_kind="internal")
    raise_process_level(process, document, by=by, unit=unit)
    db.session.flush()
    return document


# --- versions --------------------------------------------------------------------------------

def current_version(document):
    return db.session.scalar(select(DocumentVersion).where(DocumentVersion.document_id == document.id,
                                                           DocumentVersion.number == document.current_version))


def current_html(document):
    version = current_version(document)
    return version.html if version else ""


def versions_of(document):
    return db.session.scalars(select(DocumentVersion).where(DocumentVersion.document_id == document.id)
                              .order_by(DocumentVersion.number.desc())).all()


def _has_content(html):
    """Some text or an image: a save that would leave the document blank is refused."""
    return "<img" in html or bool(re.sub(r"<[^>]*>|&nbsp;|&#160;|\s", "", html))


def save_version(document, html, *, by, unit, base_version, restored_from=None):
    """Save a new version unless the editor is stale (optimistic concurrency: nothing is saved then)."""
    html = clean_html(html)
    latest = current_version(document)
    if base_version != document.current_version:
        raise _stale(latest)
    if not _has_content(html):
        raise InvalidInput("O texto do documento está vazio: escreva o texto antes de salvar.", "html")
    if latest is not None and latest.html == html and restored_from is None:
        return None
    if document.locked_at is not None or document.state not in ("draft", "signed"):
        raise Forbidden("Documento bloqueado: depois de visto por outra unidade, de o processo tramitar ou de ser "
                        "conferido no site, ele não pode mais ser editado, apenas cancelado.")
    access.require_not_offered(document, "editá-lo")
    if document.state == "signed":  # an edit before the lock cancels every signature (issue 6)
        from app.services.signing import cancel_signatures_for_edit
        cancel_signatures_for_edit(document, by=by, unit=unit)
    result = db.session.execute(
        update(Document).where(Document.id == document.id, Document.current_version == base_version)
        .values(current_version=base_version + 1, updated_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.expire(document)
        raise _stale(current_version(document))
    document.current_version = base_version + 1
    version = DocumentVersion(document_id=document.id, number=base_version + 1, html=html, author_id=by.id,
                              unit_id=unit.id, restored_from=restored_from)
    db.session.add(version)
    kind, params = ("document_version_restored", {"restored": restored_from}) if restored_from else ("document_edited", {})
    history.record(document.process, kind, unit=unit, by=by, unit_only=document.is_draft, sei=document.sei,
                   version=version.number, **params)
    db.session.flush()
    return version


def _stale(latest):
    who = f" por {latest.author.name}" if latest is not None else ""
    when = f" às {latest.created_at.astimezone(BRASILIA):%H:%M}" if latest is not None else ""
    return StaleEdit(f"O documento foi salvo{who}{when} depois que você abriu o editor. Nada foi salvo: copie o seu "
                     "texto, abra a versão atual e aplique nela as suas alterações.")


def restore_version(document, version, *, by, unit, base_version):
    if version.document_id != document.id:
        raise InvalidInput("Versão não encontrada.")
    return save_version(document, version.html, by=by, unit=unit, base_version=base_version,
                        restored_from=version.number)


# --- Alterar, Excluir, Cancelar, locking -----------------------------------------------------

def update_document(document, *, by, unit, description, interested, access_level, legal_basis_id):
    """Alterar Documento: descrição, interessados and nível de acesso (history lists what changed)."""
    description = (description or "").strip() or None
    if description and len(description) > 200:
        raise InvalidInput("A descrição deve ter no máximo 200 caracteres.", "description")
    level, basis = clean_level(document.organization_id, access_level, legal_basis_id)
    names = parse_names(interested)
    changed = []
    if description != document.description:
        document.description = description
        changed.append("description")
    if names != [i.contact.name for i in document.interested]:
        _set_interested(document, names)
        changed.append("interested")
    if level != document.access_level:
        document.access_level = level
        changed.append("access_level")
    if (basis.id if basis else None) != document.legal_basis_id:
        document.legal_basis = basis
        changed.append("legal_basis")
    if changed:
        document.updated_at = utcnow()
        history.record(document.process, "document_updated", unit=unit, by=by, unit_only=document.is_draft,
                       sei=document.sei, fields=", ".join(FIELD_LABELS[c] for c in changed))
        raise_process_level(document.process, document, by=by, unit=unit)
    db.session.flush()
    return changed


def delete_document(document, *, by, unit):
    """Excluir: the row stays (state deleted, out of the tree) so its números are never reused."""
    was_draft = document.is_draft
    document.state, document.deleted_at = "deleted", utcnow()
    history.record(document.process, "document_deleted", unit=unit, by=by, unit_only=was_draft, sei=document.sei,
                   title=document.title)
    db.session.flush()


def cancel_document(document, *, by, unit, reason):
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("Informe o motivo do cancelamento.", "reason")
    if len(reason) > 500:
        raise InvalidInput("O motivo deve ter no máximo 500 caracteres.", "reason")
    document.state, document.cancelled_at, document.cancel_reason = "cancelled", utcnow(), reason
    document.locked_at = document.locked_at or document.cancelled_at
    history.record(document.process, "document_cancelled", unit=unit, by=by, sei=document.sei, reason=reason)
    db.session.flush()


def lock_if_opened_elsewhere(document, unit):
    """A document is locked when a unit other than its own opens it (minutas are never seen elsewhere),
    unless that unit sees it through a Bloco de Assinatura made available to it."""
    if document.locked_at is None and not document.is_draft and unit is not None and unit.id != document.unit_id \
            and not access.in_available_block(document, unit):  # a Bloco de Assinatura shows it unlocked (issue 6)
        document.locked_at = utcnow()
        db.session.flush()
        return True
    return False


def lock_process_documents(process, unit):
    """Lock the non-minuta documents of `unit` in `process` (call when the process is sent or concluded)."""
    db.session.execute(update(Document).where(
        Document.process_id == process.id, Document.unit_id == unit.id, Document.locked_at.is_(None),
        Document.state.in_(("signed", "final"))).values(locked_at=utcnow()).execution_options(synchronize_session=False))


def tree_documents(process, unit):
    """The documents of the tree for `unit`: not deleted; minutas only of this unit; in order."""
    return db.session.scalars(select(Document).where(
        Document.process_id == process.id, Document.deleted_at.is_(None),
        or_(Document.state != "draft", Document.unit_id == (unit.id if unit else None)))
        .order_by(Document.id)).all()


def find_by_sei(org_id, text):
    """The document with this número SEI held (in a process of) or issued (by a unit of) the órgão;
    callers still check access."""
    digits = "".join(ch for ch in (text or "") if ch.isdecimal())   # "²".isdigit(), but int("²") fails
    if not digits or len(digits) > 18:
        return None
    document = db.session.scalar(select(Document).where(Document.sei_number == int(digits)))
    if document is None or org_id not in (document.organization_id, document.unit.organization_id):
        return None
    return document
