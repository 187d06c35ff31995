"""Órgãos, unidades and Cargos/Funções: creation and change, with validation and audit."""
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Organization, SignatureRole, Unit
from app.services import audit
from app.services.errors import Duplicate, InvalidInput
from app.services.validators import clean_email

UFS = ("AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO").split()
SIGLA_RE = re.compile(r"^[A-Z0-9][A-Z0-9\-]{0,29}$")
DEFAULT_LEGAL_TEXT = "art. 4º, II, da Lei nº 14.063, de 23 de setembro de 2020"


def _clean_sigla(sigla):
    sigla = (sigla or "").strip().upper()
    if not SIGLA_RE.match(sigla):
        raise InvalidInput("Sigla inválida: use de 1 a 30 letras sem acento, números ou hífen.", "sigla")
    return sigla


def _clean_required(value, label, field, max_len):
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"Informe {label}.", field)
    if len(value) > max_len:
        raise InvalidInput(f"{label[0].upper() + label[1:]} deve ter no máximo {max_len} caracteres.", field)
    return value


def clean_protocol_code(code, required=True, mask="nup"):
    """5 digits for the NUP; 6 (órgão + unidade, OOOUUU) for the NIPE."""
    code = (code or "").strip()
    if not code and not required:
        return None
    digits = 6 if mask == "nipe" else 5
    if not re.fullmatch(rf"\d{{{digits}}}", code):
        label = "NIPE" if mask == "nipe" else "NUP"
        raise InvalidInput(f"O código de protocolo deve ter exatamente {digits} dígitos (formato {label}).",
                           "protocol_code")
    return code


def _clean_uf(uf):
    uf = (uf or "").strip().upper()
    if uf not in UFS:
        raise InvalidInput("UF inválida: use a sigla do estado, por exemplo MG.", "uf")
    return uf


def find_org(sigla):
    return db.session.scalar(select(Organization).where(Organization.sigla == (sigla or "").strip().upper()))


def create_organization(*, sigla, name, city, uf, protocol_code, by=None, legal_text=None, public_base_url=None):
    """Create an órgão ready to use: default cargos and the reference data of every module."""
    sigla = _clean_sigla(sigla)
    if find_org(sigla):
        raise Duplicate(f"Já existe um órgão com a sigla {sigla}.", "sigla")
    org = Organization(
        sigla=sigla, name=_clean_required(name, "o nome", "name", 200),
        city=_clean_required(city, "a cidade", "city", 100), uf=_clean_uf(uf),
        protocol_code=clean_protocol_code(protocol_code), number_mask="nup",
        signature_legal_text=legal_text or DEFAULT_LEGAL_TEXT, public_base_url=public_base_url,
    )
    db.session.add(org)
    db.session.flush()
    from app.services.org_setup import seed_new_organization
    seed_new_organization(org)
    audit.record(org, "org_created", by=by, sigla=sigla)
    db.session.flush()
    return org


ORG_EDITABLE = ("name", "city", "uf", "protocol_code", "number_mask", "nipe_state_code",
                "signature_legal_text", "public_base_url", "allow_cross_org_routing")


def update_organization(org, *, by, **fields):
    """Change an órgão's settings; the changed field names go to the audit log."""
    clean = dict(fields)
    if "name" in clean:
        clean["name"] = _clean_required(clean["name"], "o nome", "name", 200)
    if "city" in clean:
        clean["city"] = _clean_required(clean["city"], "a cidade", "city", 100)
    if "uf" in clean:
        clean["uf"] = _clean_uf(clean["uf"])
    mask = clean.get("number_mask", org.number_mask)
    if "protocol_code" in clean:
        clean["protocol_code"] = clean_protocol_code(clean["protocol_code"], mask=mask)
    if "signature_legal_text" in clean:
        clean["signature_legal_text"] = _clean_required(
            clean["signature_legal_text"], "o ato normativo das assinaturas", "signature_legal_text", 500)
    if clean.get("number_mask", "nup") not in ("nup", "nipe"):
        raise InvalidInput("Formato de numeração inválido.", "number_mask")
    if clean.get("number_mask") == "nipe" and not re.fullmatch(r"\d{2}", clean.get("nipe_state_code") or ""):
        raise InvalidInput("Para o formato NIPE informe o código do estado com 2 dígitos.", "nipe_state_code")
    changed = _apply(org, clean, ORG_EDITABLE)
    if changed:
        audit.record(org, "org_updated", by=by, fields=", ".join(changed))
    db.session.flush()
    return changed


