"""Tipos de Processo and Hipóteses Legais of an órgão: reference seeding, admin changes, lookups."""
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import ACCESS_LABELS, ACCESS_LEVELS, LegalBasis, Process, ProcessType
from app.services import audit
from app.services.errors import Duplicate, InvalidInput

RESTRICTED_LEVELS = ("restrito", "sigiloso")

audit.AUDIT_TEXTS.update({
    "process_type_created": "Tipo de Processo \"{name}\" criado",
    "process_type_updated": "Tipo de Processo \"{name}\" alterado: {fields}",
    "legal_basis_created": "Hipótese Legal \"{name}\" criada",
    "legal_basis_updated": "Hipótese Legal \"{name}\" alterada: {fields}",
    "legal_basis_deleted": "Hipótese Legal \"{name}\" excluída",
})


# --- Seeding (idempotent: adds what is missing, never changes what the órgão adjusted) ------

def seed_legal_bases(org):
    from app.seeds.reference import LEGAL_BASES
    existing = set(db.session.scalars(select(LegalBasis.name).where(LegalBasis.organization_id == org.id)))
    for spec in LEGAL_BASES:
        if spec["name"] not in existing:
            db.session.add(LegalBasis(organization_id=org.id, name=spec["name"], basis=spec["basis"],
                                      level=spec["level"]))
    db.session.flush()


def seed_process_types(org):
    from app.seeds.reference import PROCESS_TYPES
    seed_legal_bases(org)
    bases = {b.name: b.id for b in legal_bases(org)}
    existing = set(db.session.scalars(select(ProcessType.name).where(ProcessType.organization_id == org.id)))
    for spec in PROCESS_TYPES:
        if spec["name"] not in existing:
            db.session.add(ProcessType(
                organization_id=org.id, name=spec["name"], code=spec["code"], suggested_level=spec["suggested_level"],
                allowed_levels=",".join(spec["allowed_levels"]),
                suggested_legal_basis_id=bases.get(spec["suggested_legal_basis"])))
    db.session.flush()


# --- Lookups ---------------------------------------------------------------------------------

def legal_bases(org, active_only=False):
    query = select(LegalBasis).where(LegalBasis.organization_id == org.id)
    if active_only:
        query = query.where(LegalBasis.active.is_(True))
    return db.session.scalars(query.order_by(LegalBasis.level, LegalBasis.name)).all()


def process_types(org, active_only=False):
    query = select(ProcessType).options(joinedload(ProcessType.suggested_legal_basis)).where(
        ProcessType.organization_id == org.id)
    if active_only:
        query = query.where(ProcessType.active.is_(True))
    return db.session.scalars(query.order_by(ProcessType.name)).all()


def types_for_unit(unit, frequent=6):
    """(most used by this unit, all active types): the first list leads the Iniciar Processo choice."""
    usage = dict(db.session.execute(
        select(Process.type_id, func.count()).where(Process.generating_unit_id == unit.id)
        .group_by(Process.type_id)).all())
    types = process_types(unit.organization, active_only=True)
    top = sorted((t for t in types if usage.get(t.id)), key=lambda t: (-usage[t.id], t.name))[:frequent]
    return top, types


def find_type(org, text):
    """The type named (or coded) `text` in the órgão, case-insensitive; None if there is none."""
    text = (text or "").strip()
    if not text:
        return None
    return db.session.scalar(select(ProcessType).where(
        ProcessType.organization_id == org.id,
        or_(func.lower(ProcessType.name) == text.lower(), ProcessType.code == text)).limit(1))


# --- Validation ------------------------------------------------------------------------------

def _required(value, label, field, max_len):
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"Informe {label}.", field)
    if len(value) > max_len:
        raise InvalidInput(f"O campo deve ter no máximo {max_len} caracteres.", field)
    return value


def _check_same_org(org, obj, field):
    if obj is not None and obj.organization_id != org.id:
        raise InvalidInput("Registro de outro órgão.", field)


def _apply(obj, values):
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for key in changed:
        setattr(obj, key, values[key])
    return changed


# --- Hipóteses Legais ------------------------------------------------------------------------

def _legal_basis_values(org, current, name, basis, level):
    name = _required(name, "o nome", "name", 150)
    if level not in RESTRICTED_LEVELS:
        raise InvalidInput("Escolha o nível: Restrito ou Sigiloso.", "level")
    other = db.session.scalar(select(LegalBasis).where(LegalBasis.organization_id == org.id,
                                                       func.lower(LegalBasis.name) == name.lower()))
    if other is not None and other is not current:
        raise Duplicate(f"Já existe a Hipótese Legal \"{name}\".", "name")
    return dict(name=name, basis=_required(basis, "a base legal", "basis", 300), level=level)


