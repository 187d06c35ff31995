"""All models, imported here so Alembic and the app see every table."""
from app.models.audit import AuditEntry, Counter
from app.models.org import NUMBER_MASKS, Membership, Organization, SignatureRole, Unit
from app.models.user import LoginFailure, User

__all__ = ["AuditEntry", "Counter", "LoginFailure", "Membership", "NUMBER_MASKS", "Organization",
           "SignatureRole", "Unit", "User"]
