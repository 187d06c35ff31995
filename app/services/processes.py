"""Processes: the NUP/NIPE number, Iniciar Processo, Alterar Processo, first opening by a unit."""
import re
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import ACCESS_LABELS, ACCESS_LEVELS, Contact, Process, ProcessInterested, ProcessUnit
from app.models.base import utcnow
from app.services import access, credentials, history, movement
from app.services.counters import next_value
from app.services.errors import Duplicate, InvalidInput
from app.services.form_tokens import TOKEN_RE
from app.services.inputs import clean_text
from app.services.numbering import format_process_number, normalize_process_number
from app.services.search_terms import fold
from app.services.validators import format_cnpj, format_cpf, validate_cpf_or_cnpj

BRASILIA = ZoneInfo("America/Sao_Paulo")
SPECIFICATION_MAX = 100
MAX_INTERESTED = 50
# "Maria da Silva - 123.456.789-09" / "Empresa X; 12.345.678/0001-95": the trailing CPF/CNPJ is optional.
# A CPF/CNPJ at the end of the line: digits (with punctuation), or an alphanumeric CNPJ as its own word.
_DOC_AT_END = re.compile(r"^(?P<name>.*?)[\s;,–-]*(?P<doc>\d[\d\s./-]{3,}\d|(?<![\w.])[0-9A-Za-z]{2}\.?[0-9A-Za-z]{3}\.?"
                         r"[0-9A-Za-z]{3}/?[0-9A-Za-z]{4}-?\d{2})\s*$")


def today():
    """Today in Brasília (deadlines and overdue marks are dates there)."""
    return utcnow().astimezone(BRASILIA).date()



# --- Numbering -------------------------------------------------------------------------------

def number_scope(org, unit, year):
    """The counter scope of the sequence: per protocol code and year (and state code for NIPE)."""
    code = unit.effective_protocol_code
    if org.number_mask == "nipe":
        return f"nipe:{org.nipe_state_code}:{int(code):06d}:{year}"
    return f"nup:{code}:{year}"


def next_process_number(org, unit, now=None):
    """Take the next number of the unit's protocol code for this year (Brasília); the counter row stays
    locked until the caller's transaction ends, and a rollback gives the number back."""
    year = (now or utcnow()).astimezone(BRASILIA).year
    sequence = next_value(number_scope(org, unit, year))
    number = format_process_number(org.number_mask, protocol_code=unit.effective_protocol_code,
                                   sequence=sequence, year=year, state_code=org.nipe_state_code)
    return number, normalize_process_number(number)


# --- Input checks ----------------------------------------------------------------------------

def clean_specification(text):
    text = " ".join(clean_text(text or "").split())
    if not text:
        raise InvalidInput("Informe a especificação do processo.", "specification")
    if len(text) > SPECIFICATION_MAX:
        raise InvalidInput(f"A especificação deve ter no máximo {SPECIFICATION_MAX} caracteres "
                           f"(tem {len(text)}).", "specification")
    return text


