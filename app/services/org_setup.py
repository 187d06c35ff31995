"""What a new órgão gets at creation, so it is usable at once (DESIGN.md §7).

Each module that owns reference data adds its seeder to SEEDERS; each seeder must be
idempotent (it may run again on an existing órgão via `flask seed-defaults`)."""
from sqlalchemy import select

from app.extensions import db
from app.models import SignatureRole


def seed_signature_roles(org):
    from app.seeds.reference import SIGNATURE_ROLES
    existing = set(db.session.scalars(select(SignatureRole.title).where(
        SignatureRole.organization_id == org.id, SignatureRole.unit_id.is_(None))))
    for title in SIGNATURE_ROLES:
        if title not in existing:
            db.session.add(SignatureRole(organization_id=org.id, unit_id=None, title=title))


def seed_seal_certificate(org):
    from app.services.seal import ensure_seal_certificate
    ensure_seal_certificate(org)


def seed_process_catalog(org):
    from app.services.catalog import seed_legal_bases, seed_process_types
    seed_legal_bases(org)
    seed_process_types(org)


def seed_document_catalog(org):
    from app.services.doc_types import seed_document_types
    seed_document_types(org)


def seed_holidays(org):
    """The fixed-date national feriados of this year and the next (Retorno Programado skips them)."""
    from app.services.business_days import add_national_holidays
    from app.services.processes import today
    for year in (today().year, today().year + 1):
        add_national_holidays(org, by=None, year=year)


SEEDERS = [seed_signature_roles, seed_seal_certificate, seed_process_catalog, seed_document_catalog, seed_holidays]


def seed_new_organization(org):
    for seeder in SEEDERS:
        seeder(org)
    db.session.flush()
