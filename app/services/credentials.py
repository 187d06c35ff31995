"""Nível de acesso changes and Credenciais de Acesso (Sigiloso): Conceder, Cassar, Renunciar.

A Sigiloso process is seen only by users holding an active credential in the current unit. It
does not travel by "Enviar Processo": a holder grants a credential to a named user in one of that
user's units, which opens the process there (unread). A process may become Sigiloso only while it
is open in the acting unit alone; the acting user then gets the first credential. Leaving Sigiloso
ends every credential. A process takes the highest level of its documents (documents.py calls
`raise_to_document_level`), and cannot be set below it."""
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import ACCESS_LABELS, Credential, Document, ProcessUnit, Unit, User
from app.models.base import utcnow
from app.services import access, history, movement
from app.services.errors import Duplicate, Forbidden, InvalidInput, NotFound

LEVEL_RANK = {"publico": 0, "restrito": 1, "sigiloso": 2}
CREDENTIAL_KINDS = ("credential_granted", "credential_revoked", "credential_renounced")


# --- nível de acesso -------------------------------------------------------------------------

def documents_level(process):
    """The highest level among the process's documents (deleted and cancelled ones aside), or None."""
    levels = db.session.scalars(select(Document.access_level).where(
        Document.process_id == process.id, Document.deleted_at.is_(None), Document.state != "cancelled").distinct())
    return max(levels, key=LEVEL_RANK.__getitem__, default=None)


def check_level_change(process, unit, new_level, *, field="access_level"):
    """The rules of a level change made in `unit`; raises InvalidInput (nothing changed)."""
    if new_level == process.access_level:
        return
    floor = documents_level(process)
    if floor and LEVEL_RANK[new_level] < LEVEL_RANK[floor]:
        raise InvalidInput(f"O processo tem documento de nível {ACCESS_LABELS[floor]}: o nível do processo não pode "
                           f"ser menor que {ACCESS_LABELS[floor]}.", field)
    if new_level == "sigiloso":
        if process.state != "open":
            raise InvalidInput("Processo sobrestado ou anexado não pode passar a Sigiloso.", field)
        others = [u.sigla for u in _open_units(process) if u.id != unit.id]
        if others:
            raise InvalidInput(f"O processo só pode passar a Sigiloso quando estiver aberto apenas nesta unidade; "
                               f"ele também está aberto em: {', '.join(others)}.", field)
        if db.session.scalar(select(func.count()).select_from(_pending_returns(process))):
            raise InvalidInput("O processo tem Retorno Programado pendente e não pode passar a Sigiloso.", field)


def _pending_returns(process):
    from app.models import ScheduledReturn
    return select(ScheduledReturn.id).where(ScheduledReturn.process_id == process.id,
                                            ScheduledReturn.returned_at.is_(None)).subquery()


def _open_units(process):
    return db.session.scalars(select(Unit).join(ProcessUnit, ProcessUnit.unit_id == Unit.id).where(
        ProcessUnit.process_id == process.id, ProcessUnit.closed_at.is_(None))).all()


def apply_level(process, unit, *, by, level, basis_name=None, at=None):
    """Set the level (after check_level_change): andamento, rows' sigiloso mark, credentials."""
    at = at or utcnow()
    old = process.access_level
    if level == old:
        return False
    ended = 0
    if old == "sigiloso":
        ended = _end_all(process, by=by, at=at)
    process.access_level = level
    db.session.execute(update(ProcessUnit).where(ProcessUnit.process_id == process.id)
                       .values(sigiloso=level == "sigiloso").execution_options(synchronize_session="fetch"))
    history.record(process, "level_changed", unit=unit, by=by, at=at, old=old, new=level, basis=basis_name,
                   credentials_ended=ended or None)
    movement.touch(access.open_row(process, unit), at)
    if level == "sigiloso":
        grant(process, unit, by=by, user=by, to_unit=unit, at=at, auto=True)
    db.session.flush()
    return True


