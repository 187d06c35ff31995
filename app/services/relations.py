"""Relacionar (a link both ways, undoable) and Anexar (permanent) between processes.

Anexar puts a process inside another one of the same órgão: it must be open in the current unit
alone (and the main one open here too), neither may be Sigiloso, the main one may not itself be
annexed, and the annexed one may not have annexes of its own. The annexed process closes
everywhere, shows inside the main one's tree, and can no longer move on its own."""
from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Process, ProcessRelation
from app.models.base import utcnow
from app.services import access, credentials, history, movement
from app.services.errors import Duplicate, InvalidInput

MAX_RELATIONS = 200


def find_process(user, unit, number, field="number"):
    """The process with this number that the user, in `unit`, may see; InvalidInput otherwise."""
    digits = "".join(ch for ch in (number or "") if ch.isdigit())
    if not digits:
        raise InvalidInput("Informe o número do processo.", field)
    process = db.session.scalar(select(Process).where(Process.number_digits == digits)) if len(digits) <= 20 else None
    if process is None or not access.can_view_process(user, unit, process):
        raise InvalidInput(f"Nenhum processo com o número {number.strip()} foi encontrado.", field)
    return process


# --- Relacionar ------------------------------------------------------------------------------

def _pair(a, b):
    return (a.id, b.id) if a.id < b.id else (b.id, a.id)


def relation_between(a, b):
    low, high = _pair(a, b)
    return db.session.scalar(select(ProcessRelation).where(ProcessRelation.process_id == low,
                                                           ProcessRelation.other_id == high))


def related_of(process, user, unit):
    """The related processes the user, in `unit`, may see (the others stay hidden), by number."""
    ids = db.session.execute(select(ProcessRelation.process_id, ProcessRelation.other_id).where(
        or_(ProcessRelation.process_id == process.id, ProcessRelation.other_id == process.id))).all()
    others = {b if a == process.id else a for a, b in ids}
    if not others:
        return []
    found = db.session.scalars(select(Process).where(Process.id.in_(others)).order_by(Process.number)).all()
    return [p for p in found if access.can_view_process(user, unit, p)]


def relate(process, unit, *, by, other):
    """Relacionar: both processes get an andamento; undone by `unrelate`."""
    access.require_acting(by, unit, process)
    if other is None or not access.can_view_process(by, unit, other):
        raise InvalidInput("Processo não encontrado.", "number")
    if other.id == process.id:
        raise InvalidInput("Um processo não pode ser relacionado a ele mesmo.", "number")
    if other.organization_id != process.organization_id:
        raise InvalidInput("Só é possível relacionar processos do mesmo órgão.", "number")
    if relation_between(process, other) is not None:
        raise Duplicate(f"Os processos já estão relacionados ({other.number}).", "number")
    count = db.session.scalar(select(func.count()).select_from(ProcessRelation).where(
        or_(ProcessRelation.process_id == process.id, ProcessRelation.other_id == process.id)))
    if count >= MAX_RELATIONS:
        raise InvalidInput(f"O processo já tem {MAX_RELATIONS} relacionamentos.", "number")
    at = utcnow()
    low, high = _pair(process, other)
    db.session.add(ProcessRelation(process_id=low, other_id=high, unit_id=unit.id, user_id=by.id, at=at))
    history.record(process, "process_related", unit=unit, by=by, at=at, other=other.number, other_id=other.id)
    history.record(other, "process_related", unit=unit, by=by, at=at, other=process.number, other_id=process.id)
    db.session.flush()


def unrelate(process, unit, *, by, other):
    access.require_acting(by, unit, process)
    relation = relation_between(process, other) if other is not None else None
    if relation is None:
        raise InvalidInput("Os processos não estão relacionados.")
    at = utcnow()
    db.session.delete(relation)
    history.record(process, "process_unrelated", unit=unit, by=by, at=at, other=other.number, other_id=other.id)
    history.record(other, "process_unrelated", unit=unit, by=by, at=at, other=process.number, other_id=process.id)
    db.session.flush()


# --- Anexar ----------------------------------------------------------------------------------

def annexes_of(process):
    return db.session.scalars(select(Process).where(Process.annexed_to_id == process.id)
                              .order_by(Process.number)).all()


def _check_annex(main, annexed, unit):
    if annexed.id == main.id:
        raise InvalidInput("Um processo não pode ser anexado a ele mesmo.", "number")
    if annexed.organization_id != main.organization_id:
        raise InvalidInput("Só é possível anexar processos do mesmo órgão.", "number")
    if main.state == "annexed":
        raise InvalidInput(f"O processo {main.number} já está anexado a outro processo: anexe ao processo principal.",
                           "number")
    if annexed.state == "annexed":
        raise InvalidInput(f"O processo {annexed.number} já está anexado a outro processo.", "number")
    if "sigiloso" in (main.access_level, annexed.access_level):
        raise InvalidInput("Processos sigilosos não podem ser anexados nem receber anexos.", "number")
    if main.state == "suspended" or annexed.state == "suspended":
        raise InvalidInput("Processo sobrestado não pode ser anexado nem receber anexos: remova o sobrestamento.",
                           "number")
    if annexes_of(annexed):
        raise InvalidInput(f"O processo {annexed.number} tem processos anexados e não pode ser anexado a outro.",
                           "number")
    elsewhere = [r for r in movement.open_rows(annexed) if r.unit_id != unit.id]
    if elsewhere or access.open_row(annexed, unit) is None:
        raise InvalidInput(f"O processo {annexed.number} só pode ser anexado quando estiver aberto apenas nesta "
                           "unidade.", "number")
    from app.services.routing import pending_returns
    if pending_returns(annexed):
        raise InvalidInput(f"O processo {annexed.number} tem Retorno Programado pendente e não pode ser anexado.",
                           "number")


def annex(main, unit, *, by, annexed, version=None):
    """Anexar `annexed` to `main` (both open in `unit`; the annexed one only here). Permanent."""
    movement.claim(main, version)
    access.require_works_in(by, unit)
    access.require_process(by, unit, main)
    if main.state == "annexed":
        raise InvalidInput(f"O processo {main.number} já está anexado a outro processo: anexe ao processo principal.",
                           "number")
    access.require_open_in(unit, main)
    if annexed is None or not access.can_view_process(by, unit, annexed):
        raise InvalidInput("Processo não encontrado.", "number")
    movement.claim(annexed)
    _check_annex(main, annexed, unit)
    at = utcnow()
    for row in movement.open_rows(annexed):
        movement.close(row, at)
    annexed.state, annexed.annexed_to_id = "annexed", main.id
    history.record(annexed, "process_annexed", unit=unit, by=by, at=at, main=main.number, main_id=main.id)
    history.record(main, "process_annex_added", unit=unit, by=by, at=at, annexed=annexed.number,
                   annexed_id=annexed.id)
    from app.services.documents import lock_process_documents
    lock_process_documents(annexed, unit)
    if credentials.LEVEL_RANK[annexed.access_level] > credentials.LEVEL_RANK[main.access_level]:
        if main.legal_basis_id is None:
            main.legal_basis_id = annexed.legal_basis_id
        credentials.apply_level(main, unit, by=by, level=annexed.access_level,
                                basis_name=annexed.legal_basis.label if annexed.legal_basis else None, at=at)
    db.session.flush()
    return annexed


history.TEXTS.update({
    "process_related": "Relacionamento com o processo {other}",
    "process_unrelated": "Removido o relacionamento com o processo {other}",
    "process_annexed": "Processo anexado ao processo {main}",
    "process_annex_added": "Anexado o processo {annexed}",
})
