"""Routing between units: credentials (Sigiloso), programmed returns, related processes, holidays."""
from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

CREDENTIAL_END_KINDS = {"revoked": "cassada", "renounced": "renunciada", "level": "encerrada (nível alterado)"}


class Holiday(db.Model):
    """A feriado of the órgão: not a business day when counting a Retorno Programado."""

    __tablename__ = "holiday"
    __table_args__ = (UniqueConstraint("organization_id", "day", name="uq_holiday_org_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    day = mapped_column(Date, nullable=False)
    name: Mapped[str] = mapped_column(String(100))
    created_at = mapped_column(UTCDateTime, default=utcnow)


class Credential(db.Model):
    """Credencial de Acesso to a Sigiloso process: one user, in one unit. Active while ended_at is null."""

    __tablename__ = "credential"
    __table_args__ = (
        Index("uq_credential_active", "process_id", "user_id", "unit_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
        Index("ix_credential_user_ended", "user_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    granted_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    granted_at = mapped_column(UTCDateTime, default=utcnow)
    ended_at = mapped_column(UTCDateTime)
    ended_kind: Mapped[str | None] = mapped_column(String(10))  # revoked | renounced | level
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    process = relationship("Process")
    user = relationship("User", foreign_keys=[user_id])
    unit = relationship("Unit", foreign_keys=[unit_id])
    granted_by = relationship("User", foreign_keys=[granted_by_id])
    granted_unit = relationship("Unit", foreign_keys=[granted_unit_id])

    @property
    def active(self):
        return self.ended_at is None


class ScheduledReturn(db.Model):
    """Retorno Programado: `to_unit` must send the process back to `from_unit` by `due`."""

    __tablename__ = "scheduled_return"
    __table_args__ = (Index("ix_scheduled_return_from_pending", "from_unit_id", "returned_at", "due"),
                      Index("ix_scheduled_return_to_pending", "to_unit_id", "returned_at", "due"))

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"), index=True)
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))   # sent it, awaits the return
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))     # received it, owes the return
    due = mapped_column(Date, nullable=False)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    returned_at = mapped_column(UTCDateTime)

    process = relationship("Process")
    from_unit = relationship("Unit", foreign_keys=[from_unit_id])
    to_unit = relationship("Unit", foreign_keys=[to_unit_id])


class ProcessRelation(db.Model):
    """Relacionar: a link both ways, stored once with process_id < other_id."""

    __tablename__ = "process_relation"
    __table_args__ = (UniqueConstraint("process_id", "other_id", name="uq_process_relation"),
                      Index("ix_process_relation_other_id", "other_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at = mapped_column(UTCDateTime, default=utcnow)
