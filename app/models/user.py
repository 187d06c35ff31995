"""Users (servidores) and the records of failed logins used by the rate limit."""
import secrets

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


def new_session_token():
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    cpf: Mapped[str | None] = mapped_column(String(11))
    password_hash: Mapped[str] = mapped_column(String(200))
    # Rotated on password change so every other session of the user ends.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    active: Mapped[bool] = mapped_column(default=True)
    is_org_admin: Mapped[bool] = mapped_column(default=False)
    last_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at = mapped_column(UTCDateTime, default=utcnow)

    organization = relationship("Organization")
    memberships = relationship("Membership", back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_token}"

    @property
    def units(self):
        return sorted((m.unit for m in self.memberships if m.unit.active), key=lambda u: u.sigla)

    def works_in(self, unit):
        return unit is not None and any(m.unit_id == unit.id for m in self.memberships)

    def __repr__(self):
        return f"<User {self.login}>"


class LoginFailure(db.Model):
    """One counted attempt, keyed by "[scope]login:<x>", "[scope]ip:<x>" or "[scope]pair:<login>|<ip>" (scopes: "",
    "signing:", password-reset ones; services/auth.py); old rows are pruned."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    at = mapped_column(UTCDateTime, default=utcnow, index=True)

    __table_args__ = (db.Index("ix_login_failure_key_at", "key", "at"),)