def create_legal_basis(org, *, name, basis, level, by):
    legal_basis = LegalBasis(organization_id=org.id, **_legal_basis_values(org, None, name, basis, level))
    db.session.add(legal_basis)
    audit.record(org, "legal_basis_created", by=by, name=legal_basis.name)
    db.session.flush()
    return legal_basis


def legal_basis_in_use(legal_basis):
    return bool(db.session.scalar(select(func.count()).select_from(Process).where(
        Process.legal_basis_id == legal_basis.id)) or db.session.scalar(
        select(func.count()).select_from(ProcessType).where(ProcessType.suggested_legal_basis_id == legal_basis.id)))


def legal_bases_in_use(org):
    """Ids of the órgão's hipóteses used by a process or suggested by a type (these cannot be deleted)."""
    used = set(db.session.scalars(select(Process.legal_basis_id).where(
        Process.organization_id == org.id, Process.legal_basis_id.is_not(None)).distinct()))
    return used | set(db.session.scalars(select(ProcessType.suggested_legal_basis_id).where(
        ProcessType.organization_id == org.id, ProcessType.suggested_legal_basis_id.is_not(None)).distinct()))


def update_legal_basis(legal_basis, *, name, basis, level, active, by):
    org = _org_of(legal_basis)
    values = _legal_basis_values(org, legal_basis, name, basis, level)
    if values["level"] != legal_basis.level and legal_basis_in_use(legal_basis):
        raise InvalidInput("Esta hipótese já foi usada: o nível não pode mudar. Crie outra e desative esta.", "level")
    values["active"] = bool(active)
    changed = _apply(legal_basis, values)
    if changed:
        audit.record(org, "legal_basis_updated", by=by, name=legal_basis.name, fields=", ".join(changed))
    db.session.flush()
    return changed


def delete_legal_basis(legal_basis, *, by):
    """Only a never-used hipótese may be deleted; a used one can only be deactivated."""
    if legal_basis_in_use(legal_basis):
        raise InvalidInput("Esta Hipótese Legal já foi usada e não pode ser excluída; desative-a.")
    audit.record(_org_of(legal_basis), "legal_basis_deleted", by=by, name=legal_basis.name)
    db.session.delete(legal_basis)
    db.session.flush()


def _org_of(obj):
    from app.models import Organization
    return db.session.get(Organization, obj.organization_id)


# --- Tipos de Processo -----------------------------------------------------------------------

def _type_values(org, current, name, code, suggested_level, allowed_levels, suggested_legal_basis):
    name = _required(name, "o nome", "name", 150)
    other = db.session.scalar(select(ProcessType).where(ProcessType.organization_id == org.id,
                                                        func.lower(ProcessType.name) == name.lower()))
    if other is not None and other is not current:
        raise Duplicate(f"Já existe o Tipo de Processo \"{name}\".", "name")
    code = (code or "").strip() or None
    if code and len(code) > 30:
        raise InvalidInput("O código deve ter no máximo 30 caracteres.", "code")
    allowed = [level for level in ACCESS_LEVELS if level in set(allowed_levels or ())]
    if not allowed:
        raise InvalidInput("Marque pelo menos um nível de acesso permitido.", "allowed_levels")
    if suggested_level not in allowed:
        raise InvalidInput(f"O nível sugerido ({ACCESS_LABELS.get(suggested_level, '?')}) deve estar entre os "
                           "permitidos.", "suggested_level")
    _check_same_org(org, suggested_legal_basis, "suggested_legal_basis_id")
    if suggested_legal_basis is not None and suggested_legal_basis.level != suggested_level:
        raise InvalidInput("A Hipótese Legal sugerida deve ser do mesmo nível sugerido.", "suggested_legal_basis_id")
    return dict(name=name, code=code, suggested_level=suggested_level, allowed_levels=",".join(allowed),
                suggested_legal_basis_id=suggested_legal_basis.id if suggested_legal_basis else None)


def create_process_type(org, *, name, code, suggested_level, allowed_levels, suggested_legal_basis=None, by):
    process_type = ProcessType(organization_id=org.id, **_type_values(
        org, None, name, code, suggested_level, allowed_levels, suggested_legal_basis))
    db.session.add(process_type)
    audit.record(org, "process_type_created", by=by, name=process_type.name)
    db.session.flush()
    return process_type


def update_process_type(process_type, *, name, code, suggested_level, allowed_levels, suggested_legal_basis=None,
                        active, by):
    org = _org_of(process_type)
    values = _type_values(org, process_type, name, code, suggested_level, allowed_levels, suggested_legal_basis)
    values["active"] = bool(active)
    changed = _apply(process_type, values)
    if changed:
        audit.record(org, "process_type_updated", by=by, name=process_type.name, fields=", ".join(changed))
    db.session.flush()
    return changed
