"""Business days of an órgão (Retorno Programado): weekends and the órgão's feriados are skipped.

Feriados are kept per órgão by its admin (Administração → Feriados); changes go to the audit log."""
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Holiday
from app.services import audit
from app.services.errors import Duplicate, InvalidInput

MAX_BUSINESS_DAYS = 365
WEEKDAYS = ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo")

audit.AUDIT_TEXTS.update({
    "holiday_added": "Feriado incluído: {day} — {name}",
    "holiday_removed": "Feriado excluído: {day} — {name}",
})


def holidays(org, year=None):
    query = select(Holiday).where(Holiday.organization_id == org.id)
    if year:
        query = query.where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
    return db.session.scalars(query.order_by(Holiday.day)).all()


def holiday_names(org, start, end):
    """{date: name} of the órgão's feriados between start and end (inclusive)."""
    rows = db.session.execute(select(Holiday.day, Holiday.name).where(
        Holiday.organization_id == org.id, Holiday.day >= start, Holiday.day <= end))
    return dict(rows.all())


def why_not_business_day(org, day, names=None):
    """None for a business day; else the reason in Portuguese ("sábado", "feriado: Natal")."""
    if day.weekday() >= 5:
        return WEEKDAYS[day.weekday()]
    names = holiday_names(org, day, day) if names is None else names
    if day in names:
        return f"feriado: {names[day]}"
    return None


def add_business_days(org, start, n):
    """The date n business days after `start` (start itself does not count)."""
    if not isinstance(n, int) or n < 1 or n > MAX_BUSINESS_DAYS:
        raise InvalidInput(f"Informe de 1 a {MAX_BUSINESS_DAYS} dias úteis.", "return_days")
    names = holiday_names(org, start, start + timedelta(days=n * 2 + 60))
    day, left = start, n
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in names:
            left -= 1
    return day


def add_holiday(org, *, by, day, name):
    name = " ".join((name or "").split())
    if not isinstance(day, date) or not 2000 <= day.year <= 2100:
        raise InvalidInput("Informe uma data válida.", "day")
    if not name:
        raise InvalidInput("Informe o nome do feriado.", "name")
    if len(name) > 100:
        raise InvalidInput("O nome deve ter no máximo 100 caracteres.", "name")
    if db.session.scalar(select(Holiday).where(Holiday.organization_id == org.id, Holiday.day == day)):
        raise Duplicate(f"Já existe um feriado em {day:%d/%m/%Y}.", "day")
    holiday = Holiday(organization_id=org.id, day=day, name=name)
    db.session.add(holiday)
    audit.record(org, "holiday_added", by=by, day=f"{day:%d/%m/%Y}", name=name)
    db.session.flush()
    return holiday


def remove_holiday(holiday, *, by):
    org_id = holiday.organization_id
    from app.models import Organization
    audit.record(db.session.get(Organization, org_id), "holiday_removed", by=by, day=f"{holiday.day:%d/%m/%Y}",
                 name=holiday.name)
    db.session.delete(holiday)
    db.session.flush()


# Feriados nacionais de data fixa, offered to the admin as a one-click start (movable ones vary by year).
NATIONAL_FIXED = ((1, 1, "Confraternização Universal"), (4, 21, "Tiradentes"), (5, 1, "Dia do Trabalho"),
                  (9, 7, "Independência do Brasil"), (10, 12, "Nossa Senhora Aparecida"), (11, 2, "Finados"),
                  (11, 15, "Proclamação da República"), (11, 20, "Dia Nacional de Zumbi e da Consciência Negra"),
                  (12, 25, "Natal"))


def add_national_holidays(org, *, by, year):
    """Include the fixed-date national feriados of `year` that are not there yet; returns how many."""
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput("Informe um ano entre 2000 e 2100.", "year")
    have = set(holiday_names(org, date(year, 1, 1), date(year, 12, 31)))
    added = 0
    for month, day_number, name in NATIONAL_FIXED:
        day = date(year, month, day_number)
        if day not in have:
            db.session.add(Holiday(organization_id=org.id, day=day, name=name))
            added += 1
    if added:
        audit.record(org, "holiday_added", by=by, day=str(year), name=f"{added} feriados nacionais de data fixa")
    db.session.flush()
    return added
