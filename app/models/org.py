"""Órgãos, their unit trees, memberships and the Cargo/Função lists used when signing."""
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

NUMBER_MASKS = ("nup", "nipe")


class Organization(db.Model):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    sigla: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    uf: Mapped[str] = mapped_column(String(2))
    protocol_code: Mapped[str] = mapped_column(String(6))
    number_mask: Mapped[str] = mapped_column(String(10), default="nup")
    nipe_state_code: Mapped[str | None] = mapped_column(String(2))
    signature_legal_text: Mapped[str] = mapped_column(Text)
    public_base_url: Mapped[str | None] = mapped_column(String(200))
    allow_cross_org_routing: Mapped[bool] = mapped_column(default=False)
    tsa_url: Mapped[str | None] = mapped_column(String(300))  # timestamp authority: PAdES B-T when set
    created_at = mapped_column(UTCDateTime, default=utcnow)

    units = relationship("Unit", back_populates="organization", order_by="Unit.sigla")

    def __repr__(self):
        return f"<Organization {self.sigla}>"


class Unit(db.Model):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("organization_id", "sigla", name="uq_unit_org_sigla"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    sigla: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    protocol_code: Mapped[str | None] = mapped_column(String(6))
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    organization = relationship("Organization", back_populates="units")
    parent = relationship("Unit", remote_side="Unit.id", back_populates="children")
    children = relationship("Unit", back_populates="parent", order_by="Unit.sigla")

    def ancestors(self):
        """This unit's parent, grandparent, … up to the root (guarded against cycles)."""
        seen, node = {self.id}, self.parent
        while node is not None and node.id not in seen:
            yield node
            seen.add(node.id)
            node = node.parent

    @property
    def sigla_path(self):
        """Siglas from the leaf to the root, e.g. "DCC/SEMAD"."""
        return "/".join([self.sigla] + [u.sigla for u in self.ancestors()])

    @property
    def effective_protocol_code(self):
        return self.protocol_code or self.organization.protocol_code

    def __repr__(self):
        return f"<Unit {self.sigla}>"


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "unit_id", name="uq_membership_user_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", back_populates="memberships")
    unit = relationship("Unit")


class SignatureRole(db.Model):
    """A Cargo/Função title; unit_id null = the órgão's default list."""

    __tablename__ = "signature_role"
    __table_args__ = (UniqueConstraint("organization_id", "unit_id", "title", name="uq_signature_role_title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)

    unit = relationship("Unit")