def raise_to_document_level(process, document, *, by, unit):
    """Hook called where a document's level is set: the process takes the highest level of its documents."""
    if LEVEL_RANK[document.access_level] <= LEVEL_RANK[process.access_level]:
        return False
    check_level_change(process, unit, document.access_level)
    if process.legal_basis_id is None:
        process.legal_basis_id = document.legal_basis_id
    basis = document.legal_basis.label if document.legal_basis else None
    return apply_level(process, unit, by=by, level=document.access_level, basis_name=basis)


def _end_all(process, *, by, at):
    active = db.session.scalars(select(Credential).where(Credential.process_id == process.id,
                                                          Credential.ended_at.is_(None))).all()
    for credential in active:
        credential.ended_at, credential.ended_kind, credential.ended_by_id = at, "level", by.id if by else None
    return len(active)


# --- credentials -----------------------------------------------------------------------------

def active_credentials(process):
    return db.session.scalars(select(Credential).where(Credential.process_id == process.id,
                                                        Credential.ended_at.is_(None)).order_by(Credential.id)).all()


def credential_history(process):
    return db.session.scalars(select(Credential).where(Credential.process_id == process.id)
                              .order_by(Credential.id.desc())).all()


def credentials_of(user, *, before=None, size=50):
    """"Processos com Credencial": the user's active credentials, newest first (keyset by id)."""
    query = select(Credential).where(Credential.user_id == user.id, Credential.ended_at.is_(None))
    if before:
        query = query.where(Credential.id < before)
    rows = db.session.scalars(query.order_by(Credential.id.desc()).limit(size + 1)).all()
    return rows[:size], (rows[size - 1].id if len(rows) > size else None)


def _require_holder(process, unit, by):
    """The acting user must hold a credential here, where the process is open, and it must be Sigiloso."""
    access.require_works_in(by, unit)
    if process.access_level != "sigiloso":
        raise InvalidInput("Credenciais de acesso só existem para processos sigilosos.")
    if not access.has_credential(by, unit, process):
        raise NotFound("Processo não encontrado.")
    return access.require_open_in(unit, process)


def grant(process, unit, *, by, user, to_unit, at=None, auto=False, version=None):
    """Conceder Credencial de Acesso to `user` in `to_unit` (one of the user's units): it opens there."""
    at = at or utcnow()
    if not auto:
        movement.claim(process, version)
        _require_holder(process, unit, by)
        if process.state == "annexed":
            raise InvalidInput("Processo anexado não recebe credenciais: use o processo principal.")
        if user is None or not user.active or user.organization_id != process.organization_id:
            raise InvalidInput("Escolha um usuário ativo do órgão.", "user")
        if to_unit is None or not to_unit.active or not user.works_in(to_unit):
            raise InvalidInput(f"{user.name} não trabalha na unidade escolhida; escolha uma das unidades do usuário.",
                               "user")
    existing = db.session.scalar(select(Credential).where(
        Credential.process_id == process.id, Credential.user_id == user.id, Credential.unit_id == to_unit.id,
        Credential.ended_at.is_(None)))
    if existing is not None:
        if auto:
            return existing
        raise Duplicate(f"{user.name} já tem credencial de acesso a este processo na unidade {to_unit.sigla}.", "user")
    credential = Credential(process_id=process.id, user_id=user.id, unit_id=to_unit.id, granted_by_id=by.id,
                            granted_unit_id=unit.id, granted_at=at)
    db.session.add(credential)
    rows = movement.rows_of(process)
    row = movement.row_for(process, to_unit.id, rows)
    opened = row.id is None or row.closed_at is not None
    if opened:
        movement.arrive(row, at)
    row.sigiloso = True
    history.record(process, "credential_granted", unit=unit, by=by, at=at, user_id=user.id, name=user.name,
                   login=user.login, to_unit_id=to_unit.id, to_unit=to_unit.sigla, opened=opened, auto=auto or None)
    db.session.flush()
    return credential


def _close_if_no_holder(process, credential, at):
    """After a credential ends: a unit left without holders closes the process there."""
    if db.session.scalar(select(func.count()).select_from(Credential).where(
            Credential.process_id == process.id, Credential.unit_id == credential.unit_id,
            Credential.ended_at.is_(None))):
        return False
    row = db.session.scalar(select(ProcessUnit).where(ProcessUnit.process_id == process.id,
                                                      ProcessUnit.unit_id == credential.unit_id,
                                                      ProcessUnit.closed_at.is_(None)))
    if row is None:
        return False
    movement.close(row, at)
    return True