def parse_interested(text):
    """Lines "Nome" or "Nome - CPF/CNPJ" → [(name, digits or None)], validated, without repeats."""
    out, seen = [], set()
    for number, line in enumerate(clean_text(text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _DOC_AT_END.match(line)
        name, doc = (match["name"].strip(), match["doc"]) if match else (line, None)
        if doc is not None:
            try:
                doc = validate_cpf_or_cnpj(doc.replace(" ", ""))
            except ValueError as error:
                raise InvalidInput(f"Interessado na linha {number}: {error}", "interested") from None
        name = " ".join(name.split())
        if not name:
            raise InvalidInput(f"Interessado na linha {number}: informe o nome.", "interested")
        if len(name) > 200:
            raise InvalidInput(f"Interessado na linha {number}: o nome deve ter no máximo 200 caracteres.",
                               "interested")
        key = doc or name.lower()
        if key not in seen:
            seen.add(key)
            out.append((name, doc))
    if len(out) > MAX_INTERESTED:
        raise InvalidInput(f"Informe no máximo {MAX_INTERESTED} interessados.", "interested")
    return out


def interested_text(process):
    """The interessados as the form shows them, one per line."""
    lines = []
    for item in process.interested:
        doc = item.contact.document
        shown = (format_cpf(doc) if len(doc) == 11 else format_cnpj(doc)) if doc else ""
        lines.append(f"{item.contact.name} - {shown}" if shown else item.contact.name)
    return "\n".join(lines)


def find_or_create_contact(org, name, doc):
    """Reuse the órgão's contact with this CPF/CNPJ, else the one with this exact name and no document."""
    if doc:
        contact = db.session.scalar(select(Contact).where(Contact.organization_id == org.id, Contact.document == doc)
                                    .order_by(Contact.id).limit(1))
        if contact is not None and " ".join(fold(contact.name).split()) != " ".join(fold(name).split()):
            shown = f"CPF {format_cpf(doc)}" if len(doc) == 11 else f"CNPJ {format_cnpj(doc)}"
            raise InvalidInput(f"Interessado: o {shown} já está cadastrado como “{contact.name}”. "
                               "Confira o número ou escreva o nome assim. Se o nome cadastrado estiver errado ou "
                               "desatualizado, o administrador do órgão pode corrigi-lo em Administração › Contatos.",
                               "interested")
    else:
        contact = db.session.scalar(select(Contact).where(
            Contact.organization_id == org.id, func.lower(Contact.name) == name.lower(),
            Contact.document.is_(None)).order_by(Contact.id).limit(1))
    if contact is None:
        contact = Contact(organization_id=org.id, name=name, document=doc)
        db.session.add(contact)
        db.session.flush()
    return contact


def _check_type(org, process_type):
    if process_type is None or process_type.organization_id != org.id:
        raise InvalidInput("Escolha um Tipo de Processo da lista.", "type_name")
    if not process_type.active:
        raise InvalidInput(f"O Tipo de Processo \"{process_type.name}\" está inativo; escolha outro.", "type_name")


def _check_level(org, process_type, level, legal_basis):
    if level not in ACCESS_LEVELS:
        raise InvalidInput("Escolha o nível de acesso.", "access_level")
    if level not in process_type.allowed:
        allowed = ", ".join(ACCESS_LABELS[x] for x in process_type.allowed)
        raise InvalidInput(f"O tipo \"{process_type.name}\" admite apenas o nível: {allowed}.", "access_level")
    if level == "publico":
        return None
    if legal_basis is None:
        raise InvalidInput(f"Para o nível {ACCESS_LABELS[level]} informe a Hipótese Legal.", "legal_basis_id")
    if legal_basis.organization_id != org.id or not legal_basis.active:
        raise InvalidInput("Escolha uma Hipótese Legal ativa da lista.", "legal_basis_id")
    if legal_basis.level != level:
        raise InvalidInput(f"A Hipótese Legal \"{legal_basis.name}\" é de nível "
                           f"{ACCESS_LABELS[legal_basis.level]}; escolha uma de nível {ACCESS_LABELS[level]}.",
                           "legal_basis_id")
    return legal_basis


def _clean_observations(text):
    text = clean_text(text or "").strip()
    if len(text) > 2000:
        raise InvalidInput("As observações devem ter no máximo 2000 caracteres.", "observations")
    return text or None


# --- Iniciar Processo ------------------------------------------------------------------------

def _find_by_token(token):
    return db.session.scalar(select(Process).where(Process.creation_token == token))


def create_process(unit, *, by, process_type, specification, interested="", access_level="publico",
                   legal_basis=None, observations="", token=None, now=None):
    """Iniciar Processo: numbered, open in `unit`, assigned to its creator, history started.

    `token` is the form's one-time token: a second submit with it creates nothing."""
    access.require_works_in(by, unit)
    org = unit.organization
    if token is not None and not TOKEN_RE.match(token):
        raise InvalidInput("Formulário inválido: recarregue a página e tente de novo.")
    if token and (earlier := _find_by_token(token)) is not None:
        raise Duplicate(f"Este formulário já foi enviado: o processo {earlier.number} foi gerado. "
                        "Nenhum outro processo foi criado.")
    _check_type(org, process_type)
    specification = clean_specification(specification)
    legal_basis = _check_level(org, process_type, access_level, legal_basis)
    people = parse_interested(interested) if isinstance(interested, str) else list(interested)
    observations = _clean_observations(observations)
    now = now or utcnow()
    number, digits = next_process_number(org, unit, now)
    process = Process(organization_id=org.id, number=number, number_digits=digits, type_id=process_type.id,
                      specification=specification, access_level=access_level,
                      legal_basis_id=legal_basis.id if legal_basis else None, generating_unit_id=unit.id,
                      author_id=by.id, created_at=now, state="open", creation_token=token)
    db.session.add(process)
    try:
        db.session.flush()
    except IntegrityError:
        # Two submits of the same form raced: the first one's commit wins the UNIQUE token.
        raise Duplicate("Este formulário já foi enviado e o processo foi gerado. Nenhum outro processo foi "
                        "criado.") from None
    for position, (name, doc) in enumerate(people):
        contact = find_or_create_contact(org, name, doc)
        db.session.add(ProcessInterested(process_id=process.id, contact_id=contact.id, position=position))
    row = ProcessUnit(process_id=process.id, unit_id=unit.id, observations=observations,
                      sigiloso=access_level == "sigiloso")
    movement.create(row, now, by.id)
    db.session.add(row)
    history.record(process, "process_created", unit=unit, by=by, at=now, level=access_level,
                   basis=legal_basis.name if legal_basis else None)
    if access_level == "sigiloso":  # whoever starts a sigiloso process holds its first credential
        credentials.grant(process, unit, by=by, user=by, to_unit=unit, at=now, auto=True)
    db.session.flush()
    return process


# --- Alterar Processo ------------------------------------------------------------------------

def update_process(process, unit, *, by, process_type, specification, interested, access_level, legal_basis=None,
                   observations=None):
    """Alterar Processo (only where it is open): each changed item writes its own andamento."""
    row = access.require_acting(by, unit, process)
    if process.state == "annexed":
        raise InvalidInput("Processo anexado não pode ser alterado: altere o processo principal.")
    org = unit.organization
    if process_type is not None and process_type.id != process.type_id:
        _check_type(org, process_type)
    else:
        process_type = process.type
    specification = clean_specification(specification)
    legal_basis = _check_level(org, process_type, access_level, legal_basis)
    people = parse_interested(interested) if isinstance(interested, str) else list(interested)
    credentials.check_level_change(process, unit, access_level)
    now, written = utcnow(), []
    log = lambda kind, **params: written.append(  # noqa: E731
        history.record(process, kind, unit=unit, by=by, at=now, **params))
    if process_type.id != process.type_id:
        log("type_changed", old=process.type.name, new=process_type.name)
        process.type_id, process.type = process_type.id, process_type
    if specification != process.specification:
        log("specification_changed", old=process.specification, new=specification)
        process.specification = specification
    if access_level != process.access_level:
        credentials.apply_level(process, unit, by=by, level=access_level, at=now,
                                basis_name=legal_basis.name if legal_basis else None)
        written.append(True)
    elif legal_basis is not None and legal_basis.id != process.legal_basis_id:
        log("legal_basis_changed", old=process.legal_basis.name if process.legal_basis else "",
            new=legal_basis.name)
    process.legal_basis_id = legal_basis.id if legal_basis else None
    _set_interested(process, org, people, log)
    if observations is not None and _clean_observations(observations) != row.observations:
        row.observations = _clean_observations(observations)
        log("observations_changed", unit_only=True)
    if written:
        movement.touch(row, now)
    db.session.flush()
    return process


def _set_interested(process, org, people, log):
    contacts = [find_or_create_contact(org, name, doc) for name, doc in people]
    old = {item.contact_id: item for item in process.interested}
    new_ids = [c.id for c in contacts]
    removed = [item.contact.name for cid, item in old.items() if cid not in new_ids]
    added = [c.name for c in contacts if c.id not in old]
    for cid, item in old.items():
        if cid not in new_ids:
            process.interested.remove(item)
    for position, contact in enumerate(contacts):
        if contact.id in old:
            old[contact.id].position = position
        else:
            process.interested.append(ProcessInterested(contact_id=contact.id, contact=contact, position=position))
    if added or removed:
        log("interested_changed", added=added, removed=removed)


# --- Opening by the unit ---------------------------------------------------------------------

def mark_received(process, unit, *, by):
    """The first opening by someone of the unit: unread → read, "Processo recebido na unidade".

    A conditional UPDATE, so two clerks opening it at once write one andamento (movement.receive's rule)."""
    now = utcnow()
    result = db.session.execute(update(ProcessUnit).where(
        ProcessUnit.process_id == process.id, ProcessUnit.unit_id == unit.id, ProcessUnit.closed_at.is_(None),
        ProcessUnit.seen_at.is_(None)).values(seen_at=now, seen_by_id=by.id))
    if result.rowcount:
        history.record(process, "process_received", unit=unit, by=by, at=now)
        db.session.flush()
    return bool(result.rowcount)


def open_units(process):
    """The units where the process is open now."""
    from app.models import Unit
    return db.session.scalars(select(Unit).join(ProcessUnit, ProcessUnit.unit_id == Unit.id).where(
        ProcessUnit.process_id == process.id, ProcessUnit.closed_at.is_(None)).order_by(Unit.sigla)).all()