def _apply(obj, values, allowed):
    changed = []
    for key in allowed:
        if key in values and getattr(obj, key) != values[key]:
            setattr(obj, key, values[key])
            changed.append(key)
    return changed


def find_unit(org, sigla):
    return db.session.scalar(select(Unit).where(Unit.organization_id == org.id,
                                                func.upper(Unit.sigla) == (sigla or "").strip().upper()))


def _check_parent(org, unit, parent):
    if parent is None:
        return
    if parent.organization_id != org.id:
        raise InvalidInput("A unidade superior deve ser do mesmo órgão.", "parent_id")
    if unit is not None and (parent.id == unit.id or unit.id in {a.id for a in parent.ancestors()}):
        raise InvalidInput("Uma unidade não pode ficar subordinada a si mesma nem a uma de suas subordinadas.",
                           "parent_id")


def create_unit(org, *, sigla, name, parent=None, protocol_code=None, email=None, by=None):
    sigla = _clean_sigla(sigla)
    if find_unit(org, sigla):
        raise Duplicate(f"Já existe uma unidade com a sigla {sigla} neste órgão.", "sigla")
    _check_parent(org, None, parent)
    unit = Unit(organization_id=org.id, sigla=sigla, name=_clean_required(name, "o nome", "name", 200),
                parent=parent, protocol_code=clean_protocol_code(protocol_code, required=False, mask=org.number_mask),
                email=clean_email(email))
    db.session.add(unit)
    audit.record(org, "unit_created", by=by, sigla=sigla)
    db.session.flush()
    return unit


def update_unit(unit, *, by, sigla, name, parent, protocol_code, email, active):
    org = unit.organization
    sigla = _clean_sigla(sigla)
    other = find_unit(org, sigla)
    if other is not None and other.id != unit.id:
        raise Duplicate(f"Já existe uma unidade com a sigla {sigla} neste órgão.", "sigla")
    _check_parent(org, unit, parent)
    values = dict(sigla=sigla, name=_clean_required(name, "o nome", "name", 200), parent_id=parent.id if parent else None,
                  protocol_code=clean_protocol_code(protocol_code, required=False, mask=org.number_mask),
                  email=clean_email(email), active=bool(active))
    changed = _apply(unit, values, values.keys())
    if changed:
        audit.record(org, "unit_updated", by=by, sigla=sigla, fields=", ".join(changed))
    db.session.flush()
    return changed


def unit_tree(org, include_inactive=True):
    """The órgão's units as (unit, depth) in tree order, one query."""
    units = db.session.scalars(select(Unit).where(Unit.organization_id == org.id).order_by(Unit.sigla)).all()
    children = {}
    for unit in units:
        if include_inactive or unit.active:
            children.setdefault(unit.parent_id, []).append(unit)
    out = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            out.append((unit, depth))
            walk(unit.id, depth + 1)
    walk(None, 0)
    return out


def create_signature_role(org, *, title, unit=None, by=None):
    title = _clean_required(title, "o cargo/função", "title", 120)
    if unit is not None and unit.organization_id != org.id:
        raise InvalidInput("A unidade deve ser do mesmo órgão.", "unit_id")
    exists = db.session.scalar(select(SignatureRole).where(
        SignatureRole.organization_id == org.id, SignatureRole.unit_id == (unit.id if unit else None),
        SignatureRole.title == title))
    if exists:
        raise Duplicate(f"O cargo/função \"{title}\" já existe nesta lista.", "title")
    role = SignatureRole(organization_id=org.id, unit_id=unit.id if unit else None, title=title)
    db.session.add(role)
    audit.record(org, "role_created", by=by, title=title, scope=f" na unidade {unit.sigla}" if unit else "")
    db.session.flush()
    return role


def set_signature_role_active(role, active, *, by):
    if role.active != bool(active):
        role.active = bool(active)
        audit.record(role_org(role), "role_updated", by=by, title=role.title,
                     state="reativado" if active else "desativado")
    db.session.flush()


def role_org(role):
    return db.session.get(Organization, role.organization_id)


def signature_roles_for(unit):
    """The cargos a clerk of `unit` may sign with: the unit's own list, else the órgão's defaults."""
    own = db.session.scalars(select(SignatureRole).where(
        SignatureRole.unit_id == unit.id, SignatureRole.active.is_(True)).order_by(SignatureRole.title)).all()
    if own:
        return own
    return db.session.scalars(select(SignatureRole).where(
        SignatureRole.organization_id == unit.organization_id, SignatureRole.unit_id.is_(None),
        SignatureRole.active.is_(True)).order_by(SignatureRole.title)).all()