def revoke(process, unit, *, by, credential, version=None):
    """Cassar: a holder ends a credential granted by the current unit (not their own: that is Renunciar)."""
    movement.claim(process, version)
    _require_holder(process, unit, by)
    if credential is None or credential.process_id != process.id or credential.ended_at is not None:
        raise InvalidInput("Credencial não encontrada ou já encerrada.")
    if credential.user_id == by.id:
        raise InvalidInput("Para deixar de ter acesso ao processo use “Renunciar Credencial”.")
    if credential.granted_unit_id != unit.id:
        raise Forbidden(f"Só a unidade que concedeu a credencial ({credential.granted_unit.sigla}) pode cassá-la.")
    at = utcnow()
    credential.ended_at, credential.ended_kind, credential.ended_by_id = at, "revoked", by.id
    db.session.flush()
    closed = _close_if_no_holder(process, credential, at)
    history.record(process, "credential_revoked", unit=unit, by=by, at=at, user_id=credential.user_id,
                   name=credential.user.name, to_unit_id=credential.unit_id, to_unit=credential.unit.sigla,
                   closed=closed)
    db.session.flush()
    return credential


def renounce(process, unit, *, by, version=None):
    """Renunciar: the user gives up their own credential in the current unit."""
    movement.claim(process, version)
    access.require_works_in(by, unit)
    credential = db.session.scalar(select(Credential).where(
        Credential.process_id == process.id, Credential.user_id == by.id, Credential.unit_id == unit.id,
        Credential.ended_at.is_(None)))
    if credential is None:
        raise NotFound("Processo não encontrado.")
    others = select(func.count()).select_from(Credential).where(
        Credential.process_id == process.id, Credential.ended_at.is_(None), Credential.id != credential.id)
    if not db.session.scalar(others):
        raise InvalidInput("Você é o único usuário com credencial de acesso a este processo: conceda credencial a "
                           "outro usuário antes de renunciar.")
    open_here = access.open_row(process, unit) is not None
    if open_here and len(movement.open_rows(process)) == 1 and not db.session.scalar(
            others.where(Credential.unit_id == unit.id)):
        raise InvalidInput("O processo está aberto só nesta unidade e ninguém mais aqui tem credencial: conclua o "
                           "processo ou conceda credencial a outro usuário desta unidade antes de renunciar.")
    at = utcnow()
    credential.ended_at, credential.ended_kind, credential.ended_by_id = at, "renounced", by.id
    db.session.flush()
    closed = _close_if_no_holder(process, credential, at)
    history.record(process, "credential_renounced", unit=unit, by=by, at=at, user_id=by.id, name=by.name,
                   to_unit_id=unit.id, to_unit=unit.sigla, closed=closed)
    db.session.flush()
    return credential


def find_users(org, text, limit=15):
    """(user, unit) pairs of the órgão for the credential finder: login or name contains `text`."""
    text = " ".join((text or "").split()).lower()
    if len(text) < 2:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    from app.models import Membership
    rows = db.session.execute(
        select(User, Unit).join(Membership, Membership.user_id == User.id).join(Unit, Unit.id == Membership.unit_id)
        .where(User.organization_id == org.id, User.active.is_(True), Unit.active.is_(True),
               (func.lower(User.login).like(pattern, escape="\\")) | (func.lower(User.name).like(pattern, escape="\\")))
        .order_by(User.name, Unit.sigla).limit(limit)).all()
    return [(user, unit) for user, unit in rows]


history.TEXTS.update({
    "credential_granted": lambda p: (f"Concedida credencial de acesso para {p.get('name')} na unidade {p.get('to_unit')}"
                                     + (" (automática, para quem tornou o processo sigiloso)" if p.get("auto") else "")),
    "credential_revoked": "Cassada a credencial de acesso de {name} na unidade {to_unit}",
    "credential_renounced": "Renúncia à credencial de acesso por {name} na unidade {to_unit}",
})
