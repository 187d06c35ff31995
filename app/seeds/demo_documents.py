"""Demo documents (seed-demo hook, idempotent): an Ofício from its Modelo and a Despacho in the first
demo process open in SEMAD of the Prefeitura, so the tree and the editor have something to show."""
from sqlalchemy import exists, select

from app.extensions import db
from app.models import Document, Organization, Process, ProcessUnit, Unit, User
from app.services import doc_types, documents


def seed():
    org = db.session.scalar(select(Organization).where(Organization.sigla == "PMEX"))
    ana = db.session.scalar(select(User).where(User.login == "ana"))
    if org is None or ana is None:
        return
    semad = db.session.scalar(select(Unit).where(Unit.organization_id == org.id, Unit.sigla == "SEMAD"))
    process = db.session.scalar(select(Process).join(ProcessUnit, ProcessUnit.process_id == Process.id).where(
        Process.organization_id == org.id, Process.access_level == "publico", ProcessUnit.unit_id == semad.id,
        ProcessUnit.closed_at.is_(None)).order_by(Process.id).limit(1))
    if process is None or db.session.scalar(select(exists().where(Document.process_id == process.id))):
        return
    types = {t.name: t for t in doc_types.types_for(org, kind="internal")}
    oficio = documents.create_internal_document(process, types["Ofício"], by=ana, unit=semad,
                                                recipient="Secretaria Municipal de Obras", token="demo-oficio-0000000001")
    documents.save_version(oficio, documents.current_html(oficio).replace(
        "[exposição do assunto]", "solicitamos informações sobre o andamento da reforma da Escola Municipal Centro"),
        by=ana, unit=semad, base_version=1)
    documents.create_internal_document(process, types["Despacho"], by=ana, unit=semad,
                                       recipient="Gabinete do Prefeito", token="demo-despacho-000000001")
    db.session.flush()
