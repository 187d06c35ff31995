"""The one access policy: who may see or do what. Every loader and listing asks here.

Functions take the acting user (and, where it matters, the current unit) and answer with a
bool, or raise Forbidden/NotFound for loaders. Other órgãos' objects are reported as NotFound,
so their existence is not revealed."""
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
