"""Users and their memberships: creation, change, passwords."""
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Membership, User
from app.models.user import new_session_token
from app.services import audit
from app.services.errors import Duplicate, InvalidInput
from app.services.passwords import hash_password, password_problem, verify_password
from app.services.validators import clean_email, is_valid_cpf, normalize_digits

LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._\-]{1,59}$")


def clean_login(login):
    login = (login or "").strip().lower()
    if not LOGIN_RE.match(login):
        raise InvalidInput("Usuário inválido: use de 2 a 60 letras minúsculas sem acento, números, ponto, "
                           "hífen ou sublinhado.", "login")
    return login


def _clean_name(name):
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Informe o nome.", "name")
    if len(name) > 200:
        raise InvalidInput("O nome deve ter no máximo 200 caracteres.", "name")
    return name


def _clean_cpf(cpf):
    if not (cpf or "").strip():
        return None
    if not is_valid_cpf(cpf):
        raise InvalidInput("CPF inválido: confira os dígitos.", "cpf")
    return normalize_digits(cpf)


def _check_password(password, field="password"):
    problem = password_problem(password)
    if problem:
        raise InvalidInput(problem, field)


def find_user(login):
    return db.session.scalar(select(User).where(func.lower(User.login) == (login or "").strip().lower()))


def _check_units(org, units):
    units = list(dict.fromkeys(units))
    if not units:
        raise InvalidInput("O usuário deve trabalhar em pelo menos uma unidade.", "units")
    for unit in units:
        if unit.organization_id != org.id:
            raise InvalidInput("As unidades devem ser do mesmo órgão do usuário.", "units")
    return units


def create_user(org, *, login, name, password, units, email=None, cpf=None, is_admin=False, by=None):
    login = clean_login(login)
    if find_user(login):
        raise Duplicate(f"O usuário \"{login}\" já existe.", "login")
    name, email, cpf = _clean_name(name), clean_email(email), _clean_cpf(cpf)
    _check_password(password)
    units = _check_units(org, units)
    user = User(organization_id=org.id, login=login, name=name, email=email, cpf=cpf,
                password_hash=hash_password(password), is_org_admin=bool(is_admin), last_unit_id=units[0].id)
    db.session.add(user)
    db.session.flush()
    for unit in units:
        db.session.add(Membership(user_id=user.id, unit_id=unit.id))
    audit.record(org, "user_created", by=by, login=login)
    db.session.flush()
    return user


def update_user(user, *, by, name, email, cpf, active, is_admin):
    if by is not None and by.id == user.id and (not active or not is_admin) and user.is_org_admin:
        raise InvalidInput("Você não pode desativar nem retirar a administração da sua própria conta.", "active")
    values = dict(name=_clean_name(name), email=clean_email(email), cpf=_clean_cpf(cpf),
                  active=bool(active), is_org_admin=bool(is_admin))
    changed = [k for k, v in values.items() if getattr(user, k) != v]
    for key in changed:
        setattr(user, key, values[key])
    if "active" in changed and not user.active:
        user.session_token = new_session_token()
    if changed:
        audit.record(user.organization, "user_updated", by=by, login=user.login, fields=", ".join(changed))
    db.session.flush()
    return changed


def set_memberships(user, units, *, by):
    """Make the user's units exactly `units`, auditing each addition and removal."""
    units = _check_units(user.organization, units)
    wanted = {u.id: u for u in units}
    for membership in list(user.memberships):
        if membership.unit_id not in wanted:
            audit.record(user.organization, "membership_removed", by=by, login=user.login, sigla=membership.unit.sigla)
            user.memberships.remove(membership)
    have = {m.unit_id for m in user.memberships}
    for unit_id, unit in wanted.items():
        if unit_id not in have:
            user.memberships.append(Membership(user_id=user.id, unit_id=unit_id, unit=unit))
            audit.record(user.organization, "membership_added", by=by, login=user.login, sigla=unit.sigla)
    db.session.flush()


def change_password(user, *, current, new, confirm):
    if not verify_password(user.password_hash, current or ""):
        raise InvalidInput("A senha atual não confere.", "current")
    if new == confirm and current == new:
        raise InvalidInput("A nova senha deve ser diferente da atual.", "new")
    set_new_password(user, new=new, confirm=confirm, kind="password_changed")


def set_new_password(user, *, new, confirm, kind):
    """The user's own new password (Alterar senha, Esqueci minha senha): confirmed, policy-checked, audited."""
    if new != confirm:
        raise InvalidInput("A confirmação não confere com a nova senha.", "confirm")
    _check_password(new, "new")
    _set_password(user, new)
    audit.record(user.organization, kind, by=user, login=user.login)
    db.session.flush()


def reset_password(user, new, *, by):
    _check_password(new)
    _set_password(user, new)
    audit.record(user.organization, "password_reset", by=by, login=user.login)
    db.session.flush()


def _set_password(user, password):
    from app.models.base import utcnow
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_token = new_session_token()
